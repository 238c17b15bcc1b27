"""Materialize one pipeline stage over a month range in this process (run by the bench).

    python -m bench.stage <asset> <data dir> <first month> <last month> [KEY=VALUE ...]

With ``IFEX_BENCH_PHASES=<file>`` set, the warehouse stage also records its case-linking
phase (wall seconds, peak RSS) in that JSON file.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

from pipelines.backfill import BackfillRequest, materialize_assets

PARTITIONED = {"raw_alerts", "enriched_alerts"}
PHASES_ENV = "IFEX_BENCH_PHASES"


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


def peak_rss_mib() -> int:
    """This process's peak resident set since start or the last ``reset_peak_rss``."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) // 1024
    return 0


def reset_peak_rss() -> None:
    """Start measuring the peak RSS afresh (Linux: ``/proc/self/clear_refs``, value 5)."""
    Path("/proc/self/clear_refs").write_text("5")


def measure_cases(report: Path) -> None:
    """Record the case-linking phase of the warehouse build in ``report``: its wall time,
    its own peak RSS and the build's peak before it (the real ``build_cases`` runs; only
    the peak counter is reset around it, so the caller combines both peaks)."""
    from warehouse import cases

    build_cases = cases.build_cases

    def measured(*args, **kwargs):
        before = peak_rss_mib()
        reset_peak_rss()
        started = time.perf_counter()
        result = build_cases(*args, **kwargs)
        report.write_text(json.dumps({"seconds": round(time.perf_counter() - started, 1),
                                      "peak_rss_mib": peak_rss_mib(),
                                      "peak_before_mib": before}))
        return result

    cases.build_cases = measured


if __name__ == "__main__":
    stage_name, directory, first_month, last_month, *pairs = sys.argv[1:]
    if stage_name == "warehouse" and os.environ.get(PHASES_ENV):
        measure_cases(Path(os.environ[PHASES_ENV]))
    run_stage(stage_name, Path(directory), first_month, last_month,
              dict(pair.split("=", 1) for pair in pairs))
