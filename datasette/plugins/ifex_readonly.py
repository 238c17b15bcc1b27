"""A read-only API whose errors are errors: 405 for writes, 404 for unknown paths.

Datasette 0.65 answers a path no route matches (``/foo/bar/baz/qux``, ``/alerts/alerts/-/
insert``) through its default ``handle_exception`` hook, which calls rich's
``print_exception()``; outside an ``except`` block (a 404 built without a raised
exception) rich raises ValueError, so the 404 became a 500. That default hook is
replaced here by one that renders the same error pages without rich (500s are logged
with their traceback). And since nothing here may write, every method but GET, HEAD and
OPTIONS is refused with 405 before it reaches a view (Datasette let ``POST /alerts/
alerts`` through to an assertion: a 500). A query that reaches SQLite's heap limit
(``ifex_limits``: Python's MemoryError) is the client's error, 400.
"""

from __future__ import annotations

import json
import logging

from datasette.utils import add_cors_headers
from datasette.utils.asgi import Base400, Response
from datasette.views.base import DatasetteError
from markupsafe import Markup

from datasette import hookimpl
from datasette.plugins import pm

if pm.get_plugin("datasette.handle_exception") is not None:
    pm.unregister(name="datasette.handle_exception")

log = logging.getLogger("ifex_readonly")
READ_METHODS = ("GET", "HEAD", "OPTIONS")


def error_info(exception: Exception) -> tuple[int, str, str | None, dict]:
    """Status, message, title and extra fields for an exception."""
    if isinstance(exception, Base400):
        return exception.status, str(exception.args[0]) if exception.args else "", None, {}
    if isinstance(exception, DatasetteError):
        message = Markup(exception.message) if exception.message_is_html else \
            exception.message
        return exception.status, message, exception.title, dict(exception.error_dict or {})
    if isinstance(exception, MemoryError):  # SQLite's heap limit (plugins/ifex_limits.py)
        return 400, "Query needs more memory than this server allows", "Invalid SQL", {}
    log.error("unhandled error", exc_info=(type(exception), exception,
                                           exception.__traceback__))
    return 500, str(exception), None, {}


@hookimpl
def handle_exception(datasette, request, exception):
    async def inner():
        status, message, title, info = error_info(exception)
        info.update({"ok": False, "error": message, "status": status, "title": title})
        headers = {}
        if datasette.cors:
            add_cors_headers(headers)
        if request.path.endswith(".json"):
            return Response.json(info, status=status, headers=headers)
        template = datasette.jinja_env.select_template([f"{status}.html", "error.html"])
        html = await template.render_async(dict(
            info, urls=datasette.urls, app_css_hash=datasette.app_css_hash(),
            menu_links=lambda: []))
        return Response.html(html, status=status, headers=headers)

    return inner


async def refuse_write(send) -> None:
    """A 405 response that names the methods this API allows."""
    body = json.dumps({"ok": False, "status": 405,
                       "error": "Method not allowed: this API is read-only"}).encode()
    await send({"type": "http.response.start", "status": 405, "headers": [
        (b"content-type", b"application/json; charset=utf-8"),
        (b"allow", ", ".join(READ_METHODS).encode())]})
    await send({"type": "http.response.body", "body": body})


@hookimpl
def asgi_wrapper(datasette):
    def wrap(app):
        async def read_only(scope, receive, send):
            if scope.get("type") == "http" and scope.get("method") not in READ_METHODS:
                await refuse_write(send)
                return
            await app(scope, receive, send)
        return read_only
    return wrap
