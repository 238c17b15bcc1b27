"""A backfill launched as the UI launches it — through the webserver's GraphQL API — is
published to Datasette by the automation that is on by default, with no publish by hand;
afterwards the catalog shows no publish asset as stale."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

import httpx
import pytest

from tests.test_datasette_api import free_port

REPO = Path(__file__).resolve().parents[1]
DAGSTER = Path(sys.executable).with_name("dagster")
pytestmark = pytest.mark.slow

LAUNCH = """
mutation($params: LaunchBackfillParams!) {
  launchPartitionBackfill(backfillParams: $params) {
    __typename
    ... on LaunchBackfillSuccess { backfillId }
    ... on PythonError { message }
  }
}"""
ASSETS = "query { assetNodes { assetKey { path } staleStatus } }"
RUNS = """query { runsOrError { ... on Runs { results {
  runId status assetSelection { path } tags { key value } } } } }"""
PUBLISHED = ("warehouse", "parquet_export", "datasette_db")


def graphql(url: str, query: str, variables: dict | None = None) -> dict:
    response = httpx.post(f"{url}/graphql", json={"query": query, "variables": variables or {}},
                          timeout=30)
    response.raise_for_status()
    body = response.json()
    assert "errors" not in body, body
    return body["data"]


def wait_until(check, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := check():
            return value
        time.sleep(1)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


def webserver_up(url: str) -> bool:
    try:
        return httpx.get(f"{url}/server_info", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def published_alerts(sqlite_path: Path) -> int | None:
    if not sqlite_path.exists():
        return None
    with closing(sqlite3.connect(f"file:{sqlite_path}?mode=ro", uri=True)) as db:
        return db.execute("SELECT count(*) FROM alerts").fetchone()[0]


@pytest.fixture()
def dagster_dev(tmp_path):
    """``dagster dev`` (webserver + daemon) on a fresh instance and data dir, as ``make ui``."""
    home, data = tmp_path / "dagster", tmp_path / "data"
    home.mkdir()
    (home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    port = free_port()
    env = dict(os.environ, DAGSTER_HOME=str(home), IFEX_ALERTS_DATA=str(data))
    log = (tmp_path / "dagster-dev.log").open("w")
    process = subprocess.Popen(
        [str(DAGSTER), "dev", "-w", "workspace.yaml", "-h", "127.0.0.1", "-p", str(port)],
        cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until(lambda: webserver_up(url), 120, "the Dagster webserver")
        yield url, data
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        log.close()


def test_a_ui_backfill_reaches_datasette_without_a_manual_publish(dagster_dev):
    url, data = dagster_dev
    params = {
        "partitionNames": ["2011-01-01", "2011-02-01"],
        "assetSelection": [{"path": ["raw_alerts"]}, {"path": ["enriched_alerts"]}],
        "runConfigData": {"resources": {
            "source": {"config": {"kind": "sample", "options": {"scale": "0.05"}}},
            "lake": {"config": {"workers": 1}}}},
    }
    launched = graphql(url, LAUNCH, {"params": params})["launchPartitionBackfill"]
    assert launched["__typename"] == "LaunchBackfillSuccess", launched
    sqlite_path = data / "datasette" / "alerts.db"
    alerts = wait_until(lambda: published_alerts(sqlite_path), 300, "the Datasette database")
    lake = list((data / "lake" / "enriched_alerts" / "source=sample").glob("year=2011/*/*"))
    assert alerts > 0 and len(lake) == 2

    def fresh() -> dict | None:
        status = {tuple(n["assetKey"]["path"]): n["staleStatus"]
                  for n in graphql(url, ASSETS)["assetNodes"]}
        published = {key[0]: status[key] for key in status if key[0] in PUBLISHED}
        return published if set(published.values()) == {"FRESH"} else None

    assert wait_until(fresh, 60, "the publish assets to be fresh in the catalog")

    def publish_run() -> dict | None:
        runs = graphql(url, RUNS)["runsOrError"]["results"]
        published = [r for r in runs if {"datasette_db"} <= {
            a["path"][0] for a in r["assetSelection"] or []}]
        return published[0] if published and published[0]["status"] in (
            "SUCCESS", "FAILURE") else None

    run = wait_until(publish_run, 120, "the publish run to finish")
    assert run["status"] == "SUCCESS", run
    assert "ifex/published_by" not in {t["key"] for t in run["tags"]}, "launched by automation"
