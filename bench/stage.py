"""Materialize one pipeline stage over a month range in this process (run by the bench)."""

from __future__ import annotations

import sys
from pathlib import Path

from pipelines.backfill import BackfillRequest, materialize_assets

PARTITIONED = {"raw_alerts", "enriched_alerts"}


def run_stage(stage: str, data_dir: Path, first: str, last: str, options: dict[str, str]) -> None:
    """Materialize ``stage`` (an asset name) for months first..last (ignored if unpartitioned).
    ``workers=N`` among the options sets the lake resource's worker processes."""
    from pipelines.backfill import month_range

    workers = options.pop("workers", None)
    request = BackfillRequest(data_dir=data_dir, options=options,
                              workers=int(workers) if workers else None)
    months = month_range(first, last) if stage in PARTITIONED else None
    failures = materialize_assets(request, [stage], months)
    if failures:
        raise SystemExit(f"stage {stage} failed: {failures}")


if __name__ == "__main__":
    stage_name, directory, first_month, last_month, *pairs = sys.argv[1:]
    run_stage(stage_name, Path(directory), first_month, last_month,
              dict(pair.split("=", 1) for pair in pairs))
