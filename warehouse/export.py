"""Dated, citable Parquet/CSV releases of the warehouse in data/exports/<YYYY-MM-DD>[.N]/.

A release is written into a temporary directory and renamed into place, beside the
earlier ones (never over one: ``warehouse/releases.py``); ``latest`` is a symlink
replaced atomically. Rows are ordered and files carry no timestamps,
so the same warehouse gives the same files and checksums.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
from datetime import date
from pathlib import Path

import duckdb

from warehouse import export_docs, stamps
from warehouse.ddl import limit_memory
from warehouse.export_alerts import write_alerts
from warehouse.export_changes import write_changes
from warehouse.releases import latest_release, next_release_name, previous_release
from warehouse.sqlite_layout import select_expression

log = logging.getLogger(__name__)

LATEST = "latest"
PARQUET = "FORMAT parquet, COMPRESSION zstd"
UTF8_BOM = b"\xef\xbb\xbf"


def export_release(db_path: Path, exports_dir: Path, release: date, force: bool = False
                   ) -> Path:
    """Write a new release of the warehouse at ``db_path`` dated ``release``; returns its dir.

    Its name is the day (``2024-03-01``), or ``2024-03-01.2``, ``.3``… for a later release
    the same day: releases are never rewritten. When the newest release was written from
    the same warehouse (by its input stamp) with the same code, it is kept and no new
    release is cut, unless ``force``; ``latest`` is pointed at the release either way.
    """
    exports_dir = Path(exports_dir)
    exports_dir.mkdir(parents=True, exist_ok=True)
    fingerprint = stamps.derived_fingerprint(db_path)
    fingerprint = fingerprint and f"{fingerprint} docs {export_docs.docs_fingerprint()}"
    newest = latest_release(exports_dir)
    if fingerprint and newest and not force and stamps.unchanged_counts(
            newest, fingerprint, _stamp(exports_dir, newest.name)) is not None:
        point_latest(exports_dir, newest.name)
        log.info("warehouse and code unchanged since release %s: kept", newest.name)
        return newest
    name = next_release_name(exports_dir, release)
    counts = _write_release(db_path, exports_dir, name)
    if fingerprint:
        stamps.write_stamp(exports_dir / name, fingerprint, counts, _stamp(exports_dir, name))
    point_latest(exports_dir, name)
    log.info("release %s written to %s: %s", name, exports_dir / name, counts)
    return exports_dir / name


def _stamp(exports_dir: Path, name: str) -> Path:
    """A release's input stamp: hidden (``.<name>.inputs``), so it is not a download."""
    return exports_dir / f".{name}{stamps.SUFFIX}"


def _write_release(db_path: Path, exports_dir: Path, name: str) -> dict[str, int]:
    """Write release ``name`` into a temporary directory, then rename it into place."""
    tmp = exports_dir / f".{name}.{os.getpid()}.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    spill = exports_dir / f".duckdb-spill.{os.getpid()}"
    try:
        with duckdb.connect(str(db_path), read_only=True) as con:
            limit_memory(con, spill)
            counts = write_tables(con, tmp, spill / "alerts-chunks")
            export_docs.write_docs(con, tmp, name, counts)
            write_changes(con, tmp, name, previous_release(exports_dir, name))
        write_checksums(tmp)
        os.rename(tmp, exports_dir / name)  # fails rather than replace an existing release
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        shutil.rmtree(spill, ignore_errors=True)
    return counts


def write_tables(con: duckdb.DuckDBPyConnection, out: Path, scratch: Path) -> dict[str, int]:
    """alerts (hive by year, one file, CSV; ``export_alerts.py``, sorted in chunks under
    ``scratch``) and every other table as <name>.parquet."""
    csv_columns = ", ".join(f'{select_expression(n, t)} AS "{n}"'
                            for n, t in _columns(con, "alerts"))
    write_alerts(con, out, scratch, csv_columns, write_excel_csv)
    counts = {}
    for table in export_docs.table_names(con):
        counts[table] = con.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
        if table != "alerts":
            cols = ", ".join(f'"{n}"' for n, _ in _columns(con, table))
            con.execute(f'COPY (SELECT * FROM "{table}" ORDER BY {cols}) '
                        f"TO {_path(out / (table + '.parquet'))} ({PARQUET})")
    return counts


def write_excel_csv(con: duckdb.DuckDBPyConnection, query: str, target: Path) -> None:
    """A plain CSV that Excel opens as UTF-8: a byte-order mark, then DuckDB's CSV."""
    plain = target.with_name(f".{target.name}.plain")
    con.execute(f"COPY ({query}) TO {_path(plain)} (FORMAT csv, HEADER)")
    with open(target, "wb") as sink, open(plain, "rb") as source:
        sink.write(UTF8_BOM)
        shutil.copyfileobj(source, sink, 1 << 20)
    plain.unlink()


def _path(path: Path) -> str:
    """A file path as a SQL string literal (COPY TO takes no bound parameters)."""
    return "'" + str(path).replace("'", "''") + "'"


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> list[tuple[str, str]]:
    return [(r[0], r[1]) for r in con.execute(f'DESCRIBE "{table}"').fetchall()]


def write_checksums(out: Path) -> Path:
    """SHA256SUMS over every file of the release (``sha256sum -c`` format)."""
    lines = []
    for path in sorted(p for p in out.rglob("*") if p.is_file()):
        rel = path.relative_to(out).as_posix()
        if rel != "SHA256SUMS":
            lines.append(f"{file_sha256(path)}  {rel}\n")
    target = out / "SHA256SUMS"
    target.write_text("".join(lines))
    return target


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def point_latest(exports_dir: Path, release_name: str) -> Path:
    """Atomically point ``exports_dir/latest`` at a release directory (relative symlink)."""
    link = exports_dir / LATEST
    tmp = exports_dir / f".{LATEST}.{os.getpid()}.tmp"
    tmp.unlink(missing_ok=True)
    tmp.symlink_to(release_name, target_is_directory=True)
    os.replace(tmp, link)
    return link
