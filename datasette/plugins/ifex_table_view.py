"""The alerts table opens on the data: technical columns are out of the default HTML view
(still in JSON, CSV and with ``?_col=``), and a row page is the alert's readable page."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

from datasette.utils.asgi import NotFound, Response

from datasette import hookimpl

TABLE_PATH = "/alerts/alerts"
HIDDEN_COLUMNS = ("raw_id", "content_hash", "fetched_at", "source_id", "incident_ref",
                  "evidence", "persons", "label_confidence")
"""Out of the default view of /alerts/alerts (the alert page shows evidence and
confidence for people; the API keeps every column)."""


def default_view(scope: dict) -> dict:
    """The HTML table page of alerts without the technical columns, unless the URL picks
    its columns itself (``_col`` / ``_nocol``)."""
    if scope.get("path") != TABLE_PATH:
        return scope
    pairs = parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
    if any(key in ("_col", "_nocol") for key, _ in pairs):
        return scope
    pairs += [("_nocol", column) for column in HIDDEN_COLUMNS]
    return dict(scope, query_string=urlencode(pairs).encode("latin-1"))


@hookimpl
def asgi_wrapper(datasette):
    def wrap(app):
        async def table_view(scope, receive, send):
            if scope.get("type") == "http" and scope.get("method") in ("GET", "HEAD"):
                scope = default_view(scope)
            await app(scope, receive, send)
        return table_view
    return wrap


async def row_page(datasette, request):
    """``/alerts/alerts/<rowid>`` (HTML) → the alert's page ``/alert/<alert_id>``."""
    db = datasette.get_database("alerts")
    row = (await db.execute("select alert_id from alerts where rowid = :rowid",
                            {"rowid": int(request.url_vars["rowid"])})).first()
    if row is None:
        raise NotFound("No such alert in this release")
    return Response.redirect(datasette.urls.path(f"/alert/{row['alert_id']}"))


@hookimpl
def register_routes():
    return [(r"^/alerts/alerts/(?P<rowid>\d+)$", row_page)]
