"""Unpartitioned assets: the DuckDB warehouse, the Parquet release and the Datasette DB.

One asset writes DuckDB (partition runs only write Parquet), so there is never a
concurrent writer on the warehouse file.
"""


from datetime import UTC, datetime
from pathlib import Path

from dagster import AssetExecutionContext, Config, MaterializeResult, asset

from nlp.gazetteer import is_city_name
from pipelines.assets_lake import OWNERS, enriched_alerts
from pipelines.automation import PUBLISH_CONDITION
from pipelines.resources import LakeResource
from warehouse.build import build_warehouse
from warehouse.export import export_release
from warehouse.publish import publish_sqlite
from warehouse.release_upload import publish_release

WAREHOUSE_POOL = "warehouse"


class RebuildConfig(Config):
    """Run config of the publish assets."""

    force: bool = False
    """Rebuild even when the inputs and code are those of the last build (its stamp)."""


def publish_asset(upstream, group: str, kinds: set[str], description: str):
    """An unpartitioned asset that follows an upstream update by itself (or via publish_job),
    but never past a failed blocking check (an unreconciled month) upstream. All three are in
    the pool ``warehouse``: on a deployed instance (deploy/dagster.yaml) one run at a time
    materializes them, however it was launched."""
    return asset(deps=[upstream], group_name=group, owners=OWNERS, kinds=kinds,
                 automation_condition=PUBLISH_CONDITION, description=description,
                 pool=WAREHOUSE_POOL)


def table_counts(counts: dict[str, int], path: Path) -> dict:
    """Row count per table, as asset metadata."""
    return {f"rows_{name}": n for name, n in counts.items()} | {"path": str(path)}


@publish_asset(
    enriched_alerts, "warehouse", {"duckdb"},
    "data/warehouse.duckdb rebuilt from the Parquet lake: alerts, bridge tables, "
    "dimensions, quarantine, cases and trend tables. Built beside the old file and swapped in.",
)
def warehouse(context: AssetExecutionContext, config: RebuildConfig, lake: LakeResource
              ) -> MaterializeResult:
    counts = build_warehouse(lake.lake_dir, lake.warehouse_path, force=config.force,
                             is_city=is_city_name)
    context.log.info(f"warehouse tables: {counts}")
    return MaterializeResult(metadata=table_counts(counts, lake.warehouse_path))


@publish_asset(
    warehouse, "exports", {"parquet", "csv"},
    "A dated, citable release in data/exports/<YYYY-MM-DD>/ (hive-partitioned "
    "Parquet, one-file Parquet, CSV, schema, checksums, changes); data/exports/latest points "
    "at it. With a releases bucket (IFEX_RELEASES_URL) it is also published there, with its "
    "SHA256SUMS and a `latest` manifest object.",
)
def parquet_export(context: AssetExecutionContext, config: RebuildConfig, lake: LakeResource
                   ) -> MaterializeResult:
    release = datetime.now(UTC).date()
    path = export_release(lake.warehouse_path, lake.exports_dir, release, force=config.force)
    files = sorted(p.relative_to(path).as_posix() for p in path.rglob("*") if p.is_file())
    context.log.info(f"release {release}: {len(files)} files in {path}")
    metadata = {"path": str(path), "release": str(release), "files": len(files)}
    if lake.releases is not None:
        published = publish_release(path, lake.releases)
        context.log.info(f"release {release} published to {published['url']}")
        metadata |= {"published_to": published["url"], "uploaded": published["uploaded"]}
    return MaterializeResult(metadata=metadata)


@publish_asset(
    warehouse, "datasette", {"sqlite", "datasette"},
    "data/datasette/alerts.db: the warehouse published to SQLite with full-text "
    "search, facet indexes and precomputed trend tables, served read-only by Datasette.",
)
def datasette_db(context: AssetExecutionContext, config: RebuildConfig, lake: LakeResource
                 ) -> MaterializeResult:
    counts = publish_sqlite(lake.warehouse_path, lake.datasette_db, force=config.force)
    context.log.info(f"published {counts} to {lake.datasette_db}")
    return MaterializeResult(metadata=table_counts(counts, lake.datasette_db))
