"""Dagster sensors and schedules that keep real sources up to date.

* ``file_drop_sensor`` notices new files in the files source's drop folder, once
  each (its cursor is the list of file names seen), and requests an ``ingest_job``
  run for every month those files touch.
* ``feed_daily_schedule`` (daily, 06:00 UTC) and ``wordpress_incremental_schedule``
  (hourly) fetch what changed since their stored cursor and request runs only for
  the months touched. Their cursors live in ``<data>/state/cursors.json``. The first
  WordPress tick only records the site's newest modification time: history comes
  from a backfill.

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
from pathlib import Path

from dagster import (
    DefaultScheduleStatus,
    DefaultSensorStatus,
    RunRequest,
    ScheduleEvaluationContext,
    SensorEvaluationContext,
    SensorResult,
    SkipReason,
    schedule,
    sensor,
)

from pipelines.partitions import monthly_partitions
from pipelines.resources import default_data_dir
from pipelines.sources.incremental import CursorStore, months_changed_since
from pipelines.sources.registry import build_source

INGEST_JOB = "ingest_job"


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

    def build(self):  # -> a source with fetch_month, fetch_modified_since, …
        return build_source(self.kind, self.url, self.path, self.options)

    def run_config(self) -> dict:
        config = {"kind": self.kind, "url": self.url, "path": self.path, "options": self.options}
        return {"resources": {"source": {"config": config}}}


def cursor_store() -> CursorStore:
    return CursorStore(Path(default_data_dir()) / "state" / "cursors.json")


def month_requests(settings: SourceSettings, months: list[str], tag: str) -> list[RunRequest]:
    """One ingest run per month that is a partition (others cannot be materialized)."""
    keys = set(monthly_partitions.get_partition_keys())
    return [
        RunRequest(
            run_key=f"{settings.kind}:{tag}:{month}",
            partition_key=f"{month}-01",
            run_config=settings.run_config(),
            tags={"ifex/source": settings.kind},
        )
        for month in months
        if f"{month}-01" in keys
    ]


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
        run_requests=month_requests(settings, months, tag),
        cursor=json.dumps(sorted(seen | set(new))),
    )


def changed_months_requests(settings: SourceSettings, tick: str) -> list[RunRequest] | SkipReason:
    """Fetch what changed since the stored cursor, store the new one, request its months."""
    store = cursor_store()
    months, cursor = months_changed_since(settings.build(), store.get(settings.key))
    store.set(settings.key, cursor)
    requests = month_requests(settings, months, tick)
    return requests or SkipReason(f"nothing changed in {settings.url or settings.path}")


@schedule(
    job_name=INGEST_JOB, cron_schedule="0 6 * * *", default_status=DefaultScheduleStatus.STOPPED
)
def feed_daily_schedule(context: ScheduleEvaluationContext) -> list[RunRequest] | SkipReason:
    """Daily: new or updated feed entries → ingest runs for their months."""
    settings = SourceSettings.from_env("feed")
    if settings is None:
        return not_configured("feed", "IFEX_FEED_URL or IFEX_FEED_PATH")
    return changed_months_requests(settings, context.scheduled_execution_time.isoformat())


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
    if store.get(settings.key) is None:
        newest = settings.build().latest_modified()
        store.set(settings.key, newest)
        return SkipReason(f"cursor started at {newest}; backfill older months from the UI")
    return changed_months_requests(settings, context.scheduled_execution_time.isoformat())
