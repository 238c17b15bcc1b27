"""CSV that people can click: every matching row, as a download, and a copy for Excel.

- A table's or view's CSV (``/alerts/<table>.csv?…``) is streamed unless the URL says
  ``_stream=off``: the CSV link of a table page (``_size=max``) used to stop at
  ``max_returned_rows`` (1,000 rows).
- Every CSV is a download (``_dl=1``: ``text/csv`` and ``Content-Disposition: attachment``
  named after the table or query), not text shown in the browser.
- ``_bom=1`` starts the file with a UTF-8 byte-order mark, so that Excel reads Arabic,
  Cyrillic and accents as UTF-8 (the "CSV for Excel" link of table and query pages).
- Datasette 0.65's CSV view sets ``_size=max`` for a stream but never passes it on, so a
  stream is read 100 rows per query; a view is paged by OFFSET, so each query recomputes
  the view up to its page (the 68k-row ``country_trends`` view: 62 s at 950k alerts, 8 s
  with pages of 1,000). A stream without ``_size`` gets ``_size=max``.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

from datasette import hookimpl

BOM = "\ufeff".encode()
OFF = ("", "0", "off", "false")


def csv_scope(scope: dict) -> dict:
    """The scope of a CSV request with streaming, download and page size settled."""
    path = scope.get("path", "")
    if not path.endswith(".csv"):
        return scope
    pairs = parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
    keys = {key for key, _ in pairs}
    stream = dict(pairs).get("_stream")
    pairs = [(k, v) for k, v in pairs if k != "_bom" and not (k == "_stream" and v in OFF)]
    if stream is None and "_next" not in keys:
        pairs.append(("_stream", "on"))
        stream = "on"
    if "_dl" not in keys:
        pairs.append(("_dl", "1"))
    if stream not in (None, *OFF) and "_size" not in keys:
        pairs.append(("_size", "max"))
    return dict(scope, query_string=urlencode(pairs).encode("latin-1"))


def wants_bom(scope: dict) -> bool:
    pairs = parse_qsl(scope.get("query_string", b"").decode("latin-1"))
    return scope.get("path", "").endswith(".csv") and ("_bom", "1") in pairs


def download_name(scope: dict) -> bytes:
    """``attachment; filename="<table or query>.csv"`` (Excel copies say so)."""
    stem = scope.get("path", "").rsplit("/", 1)[-1][:-len(".csv")] or "data"
    suffix = "-excel" if wants_bom(scope) else ""
    return f'attachment; filename="{stem}{suffix}.csv"'.encode()


def csv_send(scope: dict, send):
    """``send`` that names the download and, for ``_bom=1``, writes the byte-order mark."""
    pending_bom = [wants_bom(scope)]

    async def wrapped(message):
        if message["type"] == "http.response.start":
            headers = [(k, v) for k, v in message.get("headers", [])
                       if k.lower() != b"content-disposition"]
            if message.get("status") == 200:
                headers.append((b"content-disposition", download_name(scope)))
            message = dict(message, headers=headers)
        elif message["type"] == "http.response.body" and pending_bom[0]:
            pending_bom[0] = False
            message = dict(message, body=BOM + message.get("body", b""))
        await send(message)

    return wrapped


@hookimpl
def asgi_wrapper(datasette):
    def wrap(app):
        async def csv_downloads(scope, receive, send):
            if scope.get("type") == "http" and scope.get("path", "").endswith(".csv"):
                send = csv_send(scope, send)
                scope = csv_scope(scope)
            await app(scope, receive, send)
        return csv_downloads
    return wrap
