"""Run the Dagster jobs in this process over a month range, in chunks of months.

Each chunk is one run tagged with a partition range (the same single-run
backfill the UI launches), so the whole archive pays a handful of run starts,
not one per month. Runs are recorded in the Dagster instance under
``<data dir>/dagster``, so the UI shows what the CLI materialized.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from dagster import DagsterInstance

from pipelines.months import month_range  # noqa: F401 (re-exported)
from pipelines.tags import MONTHS_TAG, PUBLISHED_BY_TAG, SOURCE_TAG, STARTED_BY_TAG

log = logging.getLogger(__name__)

DAGSTER_HOME_ENV = "DAGSTER_HOME"
RANGE_START_TAG = "dagster/asset_partition_range_start"
RANGE_END_TAG = "dagster/asset_partition_range_end"
QUIET_LOGGER = {"console": {"config": {"log_level": "WARNING"}}}
PUBLISH_ASSETS = ("warehouse", "parquet_export", "datasette_db")
RERUNS_TAG = "ifex/failed_months_rerun_by"
"""``cli`` on the CLI's range runs: the CLI re-runs their failed months itself, so the
``failed_months_rerun_sensor`` leaves them alone."""


@dataclass
class BackfillRequest:
    """What to backfill from, and where to write."""

    data_dir: Path
    source: str = "sample"
    url: str | None = None
    path: str | None = None
    options: dict[str, str] = field(default_factory=dict)
    workers: int | None = None
    rebuild: bool = False
    lake_url: str | None = None
    releases_url: str | None = None
    enrich_only: bool = False
    """Re-enrich from the raw zone (``reprocess_job``) instead of fetching (``ingest_job``)."""

    @property
    def job_name(self) -> str:
        return "reprocess_job" if self.enrich_only else "ingest_job"

    def tags(self, months: list[str]) -> dict[str, str]:
        """Run tags that say what a CLI run is for: source, months and how it was started."""
        tags = {SOURCE_TAG: self.source, STARTED_BY_TAG: "cli"}
        if months:
            tags[MONTHS_TAG] = months[0] if len(months) == 1 else f"{months[0]}..{months[-1]}"
        return tags

    def run_config(self) -> dict:
        source = {"kind": self.source, "url": self.url, "path": self.path,
                  "options": self.options}
        lake: dict = {"data_dir": str(self.data_dir)}
        if self.workers is not None:
            lake["workers"] = self.workers
        for key in ("lake_url", "releases_url"):
            if getattr(self, key):
                lake[key] = getattr(self, key)
        return {
            "resources": {
                "source": {"config": source},
                "lake": {"config": lake},
            },
            "loggers": QUIET_LOGGER,
        }

    def publish_run_config(self) -> dict:
        """Run config of publish_job: with ``rebuild``, its assets ignore their stamps."""
        config = {"config": {"force": self.rebuild}}
        return self.run_config() | {"ops": {name: config for name in PUBLISH_ASSETS}}


@dataclass
class BackfillSummary:
    """Outcome of a backfill: runs, failures and where the data landed."""

    data_dir: Path
    runs: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures

    def render(self) -> str:
        lines = [f"{len(self.runs)} Dagster runs; data in {self.data_dir}/ "
                 "(lake/, warehouse.duckdb, exports/latest/, datasette/alerts.db)"]
        lines += [f"[red]failed:[/red] {failure}" for failure in self.failures]
        return "\n".join(lines)


LOCAL_INSTANCE_YAML = """\
# Written by ifex-alerts for the local instance (CLI runs, `make ui`).
telemetry:
  enabled: false
# The daemon of `make ui` (dagster dev) fails runs that never start and runs past 12 hours
# (a run whose process was killed with its code server); each CLI backfill first fails the
# runs of killed CLI processes (pipelines/run_health.py).
run_monitoring:
  enabled: true
  start_timeout_seconds: 180
  cancel_timeout_seconds: 180
  max_resume_run_attempts: 0
  max_runtime_seconds: 43200
  poll_interval_seconds: 60
