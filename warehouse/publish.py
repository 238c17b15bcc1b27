"""Publish the warehouse as the SQLite database Datasette serves, atomically.

Each publish is a version of its own, ``datasette/versions/<hash>/alerts.db`` with its
``inspect-data.json``; ``datasette/alerts.db`` and ``datasette/inspect-data.json`` are
symlinks switched to it atomically, so a running server follows (``datasette/plugins/
ifex_reload.py``) while requests in flight finish on the version they started with.

Rows stream from DuckDB in batches (memory stays flat), list columns become JSON
arrays, every facet column gets an index, ``alerts`` gets FTS5 on title and text, the
facet helper tables (``publish_facets.py``) and the trend views are added, and an inspect
file (``datasette inspect`` format) carries the row counts so
Datasette never counts a million rows per page.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import sqlite3
from pathlib import Path

import duckdb

from warehouse import publish_facets as facets
from warehouse import sqlite_layout as layout
from warehouse import stamps
from warehouse.datasette_meta import write_metadata
from warehouse.ddl import limit_memory, sql_file
from warehouse.sqlite_tables import (
    ALERT_ARRAY_ITEMS,
    FACET_COUNTS,
    FILTERED_FACET_COUNTS,
    TREND_VIEWS,
)

log = logging.getLogger(__name__)

BATCH_ROWS = 5000
INSPECT_FILE = "inspect-data.json"
VERSIONS = "versions"


def publish_sqlite(db_path: Path, sqlite_path: Path, force: bool = False) -> dict[str, int]:
    """Write ``sqlite_path`` (with inspect-data.json and metadata.json beside it).

    Returns row counts per table. When the warehouse (by its input stamp) and the publish
    code are those of the last publish, the database is kept as it is unless ``force``;
    metadata.json is rewritten either way.
    """
    sqlite_path = Path(sqlite_path)
    fingerprint = stamps.derived_fingerprint(db_path)
    kept = stamps.unchanged_counts(sqlite_path, fingerprint) if fingerprint else None
    if kept is not None and not force and inspect_path(sqlite_path).exists():
        write_metadata(sqlite_path.parent, set(kept))
        log.info("warehouse and code unchanged since the last publish: kept %s", sqlite_path)
        return kept
    sqlite_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = sqlite_path.with_name(f".{sqlite_path.name}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    spill = sqlite_path.with_name(f".duckdb-spill.{os.getpid()}")
    try:
        with duckdb.connect(str(db_path), read_only=True) as duck:
            limit_memory(duck, spill)
            counts = _write_sqlite(duck, tmp)
        inspect = inspect_data(tmp, sqlite_path, counts)
        version = install_version(tmp, inspect, sqlite_path)
        stamps.clear_stamp(sqlite_path)
        write_metadata(sqlite_path.parent, set(counts))
        switch_version(sqlite_path, version)
    finally:
        tmp.unlink(missing_ok=True)
        shutil.rmtree(spill, ignore_errors=True)
    if fingerprint:
        stamps.write_stamp(sqlite_path, fingerprint, counts)
    log.info("published %s: %s", sqlite_path, counts)
    return counts


def versions_dir(sqlite_path: Path) -> Path:
    """Where the published versions live: ``datasette/versions/<hash>/``."""
    return Path(sqlite_path).with_name(VERSIONS)


def install_version(built: Path, inspect: dict, sqlite_path: Path) -> Path:
    """Move a built database and its inspect file into ``versions/<hash>/`` (renamed into
    place whole); an identical version already there is kept. Returns its folder."""
    entry = next(iter(inspect.values()))
    target = versions_dir(sqlite_path) / entry["hash"][:16]
    if (target / sqlite_path.name).exists():
        return target
    staging = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    try:
        os.replace(built, staging / sqlite_path.name)
        (staging / INSPECT_FILE).write_text(json.dumps(inspect, indent=2))
        os.rename(staging, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target


def switch_version(sqlite_path: Path, version: Path) -> None:
    """Point ``alerts.db`` and ``inspect-data.json`` at a version (atomic symlink swaps:
    the inspect file first, so a server that follows ``alerts.db`` finds its counts), then
    remove the versions older than the one replaced (a server may still be reading it)."""
    sqlite_path = Path(sqlite_path)
    previous = os.path.realpath(sqlite_path) if sqlite_path.is_symlink() else None
    relative = version.relative_to(sqlite_path.parent)
    _symlink_atomic(inspect_path(sqlite_path), relative / INSPECT_FILE)
    _symlink_atomic(sqlite_path, relative / sqlite_path.name)
    keep = {version.resolve(), Path(previous).parent if previous else None}
    for old in versions_dir(sqlite_path).iterdir():
        if old.resolve() not in keep and not old.name.startswith("."):
            shutil.rmtree(old, ignore_errors=True)


def _symlink_atomic(link: Path, target: Path) -> None:
    tmp = link.with_name(f".{link.name}.{os.getpid()}.link")
    tmp.unlink(missing_ok=True)
    tmp.symlink_to(target)
    os.replace(tmp, link)


def inspect_path(sqlite_path: Path) -> Path:
    """Where the inspect counts file of a published database lives."""
    return Path(sqlite_path).with_name(INSPECT_FILE)


def _write_sqlite(duck: duckdb.DuckDBPyConnection, path: Path) -> dict[str, int]:
    lite = sqlite3.connect(path)
    try:
        lite.execute("PRAGMA journal_mode = OFF")
        lite.execute("PRAGMA synchronous = OFF")
        counts = {name: _copy_table(duck, lite, name) for name in _table_names(duck)}
        counts[FACET_COUNTS.name] = facets.write_facet_counts(duck, lite)
        counts[FILTERED_FACET_COUNTS.name] = facets.write_filtered_facet_counts(duck, lite)
        counts[ALERT_ARRAY_ITEMS.name] = facets.write_array_items(lite)
        for table, columns in layout.SEARCH.items():
            if table in counts:
                _create_fts(lite, table, columns)
        counts |= _create_views(lite)
        lite.execute("ANALYZE")
        lite.commit()
    finally:
        lite.close()
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())
    return counts


def _table_names(duck: duckdb.DuckDBPyConnection) -> list[str]:
    rows = duck.execute(
        "SELECT table_name FROM information_schema.tables "
        "WHERE table_schema = 'main' AND table_catalog = current_database() "
        "ORDER BY table_name"
    ).fetchall()
    return [name for (name,) in rows]


def _copy_table(duck: duckdb.DuckDBPyConnection, lite: sqlite3.Connection, table: str) -> int:
    """Create the SQLite table with its indexes and stream the DuckDB rows into it."""
    described = duck.execute(f'DESCRIBE "{table}"').fetchall()
    columns = layout.storage_order([(row[0], row[1]) for row in described])
    lite.execute(_create_sql(table, columns))
    order = layout.ROW_ORDER.get(table) or ", ".join(f'"{n}"' for n, _ in columns)
    selects = ", ".join(layout.select_expression(n, t) for n, t in columns)
    cursor = duck.execute(f'SELECT {selects} FROM "{table}" ORDER BY {order}')
    insert = (f'INSERT INTO "{table}" VALUES ({", ".join("?" * len(columns))})')
    rows = 0
    while batch := cursor.fetchmany(BATCH_ROWS):
        lite.executemany(insert, batch)
        rows += len(batch)
    for column in layout.UNIQUE_INDEXES.get(table, ()):
        lite.execute(f'CREATE UNIQUE INDEX "idx_{table}_{column}" ON "{table}" ("{column}")')
    for index_cols in layout.index_columns(table, [n for n, _ in columns]):
        name = f"idx_{table}_{'_'.join(index_cols)}"
        cols = ", ".join(f'"{c}"' for c in index_cols)
        lite.execute(f'CREATE INDEX "{name}" ON "{table}" ({cols})')
    return rows


def _create_views(lite: sqlite3.Connection) -> dict[str, int]:
    """The trend views (sql/create_trend_views.sql); returns their row counts."""
    lite.executescript(sql_file("create_trend_views"))
    return {view.name: lite.execute(f'SELECT count(*) FROM "{view.name}"').fetchone()[0]
            for view in TREND_VIEWS}


def _create_sql(table: str, columns: list[tuple[str, str]]) -> str:
    pk = layout.PRIMARY_KEYS.get(table)
    defs = [f'"{n}" {layout.sqlite_type(t)}{" PRIMARY KEY" if n == pk else ""}'
            for n, t in columns]
    return f'CREATE TABLE "{table}" ({", ".join(defs)})'


def _create_fts(lite: sqlite3.Connection, table: str, columns: tuple[str, ...]) -> None:
    """FTS5 index over an existing table; content="table" (double quotes) so Datasette
    detects it and ``?_search=`` works."""
    fts = f"{table}_fts"
    cols = ", ".join(f'"{c}"' for c in columns)
    lite.execute(f'CREATE VIRTUAL TABLE "{fts}" USING FTS5 ({cols}, content="{table}")')
    lite.execute(f"INSERT INTO \"{fts}\"(\"{fts}\") VALUES ('rebuild')")
    lite.execute(f"INSERT INTO \"{fts}\"(\"{fts}\") VALUES ('optimize')")


def inspect_data(built: Path, final: Path, counts: dict[str, int]) -> dict:
    """The ``datasette inspect`` document for a database file (counts incl. FTS tables)."""
    lite = sqlite3.connect(built)
    try:
        names = [r[0] for r in lite.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        tables = {n: {"count": counts[n] if n in counts else
                      lite.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0]}
                  for n in names}
    finally:
        lite.close()
    return {final.stem: {"hash": _sha256(built), "size": built.stat().st_size,
                         "file": final.name, "tables": tables}}


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()
