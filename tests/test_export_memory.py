"""Bounded memory at scale: the release's alerts files sorted in chunks (the same bytes as
one global sort) and the warehouse build under DuckDB's memory limit."""

from __future__ import annotations

import gzip
import hashlib
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from tests.lake_fixtures import LOSING_DUPLICATES, alert_row, make_lake, write_alerts
from warehouse import export_alerts
from warehouse.build import build_warehouse
from warehouse.ddl import DUCKDB_MEMORY_LIMIT
from warehouse.export import write_excel_csv
from warehouse.sqlite_layout import select_expression

EXTRA_YEAR = [alert_row(i) | {"alert_id": f"early-{i}", "source_id": f"early-{i}",
                              "published": alert_row(i)["published"].replace(year=2022),
                              "year": 2022} for i in range(9)]
"""Alerts of a third year, several on one day, so chunks end at a year and share days."""


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("export-memory")
    db = root / "warehouse.duckdb"
    lake_dir = make_lake(root / "lake", others=LOSING_DUPLICATES)
    write_alerts(lake_dir, "fixture", EXTRA_YEAR)
    build_warehouse(lake_dir, db)
    return db


def csv_columns(con: duckdb.DuckDBPyConnection) -> str:
    return ", ".join(f'{select_expression(n, t)} AS "{n}"'
                     for n, t, *_ in con.execute('DESCRIBE "alerts"').fetchall())


def write_with_one_sort(con: duckdb.DuckDBPyConnection, out: Path) -> None:
    """The alerts files as releases wrote them before: one sorted COPY per file."""
    order = "ORDER BY published, alert_id"
    con.execute(f"COPY (SELECT * FROM alerts {order}) TO '{out / 'alerts'}' "
                "(FORMAT parquet, COMPRESSION zstd, PARTITION_BY (year), "
                "FILENAME_PATTERN 'alerts_{i}')")
    con.execute(f"COPY (SELECT * FROM alerts {order}) TO '{out / 'alerts.parquet'}' "
                "(FORMAT parquet, COMPRESSION zstd)")
    con.execute(f"COPY (SELECT {csv_columns(con)} FROM alerts {order}) TO "
                f"'{out / 'alerts.csv.gz'}' (FORMAT csv, HEADER, COMPRESSION gzip)")
    write_excel_csv(con, f"SELECT {csv_columns(con)} FROM alerts {order}", out / "alerts.csv")


def checksums(out: Path) -> dict[str, str]:
    return {p.relative_to(out).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(out.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("chunk_rows", [1, 4, 50_000])
def test_chunked_alerts_files_are_those_of_one_sort(warehouse, tmp_path, monkeypatch,
                                                    chunk_rows):
    monkeypatch.setattr(export_alerts, "CHUNK_ROWS", chunk_rows)
    before, after = tmp_path / "one-sort", tmp_path / "chunked"
    before.mkdir(), after.mkdir()
    with duckdb.connect(str(warehouse), read_only=True) as con:
        write_with_one_sort(con, before)
        export_alerts.write_alerts(con, after, tmp_path / "scratch", csv_columns(con),
                                   write_excel_csv)
        expected = con.execute("SELECT alert_id FROM alerts ORDER BY published, alert_id"
                               ).fetchall()
    assert checksums(after) == checksums(before)
    assert len(checksums(after)) == 3 + 3  # three years, one file, two CSVs
    assert gzip.decompress((after / "alerts.csv.gz").read_bytes()).startswith(b"alert_id,")
    rows = pq.read_table(after / "alerts.parquet", columns=["alert_id"]).to_pylist()
    assert [r["alert_id"] for r in rows] == [a for (a,) in expected]


def test_chunks_are_whole_days_within_a_year_and_bounded(warehouse):
    with duckdb.connect(str(warehouse), read_only=True) as con:
        chunks = export_alerts.day_chunks(con, max_rows=4)
        sizes = [con.execute(f"SELECT count(*), count(DISTINCT year(published)), "
                             f"max(published) FROM alerts WHERE {c}").fetchone()
                 for c in chunks]
        busiest_day = con.execute("SELECT max(n) FROM (SELECT count(*) AS n FROM alerts "
                                  "GROUP BY published)").fetchone()[0]
        total = con.execute("SELECT count(*) FROM alerts").fetchone()[0]
    assert sum(n for n, _, _ in sizes) == total  # every alert in exactly one chunk
    assert all(years == 1 for _, years, _ in sizes)
    assert all(n <= max(4, busiest_day) for n, _, _ in sizes)
    assert [last for _, _, last in sizes] == sorted(last for _, _, last in sizes)
    assert len(chunks) > 3


def test_warehouse_build_runs_under_the_memory_limit(tmp_path, monkeypatch):
    """The build's DuckDB is bounded (unbounded it took 4 GiB at 950k alerts) and spills
    beside the target; the spill folder is gone afterwards."""
    from warehouse import cases

    seen, build_cases = {}, cases.build_cases

    def observed(con, *args, **kwargs):
        seen["limit"], seen["spill"] = con.execute(
            "SELECT current_setting('memory_limit'), current_setting('temp_directory')"
        ).fetchone()
        return build_cases(con, *args, **kwargs)

    monkeypatch.setattr(cases, "build_cases", observed)
    db = tmp_path / "warehouse.duckdb"
    build_warehouse(make_lake(tmp_path / "lake"), db)
    with duckdb.connect() as con:
        con.execute("SET memory_limit = $limit", {"limit": DUCKDB_MEMORY_LIMIT})
        expected = con.execute("SELECT current_setting('memory_limit')").fetchone()[0]
    assert seen["limit"] == expected
    assert Path(seen["spill"]).parent == tmp_path
    assert Path(seen["spill"]).name.startswith(".duckdb-spill.")
    assert not Path(seen["spill"]).exists()
