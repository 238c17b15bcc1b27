"""End to end through Dagster on a slice of months: every layer's row counts agree,
re-materializing is idempotent, bad records are quarantined, the dump and Datasette answer."""

from __future__ import annotations

import asyncio
import json
import sqlite3
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest

from models.records import RawRecord
from models.schemas import ENRICHED_ALERTS, QUARANTINE, RAW_ALERTS, RAW_HISTORY
from pipelines.backfill import BackfillRequest, materialize_assets, run_backfill
from pipelines.checks import unreconciled_months
from pipelines.ingest import batched
from pipelines.rows import raw_row
from warehouse import lake

MONTHS = ["2012-01", "2012-02", "2012-03", "2012-04"]
OPTIONS = {"scale": "0.3"}


def lake_total(data_dir: Path, table) -> int:
    return sum(lake.count_rows(data_dir / "lake", table, "sample", m) for m in MONTHS)


def warehouse_count(data_dir: Path, sql: str) -> int:
    with duckdb.connect(str(data_dir / "warehouse.duckdb"), read_only=True) as con:
        return con.execute(sql).fetchone()[0]


@pytest.fixture(scope="module")
def backfilled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data_dir = tmp_path_factory.mktemp("data")
    request = BackfillRequest(data_dir=data_dir, options=OPTIONS, workers=2)
    summary = run_backfill(request, MONTHS, chunk=2, publish=True)
    assert summary.ok, summary.failures
    assert len(summary.runs) == 3  # two ingest runs of two months each, one publish run
    return data_dir


def test_every_layer_has_the_same_alerts(backfilled: Path) -> None:
    raw, alerts, quarantined = (lake_total(backfilled, t)
                                for t in (RAW_ALERTS, ENRICHED_ALERTS, QUARANTINE))
    assert raw > 100
    assert raw == alerts + quarantined
    assert not unreconciled_months(backfilled / "lake", "sample")
    assert warehouse_count(backfilled, "SELECT count(*) FROM alerts") == alerts
    assert warehouse_count(backfilled, "SELECT count(DISTINCT alert_id) FROM alerts") == alerts
    assert warehouse_count(backfilled, "SELECT count(*) FROM quarantine") == quarantined
    uri = f"file:{backfilled / 'datasette' / 'alerts.db'}?mode=ro"
    with closing(sqlite3.connect(uri, uri=True)) as db:
        assert db.execute("SELECT count(*) FROM alerts").fetchone()[0] == alerts


def test_enriched_rows_carry_labels_and_evidence(backfilled: Path) -> None:
    table = ds.dataset(str(backfilled / "lake" / "enriched_alerts"), format="parquet").to_table()
    rows = table.to_pylist()
    assert {r["nlp_version"] for r in rows} and all(r["language"] for r in rows)
    labelled = [r for r in rows if r["categories"]]
    assert len(labelled) > 0.5 * len(rows)
    for row in labelled[:20]:
        spans = json.loads(row["evidence"])
        assert spans and all({"field", "label", "start", "end", "text"} <= set(s) for s in spans)


def test_parquet_dump_readable_by_duckdb_and_pyarrow(backfilled: Path) -> None:
    latest = backfilled / "exports" / "latest"
    alerts = warehouse_count(backfilled, "SELECT count(*) FROM alerts")
    hive = str(latest / "alerts" / "**" / "*.parquet")
    with duckdb.connect() as con:
        assert con.execute("SELECT count(*) FROM read_parquet(?, hive_partitioning=true)",
                           [hive]).fetchone()[0] == alerts
    assert pq.read_table(latest / "alerts.parquet").num_rows == alerts
    assert ds.dataset(str(latest / "alerts"), format="parquet",
                      partitioning="hive").count_rows() == alerts


def test_datasette_answers(backfilled: Path) -> None:
    from datasette.app import Datasette

    db = backfilled / "datasette" / "alerts.db"

    async def fetch() -> dict:
        datasette = Datasette(immutables=[str(db)])
        response = await datasette.client.get("/alerts/alerts.json?_shape=objects&_size=5")
        assert response.status_code == 200
        return response.json()

    body = asyncio.run(fetch())
    assert len(body["rows"]) == 5
    assert {"alert_id", "title", "primary_country", "categories"} <= set(body["rows"][0])


