"""Datasette latency at about a million alerts (``make bench``; not part of the tests).

Replicates a scale-1 enriched lake ``scale`` times (new alert ids, a replica marker
appended to the text, dates shifted by 400 days per replica so copies don't link into
artificial cases — honest for API latency, not for trends or linguistics), builds the
warehouse, publishes the SQLite database and serves it with the production command
line. Reports p50/p95 milliseconds per request for: an unfiltered and a filtered table
page, the pages a click on a facet value opens (a category, a language, a region and a
year), each default facet, a common and a rare search term (and a counted search), and
every canned query.

    python -m bench.bench_datasette [--data-dir data] [--scale 15] [--requests 20] [--reuse]
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import time
from pathlib import Path

import duckdb
import httpx
import yaml

from models.schemas import ENRICHED_ALERTS
from nlp.gazetteer import is_city_name
from warehouse import lake
from warehouse.build import build_warehouse
from warehouse.datasette_meta import METADATA_YML
from warehouse.publish import publish_sqlite
from warehouse.serve import datasette_command

TARGET_P95_MS = 100.0
REPLICA_SHIFT_DAYS = 400
"""Each replica is moved this many days later than the previous one: beyond the case
linker's one-year window, so replicas of one alert don't form giant artificial cases."""
FACETS = ("primary_country", "year", "language")
ARRAY_FACETS = ("categories", "victim_types")


def replicate_lake(source_lake: Path, out_lake: Path, scale: int) -> int:
    """Write ``scale`` copies of the enriched lake with new ids; returns the alerts written."""
    shutil.rmtree(out_lake, ignore_errors=True)
    target = out_lake / ENRICHED_ALERTS.name
    target.mkdir(parents=True)
    copies = ", ".join(str(k) for k in range(scale))
    with duckdb.connect() as con:
        con.execute(f"""
            COPY (
                SELECT * EXCLUDE (k, suffix, marker, shifted) REPLACE (
                    alert_id || suffix AS alert_id, source_id || suffix AS source_id,
                    raw_id || suffix AS raw_id, text || marker AS text,
                    shifted AS published, strftime(shifted, '%Y') AS year,
                    strftime(shifted, '%m') AS month)
                FROM (
                    SELECT *, CASE WHEN k = 0 THEN '' ELSE '-r' || k END AS suffix,
                        CASE WHEN k = 0 THEN '' ELSE ' [replica ' || k || ']' END AS marker,
                        (published + INTERVAL (k * $shift_days) DAY)::DATE AS shifted
                    FROM read_parquet($glob, {lake.DUCKDB_HIVE}),
                         (SELECT unnest([{copies}]) AS k)
                )
            ) TO '{target}' (FORMAT parquet, COMPRESSION zstd,
                              PARTITION_BY (source, year, month), FILENAME_PATTERN 'part{{i}}')
        """, {"glob": lake.table_glob(source_lake, ENRICHED_ALERTS),
              "shift_days": REPLICA_SHIFT_DAYS})
        for part in target.rglob("part*.parquet"):
            part.rename(part.with_name(lake.PART_FILE))
        (out_lake / lake.LAYOUT_MARKER).write_text(lake.LAYOUT)  # the hive layout already
        return con.execute("SELECT count(*) FROM read_parquet($glob)",
                           {"glob": lake.table_glob(out_lake, ENRICHED_ALERTS)}).fetchone()[0]


def sample_values(sqlite_path: Path) -> dict[str, str]:
    """Realistic parameters from the data: a busy country/year, common and rare words."""
    import sqlite3

    con = sqlite3.connect(sqlite_path)
    con.execute("CREATE VIRTUAL TABLE temp.alerts_fts_vocab USING fts5vocab(main, alerts_fts, row)")
    try:
        country, year = con.execute(
            "SELECT primary_country, year FROM alerts WHERE primary_country IS NOT NULL "
            "GROUP BY 1, 2 ORDER BY count(*) DESC LIMIT 1").fetchone()
        region = con.execute("SELECT region FROM countries WHERE code = ?", [country]).fetchone()
        rare = con.execute(
            "SELECT term FROM alerts_fts_vocab WHERE length(term) > 6 AND doc BETWEEN 5 AND 50 "
            "ORDER BY doc, term LIMIT 1").fetchone()
        common = con.execute("SELECT term FROM alerts_fts_vocab WHERE length(term) > 4 "
                             "ORDER BY doc DESC LIMIT 1 OFFSET 3").fetchone()
    finally:
        con.close()
    return {"country": country, "year": str(year), "region": region[0] if region else "Africa",
            "rare": rare[0] if rare else "zanzibarite", "common": common[0]}


def endpoints(v: dict[str, str]) -> dict[str, str]:
    """Name → URL path of every request the bench times."""
    db = "/alerts"
    urls = {
        "table_unfiltered": f"{db}/alerts.json",
        "table_unfiltered_html": f"{db}/alerts",
        "table_filtered": f"{db}/alerts.json?primary_country={v['country']}&year={v['year']}",
        "search_common": f"{db}/alerts.json?_search={v['common']}",
        "search_common_html": f"{db}/alerts?_search={v['common']}",
        "search_common_filtered": f"{db}/alerts.json?_search={v['common']}"
                                  f"&primary_country={v['country']}",
        "search_rare": f"{db}/alerts.json?_search={v['rare']}",
        "search_common_count": f"{db}/alerts.json?_search={v['common']}&_count=1",
        "click_category": f"{db}/alerts.json?categories__arraycontains=internet_shutdown",
        "click_category_html": f"{db}/alerts?categories__arraycontains=internet_shutdown",
        "click_language": f"{db}/alerts.json?language=ar",
        "click_region_year": f"{db}/alerts.json?regions__arraycontains=Africa&year=2020",
    }
    for facet in FACETS:
        urls[f"facet_{facet}"] = f"{db}/alerts.json?_size=0&_facet={facet}"
    for facet in ARRAY_FACETS:
        urls[f"facet_{facet}"] = f"{db}/alerts.json?_size=0&_facet_array={facet}"
    params = {"internet_shutdowns_by_country": f"country={v['country']}&year=",
              "shutdowns_in_region_per_year": "region=Africa&since=2011",
              "country_profile": f"country={v['country']}",
              "category_trend": "category=internet_shutdown",
              "country_region_world": f"country={v['country']}&category=",
              "latest_alerts": "",
              "case_timeline": "min_alerts=2&country="}
    queries = yaml.safe_load(METADATA_YML.read_text())["databases"]["alerts"]["queries"]
    for name in queries:
        urls[f"query_{name}"] = f"{db}/{name}.json?{params.get(name, '')}"
    urls["trends_page"] = "/-/trends"
    return urls


def percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"p50_ms": round(statistics.median(ordered), 1), "p95_ms": round(p95, 1)}


def time_requests(base: str, urls: dict[str, str], requests: int) -> dict[str, dict]:
    """Sequential requests per URL after one warm-up; status and p50/p95 milliseconds."""
    results = {}
    with httpx.Client(base_url=base, timeout=60) as client:
        for name, url in urls.items():
            client.get(url)
            samples, status = [], 0
            for _ in range(requests):
                started = time.perf_counter()
                status = client.get(url).status_code
                samples.append((time.perf_counter() - started) * 1000)
            results[name] = {"url": url, "status": status, **percentiles(samples),
                             "under_target": percentiles(samples)["p95_ms"] < TARGET_P95_MS}
    return results


def serve(data_dir: Path, port: int) -> subprocess.Popen:
    process = subprocess.Popen(datasette_command(data_dir, port=port),
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/-/versions.json", timeout=2)
            return process
        except httpx.TransportError:
            time.sleep(0.3)
    process.terminate()
    raise RuntimeError("datasette did not start")


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def without_default_facets(published: Path) -> None:
    """Drop the alerts table's default facets, so one facet can be timed on its own."""
    path = published / "metadata.json"
    metadata = json.loads(path.read_text())
    metadata["databases"]["alerts"]["tables"]["alerts"].pop("facets", None)
    path.write_text(json.dumps(metadata))


