"""The Datasette command line that serves the published database in production mode."""

from __future__ import annotations

import sys
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


def datasette_command(data_dir: Path, host: str = "127.0.0.1", port: int = 8001) -> list[str]:
    """``python -m datasette serve`` arguments for the published database (immutable)."""
    paths = datasette_paths(data_dir)
    command = [sys.executable, "-m", "datasette", "serve", "-i", str(paths["db"]),
               "--host", host, "--port", str(port), "--metadata", str(paths["metadata"]),
               "--template-dir", str(DATASETTE_DIR / "templates"),
               "--plugins-dir", str(DATASETTE_DIR / "plugins"),
               "--static", f"assets:{DATASETTE_DIR / 'static'}", "--cors"]
    if paths["inspect"].exists():
        command += ["--inspect-file", str(paths["inspect"])]
    if paths["exports"].exists():
        command += ["--static", f"downloads:{paths['exports']}"]
    for name, value in SETTINGS.items():
        command += ["--setting", name, value]
    return command
