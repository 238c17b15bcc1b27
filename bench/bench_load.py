"""The API under load (``make bench-load``; not part of the tests).

Builds (or reuses, ``--reuse``) the ``bench_datasette`` warehouse at ``--scale`` × the data
dir's lake (15 ≈ 950k alerts), serves it with the production command line
(``warehouse/serve.py``: ``--workers`` processes) and runs ``--clients`` concurrent clients
for ``--seconds`` (after ``--warmup`` seconds of the same load, reported apart), each
sending one request after the other on its own connection, drawn from a mix of kinds —
table pages (and the database page), facets and facet clicks, searches, canned queries,
SQL, CSV and 404s — over a few hundred distinct URLs taken from the data (common words,
busy countries and years) and a long tail of URLs asked once (table pages from a random
``_next``, unknown alert and case ids: about 1 request in 12). The server starts cold;
its response cache fills during the warm-up (the steady state of a server between
publishes). Prints requests/s, errors (5xx, timeouts, a status other than expected), the
cache's hit ratio and p50/p95 per kind, with the load average of the machine.

    python -m bench.bench_load [--data-dir data] [--scale 15] [--clients 200]
                               [--seconds 60] [--workers 2] [--reuse]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import sqlite3
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import quote

import httpx

from bench.bench_datasette import build, free_port, percentiles
from warehouse.serve import datasette_command, worker_count

TARGETS = {"requests_per_s": 300, "errors": 0, "p95_ms": 1000}
P95_KINDS = ("table", "facet", "search", "canned")
"""The kinds whose p95 the target is about."""
WEIGHTS = {"table": 25, "facet": 20, "search": 20, "canned": 10, "sql": 10, "csv": 5,
           "not_found": 10}
TIMEOUT_S = 30.0


def data_values(sqlite_path: Path) -> dict[str, list]:
    """Busy countries × years, categories, languages and common search words."""
    con = sqlite3.connect(f"file:{sqlite_path}?immutable=1", uri=True)
    con.execute("CREATE VIRTUAL TABLE temp.vocab USING fts5vocab(main, alerts_fts, row)")
    try:
        pairs = con.execute("SELECT primary_country, year FROM alerts WHERE primary_country "
                            "IS NOT NULL GROUP BY 1, 2 ORDER BY count(*) DESC LIMIT 40"
                            ).fetchall()
        words = [r[0] for r in con.execute("SELECT term FROM temp.vocab WHERE length(term) > 4 "
                                           "AND term GLOB '[a-z]*' ORDER BY doc DESC "
                                           "LIMIT 60")]
        categories = [r[0] for r in con.execute("SELECT code FROM categories")]
        languages = [r[0] for r in con.execute(
            "SELECT language FROM alerts GROUP BY 1 ORDER BY count(*) DESC LIMIT 8")]
        regions = [r[0] for r in con.execute("SELECT DISTINCT region FROM countries "
                                             "WHERE region IS NOT NULL")]
        max_rowid = con.execute("SELECT max(rowid) FROM alerts").fetchone()[0]
    finally:
        con.close()
    return {"pairs": pairs, "words": words, "categories": categories,
            "languages": languages, "regions": regions, "max_rowid": max_rowid}


def url_pools(v: dict[str, list]) -> dict[str, list[str]]:
    """Kind → the URLs a client of that kind asks for."""
    countries = sorted({c for c, _ in v["pairs"]})
    years = sorted({y for _, y in v["pairs"]})
    table = ["/alerts", "/alerts/alerts", "/alerts/alerts.json", "/alerts/alerts?_size=20"]
    table += [f"/alerts/alerts{ext}?primary_country={c}&year={y}"
              for c, y in v["pairs"] for ext in ("", ".json")]
    facet = [f"/alerts/alerts.json?_size=0&_facet={f}"
             for f in ("primary_country", "year", "language")]
    facet += [f"/alerts/alerts.json?_size=0&_facet_array={f}"
              for f in ("categories", "victim_types")]
    facet += [f"/alerts/alerts{ext}?categories__arraycontains={c}"
              for c in v["categories"] for ext in ("", ".json")]
    facet += [f"/alerts/alerts?language={lang}" for lang in v["languages"]]
    facet += [f"/alerts/alerts.json?regions__arraycontains={quote(r)}&year={y}"
              for r in v["regions"] for y in years[-3:]]
    search = [f"/alerts/alerts{ext}?_search={w}" for w in v["words"] for ext in ("", ".json")]
    canned = [f"/alerts/country_profile.json?country={c}" for c in countries]
    canned += [f"/alerts/country_profile?country={c}" for c in countries]
    canned += [f"/alerts/category_trend.json?category={c}" for c in v["categories"]]
    canned += [f"/alerts/shutdowns_in_region_per_year.json?region={quote(r)}&since=2011"
               for r in v["regions"]]
    canned += [f"/alerts/country_region_world.json?country={c}&category=" for c in countries]
    canned += ["/alerts/latest_alerts", "/alerts/latest_alerts.json", "/-/trends"]
    sql = [f"/alerts.json?sql={quote(q)}" for y in years for q in (
        f"select primary_country, count(*) as n from alerts where year = {y} "
        "group by 1 order by 2 desc limit 20",
        f"select language, count(*) from alerts where year = {y} group by 1")]
    csv = [f"/alerts/alerts.csv?primary_country={c}&year={y}&_stream=on&_size=max"
           for c, y in v["pairs"][:20]]
    csv += [f"/alerts/country_profile.csv?country={c}" for c in countries[:10]]
    csv += [f"/alerts/internet_shutdowns.csv?country={c}&_stream=on" for c in countries[:10]]
    not_found = ["/alerts/alerts/999999999", "/alerts/no_such_table", "/foo/bar/baz/qux",
                 "/alert/no-such-alert", "/case/no-such-case"]
    not_found += ["/alert/no-such-alert-{n}", "/case/no-such-case-{n}"] * 2
    table += ["/alerts/alerts.json?_next={rowid}", "/alerts/alerts.json?_next={rowid}&_size=20"]
    return {"table": table, "facet": facet, "search": search, "canned": canned, "sql": sql,
            "csv": csv, "not_found": not_found}


def expected_status(kind: str) -> int:
    return 404 if kind == "not_found" else 200


class Connection:
    """A lean HTTP/1.1 keep-alive GET client (httpx costs the loaded machine's CPU three
    times what the server spends on a cached page): reads each whole response."""

    def __init__(self, host: str, port: int):
        self.host, self.port = host, port
        self.streams: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None

    async def get(self, path: str) -> tuple[int, bytes | None]:
        """Status and the X-Ifex-Cache header of a GET, the body read to its end."""
        if self.streams is None:
            self.streams = await asyncio.open_connection(self.host, self.port)
        reader, writer = self.streams
        writer.write(f"GET {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n\r\n".encode())
        head = await reader.readuntil(b"\r\n\r\n")
        lines = head.split(b"\r\n")
        status = int(lines[0].split()[1])
        headers = dict(line.lower().split(b": ", 1) for line in lines[1:] if b": " in line)
        if b"content-length" in headers:
            await reader.readexactly(int(headers[b"content-length"]))
        elif headers.get(b"transfer-encoding") == b"chunked":
            while size := int((await reader.readuntil(b"\r\n")).split(b";")[0], 16):
                await reader.readexactly(size + 2)
            await reader.readuntil(b"\r\n")
        if headers.get(b"connection") == b"close":
            self.close()
        return status, headers.get(b"x-ifex-cache")

    def close(self) -> None:
        if self.streams is not None:
            self.streams[1].close()
            self.streams = None


async def client_loop(host: str, port: int, pools: dict[str, list[str]], max_rowid: int,
                      deadline: float, rng: random.Random, samples: list) -> None:
    """One client on its own connection: a request after the other until the deadline."""
    kinds, weights = list(WEIGHTS), list(WEIGHTS.values())
    connection = Connection(host, port)
    while time.monotonic() < deadline:
        kind = rng.choices(kinds, weights)[0]
        url = rng.choice(pools[kind]).format(n=rng.randrange(10**9),
                                             rowid=rng.randrange(1, max_rowid))
        started = time.perf_counter()
        try:
            status, cache = await asyncio.wait_for(connection.get(url), TIMEOUT_S)
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError,
                TimeoutError, ValueError) as error:
            status, cache = type(error).__name__, None
            connection.close()
        samples.append((kind, url, status, cache, (time.perf_counter() - started) * 1000))
    connection.close()


async def run_load(port: int, pools: dict[str, list[str]], max_rowid: int, clients: int,
                   seconds: float, seed: int = 0) -> tuple[list, float]:
    samples: list = []
    started = time.monotonic()
    await asyncio.gather(*(client_loop("127.0.0.1", port, pools, max_rowid, started + seconds,
                                       random.Random(seed * clients + i), samples)
                           for i in range(clients)))
    return samples, time.monotonic() - started


def summarize(samples: list, elapsed: float) -> dict:
    """Requests/s, errors by cause, hit ratio, p50/p95 per kind, and the targets met."""
    by_kind: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    hits = sum(1 for s in samples if s[3] == b"hit")
    for kind, _url, status, _, ms in samples:
        by_kind[kind].append(ms)
        if status != expected_status(kind):
            errors[f"{kind} {status}"] += 1
    kinds = {k: {"requests": len(v), **percentiles(v), "max_ms": round(max(v), 1)}
             for k, v in sorted(by_kind.items())}
    rate = len(samples) / elapsed
    met = {"requests_per_s": rate >= TARGETS["requests_per_s"],
           "errors": sum(errors.values()) == TARGETS["errors"],
           "p95_ms": all(kinds[k]["p95_ms"] < TARGETS["p95_ms"] for k in P95_KINDS
                         if k in kinds)}
    return {"requests": len(samples), "seconds": round(elapsed, 1),
            "requests_per_s": round(rate, 1), "errors": sum(errors.values()),
            "errors_by_kind": dict(errors), "cache_hit_ratio": round(hits / len(samples), 3),
            "kinds": kinds, "targets_met": met}


def serve(bench_dir: Path, port: int, workers: int):
    import subprocess

    process = subprocess.Popen(datasette_command(bench_dir, port=port, workers=workers),
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/-/settings.json", timeout=5).is_success:
                return process
        except httpx.TransportError:
            time.sleep(0.3)
    process.terminate()
    raise RuntimeError("the server did not start")


def measure(port: int, pools: dict[str, list[str]], max_rowid: int, clients: int,
            seconds: float, warmup: float) -> dict:
    """``warmup`` seconds of the same load (reported apart), then the measured run."""
    warm = summarize(*asyncio.run(run_load(port, pools, max_rowid, clients, warmup, 1))) \
        if warmup else {}
    load_before = os.getloadavg()
    figures = summarize(*asyncio.run(run_load(port, pools, max_rowid, clients, seconds)))
    return {"warmup": {k: warm[k] for k in ("seconds", "requests", "requests_per_s", "errors",
                                            "errors_by_kind", "cache_hit_ratio")}
            if warm else None,
            "load_average_before": [round(x, 2) for x in load_before],
            "load_average_after": [round(x, 2) for x in os.getloadavg()], **figures}


def run(data_dir: Path, scale: int, clients: int, seconds: float, warmup: float,
        workers: int, reuse: bool) -> dict:
    bench_dir = Path(data_dir) / "bench-datasette"
    built = build(data_dir, bench_dir, scale, reuse)
    values = data_values(bench_dir / "datasette" / "alerts.db")
    pools = url_pools(values)
    port = free_port()
    process = serve(bench_dir, port, workers)
    try:
        figures = measure(port, pools, values["max_rowid"], clients, seconds, warmup)
    finally:
        process.terminate()
        process.wait(timeout=30)
    return {"scale": scale, **built, "clients": clients, "workers": workers,
            "distinct_urls": sum(len(set(p)) for p in pools.values()), "cpus": os.cpu_count(),
            **figures}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", type=Path, default=Path("data"))
    parser.add_argument("--scale", type=int, default=15)
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--warmup", type=float, default=20,
                        help="seconds of the same load before the measured run")
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--reuse", action="store_true",
                        help="keep a bench build whose lake and code are unchanged")
    args = parser.parse_args()
    if not (args.data_dir / "lake").exists():
        raise SystemExit(f"{args.data_dir}/lake does not exist: run `make backfill` first")
    print(json.dumps(run(args.data_dir, args.scale, args.clients, args.seconds, args.warmup,
                         worker_count(args.workers), args.reuse), indent=2))


if __name__ == "__main__":
    main()
