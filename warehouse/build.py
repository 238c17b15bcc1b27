"""Build data/warehouse.duckdb from the Parquet lake, atomically.

The database is built under a temporary name beside the target and renamed into
place, so a crash leaves the previous warehouse readable.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import duckdb

from models import geography, taxonomy
from models.schemas import ALERT_COLUMNS, ENRICHED_ALERTS, QUARANTINE
from warehouse import lake, month_commit, stamps
from warehouse.ddl import (
    column_list,
    create_table_sql,
    duckdb_type,
    limit_memory,
    run_script,
    sql_file,
)
from warehouse.dedup import deduplicate_alerts, file_superseded_versions
from warehouse.tables import (
    AGGREGATES,
    ALERT_DUPLICATES,
    ALERTS,
    BRIDGES,
    CATEGORIES,
    COUNTRIES,
    DIMENSIONS,
    INTERNET_SHUTDOWNS,
    OPTIONAL_LAKE_COLUMNS,
    VICTIM_TYPES,
)

log = logging.getLogger(__name__)

STORED_TABLES = (ALERTS, ALERT_DUPLICATES, *BRIDGES, *DIMENSIONS,
                 *(t for t in AGGREGATES if t is not INTERNET_SHUTDOWNS), QUARANTINE)


def build_warehouse(lake_dir: lake.LakeDir, db_path: Path, force: bool = False,
                    is_city: Callable[[str], bool] | None = None) -> dict[str, int]:
    """Build the warehouse from the lake into ``db_path``; returns row counts per table.
    The lake is a local directory or an object-store location (read through
    ``warehouse.storage``); the warehouse itself is a local DuckDB file.
    ``is_city`` (a place name -> is it a city) lets case linking keep apart reports from
    different cities; the pipeline passes the NLP gazetteer's.

    When the lake files and the build code are those of the last build (its stamp,
    ``warehouse/stamps.py``), the warehouse is kept as it is unless ``force``.
    """
    db_path = Path(db_path)
    lake_dir = lake_dir if lake.object_store(lake_dir) else lake.local_dir(lake_dir)
    fingerprint = lake_fingerprint(lake_dir)
    if not force and (kept := stamps.unchanged_counts(db_path, fingerprint)) is not None:
        log.info("lake and code unchanged since the last build: kept %s", db_path)
        return kept
    db_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = db_path.with_name(f".{db_path.name}.{os.getpid()}.tmp")
    _remove_db(tmp)
    previous = db_path if db_path.exists() else None
    spill = db_path.with_name(f".duckdb-spill.{os.getpid()}")
    try:
        with duckdb.connect(str(tmp)) as con:
            limit_memory(con, spill)  # unbounded, DuckDB took 4 GB at 950k alerts
            counts = _build(con, lake_dir, previous, is_city)
            con.execute("CHECKPOINT")
        _fsync(tmp)
        stamps.clear_stamp(db_path)
        os.replace(tmp, db_path)
    finally:
        _remove_db(tmp)
        shutil.rmtree(spill, ignore_errors=True)
    stamps.write_stamp(db_path, fingerprint, counts)
    log.info("warehouse built at %s: %s", db_path, counts)
    return counts


def lake_fingerprint(lake_dir: lake.LakeDir) -> str:
    """Fingerprint of everything a build reads: lake files (alerts, quarantine) and code.
    In an object store, the commit markers stand for the files (each write names a new
    file)."""
    store = lake.object_store(lake_dir)
    if store is not None:
        markers = {path: marker for table in (ENRICHED_ALERTS, QUARANTINE)
                   for path, marker in lake.committed(store, table).items()}
        digest = hashlib.sha256(json.dumps(markers, sort_keys=True).encode()).hexdigest()
        return f"{stamps.code_fingerprint()} lake {digest}"
    files = [path for table in (ENRICHED_ALERTS, QUARANTINE)
             for path in lake.partition_files(lake_dir, table)]
    # Which months are whole is in the files' metadata: covered by their contents.
    return f"{stamps.code_fingerprint()} lake {stamps.files_digest(files, lake_dir)}"


def lake_alert_rows(lake_dir: lake.LakeDir) -> int:
    """Alert rows of the lake the warehouse reads: every whole month's (footer counts)."""
    torn = month_commit.torn_months(lake_dir)
    return sum(rows for key, rows in lake.partition_rows(lake_dir, ENRICHED_ALERTS).items()
               if key not in torn)


