"""Unpartitioned assets: the DuckDB warehouse, the Parquet release and the Datasette DB.

One asset writes DuckDB (partition runs only write Parquet), so there is never a
concurrent writer on the warehouse file.
"""


from datetime import UTC, datetime

from dagster import AssetExecutionContext, AutomationCondition, MaterializeResult, asset
from warehouse.export import export_release

from pipelines.assets_lake import OWNERS, enriched_alerts
from pipelines.resources import LakeResource
from warehouse.build import build_warehouse
from warehouse.publish import publish_sqlite


@asset(
    deps=[enriched_alerts],
    group_name="warehouse",
    owners=OWNERS,
    kinds={"duckdb"},
    automation_condition=AutomationCondition.eager(),
    description="data/warehouse.duckdb rebuilt from the Parquet lake: alerts, bridge tables, "
    "dimensions, quarantine, cases and trend tables. Built beside the old file and swapped in.",
)
def warehouse(context: AssetExecutionContext, lake: LakeResource) -> MaterializeResult:
    counts = build_warehouse(lake.lake_dir, lake.warehouse_path)
    context.log.info(f"warehouse tables: {counts}")
    return MaterializeResult(metadata={f"rows_{name}": n for name, n in counts.items()}
                             | {"path": str(lake.warehouse_path)})


@asset(
    deps=[warehouse],
    group_name="exports",
    owners=OWNERS,
    kinds={"parquet", "csv"},
    automation_condition=AutomationCondition.eager(),
    description="A dated, citable release in data/exports/<YYYY-MM-DD>/ (hive-partitioned "
    "Parquet, one-file Parquet, CSV, schema, checksums, changes); data/exports/latest points "
    "at it.",
)
def parquet_export(context: AssetExecutionContext, lake: LakeResource) -> MaterializeResult:
    release = datetime.now(UTC).date()
    path = export_release(lake.warehouse_path, lake.exports_dir, release)
    files = sorted(p.relative_to(path).as_posix() for p in path.rglob("*") if p.is_file())
    context.log.info(f"release {release}: {len(files)} files in {path}")
    return MaterializeResult(metadata={"path": str(path), "release": str(release),
                                       "files": len(files)})


@asset(
    deps=[warehouse],
    group_name="datasette",
    owners=OWNERS,
    kinds={"sqlite", "datasette"},
    automation_condition=AutomationCondition.eager(),
    description="data/datasette/alerts.db: the warehouse published to SQLite with full-text "
    "search, facet indexes and precomputed trend tables, served read-only by Datasette.",
)
def datasette_db(context: AssetExecutionContext, lake: LakeResource) -> MaterializeResult:
    counts = publish_sqlite(lake.warehouse_path, lake.datasette_db)
    context.log.info(f"published {counts} to {lake.datasette_db}")
    return MaterializeResult(metadata={f"rows_{name}": n for name, n in counts.items()}
                             | {"path": str(lake.datasette_db)})
