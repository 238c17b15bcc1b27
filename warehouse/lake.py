"""The Parquet lake: one file per table, source and month, written atomically.

Layout: ``<lake>/<table>/source=<source>/year=<YYYY>/month=<MM>/part.parquet``, a hive
dataset: the partition keys are in the paths only, never repeated in the files
(``PARTITION_COLUMNS``), so ``pyarrow.parquet.read_table('<lake>/enriched_alerts')``,
``pyarrow.dataset`` with ``partitioning="hive"`` and DuckDB's ``hive_partitioning`` read a
table whole. The functions here that read one partition give back its rows in the table's
full schema (``source`` from the path; an alert's ``year``/``month`` from ``published``).
Files written before this layout (with those columns inside) are still read, and
``upgrade_layout`` rewrites them. Each file carries key-value metadata (e.g. the fingerprint
of what produced it), so an unchanged partition can be recognised without reading its rows.

The lake is a local directory (a ``Path``, the default) or an object-store location
(``warehouse.storage.Location``, e.g. ``s3://bucket/lake``). An object store has no
rename, so there a partition is ``part-<token>.parquet`` files plus a commit marker
``_COMMITTED`` (JSON: the current file, its rows and metadata) written after the file:
readers follow the marker, so they see the previous complete partition or the new one,
never a torn or half-uploaded file (see ``_write_object``).
"""

from __future__ import annotations

import json
import os
import tempfile
import uuid
from collections.abc import Collection, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from models.schemas import LAKE_TABLES, Table
from warehouse.storage import Location, is_url

PART_FILE = "part.parquet"
COMMIT_MARKER = "_COMMITTED"
LAYOUT = "hive-1"
"""The file layout: partition keys in the paths only (``PARTITION_COLUMNS``)."""
LAYOUT_MARKER = "_LAYOUT"
"""``<lake>/_LAYOUT``: the layout every file of the lake is in once ``upgrade_layout`` ran."""

LakeDir = Path | str | Location
"""A lake: a local directory, or an object-store ``Location`` (or URL)."""

PARTITION_COLUMNS = ("source", "year", "month")
"""Columns the partition paths hold (``source=``, ``year=``, ``month=``) and the files leave
out. In the lake, ``year``/``month`` read from the paths are the partition's month (the month
a record was fetched for); an alert's publication ``year``/``month`` come from ``published``."""
DUCKDB_HIVE = "hive_partitioning = true, hive_types_autocast = false, union_by_name = true"
"""``read_parquet`` options that read a lake table as the hive dataset it is (the keys as
text: ``source`` is a name; readers derive an alert's year and month from ``published``)."""


def object_store(lake_dir: LakeDir) -> Location | None:
    """The object-store location of a lake, or None for a local directory."""
    if isinstance(lake_dir, Location):
        return None if lake_dir.is_local else lake_dir
    return Location(str(lake_dir)) if is_url(lake_dir) else None


def local_dir(lake_dir: LakeDir) -> Path:
    return Path(lake_dir.url if isinstance(lake_dir, Location) else lake_dir)


def _partition_parts(table: Table, source: str, month: str) -> list[str]:
    year, mm = month.split("-")
    return [table.name, f"source={source}", f"year={year}", f"month={mm}"]


def partition_dir(lake_dir: Path, table: Table, source: str, month: str) -> Path:
    """Directory of one partition of a local lake; ``month`` is "YYYY-MM"."""
    return Path(local_dir(lake_dir), *_partition_parts(table, source, month))


def partition_path(lake_dir: Path, table: Table, source: str, month: str) -> Path:
    return partition_dir(lake_dir, table, source, month) / PART_FILE


def table_glob(lake_dir: Path, table: Table) -> str:
    """Glob over every partition file of a local table (for DuckDB ``read_parquet``)."""
    return str(local_dir(lake_dir) / table.name / "*" / "*" / "*" / PART_FILE)


