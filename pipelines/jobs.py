"""Jobs: ingest months (raw → enriched) and publish (warehouse → exports → Datasette)."""

from dagster import AssetSelection, define_asset_job

WRITES_TAG = "ifex/writes"
"""Runs that write the warehouse carry ``ifex/writes=warehouse``; deploy/dagster.yaml lets
one such run be in progress at a time (tag concurrency)."""

ingest_job = define_asset_job(
    "ingest_job",
    selection=AssetSelection.groups("raw", "enriched"),
    description="Fetch and enrich a month or a range of months (one run for a range).",
)

publish_job = define_asset_job(
    "publish_job",
    selection=AssetSelection.groups("warehouse", "exports", "datasette"),
    description="Rebuild the warehouse from the lake, cut a Parquet release, publish to Datasette.",
    tags={WRITES_TAG: "warehouse"},
)

reprocess_job = define_asset_job(
    "reprocess_job",
    selection=AssetSelection.groups("enriched"),
    description="Re-enrich a month or a range from the raw zone without fetching (after an "
    "extractor upgrade): select enriched_alerts only; the publish assets follow.",
)
