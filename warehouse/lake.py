"""The Parquet lake: one file per table, source and month, written atomically.

Layout: ``<lake>/<table>/source=<source>/year=<YYYY>/month=<MM>/part.parquet``.
Each file carries key-value metadata (e.g. the fingerprint of what produced it),
so an unchanged partition can be recognised without reading its rows.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from models.schemas import Table

PART_FILE = "part.parquet"


def partition_dir(lake_dir: Path, table: Table, source: str, month: str) -> Path:
    """Directory of one partition; ``month`` is "YYYY-MM"."""
    year, mm = month.split("-")
    return lake_dir / table.name / f"source={source}" / f"year={year}" / f"month={mm}"


def partition_path(lake_dir: Path, table: Table, source: str, month: str) -> Path:
    return partition_dir(lake_dir, table, source, month) / PART_FILE


def table_glob(lake_dir: Path, table: Table) -> str:
    """Glob over every partition file of a table (for DuckDB ``read_parquet``)."""
    return str(lake_dir / table.name / "*" / "*" / "*" / PART_FILE)


def write_partition(
    lake_dir: Path,
    table: Table,
    source: str,
    month: str,
    batches: Iterable[pa.RecordBatch],
    metadata: dict[str, str] | None = None,
) -> tuple[Path, int]:
    """Stream record batches into a partition file atomically; returns (path, rows).

    The file is written under a temporary name and renamed into place, so readers
    see either the previous complete partition or the new one, never a torn file.
    """
    target = partition_path(lake_dir, table, source, month)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{PART_FILE}.{os.getpid()}.tmp")
    schema = table.schema.with_metadata(
        {k.encode(): v.encode() for k, v in (metadata or {}).items()}
    )
    rows = 0
    try:
        with pq.ParquetWriter(tmp, schema, compression="zstd") as writer:
            for batch in batches:
                if batch.num_rows:
                    writer.write_batch(
                        batch.cast(table.schema) if batch.schema != table.schema else batch
                    )
                    rows += batch.num_rows
        with open(tmp, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    return target, rows


def read_metadata(lake_dir: Path, table: Table, source: str, month: str) -> dict[str, str] | None:
    """The key-value metadata of a partition file, or None if the partition doesn't exist."""
    path = partition_path(lake_dir, table, source, month)
    if not path.exists():
        return None
    raw = pq.read_schema(path).metadata or {}
    return {k.decode(): v.decode() for k, v in raw.items() if not k.startswith(b"ARROW")}


def iter_batches(
    lake_dir: Path, table: Table, source: str, month: str, batch_size: int = 1024
) -> Iterator[pa.RecordBatch]:
    """Stream a partition's rows in batches (nothing if the partition doesn't exist)."""
    path = partition_path(lake_dir, table, source, month)
    if path.exists():
        yield from pq.ParquetFile(path).iter_batches(batch_size=batch_size)


def count_rows(lake_dir: Path, table: Table, source: str, month: str) -> int:
    """Row count of a partition from its footer (0 if absent)."""
    path = partition_path(lake_dir, table, source, month)
    return pq.ParquetFile(path).metadata.num_rows if path.exists() else 0


def rows_to_batch(table: Table, rows: list[dict]) -> pa.RecordBatch:
    """Build a record batch of the table's schema from row dicts."""
    return pa.RecordBatch.from_pylist(rows, schema=table.schema)
