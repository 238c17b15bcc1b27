"""Dagster sensors and schedules that keep real sources up to date.

* ``file_drop_sensor`` notices new files in the files source's drop folder, once
  each (its cursor is the list of file names seen), and requests an ``ingest_job``
  run for every month those files touch.
* ``feed_daily_schedule`` (daily, 06:00 UTC) and ``wordpress_incremental_schedule``
  (hourly) fetch what changed since their stored cursor and request runs only for
  the months touched. A changed month stays pending in ``<data>/state/cursors.json``
  until a run of it succeeds (a failed run is requested again next tick); months
  that are not partitions are logged and skipped. The first WordPress tick only
  records the site's newest modification time: history comes from a backfill.
* ``failed_months_rerun_sensor`` (running by default) re-runs, each alone, the months
  that a successful range run reported failed, so each ends as a failed run of its
  own partition (see ``pipelines/reruns.py``).

Each is configured by environment variables, read at every evaluation:
``IFEX_FILES_PATH``, ``IFEX_FEED_URL`` or ``IFEX_FEED_PATH``, ``IFEX_WORDPRESS_URL``,
and optional ``IFEX_<KIND>_OPTIONS`` (a JSON object of source options). Unset, they
skip and say what to set. Requested runs carry the source as run config for the
``source`` resource. All three start stopped; turn them on in the UI.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from dagster import (
    DagsterInstance,
    DagsterRunStatus,
    DefaultScheduleStatus,
    DefaultSensorStatus,
    RunRequest,
    RunsFilter,
    ScheduleEvaluationContext,
    SensorEvaluationContext,
    SensorResult,
    SkipReason,
    schedule,
    sensor,
)

from pipelines.partitions import monthly_partitions
from pipelines.resources import default_data_dir
from pipelines.sources.incremental import (
    NEEDS_RUN,
    RUNNING,
    SUCCEEDED,
    CursorStore,
    IncrementalState,
    RunOutcome,
    months_changed_since,
    plan_tick,
)
from pipelines.sources.registry import build_source

INGEST_JOB = "ingest_job"
EPOCH = "1970-01-01T00:00:00"
PARTITION_TAG = "dagster/partition"
INCREMENTAL_TAG = "ifex/incremental"
"""On runs requested by a schedule: which source's pending months they are for."""
UNFINISHED = frozenset({DagsterRunStatus.NOT_STARTED, DagsterRunStatus.QUEUED,
                        DagsterRunStatus.STARTING, DagsterRunStatus.STARTED,
                        DagsterRunStatus.MANAGED, DagsterRunStatus.CANCELING})


@dataclass(frozen=True)
class SourceSettings:
    """Where one real source is, as run config for the ``source`` resource."""

    kind: str
    url: str | None = None
    path: str | None = None
    options: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_env(cls, kind: str) -> SourceSettings | None:
        prefix = f"IFEX_{kind.upper()}_"
        url, path = os.environ.get(prefix + "URL"), os.environ.get(prefix + "PATH")
        if not (url or path):
            return None
        options = json.loads(os.environ.get(prefix + "OPTIONS") or "{}")
        return cls(kind, url, path, {str(k): str(v) for k, v in options.items()})

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.url or self.path}"

    @property
    def tag(self) -> str:
        """A short stable id of the source and its location, for run tags."""
        return hashlib.sha256(self.key.encode()).hexdigest()[:16]

    def build(self):  # -> a source with fetch_month, fetch_modified_since, …
        return build_source(self.kind, self.url, self.path, self.options)

    def run_config(self) -> dict:
        config = {"kind": self.kind, "url": self.url, "path": self.path, "options": self.options}
        return {"resources": {"source": {"config": config}}}


def cursor_store() -> CursorStore:
    return CursorStore(Path(default_data_dir()) / "state" / "cursors.json")


def is_partition(month: str) -> bool:
    return monthly_partitions.has_partition_key(f"{month}-01")


def month_requests(settings: SourceSettings, months: list[str], tag: str,
                   extra_tags: dict[str, str] | None = None) -> list[RunRequest]:
    """One ingest run per month (each month must be a partition)."""
    return [
        RunRequest(
            run_key=f"{settings.kind}:{tag}:{month}",
            partition_key=f"{month}-01",
            run_config=settings.run_config(),
            tags={"ifex/source": settings.kind, **(extra_tags or {})},
        )
        for month in months
    ]


def partitions_only(context, months: list[str]) -> list[str]:
    """The months that are partitions; the others are logged as skipped."""
    outside = [month for month in months if not is_partition(month)]
    if outside:
        context.log.warning(f"skipping months outside the partitions: {', '.join(outside)}")
    return [month for month in months if month not in outside]