def test_rerun_is_idempotent_and_skips_unchanged_months(backfilled: Path) -> None:
    before = (lake_total(backfilled, ENRICHED_ALERTS),
              warehouse_count(backfilled, "SELECT count(*) FROM alerts"))
    mtime = lake.partition_path(backfilled / "lake", ENRICHED_ALERTS, "sample",
                                MONTHS[0]).stat().st_mtime_ns
    summary = run_backfill(BackfillRequest(data_dir=backfilled, options=OPTIONS, workers=1),
                           MONTHS, chunk=12, publish=True)
    assert summary.ok, summary.failures
    after = (lake_total(backfilled, ENRICHED_ALERTS),
             warehouse_count(backfilled, "SELECT count(*) FROM alerts"))
    assert after == before
    assert lake.partition_path(backfilled / "lake", ENRICHED_ALERTS, "sample",
                               MONTHS[0]).stat().st_mtime_ns == mtime


def test_changed_month_is_replaced_not_appended(backfilled: Path) -> None:
    month = MONTHS[1]
    summary = run_backfill(BackfillRequest(data_dir=backfilled, options={"scale": "0.1"},
                                           workers=1), [month], chunk=1, publish=True)
    assert summary.ok, summary.failures
    raw = lake.count_rows(backfilled / "lake", RAW_ALERTS, "sample", month)
    alerts = lake.count_rows(backfilled / "lake", ENRICHED_ALERTS, "sample", month)
    quarantined = lake.count_rows(backfilled / "lake", QUARANTINE, "sample", month)
    assert raw == alerts + quarantined
    # the replaced versions are kept, not lost
    assert lake.count_rows(backfilled / "lake", RAW_HISTORY, "sample", month) > 0
    part = lake.partition_path(backfilled / "lake", ENRICHED_ALERTS, "sample", month)
    in_warehouse = warehouse_count(
        backfilled, f"SELECT count(*) FROM alerts WHERE alert_id IN "
        f"(SELECT alert_id FROM read_parquet('{part}'))")
    assert in_warehouse == alerts
    duplicates = "SELECT count(*) - count(DISTINCT alert_id) FROM alerts"
    assert warehouse_count(backfilled, duplicates) == 0


def test_bad_records_are_quarantined_with_reasons(backfilled: Path) -> None:
    month = MONTHS[2]
    lake_dir = backfilled / "lake"
    existing = [r for b in lake.iter_batches(lake_dir, RAW_ALERTS, "sample", month)
                for r in b.to_pylist()]
    fetched = datetime(2012, 4, 2, tzinfo=UTC)

    def bad(source_id: str, payload: bytes) -> dict:
        return raw_row(RawRecord("sample", source_id, month, payload, "application/json",
                                 fetched))

    rows = [*existing,
            bad("bad-json", b"{not json"),
            bad("empty-body", json.dumps({"id": "x", "title": "Journalist arrested", "body": "",
                                          "published": "2012-03-04"}).encode()),
            bad("copy-of-first", existing[0]["payload"])]
    lake.write_partition(lake_dir, RAW_ALERTS, "sample", month, batched(rows, RAW_ALERTS),
                         {"fingerprint": "edited-by-test"})
    request = BackfillRequest(data_dir=backfilled, options=OPTIONS, workers=1)
    assert materialize_assets(request, ["enriched_alerts"], [month]) == []
    alerts = lake.count_rows(lake_dir, ENRICHED_ALERTS, "sample", month)
    table = pq.read_table(lake.partition_path(lake_dir, QUARANTINE, "sample", month)).to_pylist()
    assert len(rows) == alerts + len(table)
    reasons = {r["source_id"]: r["reason"] for r in table}
    assert reasons["bad-json"] in {"malformed", "undecodable"}
    assert reasons["empty-body"] == "empty_text"
    assert reasons["copy-of-first"] == "duplicate"
    assert all(r["detail"] and r["raw_id"] for r in table)


