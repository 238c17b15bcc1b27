"""Identical requests answered once per published version: a response cache with ETags.

The database is immutable between publishes, so a page is a function of its URL and the
version served (``plugins/ifex_reload.py`` pins each request to one). Under load (200
clients) Datasette computed every request again — 18 queries a table page, 78 the
database page — through four SQL threads, and the slow ones timed out. Here:

- a GET answered 200, 301, 302 or 404 with a body up to ``MAX_ENTRY_BYTES`` is kept, keyed
  by path and query string, in memory up to ``MAX_CACHE_BYTES`` (least recently used out);
- the cache belongs to one version: the first request that reads another version (a new
  publish: every database's hash) empties it;
- the worker processes of one server (``warehouse/serve.py``) share what they keep: as
  files under ``IFEX_ALERTS_CACHE_DIR``, one folder per version (the others removed),
  so a page is computed about once per server, not once per process;
- concurrent identical misses wait for the first one (single flight) instead of
  computing the page again each;
- each kept response gets an ``ETag``; a request whose ``If-None-Match`` names it gets 304.
  Datasette's ``Cache-Control: max-age=…`` is kept, so HTTP caches in front revalidate;
- not kept: requests with credentials (``Authorization``, Datasette's ``ds_actor``
  cookie), responses that set cookies, streams longer than an entry (CSV of a table), and
  ``/downloads`` and ``/-/downloads`` (files of the release, which is published apart from
  the database). ``X-Ifex-Cache: hit|miss`` says which it was.

The wrapper is the innermost (``tryfirst``), so the version a request reads is the one
``ifex_reload`` pinned for it. (No ``from __future__ import annotations``: dataclasses in
a plugin module need real annotations.)
"""

import asyncio
import hashlib
import json
import os
import shutil
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path

from datasette import hookimpl

MAX_ENTRY_BYTES = 16 * 2**20
MAX_CACHE_BYTES = 256 * 2**20
MAX_SHARED_BYTES = 2 * 2**30
SHARED_DIR_ENV = "IFEX_ALERTS_CACHE_DIR"
"""A folder the server's worker processes share their kept responses in (set by
``warehouse/serve.py``; unset, each process keeps its own only)."""
CACHED_STATUSES = frozenset({200, 301, 302, 404})
UNCACHED_PREFIXES = ("/downloads/", "/-/downloads")
CACHE_HEADER = b"x-ifex-cache"


@dataclass(frozen=True)
class Entry:
    status: int
    headers: tuple[tuple[bytes, bytes], ...]
    body: bytes
    etag: bytes


@dataclass
class SharedStore:
    """Kept responses as files under one folder per version, read by every worker."""

    root: Path
    version_dir: Path | None = None
    written: int = 0

    def for_version(self, version: tuple) -> None:
        name = hashlib.blake2b(repr(version).encode(), digest_size=12).hexdigest()
        self.version_dir, self.written = self.root / name, 0
        for old in self.root.glob("*"):
            if old != self.version_dir:
                shutil.rmtree(old, ignore_errors=True)
        self.version_dir.mkdir(parents=True, exist_ok=True)

    def path(self, key: bytes) -> Path:
        return self.version_dir / hashlib.blake2b(key, digest_size=16).hexdigest()

    def get(self, key: bytes) -> Entry | None:
        try:
            data = self.path(key).read_bytes()
        except OSError:
            return None
        head, body = data.split(b"\n", 1)
        status, headers, etag = json.loads(head)
        return Entry(status, tuple((k.encode("latin-1"), v.encode("latin-1"))
                                   for k, v in headers), body, etag.encode())

    def put(self, key: bytes, entry: Entry) -> None:
        if self.written + len(entry.body) > MAX_SHARED_BYTES:
            return
        head = json.dumps([entry.status, [(k.decode("latin-1"), v.decode("latin-1"))
                                          for k, v in entry.headers], entry.etag.decode()])
        path = self.path(key)
        temporary = path.with_name(f".{path.name}.{os.getpid()}")
        try:
            temporary.write_bytes(head.encode() + b"\n" + entry.body)
            os.replace(temporary, path)
        except OSError:  # the version's folder was removed by another worker
            return
        self.written += len(entry.body)


def shared_store() -> SharedStore | None:
    root = os.environ.get(SHARED_DIR_ENV)
    return SharedStore(Path(root)) if root else None


@dataclass
class ResponseCache:
    """The kept responses of one version, and the misses being computed."""

    shared: SharedStore | None = None
    version: tuple = ()
    entries: OrderedDict[bytes, Entry] = field(default_factory=OrderedDict)
    size: int = 0
    pending: dict[bytes, asyncio.Future] = field(default_factory=dict)

    def for_version(self, version: tuple) -> None:
        if version != self.version:
            self.version, self.entries, self.size = version, OrderedDict(), 0
            self.pending = {}
            if self.shared is not None:
                self.shared.for_version(version)

    def get(self, key: bytes) -> Entry | None:
        entry = self.entries.get(key)
        if entry is not None:
            self.entries.move_to_end(key)
        elif self.shared is not None and (entry := self.shared.get(key)) is not None:
            self.keep(key, entry)
        return entry

    def put(self, key: bytes, entry: Entry) -> None:
        self.keep(key, entry)
        if self.shared is not None:
            self.shared.put(key, entry)

    def keep(self, key: bytes, entry: Entry) -> None:
        self.entries[key] = entry
        self.size += len(entry.body)
        while self.size > MAX_CACHE_BYTES and self.entries:
            self.size -= len(self.entries.popitem(last=False)[1].body)


