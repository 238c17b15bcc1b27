"""Asset checks: every raw record is accounted for, and each layer agrees with the last.

``raw_records_accounted_for`` is blocking: when raw != alerts + quarantined for a month
(per source, by count and by raw id), or an input line of a ``files`` source is in no
record, its step fails (so the run fails) and assets downstream of ``enriched_alerts`` in the
same run do not execute.
"""


import sqlite3
from collections import Counter
from contextlib import closing

import duckdb
from dagster import AssetCheckResult, AssetCheckSeverity, MetadataValue, asset_check

from models.schemas import ENRICHED_ALERTS, QUARANTINE, RAW_ALERTS
from models.taxonomy import CATEGORY_CODES, VICTIM_TYPE_CODES
from pipelines.assets_lake import enriched_alerts
from pipelines.assets_publish import datasette_db, warehouse
from pipelines.resources import LakeResource, SourceResource
from warehouse import lake as lake_io
from warehouse.lake import LakeDir


def months_in_lake(lake_dir: LakeDir, source: str) -> list[str]:
    """Months that have a raw partition for the source."""
    return lake_io.months(lake_dir, RAW_ALERTS, source)


def unreconciled_months(lake_dir: LakeDir, source: str) -> dict[str, dict]:
    """Months where raw records != alerts + quarantined, by count and by raw id: each raw
    record once as an alert or in quarantine. ``unaccounted`` names raw ids without an
    outcome, ``counted_twice`` those with more than one (ten of each at most)."""
    bad = {}
    for month in months_in_lake(lake_dir, source):
        raw, alerts, quarantined = (
            Counter(lake_io.read_column(lake_dir, table, source, month, "raw_id") or [])
            for table in (RAW_ALERTS, ENRICHED_ALERTS, QUARANTINE))
        outcomes = alerts + quarantined
        if raw != outcomes:
            counts = {"raw": raw.total(), "alerts": alerts.total(),
                      "quarantined": quarantined.total()}
            bad[month] = counts | {"unaccounted": sorted(raw - outcomes)[:10],
                                   "counted_twice": sorted(outcomes - raw)[:10]}
    return bad


def unread_input_lines(source: object) -> dict[str, list[int]]:
    """Per input file of a source that reads files line by line (``files``): the lines no
    raw record covers (besides blank lines and a CSV header); {} for other sources."""
    inner = getattr(source, "inner", source)
    if not hasattr(inner, "unread_lines"):
        return {}
    unread = {path.name: inner.unread_lines(path) for path in inner.files()}
    return {name: lines[:20] for name, lines in unread.items() if lines}


@asset_check(asset=enriched_alerts, blocking=True, description="Per month: raw = alerts + "
             "quarantined, by count and by raw id; for files, every input line in a record. "
             "Blocking: a failure fails the run and stops what depends on enriched_alerts in "
             "that run.")
def raw_records_accounted_for(lake: LakeResource, source: SourceResource) -> AssetCheckResult:
    built = source.build()
    bad = unreconciled_months(lake.lake_dir, built.name)
    unread = unread_input_lines(built)
    months = len(months_in_lake(lake.lake_dir, built.name))
    return AssetCheckResult(
        passed=not bad and not unread,
        metadata={"months_checked": months, "unreconciled": MetadataValue.json(bad),
                  "unread_input_lines": MetadataValue.json(unread)},
    )


@asset_check(asset=warehouse, description="alert_id is unique and every label is a taxonomy "
             "code.")
def warehouse_alerts_are_valid(lake: LakeResource) -> AssetCheckResult:
    with duckdb.connect(str(lake.warehouse_path), read_only=True) as con:
        duplicates = con.execute(
            "SELECT count(*) - count(DISTINCT alert_id) FROM alerts").fetchone()[0]
        bad_categories = con.execute(
            "SELECT count(*) FROM alert_categories WHERE NOT list_contains(?, category)",
            [list(CATEGORY_CODES)]).fetchone()[0]
        bad_victims = con.execute(
            "SELECT count(*) FROM alert_victim_types WHERE NOT list_contains(?, victim_type)",
            [list(VICTIM_TYPE_CODES)]).fetchone()[0]
    return AssetCheckResult(
        passed=duplicates == 0 and bad_categories == 0 and bad_victims == 0,
        metadata={"duplicate_ids": duplicates, "unknown_categories": bad_categories,
                  "unknown_victim_types": bad_victims},
    )


@asset_check(asset=warehouse, description="Nothing of the lake lost: alerts + "
             "alert_duplicates = every alert row of the lake's whole months.")
def lake_alerts_accounted_for(lake: LakeResource) -> AssetCheckResult:
    from warehouse.build import lake_alert_rows
    from warehouse.dedup import lake_alerts_accounted_for as accounted

    with duckdb.connect(str(lake.warehouse_path), read_only=True) as con:
        counts = accounted(con, lake_alert_rows(lake.lake_dir))
    return AssetCheckResult(passed=counts["missing"] == 0, severity=AssetCheckSeverity.ERROR,
                            metadata=counts)


@asset_check(asset=datasette_db, description="The published SQLite has the warehouse's rows.")
def datasette_matches_warehouse(lake: LakeResource) -> AssetCheckResult:
    with duckdb.connect(str(lake.warehouse_path), read_only=True) as con:
        expected = con.execute("SELECT count(*) FROM alerts").fetchone()[0]
    uri = f"file:{lake.datasette_db}?mode=ro"
    with closing(sqlite3.connect(uri, uri=True)) as db:
        published = db.execute("SELECT count(*) FROM alerts").fetchone()[0]
    return AssetCheckResult(
        passed=expected == published,
        severity=AssetCheckSeverity.ERROR,
        metadata={"warehouse_alerts": expected, "datasette_alerts": published},
    )
