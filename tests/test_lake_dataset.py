"""The lake is a hive dataset: every table reads whole with pyarrow (``read_table``,
``pyarrow.dataset`` with hive partitioning) and DuckDB (``hive_partitioning``), because
the files leave the partition keys to the paths. Files of the earlier layout still build
and are rewritten by ``upgrade_layout``."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest

from models.records import make_raw_id, sha256_hex
from models.schemas import ENRICHED_ALERTS, LAKE_TABLES, QUARANTINE, RAW_ALERTS, RAW_HISTORY
from tests.lake_fixtures import LAKE_ALERTS, LOSING_DUPLICATES, make_lake
from warehouse import lake
from warehouse.build import build_warehouse


def raw_row(source: str, month: str, i: int) -> dict:
    payload = f"<p>record {i}</p>".encode()
    return {"raw_id": make_raw_id(source, f"r{i}", sha256_hex(payload)), "source": source,
            "source_id": f"r{i}", "partition_month": month, "url": f"https://x.org/{i}",
            "fetched_at": datetime(2024, 3, 1, tzinfo=UTC), "published_hint": month,
            "content_type": "text/html", "content_hash": sha256_hex(payload),
            "payload": payload}


def pipeline_lake(root: Path) -> Path:
    """Every lake table, two sources, written as the pipeline writes them."""
    lake_dir = make_lake(root / "lake", others=LOSING_DUPLICATES)
    for source, month in (("fixture", "2023-11"), ("fixture", "2024-02"), ("feed", "2023-12")):
        for table in (RAW_ALERTS, RAW_HISTORY):
            rows = [raw_row(source, month, i) for i in range(3)]
            lake.write_partition(lake_dir, table, source, month,
                                 [lake.rows_to_batch(table, rows)], {"fingerprint": "f"})
    return lake_dir


def expected_rows(table) -> int:
    if table is ENRICHED_ALERTS:
        return len(LAKE_ALERTS) + len(LOSING_DUPLICATES)
    return 3 if table is QUARANTINE else 9


@pytest.fixture(scope="module")
def lake_dir(tmp_path_factory) -> Path:
    return pipeline_lake(tmp_path_factory.mktemp("dataset"))


@pytest.mark.parametrize("table", LAKE_TABLES, ids=lambda t: t.name)
def test_every_table_reads_as_a_hive_dataset(lake_dir, table):
    root = lake_dir / table.name
    for path in lake.partition_files(lake_dir, table):
        assert set(pq.read_schema(path).names).isdisjoint(lake.PARTITION_COLUMNS)
    whole = pq.read_table(root)
    assert whole.num_rows == expected_rows(table)
    names = {"enriched_alerts": {"fixture", "feed"}, "quarantine": {"fixture"}}
    assert set(whole.column("source").to_pylist()) == names.get(table.name, {"fixture", "feed"})
    dataset = ds.dataset(root, format="parquet", partitioning="hive").to_table()
    assert dataset.num_rows == whole.num_rows
    assert {"source", "year", "month"} <= set(dataset.column_names)
    with duckdb.connect() as con:
        count, sources, months = con.execute(
            "SELECT count(*), count(DISTINCT source), count(DISTINCT (year, month)) "
            "FROM read_parquet($g, hive_partitioning = true)",
            {"g": str(root / "**" / "*.parquet")}).fetchone()
    assert count == whole.num_rows
    assert sources == len(names.get(table.name, {"fixture", "feed"}))
    assert months == len({(y, m) for y, m in zip(whole.column("year").to_pylist(),
                                                   whole.column("month").to_pylist(),
                                                   strict=True)})


def test_one_partition_reads_back_in_the_tables_full_schema(lake_dir):
    (batch,) = lake.iter_batches(lake_dir, ENRICHED_ALERTS, "fixture", "2023-12")
    assert batch.schema == ENRICHED_ALERTS.schema
    rows = batch.to_pylist()
    assert {r["source"] for r in rows} == {"fixture"}
    assert all((r["year"], r["month"]) == (r["published"].year, r["published"].month)
               for r in rows)
    assert lake.read_column(lake_dir, RAW_ALERTS, "feed", "2023-12", "source") == ["feed"] * 3


def old_layout_lake(root: Path) -> Path:
    """A lake as earlier versions wrote it: every column inside the files."""
    lake_dir = make_lake(root / "lake")
    for table in (ENRICHED_ALERTS, QUARANTINE):
        for path in lake.partition_files(lake_dir, table):
            source, month = lake._source_month(str(path))
            rows = pa.Table.from_batches(list(lake.iter_batches(lake_dir, table, source, month)),
                                         schema=table.schema)
            pq.write_table(rows.replace_schema_metadata({"fingerprint": "old"}), path)
    return lake_dir


def test_files_of_the_earlier_layout_build_and_are_upgraded(tmp_path):
    new = tmp_path / "new"
    build_warehouse(make_lake(new / "lake"), new / "w.duckdb")
    old_dir = old_layout_lake(tmp_path / "old")
    with pytest.raises(pa.ArrowTypeError):
        pq.read_table(old_dir / "enriched_alerts")  # the issue: keys in files and paths
    build_warehouse(old_dir, tmp_path / "old" / "w.duckdb")
    query = "SELECT * FROM alerts ORDER BY alert_id"
    with duckdb.connect(str(new / "w.duckdb"), read_only=True) as a, \
            duckdb.connect(str(tmp_path / "old" / "w.duckdb"), read_only=True) as b:
        assert a.execute(query).fetchall() == b.execute(query).fetchall()
    assert lake.upgrade_layout(old_dir) == 8
    assert lake.upgrade_layout(old_dir) == 0  # scanned once
    assert pq.read_table(old_dir / "enriched_alerts").num_rows == len(LAKE_ALERTS)
    assert lake.read_metadata(old_dir, QUARANTINE, "fixture", "2023-11") == {"fingerprint": "old"}
