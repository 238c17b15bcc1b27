"""Partitioned assets: the raw zone and the enriched alerts, one month per partition.

Both use a single-run backfill policy: a backfill over hundreds of months is one
run that loops over its window, not one process per month.

Dagster cannot fail single partitions of such a run (dagster#17836), so a month that
fails inside a range does not fail the step: the months that worked are written and
flow downstream, and the asset's per-month check (``every_month_fetched``,
``every_month_enriched``) fails naming each failed month with its error. A run of one
partition, or one where every month failed, fails outright with the same errors; the
CLI backfill re-runs each failed month that way (see ``pipelines/backfill.py``).
"""

from collections.abc import Iterable

from dagster import (
    AssetCheckEvaluation,
    AssetCheckResult,
    AssetCheckSeverity,
    AssetCheckSpec,
    AssetExecutionContext,
    AssetObservation,
    BackfillPolicy,
    Failure,
    MaterializeResult,
    MetadataValue,
    asset,
)

from pipelines.ingest import MonthStats, enrich_month, fetch_raw_month, has_raw_month
from pipelines.partitions import monthly_partitions
from pipelines.resources import ExtractorResource, LakeResource, SourceResource
from pipelines.workers import enrich_months

OWNERS = ["team:ifex-data"]
FETCHED_CHECK = "every_month_fetched"
ENRICHED_CHECK = "every_month_enriched"
PER_MONTH_CHECKS = (FETCHED_CHECK, ENRICHED_CHECK)
"""Checks whose ``failed_months`` metadata maps each failed month to its error."""


def months_failed(evaluations: Iterable[AssetCheckEvaluation]) -> list[str]:
    """The months that failed per-month check evaluations name, in order."""
    months: set[str] = set()
    for evaluation in evaluations:
        if evaluation.check_name in PER_MONTH_CHECKS and not evaluation.passed:
            entry = evaluation.metadata.get("failed_months")
            months.update(entry.value if entry is not None else {})
    return sorted(months)


def _months(context: AssetExecutionContext) -> list[str]:
    return [key[:7] for key in context.partition_keys]


def _summary(stats: list[MonthStats], failures: dict[str, str]) -> dict:
    """The run's totals (the same on every partition a range run materializes; each
    month's own counts are its observation, ``observe_months``)."""
    return {
        "months": len(stats) + len(failures),
        "months_skipped_unchanged": sum(s.skipped for s in stats),
        "raw_records": sum(s.raw for s in stats),
        "alerts": sum(s.alerts for s in stats),
        "quarantined": sum(s.quarantined for s in stats),
        "repaired": sum(s.repaired for s in stats),
        "failed_months": MetadataValue.json(failures),
    }


def observe_months(context: AssetExecutionContext, source: str, stats: list[MonthStats],
                   failures: dict[str, str]) -> None:
    """One observation per month, on that month's partition, with that month's own counts
    and its source: Dagster gives every partition of a single-run backfill the run's
    metadata (dagster#21072), so a partition's page would show the totals of the range,
    and a month that failed under one source would not say which. (A one-month run's
    materialization already holds its own counts: only its failure is observed.)"""
    ranged = len(context.partition_keys) > 1
    for month in stats if ranged else []:
        context.log_event(AssetObservation(
            asset_key=context.asset_key, partition=f"{month.month}-01",
            description=f"{month.month} from {source}: this month's own counts",
            metadata={"month": month.month, "source": source, "raw_records": month.raw,
                      "alerts": month.alerts, "quarantined": month.quarantined,
                      "skipped_unchanged": month.skipped}))
    for month, error in failures.items():
        context.log_event(AssetObservation(
            asset_key=context.asset_key, partition=f"{month}-01",
            description=f"{month} failed under source {source}",
            metadata={"month": month, "source": source, "error": error}))


def failure_lines(failures: dict[str, str]) -> str:
    """One ``YYYY-MM: error`` line per failed month."""
    return "\n".join(f"{month}: {error}" for month, error in sorted(failures.items()))


def month_outcome(
    context: AssetExecutionContext, what: str, check: str, failures: dict[str, str]
) -> AssetCheckResult:
    """The per-month check result; raises Failure when nothing of the run was written."""
    months = _months(context)
    if failures and (len(months) == 1 or len(failures) == len(months)):
        raise Failure(f"{what} failed for {len(failures)} month(s):\n{failure_lines(failures)}",
                      metadata={"failed_months": MetadataValue.json(failures)})
    if failures:
        context.log.error(f"{what} failed for {len(failures)} of {len(months)} months; the "
                          f"others were written:\n{failure_lines(failures)}")
    return AssetCheckResult(
        check_name=check,
        passed=not failures,
        severity=AssetCheckSeverity.ERROR,
        metadata={"failed_months": MetadataValue.json(failures),
                  "months_in_run": len(months)},
    )


@asset(
    partitions_def=monthly_partitions,
    backfill_policy=BackfillPolicy.single_run(),
    group_name="raw",
    owners=OWNERS,
    kinds={"parquet"},
    check_specs=[AssetCheckSpec(FETCHED_CHECK, asset="raw_alerts", description="Every month "
                                "of the run was fetched; failed months with HTTP status and URL.")],
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
            failures[month] = f"{type(error).__name__}: {error}"
    observe_months(context, connector.name, stats, failures)
    check = month_outcome(context, f"fetching from {connector.name}", FETCHED_CHECK, failures)
    context.log.info(f"raw_alerts: {sum(s.raw for s in stats)} records in {len(stats)} months")
    return MaterializeResult(metadata={**_summary(stats, failures), "source": connector.name},
                             check_results=[check])


@asset(
    partitions_def=monthly_partitions,
    backfill_policy=BackfillPolicy.single_run(),
    deps=[raw_alerts],
    group_name="enriched",
    owners=OWNERS,
    kinds={"parquet", "spacy"},
    check_specs=[AssetCheckSpec(ENRICHED_CHECK, asset="enriched_alerts", description="Every "
                                "month of the run was enriched from a raw partition.")],
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
    # A month whose fetch never succeeded has no raw partition: skip it, keep what is there.
    failures = {m: f"no raw partition for {m} (its fetch failed or never ran)"
                for m in months if not has_raw_month(lake.lake_dir, connector.name, m)}

    def run_local(month: str) -> MonthStats:
        return enrich_month(connector, extractor.load(), lake.lake_dir, month)

    stats = []
    for month, outcome in enrich_months([m for m in months if m not in failures],
                                        source.as_config(), lake.lake_dir, lake.workers,
                                        extractor.batch_size, run_local):
        if isinstance(outcome, BaseException):
            failures[month] = f"{type(outcome).__name__}: {outcome}"
        else:
            stats.append(outcome)
    observe_months(context, connector.name, stats, failures)
    check = month_outcome(context, "enrichment", ENRICHED_CHECK, failures)
    context.log.info(f"enriched_alerts: {sum(s.alerts for s in stats)} alerts, "
                     f"{sum(s.quarantined for s in stats)} quarantined")
    return MaterializeResult(
        metadata={**_summary(stats, failures), "nlp_version": extractor.load().version},
        check_results=[check],
    )
