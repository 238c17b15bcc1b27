"""Pages that read like an alert and like a case: ``/alert/<alert_id>``, ``/case/<case_id>``.

The view models are plain Python (``warehouse/site/alert_page.py``); this file reads the
rows, renders ``templates/alert.html`` / ``case.html``, and links ids in table cells to the
pages (``ifex_cells.py``). A merged case's old id redirects to the case it joined; a row
page of the alerts table (``/alerts/alerts/<rowid>``, one very wide row) redirects to the
alert's page. The alerts table page hides its technical columns (raw_id, content_hash,
fetched_at, source_id, incident_ref, evidence, persons, label_confidence) with
``static/ifex.css``, so its CSV and JSON links keep every column.
"""

from __future__ import annotations

from datasette.utils.asgi import NotFound, Response

from datasette import hookimpl
from warehouse.site.alert_page import alert_context, case_context
from warehouse.site.display import served_release

DATABASE = "alerts"
EVENTS_SQL = """select e.published, e.alert_id, e.organisation, e.stage, e.title, a.language
from case_events e left join alerts a on a.alert_id = e.alert_id
where e.case_id = :case_id order by e.published, e.alert_id"""


async def first_row(db, sql: str, params: dict) -> dict | None:
    row = (await db.execute(sql, params)).first()
    return dict(row) if row is not None else None


async def alert_page(datasette, request):
    db = datasette.get_database(DATABASE)
    alert_id = request.url_vars["alert_id"]
    row = await first_row(db, "select * from alerts where alert_id = :id", {"id": alert_id})
    if row is None:
        raise NotFound(f"No alert {alert_id}")
    case = await first_row(db, "select * from cases where case_id = :id",
                           {"id": row.get("case_id")}) if row.get("case_id") else None
    url = datasette.absolute_url(request, datasette.urls.path(f"/alert/{alert_id}"))
    context = alert_context(row, case, served_release(datasette.static_mounts), url)
    return Response.html(await datasette.render_template("alert.html", context,
                                                         request=request))


async def case_page(datasette, request):
    db = datasette.get_database(DATABASE)
    case_id = request.url_vars["case_id"]
    case = await first_row(db, "select * from cases where case_id = :id", {"id": case_id})
    if case is None:
        moved = await first_row(db, "select case_id from case_redirects where "
                                "old_case_id = :id", {"id": case_id})
        if moved is None:
            raise NotFound(f"No case {case_id}")
        return Response.redirect(datasette.urls.path(f"/case/{moved['case_id']}"))
    events = [dict(r) for r in await db.execute(EVENTS_SQL, {"case_id": case_id})]
    return Response.html(await datasette.render_template(
        "case.html", case_context(case, events), request=request))


async def row_page(datasette, request):
    """``/alerts/alerts/<rowid>`` (HTML) → the alert's page ``/alert/<alert_id>``."""
    db = datasette.get_database(DATABASE)
    row = await first_row(db, "select alert_id from alerts where rowid = :rowid",
                          {"rowid": int(request.url_vars["rowid"])})
    if row is None:
        raise NotFound("No such alert in this release")
    return Response.redirect(datasette.urls.path(f"/alert/{row['alert_id']}"))


@hookimpl
def register_routes():
    return [(r"^/alert/(?P<alert_id>[^/]+)$", alert_page),
            (r"^/case/(?P<case_id>[^/]+)$", case_page),
            (r"^/alerts/alerts/(?P<rowid>\d+)$", row_page)]
