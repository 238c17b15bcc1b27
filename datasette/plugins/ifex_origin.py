"""Links name this server, not whatever ``Host`` a request claims.

Datasette 0.65 builds its absolute links (facet toggles, ``next_url``, ``_shape`` links)
from the request's ``Host`` header, and its pages are cacheable for a minute, so a shared
cache in front could store and serve links to another site that one request asked for.
Here every request's ``Host`` (and scheme) is replaced before Datasette sees it: by the
public address configured in ``IFEX_ALERTS_PUBLIC_URL`` (e.g. ``https://alerts.example.org``),
or else by the address the server is bound to.
"""

from __future__ import annotations

import os
from urllib.parse import urlsplit

from datasette import hookimpl
from warehouse.site.asgi import scope_rewriter

PUBLIC_URL_ENV = "IFEX_ALERTS_PUBLIC_URL"


def public_origin(scope: dict) -> tuple[str, str]:
    """Scheme and host[:port] this server's links use."""
    configured = os.environ.get(PUBLIC_URL_ENV, "").strip()
    if configured:
        parts = urlsplit(configured)
        return parts.scheme or "https", parts.netloc
    host, port = scope.get("server") or ("localhost", None)
    default = {"http": 80, "https": 443}.get(scope.get("scheme", "http"))
    return scope.get("scheme", "http"), host if port in (None, default) else f"{host}:{port}"


def with_origin(scope: dict) -> dict:
    scheme, host = public_origin(scope)
    headers = [(k, v) for k, v in scope.get("headers", []) if k.lower() != b"host"]
    return {**scope, "scheme": scheme, "headers": [(b"host", host.encode()), *headers]}


@hookimpl
def asgi_wrapper(datasette):
    return scope_rewriter(with_origin)