def test_unchanged_publish_is_kept_and_rebuild_forces_it(backfilled: Path) -> None:
    # a forced publish that builds the same bytes keeps that version's file (it is the same
    # version, datasette/versions/<hash>/), so its rewritten input stamp shows it ran
    outputs = [backfilled / "warehouse.duckdb", backfilled / "datasette" / "alerts.db.inputs"]
    request = BackfillRequest(data_dir=backfilled, options=OPTIONS, workers=1)
    assert run_backfill(request, [], chunk=1, publish=True).ok
    kept = [path.stat().st_mtime_ns for path in outputs]
    assert run_backfill(request, [], chunk=1, publish=True).ok
    assert [path.stat().st_mtime_ns for path in outputs] == kept
    request.rebuild = True
    assert run_backfill(request, [], chunk=1, publish=True).ok
    assert all(path.stat().st_mtime_ns > mtime for path, mtime in zip(outputs, kept, strict=True))


def cli_runs(data_dir: Path):
    from dagster import DagsterInstance
    from dagster._core.storage.dagster_run import RunsFilter

    instance = DagsterInstance.get()
    return instance, [r for r in instance.get_runs(RunsFilter(tags={"ifex/started_by": "cli"}))
                      if r.run_config["resources"]["lake"]["config"]["data_dir"]
                      == str(data_dir)]


def test_cli_runs_carry_their_origin_tags_and_each_months_own_counts(backfilled: Path) -> None:
    """The UI's timeline groups runs by code location: CLI runs have the location's origin
    and tags saying source and months; each month of a range run has an observation with
    its own counts (a range run gives every partition the same materialization metadata)."""
    from dagster import AssetKey

    instance, runs = cli_runs(backfilled)
    ingest = [r for r in runs if r.job_name == "ingest_job"]
    assert ingest and all(r.remote_job_origin.location_name == "ifex_alerts" for r in runs)
    assert {r.tags["ifex/months"] for r in ingest} >= {"2012-01..2012-02", "2012-03..2012-04"}
    assert all(r.tags["ifex/source"] == "sample" for r in runs)
    first = min(ingest, key=lambda r: instance.get_run_record_by_id(r.run_id).create_timestamp)
    key = AssetKey("enriched_alerts")
    observed = {r.asset_observation.partition: {k: v.value for k, v in
                                                 r.asset_observation.metadata.items()}
                for r in instance.fetch_observations(key, limit=1000).records
                if r.run_id == first.run_id}
    totals = [{k: v.value for k, v in r.asset_materialization.metadata.items()}
              for r in instance.fetch_materializations(key, limit=1000).records
              if r.run_id == first.run_id]
    months = first.tags["ifex/months"].split("..")
    assert sorted(observed) == [f"{m}-01" for m in months]
    run_total = totals[0]
    assert sum(o["alerts"] for o in observed.values()) == run_total["alerts"]
    assert len({o["alerts"] for o in observed.values()} | {run_total["alerts"]}) > 1
    assert all(o["source"] == "sample" and o["raw_records"] == o["alerts"] + o["quarantined"]
               for o in observed.values())


def test_enrich_only_re_enriches_from_the_raw_zone_without_fetching(backfilled: Path) -> None:
    lake_dir = backfilled / "lake"
    month = MONTHS[1]
    raw = lake.partition_path(lake_dir, RAW_ALERTS, "sample", month)
    fetched = raw.stat().st_mtime_ns
    lake.partition_path(lake_dir, ENRICHED_ALERTS, "sample", month).unlink()
    request = BackfillRequest(data_dir=backfilled, options=OPTIONS, workers=1,
                              enrich_only=True)
    summary = run_backfill(request, [month], chunk=12, publish=True)
    assert summary.ok, summary.failures
    assert raw.stat().st_mtime_ns == fetched, "nothing was fetched"
    assert lake.count_rows(lake_dir, ENRICHED_ALERTS, "sample", month) > 0
    instance, runs = cli_runs(backfilled)
    latest = max((r for r in runs if r.job_name == "reprocess_job"),
                 key=lambda r: instance.get_run_record_by_id(r.run_id).create_timestamp)
    assert latest.run_id in summary.runs
    events = [r.dagster_event for r in instance.all_logs(latest.run_id) if r.dagster_event]
    materialized = {e.asset_key.to_user_string() for e in events if e.is_step_materialization}
    assert materialized == {"enriched_alerts"}
