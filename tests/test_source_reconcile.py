"""The reconcile check (raw = alerts + quarantined per month) is blocking: a lake that
lost an enriched row fails the run loudly and nothing downstream is built in that run."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq
from dagster import AssetKey, AssetSelection, DagsterEventType, DagsterInstance, materialize

from models.schemas import ENRICHED_ALERTS
from pipelines.backfill import BackfillRequest, run_backfill
from pipelines.definitions import defs
from pipelines.ingest import batched
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
