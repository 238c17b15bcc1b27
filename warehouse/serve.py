"""The server of the published database: Datasette in production mode, in worker processes.

``python -m warehouse.serve --data-dir data --port 8001 [--workers 2]`` builds the same
Datasette instance ``datasette serve -i … --setting …`` would (immutable database,
inspect counts, metadata, templates, plugins, static mounts, CORS, ``SETTINGS``) and runs
it under uvicorn with ``--workers`` processes sharing one listening socket, so requests
that need the CPU (a page the cache does not hold yet) are served on every core; the
workers share their response cache through a temporary folder.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

from warehouse.datasette_meta import DATASETTE_DIR, METADATA_JSON, METADATA_YML
from warehouse.publish import INSPECT_FILE

SETTINGS: dict[str, str] = {
    "sql_time_limit_ms": "3000",
    "max_returned_rows": "1000",
    "allow_csv_stream": "on",
    "max_csv_mb": "0",
    "suggest_facets": "off",
    "facet_time_limit_ms": "150",
    "default_facet_size": "30",
    "default_cache_ttl": "60",
    "num_sql_threads": "4",
    "allow_download": "off",
}
"""Production settings: read-only SQL within a time limit, streamed CSV of tables and views
without a size cap, no facet suggestions (they scan the table), live facets of filtered
pages cut at 150 ms (facet-click pages read precomputed counts), responses cacheable for a
minute (a new publish is served without a restart: datasette/plugins/ifex_reload.py)."""
WORKERS_ENV = "IFEX_ALERTS_SERVE_WORKERS"
DEFAULT_WORKERS = 2
"""Server processes (``--workers``, or the environment): one per core of the machine."""
DATA_ENV = "IFEX_ALERTS_SERVE_DATA"
"""The data dir, handed to the worker processes (each builds its own instance)."""
CACHE_DIR_ENV = "IFEX_ALERTS_CACHE_DIR"
"""The folder the workers share kept responses in (datasette/plugins/ifex_cache.py): a new
one per server start (named with its pid), removed when it stops or, after a crash, by
the next start."""
CACHE_PREFIX = "ifex-alerts-cache-"


def datasette_paths(data_dir: Path) -> dict[str, Path]:
    """Files the served instance uses, under a data dir (default ./data)."""
    published = Path(data_dir) / "datasette"
    metadata = published / METADATA_JSON
    return {
        "db": published / "alerts.db",
        "inspect": published / INSPECT_FILE,
        "metadata": metadata if metadata.exists() else METADATA_YML,
        "exports": Path(data_dir) / "exports",
    }


def typed_settings() -> dict[str, bool | int]:
    return {k: (v == "on") if v in ("on", "off") else int(v) for k, v in SETTINGS.items()}


def build_datasette(data_dir: Path):
    """The production Datasette instance for a data dir."""
    from datasette.app import Datasette
    from datasette.utils import parse_metadata

    paths = datasette_paths(data_dir)
    static = [("assets", str(DATASETTE_DIR / "static"))]
    if paths["exports"].exists():
        static.append(("downloads", str(paths["exports"])))
    inspect = json.loads(paths["inspect"].read_text()) if paths["inspect"].exists() else None
    return Datasette(
        immutables=[str(paths["db"])], metadata=parse_metadata(paths["metadata"].read_text()),
        inspect_data=inspect, settings=typed_settings(), cors=True,
        template_dir=str(DATASETTE_DIR / "templates"),
        plugins_dir=str(DATASETTE_DIR / "plugins"), static_mounts=static)


def asgi_app():
    """uvicorn's app factory in each worker process: the data dir comes from DATA_ENV.
    Datasette's startup hooks (``ifex_reload`` pins the database to its versions) run
    before the first request reaches any plugin, as ``datasette serve`` runs them."""
    datasette = build_datasette(Path(os.environ[DATA_ENV]))
    app, lock = datasette.app(), asyncio.Lock()

    async def started(scope, receive, send):
        if not datasette._startup_invoked:
            async with lock:
                await datasette.invoke_startup()
        await app(scope, receive, send)

    return started


def worker_count(workers: int | None = None) -> int:
    return workers or int(os.environ.get(WORKERS_ENV) or DEFAULT_WORKERS)


def datasette_command(data_dir: Path, host: str = "127.0.0.1", port: int = 8001,
                      workers: int | None = None) -> list[str]:
    """The command line that serves the published database (immutable)."""
    return [sys.executable, "-m", "warehouse.serve", "--data-dir", str(Path(data_dir)),
            "--host", host, "--port", str(port), "--workers", str(worker_count(workers))]


def remove_stale_caches() -> None:
    """Remove the cache folders of servers that are gone (killed before their cleanup)."""
    for folder in Path(tempfile.gettempdir()).glob(f"{CACHE_PREFIX}*-*"):
        pid = folder.name[len(CACHE_PREFIX):].split("-", 1)[0]
        if pid.isdigit() and not Path(f"/proc/{pid}").exists():
            shutil.rmtree(folder, ignore_errors=True)


def main(argv: list[str] | None = None) -> None:
    import uvicorn

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data-dir", type=Path, default=Path("data"))
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8001)
    parser.add_argument("--workers", type=int, default=None)
    args = parser.parse_args(argv)
    os.environ[DATA_ENV] = str(args.data_dir.resolve())
    remove_stale_caches()
    cache_dir = tempfile.mkdtemp(prefix=f"{CACHE_PREFIX}{os.getpid()}-")
    os.environ[CACHE_DIR_ENV] = cache_dir
    try:
        uvicorn.run("warehouse.serve:asgi_app", factory=True, host=args.host,
                    port=args.port, workers=worker_count(args.workers), log_level="warning",
                    access_log=False, lifespan="off")
    finally:
        shutil.rmtree(cache_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
