"""`make bench`: the full sample backfill per stage (wall s, alerts/s, peak RSS), extraction
speed, and Datasette latency at scale."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

STAGES = ("raw_alerts", "enriched_alerts", "warehouse", "parquet_export", "datasette_db")


def timed_stage(stage: str, data_dir: Path, first: str, last: str, scale: float) -> dict:
    """Run one stage in a child process; wall time and the child's peak RSS."""
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "bench.stage", stage, str(data_dir), first,
                                last, f"scale={scale}"])
    _, status, usage = os.wait4(process.pid, 0)
    if status != 0:
        raise SystemExit(f"stage {stage} failed with status {status}")
    return {"stage": stage, "seconds": round(time.perf_counter() - started, 1),
            "peak_rss_mib": round(usage.ru_maxrss / 1024)}


def count_alerts(data_dir: Path) -> int:
    import duckdb

    with duckdb.connect(str(data_dir / "warehouse.duckdb"), read_only=True) as con:
        return con.execute("SELECT count(*) FROM alerts").fetchone()[0]


def backfill_figures(data_dir: Path, first: str, last: str, scale: float) -> list[dict]:
    rows = [timed_stage(stage, data_dir, first, last, scale) for stage in STAGES]
    alerts = count_alerts(data_dir)
    for row in rows:
        row["alerts_per_s"] = round(alerts / row["seconds"]) if row["seconds"] else None
    return rows


def extraction_figures(data_dir: Path) -> dict:
    """Extractor vs blank tokenizer words/s on the sample's alert texts."""
    import duckdb

    from nlp.benchmark import measure_speed

    with duckdb.connect(str(data_dir / "warehouse.duckdb"), read_only=True) as con:
        texts = [row[0] for row in con.execute(
            "SELECT title || '\n\n' || text FROM alerts ORDER BY alert_id LIMIT 4000").fetchall()]
    return measure_speed(texts)


def linking_figures(data_dir: Path) -> dict:
    """Pairwise precision/recall of case linking against the sample's true incidents."""
    import duckdb

    from warehouse.cases import evaluate_linking

    with duckdb.connect(str(data_dir / "warehouse.duckdb"), read_only=True) as con:
        return {k: round(v, 3) for k, v in evaluate_linking(con).items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--from", dest="first", default="1995-01")
    parser.add_argument("--to", dest="last", default=datetime.now(UTC).strftime("%Y-%m"))
    parser.add_argument("--datasette-scale", type=int, default=15)
    parser.add_argument("--skip-datasette", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ifex-bench-") as tmp:
        data_dir = Path(tmp)
        os.environ["DAGSTER_HOME"] = str(data_dir / "dagster")
        stages = backfill_figures(data_dir, args.first, args.last, args.scale)
        report = {"backfill": stages, "alerts": count_alerts(data_dir),
                  "extraction": extraction_figures(data_dir),
                  "case_linking": linking_figures(data_dir)}
        if not args.skip_datasette:
            from bench.bench_datasette import run as datasette_latency

            report["datasette"] = datasette_latency(data_dir, scale=args.datasette_scale)
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
