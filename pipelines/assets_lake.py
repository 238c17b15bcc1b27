"""Partitioned assets: the raw zone and the enriched alerts, one month per partition.

Both use a single-run backfill policy: a backfill over hundreds of months is one
run that loops over its window, not one process per month.
"""


from dagster import (
    AssetExecutionContext,
    BackfillPolicy,
    Failure,
    MaterializeResult,
    MetadataValue,
    asset,
)

from pipelines.ingest import MonthStats, enrich_month, fetch_raw_month
from pipelines.partitions import monthly_partitions
from pipelines.resources import ExtractorResource, LakeResource, SourceResource
from pipelines.workers import enrich_months

OWNERS = ["team:ifex-data"]


def _months(context: AssetExecutionContext) -> list[str]:
    return [key[:7] for key in context.partition_keys]


def _summary(stats: list[MonthStats], failures: dict[str, str]) -> dict:
    return {
        "months": len(stats) + len(failures),
        "months_skipped_unchanged": sum(s.skipped for s in stats),
        "raw_records": sum(s.raw for s in stats),
        "alerts": sum(s.alerts for s in stats),
        "quarantined": sum(s.quarantined for s in stats),
        "failed_months": MetadataValue.json(failures),
    }


def _fail_if_any(failures: dict[str, str], what: str) -> None:
    if failures:
        lines = "\n".join(f"{month}: {error}" for month, error in sorted(failures.items()))
        raise Failure(f"{what} failed for {len(failures)} month(s); the others were written:\n"
                      f"{lines}", metadata={"failed_months": MetadataValue.json(failures)})


@asset(
    partitions_def=monthly_partitions,
    backfill_policy=BackfillPolicy.single_run(),
    group_name="raw",
    owners=OWNERS,
    kinds={"parquet"},
    description="Every record of the month exactly as the source delivered it (bytes, fetch "
    "time, URL, content hash) in data/lake/raw_alerts/; re-materializing replaces the month.",
)
def raw_alerts(
    context: AssetExecutionContext, source: SourceResource, lake: LakeResource
) -> MaterializeResult:
    connector = source.build()
    stats, failures = [], {}
    for month in _months(context):
        try:
            stats.append(fetch_raw_month(connector, lake.lake_dir, month))
        except Exception as error:
            context.log.error(f"fetching {month} from {connector.name} failed: {error}")
            failures[month] = f"{type(error).__name__}: {error}"
    _fail_if_any(failures, f"fetching from {connector.name}")
    context.log.info(f"raw_alerts: {sum(s.raw for s in stats)} records in {len(stats)} months")
    return MaterializeResult(metadata={**_summary(stats, failures), "source": connector.name})


@asset(
    partitions_def=monthly_partitions,
    backfill_policy=BackfillPolicy.single_run(),
    deps=[raw_alerts],
    group_name="enriched",
    owners=OWNERS,
    kinds={"parquet", "spacy"},
    description="Parsed, cleaned, deduplicated alerts with language, countries, categories, "
    "victim types and evidence (data/lake/enriched_alerts/); records that cannot become alerts "
    "go to data/lake/quarantine/ with their reason.",
)
def enriched_alerts(
    context: AssetExecutionContext,
    source: SourceResource,
    lake: LakeResource,
    extractor: ExtractorResource,
) -> MaterializeResult:
    connector = source.build()
    months = _months(context)

    def run_local(month: str) -> MonthStats:
        return enrich_month(connector, extractor.load(), lake.lake_dir, month)

    stats, failures = [], {}
    for month, outcome in enrich_months(months, source.as_config(), lake.lake_dir, lake.workers,
                                        extractor.batch_size, run_local):
        if isinstance(outcome, BaseException):
            context.log.error(f"enriching {month} failed: {outcome}")
            failures[month] = f"{type(outcome).__name__}: {outcome}"
        else:
            stats.append(outcome)
    _fail_if_any(failures, "enrichment")
    context.log.info(f"enriched_alerts: {sum(s.alerts for s in stats)} alerts, "
                     f"{sum(s.quarantined for s in stats)} quarantined")
    return MaterializeResult(
        metadata={**_summary(stats, failures), "nlp_version": extractor.load().version}
    )
