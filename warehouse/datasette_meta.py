"""Datasette metadata: the hand-written datasette/metadata.yml plus generated column docs."""

from __future__ import annotations

import copy
import json
import os
from pathlib import Path

import yaml

from warehouse.tables import all_tables

DATASETTE_DIR = Path(__file__).resolve().parents[1] / "datasette"
"""The Datasette config folder (metadata.yml, templates, plugins, static)."""

METADATA_YML = DATASETTE_DIR / "metadata.yml"
METADATA_JSON = "metadata.json"
DATABASE = "alerts"


def load_metadata(tables: set[str] | None = None) -> dict:
    """metadata.yml with every table's description and column descriptions filled in.

    ``tables`` limits the table entries to tables that exist in the published database.
    """
    metadata = copy.deepcopy(yaml.safe_load(METADATA_YML.read_text()))
    configured = metadata["databases"][DATABASE].setdefault("tables", {})
    for table in all_tables():
        entry = configured.setdefault(table.name, {})
        entry.setdefault("description", table.description)
        # metadata.yml may give short descriptions for a table page; the full ones are
        # on /-/schema and in every release's SCHEMA.md
        entry["columns"] = {**{c.name: c.description for c in table.columns},
                            **entry.get("columns", {})}
    if tables is not None:
        for name in list(configured):
            if name not in tables:
                del configured[name]
    return metadata


def write_metadata(out_dir: Path, tables: set[str] | None = None) -> Path:
    """Write the merged metadata as ``out_dir/metadata.json`` (atomically); returns its path."""
    path = Path(out_dir) / METADATA_JSON
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(load_metadata(tables), indent=2, ensure_ascii=False))
    os.replace(tmp, path)
    return path
