"""The reconcile check (raw = alerts + quarantined per month, by count and by raw id; for
files, per input line) is blocking: a lake that lost an enriched row fails the run loudly
and nothing downstream is built in that run."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pyarrow.parquet as pq
from dagster import AssetKey, AssetSelection, DagsterEventType, DagsterInstance, materialize

from models.schemas import ENRICHED_ALERTS, QUARANTINE, RAW_ALERTS
from pipelines.backfill import BackfillRequest, run_backfill
from pipelines.checks import unread_input_lines, unreconciled_months
from pipelines.definitions import defs
from pipelines.ingest import batched, enrich_month, fetch_raw_month
from pipelines.sources.files import FilesSource
from pipelines.sources.licensed import LicensedSource
from warehouse import lake

MONTH = "2012-01"


def drop_one_enriched_row(lake_dir: Path) -> int:
    """Delete an alert from the enriched month, keeping its fingerprint (so a rerun skips
    re-enriching it as unchanged); returns the rows left."""
    meta = lake.read_metadata(lake_dir, ENRICHED_ALERTS, "sample", MONTH)
    path = lake.partition_path(lake_dir, ENRICHED_ALERTS, "sample", MONTH)
    rows = pq.read_table(path).to_pylist()
    lake.write_partition(lake_dir, ENRICHED_ALERTS, "sample", MONTH,
                         batched(rows[1:], ENRICHED_ALERTS), meta)
    return len(rows) - 1


def test_a_lost_enriched_row_fails_the_run_and_stops_downstream(tmp_path: Path) -> None:
    request = BackfillRequest(data_dir=tmp_path, options={"scale": "0.05"}, workers=1)
    assert run_backfill(request, [MONTH], chunk=1, publish=False).ok
    alerts = drop_one_enriched_row(tmp_path / "lake")

    summary = run_backfill(request, [MONTH], chunk=1, publish=False)
    assert any("blocking asset check failed" in f and "raw_records_accounted_for" in f
               for f in summary.failures), summary.failures
    assert any(f"'{MONTH}': {{'raw': {alerts + 1}, 'alerts': {alerts}, 'quarantined': 0, "
               "'unaccounted': [" in f
               for f in summary.failures), summary.failures
    instance = DagsterInstance.get()
    assert not instance.get_run_by_id(summary.runs[-1]).is_success

    result = materialize([*defs.assets, *defs.asset_checks], instance=instance,
                         selection=AssetSelection.assets("enriched_alerts", "warehouse"),
                         run_config=request.run_config(), resources=dict(defs.resources),
                         partition_key=f"{MONTH}-01", raise_on_error=False)
    assert not result.success
    built = {e.asset_key for e in result.all_events
             if e.event_type == DagsterEventType.ASSET_MATERIALIZATION}
    assert built == {AssetKey("enriched_alerts")}  # the warehouse step never ran
    assert not (tmp_path / "warehouse.duckdb").exists()


FILES_MAPPING = {"map.title": "headline", "map.text": "body", "map.published": "date",
                 "map.id": "ref"}


def files_lake(tmp_path: Path, extractor) -> tuple[FilesSource, Path]:
    """A drop folder with a broken CSV row, fetched and enriched into a lake twice."""
    drop = tmp_path / "drop"
    drop.mkdir()
    (drop / "export.csv").write_text(
        "ref,headline,body,date\n"
        'C1,"Journalist missing,Nothing is known.,2020-05-12\n'
        "C2,Blogger fined,A blogger was fined.,2020-05-13\n"
        "C3,Paper\x07 seized,The print run was seized.,2020-05-14\n")
    os.utime(drop / "export.csv", (1_589_000_000, 1_589_000_000))  # 2020-05
    source = LicensedSource(FilesSource.from_config(None, str(drop), FILES_MAPPING), "CC0-1.0")
    for _ in range(2):  # a rerun converges on the same records and outcomes
        fetch_raw_month(source, tmp_path / "lake", "2020-05", force=True)
        stats = enrich_month(source, extractor, tmp_path / "lake", "2020-05", force=True)
        assert (stats.raw, stats.alerts, stats.quarantined, stats.repaired) == (3, 2, 1, 1)
    return source, tmp_path / "lake"


def test_files_are_accounted_for_per_line_and_per_raw_id(tmp_path: Path, extractor) -> None:
    source, lake_dir = files_lake(tmp_path, extractor)
    raw_ids = lake.read_column(lake_dir, RAW_ALERTS, "files", "2020-05", "raw_id")
    quarantine = pq.read_table(lake.partition_path(lake_dir, QUARANTINE, "files", "2020-05"))
    assert len(raw_ids) == 3 and quarantine.column("reason").to_pylist() == ["malformed"]
    assert lake.count_rows(lake_dir, ENRICHED_ALERTS, "files", "2020-05") == 2
    assert unreconciled_months(lake_dir, "files") == {}
    assert unread_input_lines(source) == {}
    meta = lake.read_metadata(lake_dir, ENRICHED_ALERTS, "files", "2020-05")
    assert list(json.loads(meta["repairs"]).values()) == [
        ["title: 1 control character removed (U+0007)"]]

    # one alert lost and one quarantine row counted twice: the counts still add up
    rows = pq.read_table(lake.partition_path(lake_dir, ENRICHED_ALERTS, "files", "2020-05"))
    lake.write_partition(lake_dir, ENRICHED_ALERTS, "files", "2020-05",
                         batched(rows.to_pylist()[1:], ENRICHED_ALERTS))
    lake.write_partition(lake_dir, QUARANTINE, "files", "2020-05",
                         batched(quarantine.to_pylist() * 2, QUARANTINE))
    [bad] = unreconciled_months(lake_dir, "files").values()
    assert (bad["raw"], bad["alerts"], bad["quarantined"]) == (3, 1, 2)
    assert bad["unaccounted"] == [rows.column("raw_id")[0].as_py()]
    assert bad["counted_twice"] == quarantine.column("raw_id").to_pylist()
