"""A WordPress-shaped REST server on 127.0.0.1 for tests (a real socket, in a thread).

Serves ``/wp-json/wp/v2/posts`` like WordPress does: ``after``/``before`` (exclusive,
on the post date), ``modified_after`` (exclusive, on the modified date), ``orderby``/
``order``, ``page``/``per_page`` (max 100, 400 past the last page), ``_embed`` (terms
under ``_embedded['wp:term']`` only when asked), and the ``X-WP-Total``/
``X-WP-TotalPages`` headers, ``_fields`` and Polylang's ``lang`` (with a default
language set, posts of other languages only with ``lang=<code>`` or ``lang=all``).
Tests can make it throttle (429 + Retry-After), fail (500 or any status, with or
without Retry-After) — the next requests, or always for some queries — stall past
the client's timeout, report a wrong or shifting ``X-WP-Total``, and edit posts.
"""

from __future__ import annotations

import json
import math
import threading
import time
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

POSTS_PATH = "/wp-json/wp/v2/posts"


@dataclass
class Behaviour:
    """What the server does to the next requests (consumed one request at a time)."""

    throttle_next: int = 0
    retry_after: str = "0.1"
    fail_next: int = 0
    fail_status: int = 500
    fail_retry_after: str | None = None
    """``Retry-After`` sent with the failures (None: no header)."""
    fail_when: Callable[[dict[str, str]], bool] | None = None
    """Queries for which every request fails with ``fail_status`` (e.g. one month)."""
    send_totals: bool = True
    """False: leave out ``X-WP-Total``/``X-WP-TotalPages``, as some caching proxies do."""
    total_offset: int = 0
    """Added to the real ``X-WP-Total`` (a count that never matches the posts served)."""
    after_page: Callable[[WordPressServer, dict[str, str]], None] | None = None
    """Called after each page of posts is served (e.g. to delete a post mid-paging)."""
    garbage_next: int = 0
    """Answer the next requests 200 with an HTML page instead of JSON (a caching proxy)."""
    stall_next: int = 0
    stall_seconds: float = 1.0
    """Sleep this long before answering the next ``stall_next`` requests (read timeouts)."""
    default_lang: str | None = None
    """Polylang: without ``lang`` only posts in this language (or without ``lang``) are listed;
    ``lang=all`` lists every language. None: no language filter."""


