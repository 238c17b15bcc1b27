"""ASGI helpers shared by the Datasette plugins."""

from __future__ import annotations

from collections.abc import Callable


def scope_rewriter(rewrite: Callable[[dict], dict]):
    """An ``asgi_wrapper`` hook body: every HTTP request's scope goes through ``rewrite``
    before Datasette sees it."""
    def wrap(app):
        async def rewritten(scope, receive, send):
            if scope.get("type") == "http":
                scope = rewrite(scope)
            await app(scope, receive, send)
        return rewritten
    return wrap
