"""A running server serves a new publish by itself, without a restart.

``publish_sqlite`` writes each publish as a version of its own
(``data/datasette/versions/<hash>/alerts.db`` with its ``inspect-data.json``) and then
switches the symlink ``data/datasette/alerts.db`` to it atomically; earlier versions stay
until the next publish but one. Datasette 0.65 keeps one SQLite connection per thread and
database name, opened once, so an immutable file replaced in place was served until a
restart (``alerts.db (deleted)``).

Here the served database is pinned to versions: at the start of each request the symlink
is read (one ``readlink``); a new target becomes the current version, with its own row
counts and hash (the hash keys the caches of the trend pages). Each request keeps the
version it started with to its end — a CSV stream in flight reads one version throughout —
and each thread keeps one connection per live version, closing the connections of
versions that are neither current nor previous. ``metadata.json`` is read again on a
switch. (No ``from __future__ import annotations`` here: a plugin module is not in
``sys.modules``, and dataclasses then cannot resolve string annotations.)
"""

import asyncio
import json
import os
import sqlite3
import threading
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path

from datasette.database import Database

from datasette import hookimpl

INSPECT_FILE = "inspect-data.json"
METADATA_FILE = "metadata.json"


@dataclass(frozen=True)
class Version:
    """One published file: its resolved path, hash, size and row counts (inspect file)."""

    path: str
    hash: str | None
    size: int
    counts: dict[str, int]
    inspect: dict = field(default_factory=dict, compare=False)

    @classmethod
    def load(cls, path: str) -> "Version":
        inspect = Path(path).with_name(INSPECT_FILE)
        entry = next(iter(json.loads(inspect.read_text()).values()), {}) \
            if inspect.exists() else {}
        return cls(path, entry.get("hash"), entry.get("size", Path(path).stat().st_size),
                   {k: v["count"] for k, v in entry.get("tables", {}).items()}, entry)


@dataclass
class Published:
    """The symlink a database is served from, and its current and previous versions."""

    link: str
    current: Version
    previous: Version | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    def refresh(self) -> bool:
        """Follow the symlink; True when it now names another version."""
        target = os.path.realpath(self.link)
        if target == self.current.path:
            return False
        with self.lock:
            if target != self.current.path:
                self.previous, self.current = self.current, Version.load(target)
                return True
        return False

    def live(self) -> set[str]:
        return {v.path for v in (self.current, self.previous) if v is not None}


_request_versions: ContextVar[dict[tuple[int, str], Version] | None] = ContextVar(
    "ifex_versions", default=None)
_threads = threading.local()


def published(datasette) -> dict[str, Published]:
    """This server's databases served through a symlink, by name."""
    if not hasattr(datasette, "_ifex_published"):
        datasette._ifex_published = {}
    return datasette._ifex_published


class VersionedDatabase(Database):
    """An immutable database whose file is the version the current request started with."""

    @property
    def version(self) -> Version:
        pinned = _request_versions.get() or {}
        key = (id(self.ds), self.name)
        return pinned[key] if key in pinned else published(self.ds)[self.name].current

    @property
    def hash(self):
        return self.version.hash

    @property
    def size(self):
        return self.version.size

    @property
    def cached_table_counts(self):
        return self.version.counts

    async def execute_fn(self, fn):
        path, live = self.version.path, published(self.ds)[self.name].live()
        if self.ds.executor is None:
            return fn(self._connection(path, live))
        return await asyncio.get_event_loop().run_in_executor(
            self.ds.executor, lambda: fn(self._connection(path, live)))

    def _connection(self, path: str, live: set[str]) -> sqlite3.Connection:
        """This thread's connection to ``path``; connections to retired versions close."""
        connections = getattr(_threads, "connections", None)
        if connections is None:
            connections = _threads.connections = {}
        server = id(self.ds)
        for key in [k for k in connections if k[0] == server and k[1] not in live | {path}]:
            connections.pop(key).close()
        if (server, path) not in connections:
            conn = sqlite3.connect(f"file:{path}?immutable=1", uri=True,
                                   check_same_thread=False)
            self.ds._prepare_connection(conn, self.name)
            connections[server, path] = conn
        return connections[server, path]


def follow_switch(datasette, name: str, served: Published) -> None:
    """After a switch: the new version's counts where Datasette reads them directly
    (``inspect_data``: unfiltered table counts), and metadata.json read again."""
    if served.current.inspect:
        datasette.inspect_data = {**(datasette.inspect_data or {}),
                                  name: served.current.inspect}
    path = Path(served.link).with_name(METADATA_FILE)
    if path.exists():
        datasette._metadata_local = json.loads(path.read_text())


@hookimpl
def startup(datasette):
    """Pin every immutable database served through a symlink to its versions."""
    for name, db in datasette.databases.items():
        if db.is_mutable or not db.path or not os.path.islink(db.path):
            continue
        published(datasette)[name] = Published(db.path,
                                               Version.load(os.path.realpath(db.path)))
        db.__class__ = VersionedDatabase


def pin_request(datasette) -> dict[tuple[int, str], Version]:
    """Follow each symlink once for this request; the versions it will read."""
    pinned = dict(_request_versions.get() or {})
    for name, served in published(datasette).items():
        if served.refresh():
            follow_switch(datasette, name, served)
        pinned[id(datasette), name] = served.current
    return pinned


@hookimpl
def asgi_wrapper(datasette):
    def wrap(app):
        async def versioned(scope, receive, send):
            if scope.get("type") != "http" or not published(datasette):
                await app(scope, receive, send)
                return
            token = _request_versions.set(pin_request(datasette))
            try:
                await app(scope, receive, send)
            finally:
                _request_versions.reset(token)
        return versioned
    return wrap