def build(data_dir: Path, bench_dir: Path, scale: int, reuse: bool) -> dict:
    """Replicate the lake, build the warehouse and publish; seconds per step, alerts.

    ``reuse`` keeps an existing replicated lake and lets the input stamps keep a
    warehouse and database built from the same lake and code."""
    started, timings = time.perf_counter(), {}
    if not (reuse and (bench_dir / "lake").exists()):
        replicate_lake(Path(data_dir) / "lake", bench_dir / "lake", scale)
    timings["replicate_s"] = round(time.perf_counter() - started, 1)
    started = time.perf_counter()
    build_warehouse(bench_dir / "lake", bench_dir / "warehouse.duckdb", force=not reuse,
                    is_city=is_city_name)
    timings["warehouse_s"] = round(time.perf_counter() - started, 1)
    started = time.perf_counter()
    counts = publish_sqlite(bench_dir / "warehouse.duckdb",
                            bench_dir / "datasette" / "alerts.db", force=not reuse)
    timings["publish_s"] = round(time.perf_counter() - started, 1)
    return {"alerts": counts["alerts"], **timings}


def run(data_dir: Path, scale: int = 15, requests: int = 20, reuse: bool = False) -> dict:
    """Build a ``scale``× warehouse from ``data_dir``'s lake, publish, serve, time the API."""
    bench_dir = Path(data_dir) / "bench-datasette"
    built = build(data_dir, bench_dir, scale, reuse)
    sqlite_path = bench_dir / "datasette" / "alerts.db"
    urls = endpoints(sample_values(sqlite_path))
    facet_urls = {k: urls.pop(k) for k in list(urls) if k.startswith("facet_")}
    results = _timed_server(bench_dir, urls, requests)
    without_default_facets(sqlite_path.parent)
    results |= _timed_server(bench_dir, facet_urls, requests)
    return {"scale": scale, "requests_per_url": requests, **built,
            "sqlite_mib": round(sqlite_path.stat().st_size / 2**20), "latency": results}


def _timed_server(bench_dir: Path, urls: dict[str, str], requests: int) -> dict[str, dict]:
    port = free_port()
    process = serve(bench_dir, port)
    try:
        return time_requests(f"http://127.0.0.1:{port}", urls, requests)
    finally:
        process.terminate()
        process.wait(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", type=Path, default=Path("data"))
    parser.add_argument("--scale", type=int, default=15)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--reuse", action="store_true",
                        help="keep a bench build whose lake and code are unchanged")
    args = parser.parse_args()
    print(json.dumps(run(args.data_dir, args.scale, args.requests, args.reuse), indent=2))


if __name__ == "__main__":
    main()