def cache_key(scope: dict) -> bytes | None:
    """The cache key of a request, or None when it must not be cached."""
    if scope.get("type") != "http" or scope.get("method") != "GET":
        return None
    path = scope.get("path", "")
    if path.startswith(UNCACHED_PREFIXES):
        return None
    for name, value in scope.get("headers", []):
        if name == b"authorization" or (name == b"cookie" and b"ds_actor" in value):
            return None
    return path.encode() + b"?" + scope.get("query_string", b"")


def served_version(datasette) -> tuple:
    """The version this request reads: every database's hash (pinned by ifex_reload)."""
    return tuple((name, db.hash) for name, db in datasette.databases.items()
                 if name != "_internal")


def if_none_match(scope: dict) -> bytes | None:
    return next((v for k, v in scope.get("headers", []) if k == b"if-none-match"), None)


async def send_entry(entry: Entry, scope: dict, send, hit: bytes) -> None:
    """The kept response, or 304 when the client holds it already."""
    tags = if_none_match(scope)
    if tags is not None and (entry.etag in tags.split(b", ") or tags.strip() == b"*"):
        headers = [(k, v) for k, v in entry.headers
                   if k in (b"etag", b"cache-control", b"vary")]
        await send({"type": "http.response.start", "status": 304,
                    "headers": [*headers, (CACHE_HEADER, hit)]})
        await send({"type": "http.response.body", "body": b""})
        return
    await send({"type": "http.response.start", "status": entry.status,
                "headers": [*entry.headers, (CACHE_HEADER, hit)]})
    await send({"type": "http.response.body", "body": entry.body})


class Recorder:
    """Keeps the start and the body of a response (sent to nobody yet)."""

    def __init__(self):
        self.start: dict | None = None
        self.chunks: list[bytes] = []
        self.size = 0
        self.too_big = False
        self.done = False

    async def __call__(self, message: dict) -> None:
        if message["type"] == "http.response.start":
            self.start = message
            return
        body = message.get("body", b"")
        self.size += len(body)
        self.too_big = self.too_big or self.size > MAX_ENTRY_BYTES
        self.chunks.append(body)
        self.done = not message.get("more_body", False)

    def entry(self) -> Entry | None:
        """The response as an entry, if it may be kept."""
        if self.start is None or self.too_big or not self.done:
            return None
        headers = [(bytes(k).lower(), bytes(v)) for k, v in self.start.get("headers", [])]
        if self.start["status"] not in CACHED_STATUSES or any(
                k == b"set-cookie" for k, _ in headers):
            return None
        body = b"".join(self.chunks)
        etag = b'"' + hashlib.blake2b(body, digest_size=12).hexdigest().encode() + b'"'
        return Entry(self.start["status"], (*headers, (b"etag", etag)), body, etag)


async def replay(recorder: Recorder, send) -> None:
    """Send what a recorder kept (a response that was not cached) as it was."""
    await send(recorder.start)
    for i, chunk in enumerate(recorder.chunks):
        await send({"type": "http.response.body", "body": chunk,
                    "more_body": i < len(recorder.chunks) - 1})


class Streamer:
    """Records a response until it outgrows an entry, then streams it to the client."""

    def __init__(self, send, on_too_big):
        self.recorder, self.send, self.on_too_big = Recorder(), send, on_too_big
        self.streaming = False

    async def __call__(self, message: dict) -> None:
        if self.streaming:
            await self.send(message)
            return
        await self.recorder(message)
        if self.recorder.too_big:
            self.streaming = True
            self.on_too_big()
            await self.send(self.recorder.start)
            for chunk in self.recorder.chunks[:-1]:
                await self.send({"type": "http.response.body", "body": chunk,
                                 "more_body": True})
            await self.send(message)
            self.recorder.chunks = []


async def compute(app, cache: ResponseCache, key: bytes, scope, receive, send) -> None:
    """A miss: run the request, keep it if it may be kept, release the waiting requests."""
    waiting = asyncio.get_running_loop().create_future()
    cache.pending[key] = waiting

    def release(entry: Entry | None) -> None:
        if cache.pending.get(key) is waiting:
            del cache.pending[key]
        if not waiting.done():
            waiting.set_result(entry)

    streamer = Streamer(send, lambda: release(None))
    try:
        await app(scope, receive, streamer)
    finally:
        entry = None if streamer.streaming else streamer.recorder.entry()
        if entry is not None and cache.version == scope["ifex_cache_version"]:
            cache.put(key, entry)
        release(entry)
    if not streamer.streaming:
        if entry is not None:
            await send_entry(entry, scope, send, b"miss")
        elif streamer.recorder.start is not None:
            await replay(streamer.recorder, send)


@hookimpl(tryfirst=True)
def asgi_wrapper(datasette):
    cache = ResponseCache(shared_store())

    def wrap(app):
        async def cached(scope, receive, send):
            key = cache_key(scope)
            if key is None or not datasette._startup_invoked:  # no version pinned yet
                await app(scope, receive, send)
                return
            version = served_version(datasette)
            cache.for_version(version)
            scope = {**scope, "ifex_cache_version": version}
            entry = cache.get(key)
            if entry is None and key in cache.pending:
                entry = await asyncio.shield(cache.pending[key])
            if entry is not None:
                await send_entry(entry, scope, send, b"hit")
                return
            await compute(app, cache, key, scope, receive, send)
        return cached
    return wrap
