"""``/-/feed.atom?country=IR&category=internet_shutdown``: the newest alerts as an Atom
feed (both filters optional; a name works as well as a code), and ``/-/feeds``, a page that
builds a feed's address from a list of countries and categories."""

from __future__ import annotations

from datasette.utils.asgi import Response

from datasette import hookimpl
from warehouse.site.display import category_labels
from warehouse.site.feed import atom_feed, feed_title

DATABASE = "alerts"
ENTRIES = 50
FEED_SQL = """select alert_id, published, title, text, organisation, categories from alerts
where (:country = '' or rowid in (select alert_rowid from alert_array_items
         where column_name = 'countries' and value = :country))
  and (:category = '' or rowid in (select alert_rowid from alert_array_items
         where column_name = 'categories' and value = :category))
order by rowid limit :limit"""
"""Alerts are stored newest first (rowid 1 is the latest): the first rows are the newest."""


async def code_of(db, table: str, name_column: str, value: str) -> str:
    """A country or category code from its code or its name ('' when empty)."""
    value = value.strip()
    if not value:
        return ""
    row = (await db.execute(f"select code from {table} where code = :v or "
                            f"lower({name_column}) = lower(:v) limit 1",
                            {"v": value.upper() if table == "countries" else value})).first()
    return row[0] if row else value


async def feed(datasette, request):
    db = datasette.get_database(DATABASE)
    country = await code_of(db, "countries", "name", request.args.get("country", ""))
    category = await code_of(db, "categories", "label", request.args.get("category", ""))
    rows = [dict(r) for r in await db.execute(
        FEED_SQL, {"country": country, "category": category, "limit": ENTRIES})]
    demo = (await db.execute("select 1 from alerts where source = 'sample' limit 1")).first()
    self_url = datasette.absolute_url(request, request.full_path)
    body = atom_feed(rows, feed_title(country, category, demo is not None), self_url,
                     lambda alert_id: datasette.absolute_url(
                         request, datasette.urls.path(f"/alert/{alert_id}")))
    return Response(body, content_type="application/atom+xml; charset=utf-8")


async def feeds(datasette, request):
    db = datasette.get_database(DATABASE)
    countries = [tuple(r) for r in await db.execute(
        "select code, name from countries where code in (select distinct area from "
        "yearly_counts where level = 'country') order by name")]
    categories = sorted(category_labels().items(), key=lambda item: item[1])
    return Response.html(await datasette.render_template(
        "feeds.html", {"countries": countries, "categories": categories}, request=request))


@hookimpl
def register_routes():
    return [(r"^/-/feed\.atom$", feed), (r"^/-/feeds$", feeds)]