"""
EARLIER_INSTANCE_YAML = "telemetry:\n  enabled: false\n"
"""The instance file earlier versions wrote: replaced by LOCAL_INSTANCE_YAML."""


def dagster_instance(data_dir: Path) -> DagsterInstance:
    """The persistent instance under the data dir (unless DAGSTER_HOME says otherwise); its
    instance file is written when absent (or as an earlier version wrote it)."""
    home = Path(os.environ.setdefault(DAGSTER_HOME_ENV, str((data_dir / "dagster").resolve())))
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    if not config.exists() or config.read_text() == EARLIER_INSTANCE_YAML:
        config.write_text(LOCAL_INSTANCE_YAML)
    return DagsterInstance.get()


def prepare_instance(request: BackfillRequest) -> DagsterInstance:
    """The instance, with the runs of killed CLI processes marked failed, and the lake's
    files in the hive layout (``warehouse.lake.upgrade_layout``) before anything runs."""
    from pipelines.run_health import fail_dead_runs
    from warehouse.lake import upgrade_layout

    instance = dagster_instance(request.data_dir)
    for run_id in fail_dead_runs(instance):
        log.warning("run %s: its process is gone, marked failed", run_id)
    if (rewritten := upgrade_layout(_lake_dir(request))):
        log.warning("%d lake files rewritten in the hive layout", rewritten)
    return instance


def _lake_dir(request: BackfillRequest):
    from pipelines.resources import LakeResource

    return LakeResource(**request.run_config()["resources"]["lake"]["config"]).lake_dir


def run_backfill(
    request: BackfillRequest,
    months: list[str],
    chunk: int,
    publish: bool,
    on_step: Callable[[int], None] = lambda n: None,
) -> BackfillSummary:
    """Ingest the months chunk by chunk, then publish once.

    A month that failed inside a chunk (reported by the per-month checks) is run again
    alone, so that it ends as a failed Dagster run of its own partition with its error.
    Runs are runs of the ``ifex_alerts`` code location (``pipelines/runs.py``), tagged
    with their source and months, so the UI's timeline shows them."""
    from pipelines.runs import run_job

    instance = prepare_instance(request)
    summary = BackfillSummary(request.data_dir)
    for i in range(0, len(months), max(chunk, 1)):
        window = months[i:i + chunk]
        _ingest_window(request, instance, window, summary)
        on_step(len(window))
    if publish:
        result = run_job("publish_job", instance, request.publish_run_config(),
                         tags={**request.tags(months), PUBLISHED_BY_TAG: "cli"})
        summary.runs.append(result.run_id)
        if not result.success:
            summary.failures.append(f"publish: {_first_error(result)}")
        summary.failures += _failed_checks(result)
        on_step(1)
    return summary


def _ingest_window(request: BackfillRequest, instance: DagsterInstance,
                   window: list[str], summary: BackfillSummary) -> None:
    """One run over the window; then each month that failed inside it, alone."""
    from pipelines.assets_lake import PER_MONTH_CHECKS
    from pipelines.runs import run_job

    tags = {RANGE_START_TAG: f"{window[0]}-01", RANGE_END_TAG: f"{window[-1]}-01",
            RERUNS_TAG: "cli", PUBLISHED_BY_TAG: "cli", **request.tags(window)}
    result = run_job(request.job_name, instance, request.run_config(), tags)
    summary.runs.append(result.run_id)
    if not result.success:
        summary.failures.append(f"months {window[0]}..{window[-1]}: {_first_error(result)}")
    summary.failures += _failed_checks(result, skip=PER_MONTH_CHECKS)
    for month in failed_months(result):
        rerun = run_job(request.job_name, instance, request.run_config(),
                        {PUBLISHED_BY_TAG: "cli", **request.tags([month])},
                        partition_key=f"{month}-01")
        summary.runs.append(rerun.run_id)
        if not rerun.success:
            summary.failures.append(f"month {month}: {_first_error(rerun)}")


def _first_error(result) -> str:
    """The first step failure: a raised Failure's description, else the error message."""
    for event in result.all_events:
        if event.is_failure and event.step_failure_data is not None:
            data = event.step_failure_data
            described = data.user_failure_data and data.user_failure_data.description
            return (described or data.error.message).strip()
    return "run failed"


def _failed_checks(result, skip: tuple[str, ...] = ()) -> list[str]:
    return [f"check {e.check_name} on {e.asset_key.to_user_string()} failed: {e.metadata}"
            for e in result.get_asset_check_evaluations()
            if not e.passed and e.check_name not in skip]


def failed_months(result) -> list[str]:
    """Months that the per-month checks of a range run report as failed."""
    from pipelines.assets_lake import months_failed

    return months_failed(result.get_asset_check_evaluations())


def materialize_assets(request: BackfillRequest, assets: list[str],
                       months: list[str] | None = None) -> list[str]:
    """Materialize only the named assets (over ``months`` if partitioned); returns failures."""
    from dagster import AssetKey, materialize

    from pipelines.definitions import defs
    from pipelines.run_health import process_tags

    tags = ({RANGE_START_TAG: f"{months[0]}-01", RANGE_END_TAG: f"{months[-1]}-01"}
            if months else {}) | process_tags()
    result = materialize(
        list(defs.assets or []),
        selection=[AssetKey(name) for name in assets],
        instance=prepare_instance(request),
        run_config=request.run_config(),
        resources=dict(defs.resources or {}),
        tags=tags,
        raise_on_error=False,
    )
    failures = [] if result.success else [_first_error(result)]
    return failures + _failed_checks(result)