def not_configured(kind: str, variable: str) -> SkipReason:
    return SkipReason(f"the {kind} source is not configured: set {variable}")


@sensor(
    job_name=INGEST_JOB, minimum_interval_seconds=60, default_status=DefaultSensorStatus.STOPPED
)
def file_drop_sensor(context: SensorEvaluationContext) -> SensorResult | SkipReason:
    """New files in the drop folder → ingest runs for the months they touch."""
    settings = SourceSettings.from_env("files")
    if settings is None:
        return not_configured("files", "IFEX_FILES_PATH")
    if not Path(settings.path or "").expanduser().is_dir():
        return SkipReason(f"the drop folder {settings.path} does not exist (IFEX_FILES_PATH)")
    source = settings.build()
    seen = set(json.loads(context.cursor)) if context.cursor else set()
    new = source.list_new_files(seen)
    if not new:
        return SkipReason(f"no new files in {settings.path}")
    months = sorted(set().union(*(source.months_of_file(name) for name in new)))
    tag = hashlib.sha256("\n".join(new).encode()).hexdigest()[:12]
    context.log.info("new files %s touch months %s", new, months)
    return SensorResult(
        run_requests=month_requests(settings, partitions_only(context, months), tag),
        cursor=json.dumps(sorted(seen | set(new))),
    )


def run_outcome(instance: DagsterInstance, settings: SourceSettings) -> RunOutcome:
    """How the schedule's runs of a month created since a time went (see plan_tick)."""
    def outcome(month: str, since: datetime) -> str:
        tags = {INCREMENTAL_TAG: settings.tag, PARTITION_TAG: f"{month}-01"}
        records = instance.get_run_records(RunsFilter(job_name=INGEST_JOB, tags=tags,
                                                      created_after=since))
        statuses = {record.dagster_run.status for record in records}
        if DagsterRunStatus.SUCCESS in statuses:
            return SUCCEEDED
        return RUNNING if statuses & UNFINISHED else NEEDS_RUN
    return outcome


def changed_months_requests(context: ScheduleEvaluationContext, settings: SourceSettings
                            ) -> list[RunRequest] | SkipReason:
    """Fetch what changed since the stored cursor; request every pending month that has no
    successful or unfinished run since it changed; store the new cursor and pending months."""
    store = cursor_store()
    state = IncrementalState.load(store.get(settings.key))
    months, state.cursor = months_changed_since(settings.build(), state.cursor)
    plan = plan_tick(state, months, run_outcome(context.instance, settings), is_partition,
                     datetime.now(UTC))
    store.set(settings.key, state.dump())
    if plan.out_of_range:
        context.log.warning(f"{settings.key}: skipping changed months outside the partitions: "
                            f"{', '.join(plan.out_of_range)}")
    tick = context.scheduled_execution_time.isoformat()
    requests = month_requests(settings, plan.request, tick, {INCREMENTAL_TAG: settings.tag})
    return requests or SkipReason(f"{settings.url or settings.path}: {plan.summary()}")


@schedule(
    job_name=INGEST_JOB, cron_schedule="0 6 * * *", default_status=DefaultScheduleStatus.STOPPED
)
def feed_daily_schedule(context: ScheduleEvaluationContext) -> list[RunRequest] | SkipReason:
    """Daily: new or updated feed entries → ingest runs for their months."""
    settings = SourceSettings.from_env("feed")
    if settings is None:
        return not_configured("feed", "IFEX_FEED_URL or IFEX_FEED_PATH")
    return changed_months_requests(context, settings)


@schedule(
    job_name=INGEST_JOB, cron_schedule="0 * * * *", default_status=DefaultScheduleStatus.STOPPED
)
def wordpress_incremental_schedule(
    context: ScheduleEvaluationContext,
) -> list[RunRequest] | SkipReason:
    """Hourly: posts modified since the cursor → ingest runs for their months."""
    settings = SourceSettings.from_env("wordpress")
    if settings is None:
        return not_configured("wordpress", "IFEX_WORDPRESS_URL")
    store = cursor_store()
    state = IncrementalState.load(store.get(settings.key))
    if state.cursor is None and not state.pending:
        # A site without posts yet starts at the epoch, so its first post is not skipped.
        state.cursor = settings.build().latest_modified() or EPOCH
        store.set(settings.key, state.dump())
        return SkipReason(f"cursor started at {state.cursor}; backfill older months from the UI")
    return changed_months_requests(context, settings)