@dataclass
class WordPressServer:
    posts: list[dict[str, Any]] = field(default_factory=list)
    behaviour: Behaviour = field(default_factory=Behaviour)
    requests: list[dict[str, Any]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> WordPressServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def add_post(
        self,
        post_id: int,
        when: str,
        title: str,
        content: str,
        terms: list[tuple[str, str]] = (),
        **extra: Any,
    ) -> dict[str, Any]:
        """Add a post dated ``when`` (ISO, site-local); terms are (taxonomy, name) pairs."""
        post = {
            "id": post_id,
            "date": when,
            "date_gmt": when,
            "modified": when,
            "modified_gmt": when,
            "slug": f"post-{post_id}",
            "status": "publish",
            "type": "post",
            "link": f"{self.url}/alerts/post-{post_id}/",
            "title": {"rendered": title},
            "content": {"rendered": content, "protected": False},
            "excerpt": {"rendered": ""},
            "_terms": list(terms),
            **extra,
        }
        self.posts.append(post)
        return post

    def edit_post(self, post_id: int, modified: str, **changes: Any) -> None:
        """Change a post and move its modified date, as an editor saving it would."""
        post = next(p for p in self.posts if p["id"] == post_id)
        for key, value in changes.items():
            post[key] = {"rendered": value} if key in ("title", "content") else value
        post["modified"] = post["modified_gmt"] = modified

    def delete_post(self, post_id: int) -> None:
        self.posts[:] = [p for p in self.posts if p["id"] != post_id]

    def _stall(self) -> None:
        """Sleep before answering when asked to (outside the lock, so others are served)."""
        with self._lock:
            stall = self.behaviour.stall_next > 0
            self.behaviour.stall_next -= 1 if stall else 0
        if stall:
            time.sleep(self.behaviour.stall_seconds)

    def _answer(self, path: str, query: dict[str, str]) -> tuple[int, dict[str, str], Any]:
        """Status, headers and body (JSON-ready data, or bytes sent as they are)."""
        self._stall()
        with self._lock:
            self.requests.append({"path": path, "query": query})
            behaviour = self.behaviour
            if behaviour.throttle_next > 0:
                behaviour.throttle_next -= 1
                return 429, {"Retry-After": behaviour.retry_after}, {"code": "too_many"}
            failing = behaviour.fail_when is not None and behaviour.fail_when(query)
            if failing or behaviour.fail_next > 0:
                behaviour.fail_next -= 0 if failing else 1
                headers = {"Retry-After": behaviour.fail_retry_after} if (
                    behaviour.fail_retry_after) else {}
                return behaviour.fail_status, headers, {"code": "internal_server_error"}
            if behaviour.garbage_next > 0:
                behaviour.garbage_next -= 1
                return 200, {}, b"<html><body>Down for maintenance</body></html>"
            if path.rstrip("/") != POSTS_PATH:
                return 404, {}, {"code": "rest_no_route"}
            answer = self._list_posts(query)
            if behaviour.after_page is not None and answer[0] == 200:
                behaviour.after_page(self, query)
            return answer

    def _list_posts(self, query: dict[str, str]) -> tuple[int, dict[str, str], Any]:
        per_page, page = int(query.get("per_page", 10)), int(query.get("page", 1))
        if not 1 <= per_page <= 100:
            return 400, {}, {"code": "rest_invalid_param", "message": "per_page"}
        chosen = [p for p in self.posts if _matches(p, query)
                  and _in_language(p, query.get("lang"), self.behaviour.default_lang)]
        key = "modified" if query.get("orderby") == "modified" else "date"
        chosen.sort(key=lambda p: (p[key], p["id"]), reverse=query.get("order") == "desc")
        pages = max(1, math.ceil(len(chosen) / per_page))
        if page > pages:
            return 400, {}, {"code": "rest_post_invalid_page_number"}
        window = chosen[(page - 1) * per_page : page * per_page]
        total = len(chosen) + self.behaviour.total_offset
        headers = {"X-WP-Total": str(total), "X-WP-TotalPages": str(pages)}
        headers = headers if self.behaviour.send_totals else {}
        fields = [f for f in query.get("_fields", "").split(",") if f]
        return 200, headers, [_rendered(p, "_embed" in query, fields) for p in window]

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
                query["_user_agent"] = self.headers.get("User-Agent", "")
                status, headers, body = server._answer(parts.path, query)
                raw = isinstance(body, bytes)
                data = body if raw else json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "text/html" if raw else
                                 "application/json; charset=UTF-8")
                self.send_header("Content-Length", str(len(data)))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                with suppress(BrokenPipeError, ConnectionResetError):  # client gave up
                    self.wfile.write(data)

            def log_message(self, *args: object) -> None:
                pass

        return Handler


def _matches(post: dict[str, Any], query: dict[str, str]) -> bool:
    """WordPress's exclusive date filters, compared as datetimes."""
    checks = (("after", "date", 1), ("before", "date", -1), ("modified_after", "modified", 1))
    for param, column, sign in checks:
        if param in query:
            bound = datetime.fromisoformat(query[param])
            value = datetime.fromisoformat(post[column])
            if (value - bound) * sign <= timedelta(0):
                return False
    return True


def _in_language(post: dict[str, Any], asked: str | None, default: str | None) -> bool:
    """Polylang's filter: the asked language, every one for ``all``, else the default."""
    if default is None or asked == "all":
        return True
    return post.get("lang", default) == (asked or default)


def _rendered(post: dict[str, Any], embed: bool, fields: list[str]) -> dict[str, Any]:
    body = {k: v for k, v in post.items() if k != "_terms"}
    if fields:
        return {k: v for k, v in body.items() if k in fields}
    if embed:
        groups: dict[str, list[dict[str, Any]]] = {}
        for number, (taxonomy, name) in enumerate(post["_terms"], start=1):
            groups.setdefault(taxonomy, []).append(
                {"id": number, "name": name, "slug": name.lower(), "taxonomy": taxonomy}
            )
        body["_embedded"] = {"wp:term": list(groups.values())}
    return body
