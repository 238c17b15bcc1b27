"""After a ``kill -9``: the next run removes the dead process's temporary files (never a live
one's), marks its Dagster run failed, and no reader sees a month half written.

Every crash here is a real SIGKILL of a real process (a lake writer, a Dagster run).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pytest
import yaml
from dagster import DagsterInstance, DagsterRunStatus

from models.schemas import ENRICHED_ALERTS, QUARANTINE
from pipelines.backfill import (
    BackfillRequest,
    dagster_instance,
    materialize_assets,
    run_backfill,
)
from tests.lake_fixtures import LAKE_ALERTS, quarantine_row
from warehouse import lake, month_commit
from warehouse.build import build_warehouse, lake_alert_rows

REPO = Path(__file__).resolve().parents[1]

WRITER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from models.schemas import QUARANTINE
    from tests.lake_fixtures import quarantine_row
    from warehouse import lake

    def batches():
        yield lake.rows_to_batch(QUARANTINE, [quarantine_row(0)])
        print("writing", flush=True)
        time.sleep(120)

    lake.write_partition(Path(sys.argv[1]), QUARANTINE, sys.argv[2], "2023-11", batches())
""")
"""A lake writer that stops in the middle of a partition (its temporary file open)."""


def python(script: str, *args: str, env: dict | None = None) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", script, *args], cwd=REPO, text=True,
                            stdout=subprocess.PIPE, env={**os.environ, **(env or {})})


@contextmanager
def stopped_at(script: str, marker: str, *runs: tuple[str, ...], env: dict | None = None):
    """Processes that run ``script`` (one per tuple of arguments, started together) until
    each prints ``marker``; killed on exit."""
    processes = [python(script, *args, env=env) for args in runs]
    try:
        for process in processes:
            line = process.stdout.readline()
            assert marker in line, f"the process ended early: {line!r}"
        yield processes
    finally:
        for process in processes:
            process.kill()
            process.wait()


def kill9(process: subprocess.Popen) -> None:
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert process.returncode == -signal.SIGKILL


def test_the_next_run_removes_the_temporary_files_of_killed_processes_only(tmp_path):
    data = tmp_path / "data"
    lake_dir = data / "lake"
    with stopped_at(WRITER, "writing", (str(lake_dir), "killed"),
                    (str(lake_dir), "alive")) as (killed, alive):
        kill9(killed)
        dead = killed.pid
        part = lake.partition_dir(lake_dir, QUARANTINE, "killed", "2023-11")
        assert [p.name for p in part.iterdir()] == [f".part.parquet.{dead}.tmp"]
        live_tmp = lake.partition_dir(lake_dir, QUARANTINE, "alive", "2023-11") / \
            f".part.parquet.{alive.pid}.tmp"
        assert live_tmp.exists()
        leftovers = [data / "datasette" / f".alerts.db.{dead}.tmp",
                     data / "datasette" / f".duckdb-spill.{dead}" / "duckdb_temp_block-1.block",
                     data / f".warehouse.duckdb.{dead}.tmp",
                     data / f".warehouse.duckdb.{dead}.tmp.wal",
                     data / "exports" / f".2024-03-01.{dead}.tmp" / "alerts.csv"]
        for path in leftovers:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(b"left by a killed process")
        kept = [data / "datasette" / "alerts.db.notes", data / "exports" / ".2024-03-01.inputs"]
        for path in kept:
            path.write_text("not temporary")

        assert materialize_assets(BackfillRequest(data_dir=data), ["warehouse"]) == []

        assert not (part / f".part.parquet.{dead}.tmp").exists()
        for path in leftovers:
            assert not path.exists(), path
        assert not (data / "datasette" / f".duckdb-spill.{dead}").exists()
        assert not (data / "exports" / f".2024-03-01.{dead}.tmp").exists()
        assert live_tmp.exists(), "a live writer's temporary file is never removed"
        assert all(path.exists() for path in kept)


RUN = textwrap.dedent("""
    import time
    from dagster import DagsterInstance, job, op
    from pipelines.run_health import process_tags

    @op
    def enrich_forever():
        print("running", flush=True)
        time.sleep(120)

    @job
    def long_job():
        enrich_forever()

    with DagsterInstance.get() as instance:
        long_job.execute_in_process(instance=instance, tags=process_tags())
""")
"""A CLI-style run: executed in its own process, tagged with it (pipelines/runs.py)."""