def write_partition(
    lake_dir: LakeDir,
    table: Table,
    source: str,
    month: str,
    batches: Iterable[pa.RecordBatch],
    metadata: dict[str, str] | None = None,
) -> tuple[Path | str, int]:
    """Stream record batches into a partition file atomically; returns (path, rows).

    The file is written under a temporary name and renamed into place, so readers
    see either the previous complete partition or the new one, never a torn file.
    """
    store = object_store(lake_dir)
    if store is not None:
        return _write_object(store, table, source, month, batches, metadata)
    target = partition_path(lake_dir, table, source, month)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{PART_FILE}.{os.getpid()}.tmp")
    try:
        rows = _write_parquet(tmp, table, batches, metadata)
        with open(tmp, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    return target, rows


def file_schema(table: Table) -> pa.Schema:
    """The columns a partition file holds: the table's, less the partition keys."""
    return pa.schema([f for f in table.schema if f.name not in PARTITION_COLUMNS])


def _write_parquet(path: Path, table: Table, batches: Iterable[pa.RecordBatch],
                   metadata: dict[str, str] | None) -> int:
    schema = file_schema(table).with_metadata(
        {k.encode(): v.encode() for k, v in (metadata or {}).items()}
    )
    rows = 0
    with pq.ParquetWriter(path, schema, compression="zstd") as writer:
        for batch in batches:
            if batch.num_rows:
                if batch.schema != table.schema:
                    batch = batch.cast(table.schema)
                writer.write_batch(batch.select(schema.names))
                rows += batch.num_rows
    return rows


def full_batch(batch: pa.RecordBatch, table: Table, source: str) -> pa.RecordBatch:
    """A partition file's batch in the table's full schema: ``source`` from the partition,
    ``year``/``month`` from ``published``; a column an older file lacks is null. Files of the
    earlier layout (every column inside) pass as they are."""
    if batch.schema.names == table.schema.names:
        return batch
    present, rows = set(batch.schema.names), batch.num_rows
    columns = []
    for field in table.schema:
        if field.name in present:
            columns.append(batch.column(field.name))
        elif field.name == "source":
            columns.append(pa.array([source] * rows, field.type))
        elif field.name in ("year", "month") and "published" in present:
            part = pc.year if field.name == "year" else pc.month
            columns.append(part(batch.column("published")).cast(field.type))
        else:
            columns.append(pa.nulls(rows, field.type))
    return pa.RecordBatch.from_arrays(columns, schema=table.schema)


def _write_object(store: Location, table: Table, source: str, month: str,
                  batches: Iterable[pa.RecordBatch], metadata: dict[str, str] | None
                  ) -> tuple[str, int]:
    """Object-store write-then-commit: the Parquet file is built on local disk, uploaded
    under a new name, then the marker is replaced in one PUT. A crash or an error before
    the marker leaves the previous partition as readers see it; the leftover file is
    removed by the next write. The file the previous marker named is kept one generation
    (a reader that just read the old marker can still open it)."""
    parts = _partition_parts(table, source, month)
    previous = _marker(store, parts)
    name = f"part-{uuid.uuid4().hex}.parquet"
    handle, tmp = tempfile.mkstemp(suffix=".parquet", prefix=".lake-")
    os.close(handle)
    try:
        rows = _write_parquet(Path(tmp), table, batches, metadata)
        store.upload(Path(tmp), *parts, name)
    finally:
        os.unlink(tmp)
    marker = {"file": name, "rows": rows, "metadata": metadata or {}}
    store.write_bytes(json.dumps(marker, sort_keys=True).encode(), *parts, COMMIT_MARKER)
    keep = {name, COMMIT_MARKER, (previous or {}).get("file")}
    for stale in store.files(*parts):
        if stale.rsplit("/", 1)[-1] not in keep:
            store.delete(stale)
    return store.path(*parts, name), rows


def _marker(store: Location, parts: list[str]) -> dict | None:
    raw = store.read_bytes(*parts, COMMIT_MARKER)
    return json.loads(raw) if raw is not None else None


def has_partition(lake_dir: LakeDir, table: Table, source: str, month: str) -> bool:
    """Whether a write of the partition ever completed (an empty month still has one)."""
    store = object_store(lake_dir)
    if store is None:
        return partition_path(lake_dir, table, source, month).exists()
    return store.exists(*_partition_parts(table, source, month), COMMIT_MARKER)


def read_metadata(lake_dir: LakeDir, table: Table, source: str, month: str
                  ) -> dict[str, str] | None:
    """The key-value metadata of a partition file, or None if the partition doesn't exist."""
    store = object_store(lake_dir)
    if store is not None:
        marker = _marker(store, _partition_parts(table, source, month))
        return None if marker is None else marker["metadata"]
    path = partition_path(lake_dir, table, source, month)
    if not path.exists():
        return None
    raw = pq.read_schema(path).metadata or {}
    return {k.decode(): v.decode() for k, v in raw.items() if not k.startswith(b"ARROW")}


def _parquet_file(lake_dir: LakeDir, table: Table, source: str, month: str
                  ) -> pq.ParquetFile | None:
    """The partition's committed Parquet file, opened (None if absent)."""
    store = object_store(lake_dir)
    if store is None:
        path = partition_path(lake_dir, table, source, month)
        return pq.ParquetFile(path) if path.exists() else None
    parts = _partition_parts(table, source, month)
    marker = _marker(store, parts)
    if marker is None:
        return None
    return pq.ParquetFile(store.fs.open_input_file(store.path(*parts, marker["file"])))


def iter_batches(
    lake_dir: LakeDir, table: Table, source: str, month: str, batch_size: int = 1024
) -> Iterator[pa.RecordBatch]:
    """Stream a partition's rows in batches (nothing if the partition doesn't exist)."""
    parquet = _parquet_file(lake_dir, table, source, month)
    if parquet is not None:
        for batch in parquet.iter_batches(batch_size=batch_size):
            yield full_batch(batch, table, source)


def read_column(lake_dir: LakeDir, table: Table, source: str, month: str, column: str
                ) -> list | None:
    """One column of a partition as a list (None if the partition doesn't exist)."""
    parquet = _parquet_file(lake_dir, table, source, month)
    if parquet is None:
        return None
    if column in parquet.schema_arrow.names:
        return parquet.read(columns=[column]).column(0).to_pylist()
    return [value for batch in iter_batches(lake_dir, table, source, month)
            for value in batch.column(column).to_pylist()]


def count_rows(lake_dir: LakeDir, table: Table, source: str, month: str) -> int:
    """Row count of a partition from its footer (or commit marker; 0 if absent)."""
    store = object_store(lake_dir)
    if store is not None:
        marker = _marker(store, _partition_parts(table, source, month))
        return 0 if marker is None else marker["rows"]
    path = partition_path(lake_dir, table, source, month)
    return pq.ParquetFile(path).metadata.num_rows if path.exists() else 0


def months(lake_dir: LakeDir, table: Table, source: str) -> list[str]:
    """Months ("YYYY-MM") that have a partition of the table for the source."""
    store = object_store(lake_dir)
    if store is None:
        root = local_dir(lake_dir) / table.name / f"source={source}"
        return sorted(f"{p.parent.name[5:]}-{p.name[6:]}" for p in root.glob("year=*/month=*"))
    return sorted(f"{f.split('/')[2][5:]}-{f.split('/')[3][6:]}"
                  for f in store.files(table.name, f"source={source}")
                  if f.endswith("/" + COMMIT_MARKER))


def committed(store: Location, table: Table) -> dict[str, dict]:
    """Every committed partition of a table in an object store: marker path -> marker."""
    paths = [f for f in store.files(table.name) if f.endswith("/" + COMMIT_MARKER)]
    with ThreadPoolExecutor(16) as pool:
        markers = list(pool.map(lambda p: json.loads(store.read_bytes(p) or b"null"), paths))
    return {path: marker for path, marker in zip(paths, markers, strict=True) if marker}


def duckdb_source(con: duckdb.DuckDBPyConnection, lake_dir: LakeDir, table: Table,
                  skip: Collection[tuple[str, str]] = ()) -> str | list[str] | None:
    """What DuckDB's ``read_parquet`` reads for a whole table (with ``DUCKDB_HIVE``): the
    local glob (or its files, less the ``skip`` partitions: (source, month) pairs), or the
    list of committed object-store files (the store registered on ``con``); None when
    empty."""
    store = object_store(lake_dir)
    if store is None:
        files = partition_files(lake_dir, table)
        if skip:
            files = [f for f in files if _source_month(str(f)) not in skip]
            return [str(f) for f in files] or None
        return table_glob(lake_dir, table) if files else None
    store.register_duckdb(con)
    files = [store.duckdb_path(path.rsplit("/", 1)[0], marker["file"])
             for path, marker in sorted(committed(store, table).items())
             if _source_month(path) not in skip]
    return files or None


def _source_month(path: str) -> tuple[str, str]:
    """(source, "YYYY-MM") of a partition file or marker path."""
    source, year, month = (part.split("=", 1)[-1] for part in path.split("/")[-4:-1])
    return source, f"{year}-{month}"


def partition_metadata(lake_dir: LakeDir, table: Table) -> dict[tuple[str, str], dict]:
    """Every partition of a table: (source, month) -> its key-value metadata."""
    store = object_store(lake_dir)
    if store is not None:
        return {_source_month(path): marker["metadata"]
                for path, marker in committed(store, table).items()}
    return {_source_month(str(path)): _file_metadata(path)
            for path in partition_files(lake_dir, table)}


def partition_rows(lake_dir: LakeDir, table: Table) -> dict[tuple[str, str], int]:
    """Every partition of a table: (source, month) -> its row count (footers, markers)."""
    store = object_store(lake_dir)
    if store is not None:
        return {_source_month(path): marker["rows"]
                for path, marker in committed(store, table).items()}
    return {_source_month(str(path)): pq.ParquetFile(path).metadata.num_rows
            for path in partition_files(lake_dir, table)}


def _file_metadata(path: Path) -> dict[str, str]:
    """A local file's key-value metadata ({} for a file that is not Parquet: its readers
    fail on it with their own error)."""
    try:
        raw = pq.read_schema(path).metadata or {}
    except pa.ArrowInvalid:
        return {}
    return {k.decode(): v.decode() for k, v in raw.items() if not k.startswith(b"ARROW")}


def upgrade_layout(lake_dir: LakeDir) -> int:
    """Rewrite every partition file of the earlier layout (partition keys inside the files)
    in the hive layout, metadata kept; returns the files rewritten. ``LAYOUT_MARKER`` records
    a finished upgrade, so a lake is scanned once."""
    store = object_store(lake_dir)
    marker = (store.read_bytes(LAYOUT_MARKER) if store is not None
              else _read_local(local_dir(lake_dir) / LAYOUT_MARKER))
    if marker == LAYOUT.encode():
        return 0
    rewritten = 0
    for table in LAKE_TABLES:
        for source, month in sorted(partition_metadata(lake_dir, table)):
            parquet = _parquet_file(lake_dir, table, source, month)
            if parquet is None or set(parquet.schema_arrow.names).isdisjoint(PARTITION_COLUMNS):
                continue
            metadata = read_metadata(lake_dir, table, source, month)
            write_partition(lake_dir, table, source, month,
                            iter_batches(lake_dir, table, source, month, 8192), metadata)
            rewritten += 1
    if store is not None:
        store.write_bytes(LAYOUT.encode(), LAYOUT_MARKER)
    elif local_dir(lake_dir).is_dir():
        (local_dir(lake_dir) / LAYOUT_MARKER).write_text(LAYOUT)
    return rewritten


def _read_local(path: Path) -> bytes | None:
    return path.read_bytes() if path.exists() else None


def partition_files(lake_dir: Path, table: Table) -> list[Path]:
    """The local lake's partition files of a table, sorted."""
    root = local_dir(lake_dir)
    pattern = Path(table_glob(root, table)).relative_to(root)
    return sorted(root.glob(str(pattern)))


def rows_to_batch(table: Table, rows: list[dict]) -> pa.RecordBatch:
    """Build a record batch of the table's schema from row dicts."""
    return pa.RecordBatch.from_pylist(rows, schema=table.schema)
