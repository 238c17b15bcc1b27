"""Failed months of a range run become failed runs of their own partition.

Dagster cannot fail one partition of a single-run backfill (dagster#17836): when a
month of a range fails, the run succeeds and the per-month checks
(``every_month_fetched``, ``every_month_enriched``) list the failed months. The CLI
re-runs those months alone (``pipelines/backfill.py``); for runs launched from the UI
``failed_months_rerun_sensor`` does the same: on every successful run it reads the
failed months from the run's check evaluations and requests one ``ingest_job`` run
per month with the original run's config, so a month that fails again ends as a
failed run of its partition, holding the HTTP status and URL in its error.
"""

from __future__ import annotations

from dagster import (
    DagsterEventType,
    DagsterInstance,
    DagsterRun,
    DagsterRunStatus,
    DefaultSensorStatus,
    RunRequest,
    RunStatusSensorContext,
    run_status_sensor,
)

from pipelines.assets_lake import months_failed
from pipelines.backfill import RERUNS_TAG
from pipelines.jobs import ingest_job

RERUN_OF_TAG = "ifex/rerun_of"
"""On a requested run: the id of the range run whose failed month it re-runs."""
CONFIG_SECTIONS = ("resources", "loggers", "execution")
"""Parts of the original run config that apply to ``ingest_job`` (op config may not)."""


def failed_months_of_run(instance: DagsterInstance, run_id: str) -> list[str]:
    """The months a run's per-month checks reported failed."""
    records = instance.all_logs(run_id, of_type=DagsterEventType.ASSET_CHECK_EVALUATION)
    return months_failed(r.dagster_event.event_specific_data for r in records if r.dagster_event)


def rerun_requests(run: DagsterRun, months: list[str]) -> list[RunRequest]:
    """One single-partition run per failed month, with the original source config."""
    config = {k: v for k, v in (run.run_config or {}).items() if k in CONFIG_SECTIONS}
    source_tag = {k: v for k, v in run.tags.items() if k == "ifex/source"}
    return [RunRequest(run_key=f"{run.run_id}:{month}", partition_key=f"{month}-01",
                       run_config=config, tags={RERUN_OF_TAG: run.run_id, **source_tag})
            for month in months]


@run_status_sensor(
    run_status=DagsterRunStatus.SUCCESS,
    request_job=ingest_job,
    default_status=DefaultSensorStatus.RUNNING,
    minimum_interval_seconds=30,
    description="Re-runs each month that a successful range run reported failed as a run of "
    "its own partition, so the month ends failed (with its HTTP status and URL) in the UI.",
)
def failed_months_rerun_sensor(context: RunStatusSensorContext) -> list[RunRequest] | None:
    """Requests for the failed months of the run; None (move on) when there are none."""
    run = context.dagster_run
    if run.tags.get(RERUNS_TAG) == "cli":
        return None  # the CLI backfill re-runs its failed months itself
    months = failed_months_of_run(context.instance, run.run_id)
    if not months:
        return None
    context.log.info(f"run {run.run_id} reported failed months {months}: re-running each alone")
    return rerun_requests(run, months)
