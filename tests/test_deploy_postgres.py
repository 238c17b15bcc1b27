"""The production setup on 127.0.0.1: the instance (deploy/dagster.yaml) on a real
PostgreSQL, the code location as its own gRPC server, the webserver and the daemon, the
lake and the releases in an S3-compatible bucket (moto's server). A ranged backfill
launched through the webserver's GraphQL API; runs, partitions and asset checks recorded
in Postgres; one warehouse writer at a time; the same rows and release checksums as the
laptop default (local disk, SQLite instance, ``ifex-alerts backfill``)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from contextlib import closing
from pathlib import Path

import duckdb
import pytest

from models.schemas import ENRICHED_ALERTS
from tests.dagster_services import deployment
from tests.graphql_ops import launch_backfill, launch_job, partition_stats, wait_for_runs
from tests.pg_server import postgres_server
from tests.s3_server import BUCKET, environment, s3_server
from warehouse import lake
from warehouse.release_upload import read_latest
from warehouse.storage import Location

pytestmark = pytest.mark.deploy

MONTHS = ["2012-01", "2012-02", "2012-03"]
OPTIONS = {"scale": "0.3"}


LAKE_URL, RELEASES_URL = f"s3://{BUCKET}/lake", f"s3://{BUCKET}/releases"


def run_config(data_dir: str, source: bool = True) -> dict:
    lake = {"data_dir": data_dir, "workers": 1, "lake_url": LAKE_URL,
            "releases_url": RELEASES_URL}
    resources: dict = {"lake": {"config": lake}}
    if source:
        resources["source"] = {"config": {"kind": "sample", "options": OPTIONS}}
    return {"resources": resources}


def laptop_backfill(root: Path) -> subprocess.Popen:
    """``ifex-alerts backfill`` of MONTHS on the embedded default (local disk, SQLite
    instance), in the background while the deployment runs."""
    (root / "laptop_home").mkdir()
    env = {**os.environ, "DAGSTER_HOME": str(root / "laptop_home")}
    command = [str(Path(sys.executable).parent / "ifex-alerts"), "backfill", "--data-dir",
               str(root / "laptop"), "--from", MONTHS[0], "--to", MONTHS[-1],
               *(f"-o{k}={v}" for k, v in OPTIONS.items())]
    return subprocess.Popen(command, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)


@pytest.fixture(scope="module")
def deployed() -> dict:
    """Backfill MONTHS through the webserver, then publish twice; what Postgres recorded.
    The same backfill on the laptop default runs beside it, for comparison."""
    root = Path(tempfile.mkdtemp(prefix="ifex-deploy-"))
    data_dir = str(root / "data")
    seen_running: list[set[str]] = []
    laptop = laptop_backfill(root)
    try:
        with postgres_server() as url, s3_server() as s3, environment(s3), \
                deployment(root, url, s3) as dep:
            launch_backfill(dep, ["raw_alerts", "enriched_alerts"], MONTHS[0], MONTHS[-1],
                            run_config(data_dir))
            dep.start_daemon()
            wait_for_runs(dep, 1)
            publish = [launch_job(dep, "publish_job", run_config(data_dir, source=False))
                       for _ in range(2)]

            def watch(runs: list[dict]) -> None:
                seen_running.append({r["runId"] for r in runs if r["status"] == "STARTED"})

            runs = wait_for_runs(dep, 3, watch=watch)
            yield {"url": url, "runs": runs, "publish": publish, "seen_running": seen_running,
                   "data_dir": Path(data_dir), "stats": partition_stats(dep, "enriched_alerts"),
                   "recorded": recorded_in_postgres(url), "logs": dep.logs(),
                   "laptop": root / "laptop", "laptop_output": laptop.communicate(timeout=300)[0],
                   "laptop_status": laptop.returncode, "bucket": bucket_contents()}
    finally:
        laptop.kill()
        shutil.rmtree(root, ignore_errors=True)


def bucket_contents() -> dict:
    """The enriched alert ids in the bucket's lake and the published release's checksums."""
    store, releases = Location(LAKE_URL), Location(RELEASES_URL)
    ids = sorted(i for m in MONTHS for i in lake.read_column(
        store, ENRICHED_ALERTS, "sample", m, "alert_id") or [])
    latest = read_latest(releases) or {}
    return {"alert_ids": ids, "latest": latest,
            "sha256sums": releases.read_bytes(latest.get("release", "none"), "SHA256SUMS")}


def recorded_in_postgres(url: str) -> dict:
    """Runs, materialized partitions and asset check executions, read from Postgres."""
    import psycopg2

    with closing(psycopg2.connect(url)) as db, db.cursor() as cur:
        cur.execute("SELECT run_id, pipeline_name, status FROM runs")
        runs = cur.fetchall()
        cur.execute("SELECT DISTINCT asset_key, partition FROM event_logs "
                    "WHERE dagster_event_type = 'ASSET_MATERIALIZATION'")
        materialized = cur.fetchall()
        cur.execute("SELECT asset_key, check_name, execution_status FROM asset_check_executions")
        checks = cur.fetchall()
    return {"runs": runs, "materialized": materialized, "checks": checks}


def test_runs_are_recorded_in_postgres(deployed: dict) -> None:
    runs = deployed["recorded"]["runs"]
    assert len(runs) == 3, deployed["logs"]
    assert {status for _, _, status in runs} == {"SUCCESS"}, deployed["logs"]
    assert sorted(job for _, job, _ in runs) == ["__ASSET_JOB", "publish_job", "publish_job"]


def test_ranged_backfill_is_one_run_with_every_partition(deployed: dict) -> None:
    ingest = [r for r in deployed["runs"] if r["runId"] not in deployed["publish"]]
    assert len(ingest) == 1
    tags = {t["key"]: t["value"] for t in ingest[0]["tags"]}
    assert tags["dagster/asset_partition_range_start"] == "2012-01-01"
    assert tags["dagster/asset_partition_range_end"] == "2012-03-01"
    assert "dagster/backfill" in tags
    partitions = {(key, part) for key, part in deployed["recorded"]["materialized"] if part}
    for asset in ("raw_alerts", "enriched_alerts"):
        assert {p for k, p in partitions if asset in k} == {f"{m}-01" for m in MONTHS}
    assert deployed["stats"]["numMaterialized"] == len(MONTHS)
    assert deployed["stats"]["numFailed"] == 0


def test_asset_checks_are_recorded_in_postgres(deployed: dict) -> None:
    checks = {(check, status) for _, check, status in deployed["recorded"]["checks"]}
    for check in ("every_month_fetched", "every_month_enriched", "raw_records_accounted_for",
                  "warehouse_alerts_are_valid", "datasette_matches_warehouse"):
        assert (check, "SUCCEEDED") in checks, checks


def test_one_run_writes_the_warehouse_at_a_time(deployed: dict) -> None:
    publish = set(deployed["publish"])
    assert all(len(running & publish) <= 1 for running in deployed["seen_running"])
    first, second = sorted((r for r in deployed["runs"] if r["runId"] in publish),
                           key=lambda r: r["startTime"])
    assert second["startTime"] >= first["endTime"]
    assert {"key": "ifex/writes", "value": "warehouse"} in first["tags"]


def test_same_rows_and_release_as_the_laptop_default(deployed: dict) -> None:
    assert deployed["laptop_status"] == 0, deployed["laptop_output"]
    laptop, served, bucket = deployed["laptop"], deployed["data_dir"], deployed["bucket"]
    assert not (served / "lake").exists()  # the deployment's lake is in the bucket
    checksums = (laptop / "exports" / "latest" / "SHA256SUMS").read_bytes()
    assert bucket["sha256sums"] == checksums
    assert bucket["latest"]["release"] == (laptop / "exports" / "latest").resolve().name
    laptop_ids = sorted(i for m in MONTHS for i in lake.read_column(
        laptop / "lake", ENRICHED_ALERTS, "sample", m, "alert_id"))
    assert bucket["alert_ids"] == laptop_ids and len(laptop_ids) > 50
    rows = "SELECT alert_id, primary_country, categories FROM alerts ORDER BY alert_id"
    with duckdb.connect(str(served / "warehouse.duckdb"), read_only=True) as a, \
            duckdb.connect(str(laptop / "warehouse.duckdb"), read_only=True) as b:
        assert a.execute(rows).fetchall() == b.execute(rows).fetchall()
