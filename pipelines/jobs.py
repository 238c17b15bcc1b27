"""Jobs: ingest months (raw → enriched) and publish (warehouse → exports → Datasette)."""

from dagster import AssetSelection, define_asset_job

ingest_job = define_asset_job(
    "ingest_job",
    selection=AssetSelection.groups("raw", "enriched"),
    description="Fetch and enrich a month or a range of months (one run for a range).",
)

publish_job = define_asset_job(
    "publish_job",
    selection=AssetSelection.groups("warehouse", "exports", "datasette"),
    description="Rebuild the warehouse from the lake, cut a Parquet release, publish to Datasette.",
)

reprocess_job = define_asset_job(
    "reprocess_job",
    selection=AssetSelection.groups("enriched"),
    description="Re-enrich a month or a range from the raw zone without fetching (after an "
    "extractor upgrade): select enriched_alerts only; the publish assets follow.",
)
