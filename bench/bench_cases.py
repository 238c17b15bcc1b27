"""Case linking: pairwise precision/recall/F1, wall time and peak RSS of ``build_cases``.

Copies the ``alerts`` of a warehouse (opened read-only) into a scratch DuckDB file, in date
order like the warehouse, optionally replicated ``--replicas`` times (new alert ids and
incident refs). By default each replica is moved later by the whole span of the archive
plus a year, so the archive grows in time at its real density and replicas never link to
each other; ``--shift-days 400`` lays the replicas out as ``make bench`` does
(bench/bench_datasette.py): 400 days apart, so 15 replicas make a 15 times denser archive
(replicas of one alert still never link: 400 days is beyond the linking window). Then it
runs ``build_cases`` in a child process and reports the child's wall time and peak RSS with
``evaluate_linking``.

    python -m bench.bench_cases /tmp/fullrun/warehouse.duckdb [--replicas 8] [--shift-days N]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

SCRATCH_TABLE_SQL = """
CREATE TABLE alerts AS
SELECT * REPLACE (
    CASE WHEN r.k = 0 THEN alert_id ELSE alert_id || '~r' || r.k END AS alert_id,
    CASE WHEN r.k = 0 THEN incident_ref ELSE incident_ref || '~r' || r.k END AS incident_ref,
    (published + INTERVAL (r.k * $shift) DAY)::DATE AS published)
FROM src.alerts, range($replicas) AS r(k)
ORDER BY published, alert_id
"""


def prepare(source_db: Path, scratch_db: Path, replicas: int,
            shift_days: int | None = None) -> int:
    """Write the (replicated) alerts of ``source_db`` to ``scratch_db``; the number of alerts."""
    con = duckdb.connect(str(scratch_db))
    con.execute("ATTACH ? AS src (READ_ONLY)", [str(source_db)])
    first, last = con.execute("SELECT min(published), max(published) FROM src.alerts").fetchone()
    shift = shift_days if shift_days is not None else (last - first).days + 366
    con.execute(SCRATCH_TABLE_SQL, {"shift": shift, "replicas": replicas})
    count = con.execute("SELECT count(*) FROM alerts").fetchone()[0]
    con.close()
    return count


def measure(scratch_db: Path) -> dict:
    """Run ``build_cases`` + ``evaluate_linking`` on ``scratch_db`` (in this process)."""
    from nlp.gazetteer import is_city_name
    from warehouse.cases import build_cases, evaluate_linking
    from warehouse.ddl import limit_memory

    con = duckdb.connect(str(scratch_db))
    limit_memory(con, scratch_db.parent / "spill")  # as the warehouse build runs it
    started = time.perf_counter()
    counts = build_cases(con, None, is_city=is_city_name)
    seconds = time.perf_counter() - started
    scores = evaluate_linking(con)
    con.close()
    return {"build_seconds": round(seconds, 1), "counts": counts,
            **{k: round(v, 4) for k, v in scores.items()}}


def run(db_path: Path | str, replicas: int = 1, shift_days: int | None = None) -> dict:
    """Measure case linking on the alerts of ``db_path`` (replicated ``replicas`` times)."""
    with tempfile.TemporaryDirectory(prefix="bench-cases-") as tmp:
        scratch = Path(tmp) / "cases.duckdb"
        alerts = prepare(Path(db_path), scratch, replicas, shift_days)
        started = time.perf_counter()
        child = subprocess.Popen([sys.executable, "-m", "bench.bench_cases", "--child",
                                  str(scratch)], stdout=subprocess.PIPE)
        output = child.stdout.read()
        _, status, usage = os.wait4(child.pid, 0)
        if status != 0:
            raise RuntimeError(f"build_cases child failed with status {status}")
        result = json.loads(output)
    return {**result, "alerts": alerts, "replicas": replicas, "shift_days": shift_days,
            "child_wall_seconds": round(time.perf_counter() - started, 1),
            "peak_rss_mib": round(usage.ru_maxrss / 1024)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db", type=Path)
    parser.add_argument("--replicas", type=int, default=1)
    parser.add_argument("--shift-days", type=int, default=None,
                        help="days between replicas (default: the archive's span + 366)")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        sys.stdout.write(json.dumps(measure(args.db)))
        return
    result = run(args.db, args.replicas, args.shift_days)
    sys.stdout.write(
        f"alerts={result['alerts']} precision={result['precision']:.3f} "
        f"recall={result['recall']:.3f} f1={result['f1']:.3f} "
        f"build_cases={result['build_seconds']}s peak_rss={result['peak_rss_mib']} MiB\n")
    sys.stdout.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    main()
