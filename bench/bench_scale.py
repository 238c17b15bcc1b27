"""The pipeline at scale, and how enrichment spreads.

``--pipeline`` (``make bench-scale``): the whole backfill, each stage in a child process
(sources/ingest, enrichment, warehouse build, case linking, Parquet/CSV release, SQLite
publish), with wall seconds and peak RSS per stage (``bench/pipeline_figures.py``).

    python -m bench.bench_scale --pipeline [--scale 15] [--from 1995-01] [--to <this month>]
                                [--data-dir DIR] [--reuse-lake] [--stages a,b]

Without it: enrichment as one process, worker processes inside one run, and one run per
chunk of months running side by side (what Dagster's k8s or celery deployments do across
machines, here as local processes); and the warehouse build from a local lake vs the same
lake in an S3-compatible bucket (moto's server on 127.0.0.1).

    python -m bench.bench_scale [--from 2011-01] [--to 2012-12] [--scale 1] [--chunks 2]

Prints JSON: per mode wall seconds, alerts/s, speed-up over one process, peak RSS.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from pipelines.backfill import month_range
from pipelines.months import this_month


def stage(name: str, data_dir: Path, first: str, last: str, options: dict[str, str]
          ) -> subprocess.Popen:
    """``bench.stage`` in a child process with its own Dagster home."""
    home = data_dir / f"dagster-{first}"
    home.mkdir(parents=True, exist_ok=True)
    (home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    return subprocess.Popen([sys.executable, "-m", "bench.stage", name, str(data_dir), first,
                             last, *(f"{k}={v}" for k, v in options.items())],
                            env={**os.environ, "DAGSTER_HOME": str(home)})


def wait_all(processes: list[subprocess.Popen]) -> tuple[int, float]:
    """Wait for every child: the largest peak RSS among them (MiB) and the CPU seconds they
    and their worker processes used (a figure the machine's other load hardly changes)."""
    peak, cpu = 0, 0.0
    for process in processes:
        _, status, usage = os.wait4(process.pid, 0)
        if status != 0:
            raise SystemExit(f"{process.args} failed with status {status}")
        peak, cpu = max(peak, usage.ru_maxrss // 1024), cpu + usage.ru_utime + usage.ru_stime
    return peak, cpu


def enrich(raw_lake: Path, root: Path, chunks: list[tuple[str, str]], workers: int,
           options: dict[str, str]) -> dict:
    data_dir = root / f"enrich-{len(chunks)}x{workers}"
    shutil.copytree(raw_lake, data_dir / "lake" / "raw_alerts")
    started = time.perf_counter()
    peak, cpu = wait_all([stage("enriched_alerts", data_dir, first, last,
                                {**options, "workers": str(workers)}) for first, last in chunks])
    seconds = time.perf_counter() - started
    alerts = count_lake(data_dir / "lake" / "enriched_alerts")
    return {"runs": len(chunks), "workers_per_run": workers, "seconds": round(seconds, 1),
            "cpu_seconds": round(cpu, 1), "alerts": alerts,
            "alerts_per_s": round(alerts / seconds), "peak_rss_mib": peak,
            "load_average_after": round(os.getloadavg()[0], 1)}


def count_lake(path: Path) -> int:
    import duckdb

    with duckdb.connect() as con:
        return con.execute("SELECT count(*) FROM read_parquet(?)",
                           [str(path / "**" / "*.parquet")]).fetchone()[0]


def split(months: list[str], parts: int) -> list[tuple[str, str]]:
    size = -(-len(months) // parts)
    return [(months[i], months[min(i + size, len(months)) - 1])
            for i in range(0, len(months), size)]


def warehouse_from_bucket(lake_dir: Path, root: Path) -> dict:
    """build_warehouse from the local lake, then from the same lake in moto's S3."""
    from tests.s3_server import BUCKET, environment, s3_server
    from warehouse import lake
    from warehouse.build import build_warehouse
    from warehouse.storage import Location

    figures = {}
    started = time.perf_counter()
    build_warehouse(lake_dir, root / "local.duckdb", force=True)
    figures["local_lake_s"] = round(time.perf_counter() - started, 1)
    with s3_server() as env, environment(env):
        store = Location(f"s3://{BUCKET}/lake")
        started = time.perf_counter()
        for path in lake_dir.rglob(lake.PART_FILE):
            table, source, year, month = path.relative_to(lake_dir).parts[:4]
            batches = lake.iter_batches(lake_dir, _table(table), source[7:],
                                        f"{year[5:]}-{month[6:]}")
            meta = lake.read_metadata(lake_dir, _table(table), source[7:],
                                      f"{year[5:]}-{month[6:]}")
            lake.write_partition(store, _table(table), source[7:],
                                 f"{year[5:]}-{month[6:]}", batches, meta)
        figures["upload_lake_s"] = round(time.perf_counter() - started, 1)
        started = time.perf_counter()
        build_warehouse(store, root / "bucket.duckdb", force=True)
        figures["bucket_lake_s"] = round(time.perf_counter() - started, 1)
    return figures


def _table(name: str):
    from models import schemas

    return {t.name: t for t in (schemas.RAW_ALERTS, schemas.ENRICHED_ALERTS,
                                schemas.QUARANTINE, schemas.RAW_HISTORY)}[name]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--from", dest="first",
                        help="first month (2011-01; with --pipeline 1995-01)")
    parser.add_argument("--to", dest="last",
                        help="last month (2012-12; with --pipeline this month)")
    parser.add_argument("--scale", default="1")
    parser.add_argument("--chunks", type=int, default=2)
    parser.add_argument("--pipeline", action="store_true",
                        help="every stage of the backfill: wall time and peak RSS per stage")
    parser.add_argument("--data-dir", type=Path, help="keep the run's data here (--pipeline)")
    parser.add_argument("--reuse-lake", action="store_true",
                        help="skip sources and enrichment when --data-dir has a lake")
    parser.add_argument("--stages", help="with --pipeline, only these stages (comma-separated: "
                        "sources,enrichment,warehouse,parquet_export,sqlite_publish)")
    args = parser.parse_args()
    if args.pipeline:
        from bench.pipeline_figures import run_pipeline

        print(json.dumps(run_pipeline(args.first or "1995-01", args.last or this_month(),
                                      args.scale, args.data_dir, args.reuse_lake,
                                      set(args.stages.split(",")) if args.stages else None),
                         indent=1))
        return
    args.first, args.last = args.first or "2011-01", args.last or "2012-12"
    options = {"scale": args.scale}
    months = month_range(args.first, args.last)
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="ifex-bench-scale-") as tmp:
        root = Path(tmp)
        wait_all([stage("raw_alerts", root / "raw", args.first, args.last, options)])
        raw = root / "raw" / "lake" / "raw_alerts"
        modes = [enrich(raw, root, [(args.first, args.last)], 1, options),
                 enrich(raw, root, [(args.first, args.last)], 2, options),
                 enrich(raw, root, split(months, args.chunks), 1, options)]
        for mode in modes:
            mode["speedup"] = round(modes[0]["seconds"] / mode["seconds"], 2)
        print(json.dumps({"months": len(months), "scale": args.scale, "cores": os.cpu_count(),
                          "load_average_before": round(load_before, 1),
                          "enrichment": modes,
                          "warehouse": warehouse_from_bucket(root / "enrich-1x1" / "lake",
                                                             root)}, indent=1))


if __name__ == "__main__":
    main()
