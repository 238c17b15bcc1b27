"""Build data/warehouse.duckdb from the Parquet lake, atomically.

The database is built under a temporary name beside the target and renamed into
place, so a crash leaves the previous warehouse readable.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

import duckdb

from models import geography, taxonomy
from models.schemas import ENRICHED_ALERTS, QUARANTINE, Table
from warehouse import lake
from warehouse.ddl import column_list, create_table_sql, sql_file
from warehouse.tables import (
    AGGREGATES,
    ALERTS,
    BRIDGES,
    CATEGORIES,
    COUNTRIES,
    DIMENSIONS,
    INTERNET_SHUTDOWNS,
    VICTIM_TYPES,
)

log = logging.getLogger(__name__)

STORED_TABLES = (ALERTS, *BRIDGES, *DIMENSIONS,
                 *(t for t in AGGREGATES if t is not INTERNET_SHUTDOWNS), QUARANTINE)


def build_warehouse(lake_dir: Path, db_path: Path) -> dict[str, int]:
    """Build the warehouse from the lake into ``db_path``; returns row counts per table."""
    db_path = Path(db_path)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = db_path.with_name(f".{db_path.name}.{os.getpid()}.tmp")
    _remove_db(tmp)
    previous = db_path if db_path.exists() else None
    try:
        with duckdb.connect(str(tmp)) as con:
            counts = _build(con, Path(lake_dir), previous)
            con.execute("CHECKPOINT")
        _fsync(tmp)
        os.replace(tmp, db_path)
    finally:
        _remove_db(tmp)
    log.info("warehouse built at %s: %s", db_path, counts)
    return counts


def _build(con: duckdb.DuckDBPyConnection, lake_dir: Path, previous: Path | None
           ) -> dict[str, int]:
    for table in STORED_TABLES:
        con.execute(create_table_sql(table))
    _load_dimensions(con)
    if _has_files(lake_dir, ENRICHED_ALERTS):
        glob = lake.table_glob(lake_dir, ENRICHED_ALERTS)
        script = sql_file("load_alerts").format(columns=column_list(ENRICHED_ALERTS))
        run_script(con, script, {"glob": glob})
    if _has_files(lake_dir, QUARANTINE):
        _load_quarantine(con, lake_dir)
    for name in ("load_bridges", "load_monthly_counts", "load_yearly_counts",
                 "create_internet_shutdowns"):
        run_script(con, sql_file(name))
    _build_cases(con, previous)
    return table_counts(con)


def run_script(con: duckdb.DuckDBPyConnection, script: str,
               params: dict[str, object] | None = None) -> None:
    """Run a ``;``-separated SQL script; bound parameters go to statements that use them."""
    for statement in script.split(";\n"):
        body = "\n".join(line for line in statement.splitlines()
                         if not line.lstrip().startswith("--")).strip()
        if not body:
            continue
        used = {k: v for k, v in (params or {}).items() if f"${k}" in body}
        con.execute(body, used or None)


def _load_dimensions(con: duckdb.DuckDBPyConnection) -> None:
    con.executemany(f"INSERT INTO {COUNTRIES.name} VALUES (?, ?, ?)",
                    [(c.code, c.name, c.region) for c in geography.countries().values()])
    for table, labels in ((CATEGORIES, taxonomy.CATEGORIES),
                          (VICTIM_TYPES, taxonomy.VICTIM_TYPES)):
        con.executemany(f"INSERT INTO {table.name} VALUES (?, ?, ?)",
                        [(x.code, x.label, x.description) for x in labels])


def _load_quarantine(con: duckdb.DuckDBPyConnection, lake_dir: Path) -> None:
    con.execute(
        f"INSERT INTO {QUARANTINE.name} SELECT {column_list(QUARANTINE)} "
        "FROM read_parquet($glob, hive_partitioning = false, union_by_name = true) "
        "ORDER BY partition_month, source, raw_id",
        {"glob": lake.table_glob(lake_dir, QUARANTINE)},
    )


def _build_cases(con: duckdb.DuckDBPyConnection, previous: Path | None) -> None:
    """Link alerts into cases with warehouse.cases, when that module is present."""
    try:
        from warehouse import cases
    except ImportError:
        log.info("warehouse.cases not available: no case tables")
        return
    build_cases = getattr(cases, "build_cases", None)
    if build_cases is not None:
        build_cases(con, previous)


def table_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Row counts of every table and view in the main schema, by name."""
    names = con.execute(
        "SELECT table_name FROM information_schema.tables "
        "WHERE table_schema = 'main' AND table_catalog = current_database() "
        "ORDER BY table_name"
    ).fetchall()
    return {name: con.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]
            for (name,) in names}


def _has_files(lake_dir: Path, table: Table) -> bool:
    """Whether the lake holds any partition file of a table (read_parquet fails on none)."""
    pattern = Path(lake.table_glob(lake_dir, table)).relative_to(lake_dir)
    return any(lake_dir.glob(str(pattern)))


def _fsync(path: Path) -> None:
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())


def _remove_db(path: Path) -> None:
    path.unlink(missing_ok=True)
    path.with_name(path.name + ".wal").unlink(missing_ok=True)
