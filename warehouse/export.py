"""Dated, citable Parquet/CSV releases of the warehouse in data/exports/<YYYY-MM-DD>/.

A release is written into a temporary directory and renamed into place; ``latest``
is a symlink replaced atomically. Rows are ordered and files carry no timestamps,
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
from warehouse.export_changes import previous_release, write_changes
from warehouse.sqlite_layout import select_expression

log = logging.getLogger(__name__)

LATEST = "latest"
PARQUET = "FORMAT parquet, COMPRESSION zstd"


def export_release(db_path: Path, exports_dir: Path, release: date, force: bool = False
                   ) -> Path:
    """Write the release for ``release`` from the warehouse at ``db_path``; returns its dir.

    A release of that date already written from the same warehouse (by its input stamp) with
    the same code is kept as it is unless ``force``; ``latest`` is pointed at it either way.
    """
    exports_dir = Path(exports_dir)
    exports_dir.mkdir(parents=True, exist_ok=True)
    target = exports_dir / release.isoformat()
    fingerprint = stamps.derived_fingerprint(db_path)
    fingerprint = fingerprint and f"{fingerprint} docs {export_docs.docs_fingerprint()}"
    stamp = exports_dir / f".{release.isoformat()}{stamps.SUFFIX}"  # hidden: not a download
    if fingerprint and not force and stamps.unchanged_counts(target, fingerprint,
                                                             stamp) is not None:
        point_latest(exports_dir, target.name)
        log.info("warehouse and code unchanged since release %s was written: kept", release)
        return target
    tmp = exports_dir / f".{release.isoformat()}.{os.getpid()}.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    spill = exports_dir / f".duckdb-spill.{os.getpid()}"
    try:
        with duckdb.connect(str(db_path), read_only=True) as con:
            limit_memory(con, spill)
            counts = write_tables(con, tmp)
            export_docs.write_docs(con, tmp, release, counts)
            write_changes(con, tmp, release, previous_release(exports_dir, release))
        write_checksums(tmp)
        stamps.clear_stamp(target, stamp)
        _swap_dir(tmp, target)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        shutil.rmtree(spill, ignore_errors=True)
    if fingerprint:
        stamps.write_stamp(target, fingerprint, counts, stamp)
    point_latest(exports_dir, target.name)
    log.info("release %s written to %s: %s", release, target, counts)
    return target


def write_tables(con: duckdb.DuckDBPyConnection, out: Path) -> dict[str, int]:
    """alerts (hive by year, one file, CSV) and every other table as <name>.parquet."""
    order = "ORDER BY published, alert_id"
    con.execute(f"COPY (SELECT * FROM alerts {order}) TO {_path(out / 'alerts')} "
                f"({PARQUET}, PARTITION_BY (year), FILENAME_PATTERN 'alerts_{{i}}')")
    con.execute(f"COPY (SELECT * FROM alerts {order}) TO {_path(out / 'alerts.parquet')} "
                f"({PARQUET})")
    csv_columns = ", ".join(f'{select_expression(n, t)} AS "{n}"'
                            for n, t in _columns(con, "alerts"))
    con.execute(f"COPY (SELECT {csv_columns} FROM alerts {order}) TO "
                f"{_path(out / 'alerts.csv.gz')} (FORMAT csv, HEADER, COMPRESSION gzip)")
    counts = {}
    for table in export_docs.table_names(con):
        counts[table] = con.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
        if table != "alerts":
            cols = ", ".join(f'"{n}"' for n, _ in _columns(con, table))
            con.execute(f'COPY (SELECT * FROM "{table}" ORDER BY {cols}) '
                        f"TO {_path(out / (table + '.parquet'))} ({PARQUET})")
    return counts


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


def _swap_dir(tmp: Path, target: Path) -> None:
    """Rename ``tmp`` to ``target``; an existing release of the same date is replaced."""
    if target.exists():
        old = target.with_name(f".{target.name}.{os.getpid()}.old")
        os.replace(target, old)
        os.replace(tmp, target)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(tmp, target)


def point_latest(exports_dir: Path, release_name: str) -> Path:
    """Atomically point ``exports_dir/latest`` at a release directory (relative symlink)."""
    link = exports_dir / LATEST
    tmp = exports_dir / f".{LATEST}.{os.getpid()}.tmp"
    tmp.unlink(missing_ok=True)
    tmp.symlink_to(release_name, target_is_directory=True)
    os.replace(tmp, link)
    return link
