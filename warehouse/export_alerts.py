"""The alerts files of a release, sorted in bounded chunks so memory stays flat.

One ``COPY (… ORDER BY published, alert_id)`` of a million alerts with their text needs
more memory than DuckDB may use (issue 14: out of memory at ×15; DuckDB's sort did not
spill these rows). Instead the alerts are cut into runs of whole publication days of at
most ``CHUNK_ROWS`` alerts, never across a year; each run is sorted alone and appended to
a scratch table, which then holds the alerts in release order. Every release file is a
scan of that table on one thread, in its order, with no sort: the same rows in the same
order as one global sort, byte for byte at the tests' size (``tests/test_export_memory.py``;
at ×15 some Parquet row groups end a few thousand rows apart).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

CHUNK_ROWS = 50_000
"""Alerts sorted at once: ~100 MB of rows, whatever the size of the archive."""
ORDER = "published, alert_id"
PARQUET = "FORMAT parquet, COMPRESSION zstd"
SORTED = "release_sorted"
"""The scratch database (a file in the scratch folder) with the alerts in release order."""


def day_chunks(con: duckdb.DuckDBPyConnection, max_rows: int = CHUNK_ROWS) -> list[str]:
    """SQL conditions that cut the alerts, in release order, into runs of whole
    publication days with at most ``max_rows`` alerts (a busier day is a run alone), never
    across a calendar year; alerts without a date last, as the sort puts them."""
    days = con.execute("SELECT published, count(*) FROM alerts WHERE published IS NOT NULL "
                       "GROUP BY published ORDER BY published").fetchall()
    chunks, first, size = [], None, 0
    for i, (day, rows) in enumerate(days):
        first, size = first or day, size + rows
        following = days[i + 1] if i + 1 < len(days) else None
        if following is None or following[0].year != day.year or size + following[1] > max_rows:
            chunks.append(f"published BETWEEN DATE '{first}' AND DATE '{day}'")
            first, size = None, 0
    if con.execute("SELECT count(*) FROM alerts WHERE published IS NULL").fetchone()[0]:
        chunks.append("published IS NULL")
    return chunks


@contextmanager
def sorted_alerts(con: duckdb.DuckDBPyConnection, scratch: Path) -> Iterator[str]:
    """The alerts in release order, chunk by chunk, in a scratch database under
    ``scratch``; yields the table's name (detached and deleted afterwards)."""
    scratch.mkdir(parents=True, exist_ok=True)
    path = scratch / f"{SORTED}.duckdb"
    con.execute(f"ATTACH {sql_path(path)} AS {SORTED} (READ_WRITE)")
    try:
        con.execute(f"CREATE TABLE {SORTED}.alerts AS SELECT * FROM alerts LIMIT 0")
        for condition in day_chunks(con, CHUNK_ROWS):
            con.execute(f"INSERT INTO {SORTED}.alerts "
                        f"SELECT * FROM alerts WHERE {condition} ORDER BY {ORDER}")
        yield f"{SORTED}.alerts"
    finally:
        con.execute(f"DETACH {SORTED}")
        path.unlink(missing_ok=True)
        path.with_name(path.name + ".wal").unlink(missing_ok=True)


@contextmanager
def one_thread(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """Run on one DuckDB thread: a table is then read and written strictly in its order,
    with no batches held back for the ones before them (with two threads that buffering
    exceeded the memory limit as the sort did)."""
    threads = con.execute("SELECT current_setting('threads')").fetchone()[0]
    con.execute("SET threads = 1")
    try:
        yield
    finally:
        con.execute(f"SET threads = {int(threads)}")


def sql_path(path: Path) -> str:
    """A file path as a SQL string literal (COPY TO takes no bound parameters)."""
    return "'" + str(path).replace("'", "''") + "'"


def write_alerts(con: duckdb.DuckDBPyConnection, out: Path, scratch: Path, csv_columns: str,
                 excel_csv: Callable[[duckdb.DuckDBPyConnection, str, Path], None]) -> None:
    """``alerts/year=YYYY/alerts_0.parquet``, ``alerts.parquet``, ``alerts.csv.gz`` and
    (through ``excel_csv(con, query, target)``) ``alerts.csv``, all in release order."""
    years = [y for (y,) in con.execute(
        "SELECT DISTINCT year FROM alerts ORDER BY year NULLS LAST").fetchall()]
    with sorted_alerts(con, scratch) as table, one_thread(con):
        for year in years:  # one year at a time: the partitioned writer buffers each year
            where = "year IS NULL" if year is None else f"year = {int(year)}"
            con.execute(f"COPY (SELECT * FROM {table} WHERE {where}) TO "
                        f"{sql_path(out / 'alerts')} ({PARQUET}, PARTITION_BY (year), "
                        "OVERWRITE_OR_IGNORE, FILENAME_PATTERN 'alerts_{i}')")
        con.execute(f"COPY (SELECT * FROM {table}) TO {sql_path(out / 'alerts.parquet')} "
                    f"({PARQUET})")
        con.execute(f"COPY (SELECT {csv_columns} FROM {table}) TO "
                    f"{sql_path(out / 'alerts.csv.gz')} (FORMAT csv, HEADER, COMPRESSION gzip)")
        excel_csv(con, f"SELECT {csv_columns} FROM {table}", out / "alerts.csv")
