"""The UI path of a failed month in a ranged run: ``failed_months_rerun_sensor`` asks for
exactly the failed months, alone, with the original run's config, and each then ends as a
failed run of its own partition with the HTTP status and URL (real Dagster instance)."""

from __future__ import annotations

from pathlib import Path

import pytest
from dagster import (
    AssetKey,
    DagsterEventType,
    DagsterInstance,
    build_run_status_sensor_context,
)

from pipelines.backfill import RANGE_END_TAG, RANGE_START_TAG, RERUNS_TAG, BackfillRequest
from pipelines.definitions import defs
from pipelines.partitions import monthly_partitions
from pipelines.reruns import RERUN_OF_TAG, failed_months_rerun_sensor
from tests.wp_server import WordPressServer

FAST = {"retries": "1", "backoff": "0.01", "min_interval": "0", "timeout": "5"}
MONTHS = ["2021-03", "2021-04", "2021-05"]
RANGE = {RANGE_START_TAG: "2021-03-01", RANGE_END_TAG: "2021-05-01", "ifex/source": "wordpress"}


@pytest.fixture(scope="module")
def site():
    """A post in each of March–May 2021; every request for April answers 500."""
    with WordPressServer() as server:
        for number, month in enumerate(MONTHS, start=1):
            server.add_post(number, f"{month}-10T10:00:00", f"Alert {number}",
                            f"<p>A journalist was detained, report {number}.</p>")
        server.behaviour.fail_when = lambda query: query.get("before") == "2021-05-01T00:00:00"
        yield server


def sensor_context(instance: DagsterInstance, result, run=None):
    return build_run_status_sensor_context(
        sensor_name="failed_months_rerun_sensor", dagster_instance=instance,
        dagster_run=run or result.dagster_run, dagster_event=result.get_run_success_event())


def test_failed_months_of_a_ui_range_run_rerun_alone_and_fail(site: WordPressServer,
                                                               tmp_path: Path) -> None:
    ingest = defs.resolve_job_def("ingest_job")
    config = BackfillRequest(data_dir=tmp_path, source="wordpress", url=site.url,
                             options={**FAST, "lang": "all"}, workers=1).run_config()
    with DagsterInstance.ephemeral() as instance:
        ranged = ingest.execute_in_process(run_config=config, instance=instance, tags=RANGE,
                                           raise_on_error=False)
        assert ranged.success  # March and May went on; April is named by the checks
        [request] = failed_months_rerun_sensor(sensor_context(instance, ranged))
        assert request.partition_key == "2021-04-01"
        assert request.run_config == ranged.dagster_run.run_config == config
        assert request.tags[RERUN_OF_TAG] == ranged.run_id

        alone = ingest.execute_in_process(run_config=request.run_config, instance=instance,
                                          partition_key=request.partition_key,
                                          tags=request.tags, raise_on_error=False)
        [failure] = [e for e in alone.all_events
                     if e.event_type == DagsterEventType.STEP_FAILURE]
        status = instance.get_status_by_partition(
            AssetKey("raw_alerts"), [f"{m}-01" for m in MONTHS], monthly_partitions)
    assert not alone.success
    message = failure.step_failure_data.error.message
    assert f"2021-04: HttpFetchError: HTTP 500 for {site.url}/wp-json/wp/v2/posts?" in message
    assert "before=2021-05-01T00%3A00%3A00" in message
    assert {key[:7]: value.value for key, value in status.items()} == {
        "2021-03": "MATERIALIZED", "2021-04": "FAILED", "2021-05": "MATERIALIZED"}


def test_runs_without_failed_months_or_from_the_cli_are_left_alone(site: WordPressServer,
                                                                     tmp_path: Path) -> None:
    ingest = defs.resolve_job_def("ingest_job")
    config = BackfillRequest(data_dir=tmp_path, source="wordpress", url=site.url,
                             options=FAST, workers=1).run_config()
    with DagsterInstance.ephemeral() as instance:
        may = ingest.execute_in_process(run_config=config, instance=instance,
                                        partition_key="2021-05-01")
        assert failed_months_rerun_sensor(sensor_context(instance, may)) is None
        ranged = ingest.execute_in_process(run_config=config, instance=instance,
                                           tags={**RANGE, RERUNS_TAG: "cli"})
        assert ranged.success
        assert failed_months_rerun_sensor(sensor_context(instance, ranged)) is None
