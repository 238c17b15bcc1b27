"""The trend page for people who don't write SQL (/-/trends), each chart as a
downloadable SVG (/-/trends/<chart>.svg), and the menu links.

Charts are SVG drawn on the server from the precomputed ``yearly_counts`` table
(warehouse/site/charts.py) — no JavaScript library, no CDN. Every chart starts in the
same year (the first year of data), links to its numbers as CSV, and says "demo data"
inside the drawing while the data is the generated sample. The downloads page is
``ifex_downloads.py``.
"""

from __future__ import annotations

from datasette.utils.asgi import NotFound, Response

from datasette import hookimpl
from warehouse.site.charts import lines, stacked_bars

DATABASE = "alerts"
DEMO_NOTE = "DEMO DATA — generated sample, not real IFEX alerts"
PERCENT_SERIES = (("percent_of_region", "{name}: % of {region}'s alerts"),
                  ("percent_of_world", "{name}: % of the world's alerts"))


async def _yearly(db, level: str, category: str | None = None, area: str | None = None):
    sql = ("select year, area, category, alerts from yearly_counts where level = :level"
           " and (:category is null or category = :category)"
           " and (:area is null or area = :area) order by year")
    rows = await db.execute(sql, {"level": level, "category": category, "area": area})
    return [tuple(r) for r in rows]


def _series(rows, key: int) -> dict[str, dict[int, int]]:
    series: dict[str, dict[int, int]] = {}
    for row in rows:
        series.setdefault(row[key], {})[row[0]] = row[3]
    return dict(sorted(series.items()))


_CACHE: dict[tuple, object] = {}
"""Chart SVGs per (database hash, page, country): a published version never changes."""


async def _cached(db, key: tuple, make):
    if db.hash is None:
        return await make()
    full_key = (db.hash, *key)
    if full_key not in _CACHE:
        if len(_CACHE) > 1000:
            _CACHE.clear()
        _CACHE[full_key] = await make()
    return _CACHE[full_key]


async def _is_demo(db) -> bool:
    rows = await db.execute("select 1 from alerts where source = 'sample' limit 1")
    return rows.first() is not None


async def _context(db) -> tuple[list[int], str | None]:
    """Every chart's years (first to last year of data) and its note (demo data)."""
    rows = await db.execute("select min(year), max(year) from yearly_counts "
                            "where level = 'world' and category = 'all'")
    first, last = rows.first() or (None, None)
    years = list(range(first, last + 1)) if first is not None else []
    return years, (DEMO_NOTE if await _is_demo(db) else None)


async def trends(datasette, request):
    db = datasette.get_database(DATABASE)
    country = (request.args.get("country") or "").upper()
    charts = await _cached(db, ("charts",), lambda: _charts(db))
    comparison = await _cached(db, ("comparison", country),
                               lambda: _comparison(db, country)) if country else None
    countries = await _cached(db, ("countries",), lambda: _countries(db))
    html = await datasette.render_template("trends.html", {
        "charts": charts, "country": country, "comparison": comparison,
        "countries": countries}, request=request)
    return Response.html(html)


async def chart_svg(datasette, request):
    """One chart of the trend page as an SVG file to download."""
    db = datasette.get_database(DATABASE)
    key, country = request.url_vars["key"], (request.args.get("country") or "").upper()
    if key == "comparison":
        svg = await _cached(db, ("comparison", country), lambda: _comparison(db, country))
    else:
        charts = await _cached(db, ("charts",), lambda: _charts(db))
        svg = next((c["svg"] for c in charts if c["key"] == key), None)
    if svg is None:
        raise NotFound(f"No chart {key}")
    name = f"ifex-{key}{'-' + country if key == 'comparison' else ''}.svg"
    return Response(svg, content_type="image/svg+xml; charset=utf-8",
                    headers={"content-disposition": f'attachment; filename="{name}"'})


async def _countries(db) -> list[tuple[str, str]]:
    rows = await db.execute("select distinct c.code, c.name from countries c join "
                            "yearly_counts y on y.level = 'country' and y.area = c.code "
                            "order by c.name")
    return [tuple(r) for r in rows]


def _chart(key: str, title: str, svg: str, csv: str) -> dict:
    return {"key": key, "title": title, "svg": svg, "csv": csv}


async def _charts(db) -> list[dict]:
    labels = {r["code"]: r["label"] for r in await db.execute("select code, label from categories")}
    years, note = await _context(db)
    by_region = _series(await _yearly(db, "region", "internet_shutdown"), 1)
    charts = [_chart("shutdowns", "Internet shutdowns", stacked_bars(
        years, by_region, "Alerts about internet shutdowns per year, by region", note=note),
        "region_shutdowns.csv?_stream=on")]
    by_category = _series(await _yearly(db, "world"), 2)
    total = by_category.pop("all", {})
    charts.append(_chart("all", "All alerts", stacked_bars(
        years, {"All alerts": total}, "Alerts per year", note=note),
        "yearly_counts.csv?level=world&category=all&_stream=on"))
    for code, values in sorted(by_category.items(), key=lambda kv: -sum(kv[1].values())):
        name = labels.get(code, code)
        charts.append(_chart(code, name, stacked_bars(
            years, {name: values}, f"{name}: alerts per year", width=370, height=180,
            note="DEMO DATA" if note else None),
            f"category_trends.csv?category={code}&_stream=on"))
    return charts


async def _comparison(db, country: str) -> str | None:
    """The country's share of its region's and of the world's alerts per year, in percent:
    the units of its numbers (``country_region_world``, ``country_trends``)."""
    found = (await db.execute("select name, region from countries where code = :c",
                              {"c": country})).first()
    if found is None:
        return None
    name, region = found
    rows = await db.execute(
        "select year, percent_of_region, percent_of_world from country_trends "
        "where country = :c and category = 'all' order by year", {"c": country})
    series = {template.format(name=name, region=region): {
        r["year"]: r[column] or 0 for r in rows} for column, template in PERCENT_SERIES}
    years, note = await _context(db)
    return lines(years, series, f"{name} beside {region} and the world: its share of "
                 "their alerts per year (%)", note=note)


@hookimpl
def register_routes():
    return [(r"^/-/trends$", trends), (r"^/-/trends/(?P<key>[a-z_]+)\.svg$", chart_svg)]


@hookimpl
def menu_links(datasette, actor):
    return [{"href": datasette.urls.path("/-/trends"), "label": "Trend charts"},
            {"href": datasette.urls.path("/-/downloads"), "label": "Downloads"}]
