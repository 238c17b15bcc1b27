"""The whole backfill stage by stage, each in a child process: wall time and peak RSS.

A stage's ``peak_rss_mib`` is the largest resident set of any one of its processes (the
kernel's figure for the child and the workers it waited for); ``peak_tree_rss_mib`` is the
largest sum over the stage's process tree, sampled every 0.2 s (enrichment runs worker
processes). Case linking runs inside the warehouse build; ``bench/stage.py`` measures it
there and the warehouse row is the rest of the build.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from bench.stage import PHASES_ENV

LIMIT_MIB = 2048
STAGES = (("sources", "raw_alerts"), ("enrichment", "enriched_alerts"),
          ("warehouse", "warehouse"), ("parquet_export", "parquet_export"),
          ("sqlite_publish", "datasette_db"))


def tree_rss_mib(pid: int) -> int:
    """Resident set of a process and all its descendants, summed (MiB; 0 once gone)."""
    total, pending = 0, [pid]
    while pending:
        current = pending.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            total += next((int(line.split()[1]) for line in status.splitlines()
                           if line.startswith("VmRSS:")), 0)
            for task in Path(f"/proc/{current}/task").iterdir():
                pending += [int(c) for c in (task / "children").read_text().split()]
        except (FileNotFoundError, ProcessLookupError, ValueError):
            continue
    return total // 1024


class TreeSampler(threading.Thread):
    """Samples ``tree_rss_mib(pid)`` until stopped; ``peak`` is the largest sample."""

    def __init__(self, pid: int, interval: float = 0.2) -> None:
        super().__init__(daemon=True)
        self.pid, self.interval, self.peak = pid, interval, 0
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(self.interval):
            self.peak = max(self.peak, tree_rss_mib(self.pid))


def run_stage(asset: str, data_dir: Path, first: str, last: str, options: dict[str, str],
              env: dict[str, str]) -> dict:
    """One ``bench.stage`` child: wall seconds, peak RSS of one process and of the tree."""
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "bench.stage", asset, str(data_dir),
                                first, last, *(f"{k}={v}" for k, v in options.items())],
                               env=env)
    sampler = TreeSampler(process.pid)
    sampler.start()
    _, status, usage = os.wait4(process.pid, 0)
    sampler.done.set()
    sampler.join()
    if status != 0:
        raise SystemExit(f"stage {asset} failed with status {status}")
    return {"seconds": round(time.perf_counter() - started, 1),
            "peak_rss_mib": usage.ru_maxrss // 1024,
            "peak_tree_rss_mib": max(sampler.peak, usage.ru_maxrss // 1024)}


def split_cases(warehouse: dict, phases: dict) -> tuple[dict, dict]:
    """The warehouse step as the build without case linking, and case linking alone."""
    cases = {"seconds": phases["seconds"], "peak_rss_mib": phases["peak_rss_mib"]}
    build = {"seconds": round(warehouse["seconds"] - phases["seconds"], 1),
             "peak_rss_mib": phases["peak_before_mib"],
             "peak_rss_whole_step_mib": max(warehouse["peak_rss_mib"],
                                            phases["peak_before_mib"]),
             "peak_tree_rss_mib": warehouse["peak_tree_rss_mib"]}
    return build, cases


def output_sizes(data_dir: Path) -> dict[str, int]:
    """MiB on disk of the lake, the warehouse, the latest release and the SQLite file."""
    def mib(path: Path) -> int:
        files = [path] if path.is_file() else path.rglob("*") if path.exists() else []
        return sum(p.stat().st_size for p in files if p.is_file()) // (1 << 20)

    return {"lake": mib(data_dir / "lake"), "warehouse": mib(data_dir / "warehouse.duckdb"),
            "release": mib((data_dir / "exports" / "latest").resolve()),
            "sqlite": mib((data_dir / "datasette" / "alerts.db").resolve())}


def count_alerts(data_dir: Path) -> int:
    import duckdb

    with duckdb.connect(str(data_dir / "warehouse.duckdb"), read_only=True) as con:
        return con.execute("SELECT count(*) FROM alerts").fetchone()[0]


def run_pipeline(first: str, last: str, scale: str, data_dir: Path | None = None,
                 reuse_lake: bool = False, only: set[str] | None = None) -> dict:
    """Every stage in order over ``first..last`` of the sample at ``scale`` (or the stages
    named in ``only``); the figures."""
    tmp = None if data_dir else tempfile.mkdtemp(prefix="ifex-bench-pipeline-")
    data_dir = Path(data_dir or tmp).resolve()
    home = data_dir / "dagster"
    home.mkdir(parents=True, exist_ok=True)
    (home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    phases_file = data_dir / ".bench-phases.json"
    env = {**os.environ, "DAGSTER_HOME": str(home), PHASES_ENV: str(phases_file)}
    skip = {"raw_alerts", "enriched_alerts"} if reuse_lake and (data_dir / "lake").exists() \
        else set()
    report = {"scale": scale, "months": f"{first}..{last}", "cores": os.cpu_count(),
              "load_average_before": [round(x, 1) for x in os.getloadavg()], "stages": {}}
    try:
        started = time.perf_counter()
        for name, asset in STAGES:
            if asset in skip or (only and name not in only):
                continue
            phases_file.unlink(missing_ok=True)
            figures = run_stage(asset, data_dir, first, last, {"scale": scale}, env)
            if asset == "warehouse" and phases_file.exists():
                figures, cases = split_cases(figures, json.loads(phases_file.read_text()))
                report["stages"] |= {name: figures, "cases": cases}
            else:
                report["stages"][name] = figures
            print(f"{name}: {json.dumps(figures)}", file=sys.stderr, flush=True)
        report["total_seconds"] = round(time.perf_counter() - started, 1)
        if (data_dir / "warehouse.duckdb").exists():
            report["alerts"] = count_alerts(data_dir)
        report["sizes_mib"] = output_sizes(data_dir)
        report["load_average_after"] = [round(x, 1) for x in os.getloadavg()]
        report["every_stage_under_2_gib"] = all(
            max(s.get("peak_rss_mib", 0), s.get("peak_rss_whole_step_mib", 0)) < LIMIT_MIB
            for s in report["stages"].values())
    finally:
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)
    return report