def _build(con: duckdb.DuckDBPyConnection, lake_dir: lake.LakeDir, previous: Path | None,
           is_city: Callable[[str], bool] | None = None) -> dict[str, int]:
    for table in STORED_TABLES:
        con.execute(create_table_sql(table))
    _load_dimensions(con)
    torn = month_commit.torn_months(lake_dir)
    if torn:
        log.warning("left out %d half-written month(s) until they are enriched again: %s",
                    len(torn), ", ".join(f"{s} {m}" for s, m in sorted(torn)))
    if (alerts := lake.duckdb_source(con, lake_dir, ENRICHED_ALERTS, torn)) is not None:
        _load_alerts(con, alerts)
    if (quarantine := lake.duckdb_source(con, lake_dir, QUARANTINE, torn)) is not None:
        _load_quarantine(con, quarantine)
    for name in ("load_bridges", "load_monthly_counts", "load_yearly_counts",
                 "create_internet_shutdowns"):
        run_script(con, sql_file(name))
    _build_cases(con, previous, is_city)
    return table_counts(con)


def _load_alerts(con: duckdb.DuckDBPyConnection, glob: str | list[str]) -> None:
    """Stage the newest version of each alert, remove cross-source duplicates, file the
    earlier versions of ids as duplicates too, insert."""
    script = sql_file("stage_alerts").format(columns=lake_select_list(con, glob),
                                             read_options=lake.DUCKDB_HIVE)
    run_script(con, script, {"glob": glob})
    duplicates = deduplicate_alerts(con)
    log.info("%d alerts delivered by several sources kept once", duplicates)
    superseded = file_superseded_versions(con)
    log.info("%d earlier versions of alert ids (another month's partition) filed as "
             "duplicates", superseded)
    run_script(con, sql_file("load_alerts"))


def lake_select_list(con: duckdb.DuckDBPyConnection, glob: str | list[str]) -> str:
    """The alert columns to read from the lake; optional columns older files lack (or hold
    as null) get their default, so a lake written before a column existed still loads.
    ``source`` comes from the partition paths, the publication ``year`` and ``month`` from
    ``published`` (the paths' year and month are the partition's)."""
    present = {d[0] for d in con.execute(
        f"SELECT * FROM read_parquet($glob, {lake.DUCKDB_HIVE}) LIMIT 0",
        {"glob": glob}).description}
    parts = []
    for column in ALERT_COLUMNS:
        name, default = f'"{column.name}"', OPTIONAL_LAKE_COLUMNS.get(column.name)
        if column.name in ("year", "month"):
            parts.append(f"{column.name}(published)::{duckdb_type(column.type)} AS {name}")
        elif default is None:
            parts.append(name)
        else:
            value = f"coalesce({name}, {default})" if column.name in present else default
            parts.append(f"{value} AS {name}")
    return ", ".join(parts)


def _load_dimensions(con: duckdb.DuckDBPyConnection) -> None:
    con.executemany(f"INSERT INTO {COUNTRIES.name} VALUES (?, ?, ?)",
                    [(c.code, c.name, c.region) for c in geography.countries().values()])
    for table, labels in ((CATEGORIES, taxonomy.CATEGORIES),
                          (VICTIM_TYPES, taxonomy.VICTIM_TYPES)):
        con.executemany(f"INSERT INTO {table.name} VALUES (?, ?, ?)",
                        [(x.code, x.label, x.description) for x in labels])


def _load_quarantine(con: duckdb.DuckDBPyConnection, glob: str | list[str]) -> None:
    con.execute(
        f"INSERT INTO {QUARANTINE.name} SELECT {column_list(QUARANTINE)} "
        f"FROM read_parquet($glob, {lake.DUCKDB_HIVE}) "
        "ORDER BY partition_month, source, raw_id",
        {"glob": glob},
    )


def _build_cases(con: duckdb.DuckDBPyConnection, previous: Path | None,
                 is_city: Callable[[str], bool] | None) -> None:
    """Link alerts into cases with warehouse.cases, when that module is present."""
    try:
        from warehouse import cases
    except ImportError:
        log.info("warehouse.cases not available: no case tables")
        return
    build_cases = getattr(cases, "build_cases", None)
    if build_cases is not None:
        build_cases(con, previous, **({"is_city": is_city} if is_city else {}))
        con.execute("UPDATE alerts SET case_id = c.case_id FROM case_alerts AS c "
                    "WHERE alerts.alert_id = c.alert_id")


def table_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Row counts of every table and view in the main schema, by name."""
    names = con.execute(
        "SELECT table_name FROM information_schema.tables "
        "WHERE table_schema = 'main' AND table_catalog = current_database() "
        "ORDER BY table_name"
    ).fetchall()
    return {name: con.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]
            for (name,) in names}


def _fsync(path: Path) -> None:
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())


def _remove_db(path: Path) -> None:
    path.unlink(missing_ok=True)
    path.with_name(path.name + ".wal").unlink(missing_ok=True)
