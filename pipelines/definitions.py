"""The one Definitions object: assets, checks, jobs, sensors and resources."""

from dagster import Definitions, in_process_executor

from pipelines import assets_lake, assets_publish, checks
from pipelines.automation import publish_automation_sensor
from pipelines.jobs import ingest_job, publish_job, reprocess_job
from pipelines.reruns import failed_months_rerun_sensor
from pipelines.resources import ExtractorResource, LakeResource, SourceResource
from pipelines.sensors import (
    feed_daily_schedule,
    file_drop_sensor,
    wordpress_incremental_schedule,
)

defs = Definitions(
    assets=[
        assets_lake.raw_alerts,
        assets_lake.enriched_alerts,
        assets_publish.warehouse,
        assets_publish.parquet_export,
        assets_publish.datasette_db,
    ],
    asset_checks=[
        checks.raw_records_accounted_for,
        checks.warehouse_alerts_are_valid,
        checks.lake_alerts_accounted_for,
        checks.datasette_matches_warehouse,
    ],
    jobs=[ingest_job, reprocess_job, publish_job],
    sensors=[file_drop_sensor, failed_months_rerun_sensor, publish_automation_sensor],
    schedules=[feed_daily_schedule, wordpress_incremental_schedule],
    # A run's steps follow one another (raw -> enriched, warehouse -> release); parallelism is
    # across months (worker processes, pipelines/workers.py) and across runs (one per chunk of
    # months), so steps share one process instead of importing the code once each.
    executor=in_process_executor,
    resources={
        "source": SourceResource(),
        "lake": LakeResource(),
        "extractor": ExtractorResource(),
    },
)