def only_run(instance: DagsterInstance, pid: int):
    (run,) = [r for r in instance.get_runs() if r.tags.get("ifex/run_pid") == str(pid)]
    return run


def test_a_killed_run_is_marked_failed_by_the_next_backfill(tmp_path, monkeypatch):
    data, home = tmp_path / "data", tmp_path / "dagster"
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    request = BackfillRequest(data_dir=data)
    dagster_instance(data).dispose()  # writes the instance file
    with stopped_at(RUN, "running", (), (), env={"DAGSTER_HOME": str(home)}) as (killed, alive):
        kill9(killed)
        with DagsterInstance.get() as instance:
            assert only_run(instance, killed.pid).status == DagsterRunStatus.STARTED
            summary = run_backfill(request, [], chunk=1, publish=False)
            assert summary.ok
            dead = only_run(instance, killed.pid)
            assert dead.status == DagsterRunStatus.FAILURE
            messages = [e.message for e in instance.all_logs(dead.run_id)]
            assert any(f"pid {killed.pid}" in (m or "") for m in messages)
            assert only_run(instance, alive.pid).status == DagsterRunStatus.STARTED


def test_run_monitoring_is_on_in_every_instance_file(tmp_path, monkeypatch):
    """The daemon fails runs that never start or outlive their process's code server."""
    from dagster._core.instance.config import dagster_instance_config

    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster"))
    (tmp_path / "dagster").mkdir()
    (tmp_path / "dagster" / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    run_backfill(BackfillRequest(data_dir=tmp_path / "data"), [], chunk=1, publish=False)
    with DagsterInstance.get() as instance:  # the earlier file was upgraded
        assert instance.run_monitoring_enabled
        assert instance.run_monitoring_max_runtime_seconds == 43200
    deploy = yaml.safe_load((REPO / "deploy" / "dagster.yaml").read_text())
    assert deploy["run_monitoring"]["enabled"] is True
    assert deploy["run_monitoring"]["max_runtime_seconds"] == 43200
    dagster_instance_config(str(REPO / "deploy"))  # valid instance config


MONTH_WRITER = textwrap.dedent("""
    import os, signal, sys
    from pathlib import Path
    from models.schemas import ENRICHED_ALERTS, QUARANTINE
    from tests.lake_fixtures import LAKE_ALERTS, quarantine_row
    from warehouse import lake, month_commit

    lake_dir, crash_in = Path(sys.argv[1]), sys.argv[2]

    def batches(table, rows, crash):
        yield lake.rows_to_batch(table, rows)
        if crash:
            print("crash", flush=True)
            os.kill(os.getpid(), signal.SIGKILL)

    november = [a for a in LAKE_ALERTS if a["month"] == 11]
    edited = [{**a, "title": a["title"] + " v2"} for a in november]
    month_commit.write_month(
        lake_dir, "fixture", "2023-11",
        batches(ENRICHED_ALERTS, edited, crash_in == "alerts"),
        batches(QUARANTINE, [{**quarantine_row(1), "partition_month": "2023-11"}],
                crash_in == "quarantine"), {})
""")
"""Rewrites November and is killed while writing its alerts or its quarantine."""


def bad(month: str) -> dict:
    """A quarantined record of the month."""
    return {**quarantine_row(0), "partition_month": month, "raw_id": f"bad-{month}"}


def write_whole(lake_dir: Path, month: str) -> None:
    rows = [a for a in LAKE_ALERTS if f"{a['year']}-{a['month']:02d}" == month]
    month_commit.write_month(
        lake_dir, "fixture", month, [lake.rows_to_batch(ENRICHED_ALERTS, rows)],
        [lake.rows_to_batch(QUARANTINE, [bad(month)])], {"fingerprint": month})


def whole_month_lake(lake_dir: Path) -> None:
    """November and December, each committed whole."""
    for month in ("2023-11", "2023-12"):
        write_whole(lake_dir, month)


def warehouse_rows(lake_dir: Path, db: Path) -> dict[str, list]:
    build_warehouse(lake_dir, db, force=True)
    with duckdb.connect(str(db), read_only=True) as con:
        return {"alerts": con.execute("SELECT strftime(published, '%Y-%m'), title FROM alerts "
                                      "ORDER BY ALL").fetchall(),
                "quarantine": con.execute("SELECT partition_month, raw_id FROM quarantine "
                                          "ORDER BY ALL").fetchall()}


def crash_rewriting_november(lake_dir: Path, crash_in: str) -> None:
    process = python(MONTH_WRITER, str(lake_dir), crash_in)
    assert process.stdout.readline() == "crash\n"
    process.wait()
    assert process.returncode == -signal.SIGKILL


def test_a_crash_between_a_months_two_writes_shows_no_half_month(tmp_path):
    lake_dir, db = tmp_path / "lake", tmp_path / "w.duckdb"
    whole_month_lake(lake_dir)
    before = warehouse_rows(lake_dir, db)
    assert {m for m, _ in before["alerts"]} == {"2023-11", "2023-12"}
    assert month_commit.torn_months(lake_dir) == set()

    crash_rewriting_november(lake_dir, "quarantine")  # new alerts in place, old quarantine
    assert month_commit.torn_months(lake_dir) == {("fixture", "2023-11")}
    assert not month_commit.is_whole(lake_dir, "fixture", "2023-11")  # enrichment redoes it
    after = warehouse_rows(lake_dir, db)
    assert after["alerts"] == [r for r in before["alerts"] if r[0] == "2023-12"]
    assert after["quarantine"] == [r for r in before["quarantine"] if r[0] == "2023-12"]
    december = len([a for a in LAKE_ALERTS if a["month"] == 12])
    assert lake_alert_rows(lake_dir) == december  # the identity check reads the same months

    write_whole(lake_dir, "2023-11")  # the rerun commits November whole again
    assert month_commit.torn_months(lake_dir) == set()
    assert warehouse_rows(lake_dir, db) == before


def test_a_crash_before_a_months_first_file_is_in_place_keeps_the_previous_month(tmp_path):
    lake_dir, db = tmp_path / "lake", tmp_path / "w.duckdb"
    whole_month_lake(lake_dir)
    before = warehouse_rows(lake_dir, db)
    crash_rewriting_november(lake_dir, "alerts")  # killed while the alerts were written
    assert month_commit.torn_months(lake_dir) == set()
    assert warehouse_rows(lake_dir, db) == before


@pytest.mark.parametrize("table", [ENRICHED_ALERTS, QUARANTINE])
def test_a_new_month_with_one_of_its_files_is_not_read(tmp_path, table):
    lake_dir, db = tmp_path / "lake", tmp_path / "w.duckdb"
    whole_month_lake(lake_dir)
    rows = ([a for a in LAKE_ALERTS if a["month"] == 1] if table is ENRICHED_ALERTS
            else [bad("2024-01")])
    lake.write_partition(lake_dir, table, "fixture", "2024-01",
                         [lake.rows_to_batch(table, rows)], {month_commit.COMMIT_KEY: "c1"})
    assert month_commit.torn_months(lake_dir) == {("fixture", "2024-01")}
    rows_by_table = warehouse_rows(lake_dir, db)
    assert "2024-01" not in {m for m, _ in rows_by_table["alerts"]}
    assert "2024-01" not in {m for m, _ in rows_by_table["quarantine"]}


@pytest.mark.deploy
def test_a_torn_month_in_a_bucket_is_not_read(tmp_path):
    """The same in an object store (moto's server): the commit ids are in the markers."""
    from tests.s3_server import BUCKET, environment, s3_server
    from warehouse.storage import Location

    with s3_server() as env, environment(env):
        store = Location(f"s3://{BUCKET}/lake")
        for month in ("2023-11", "2023-12"):
            write_whole(store, month)
        december = [r for r in warehouse_rows(store, tmp_path / "w.duckdb")["alerts"]
                    if r[0] == "2023-12"]
        november = [a for a in LAKE_ALERTS if a["month"] == 11]
        lake.write_partition(store, ENRICHED_ALERTS, "fixture", "2023-11",  # then a crash
                             [lake.rows_to_batch(ENRICHED_ALERTS, november)],
                             {month_commit.COMMIT_KEY: "interrupted"})
        assert month_commit.torn_months(store) == {("fixture", "2023-11")}
        assert warehouse_rows(store, tmp_path / "w.duckdb")["alerts"] == december
        assert lake_alert_rows(store) == len(december)
