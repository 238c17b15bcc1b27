"""A source's licence: stated once in its configuration, carried by every alert into
the lake, the warehouse and Datasette; CC BY 4.0 where the source states none."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import duckdb
from typer.testing import CliRunner

from pipelines.cli import app
from pipelines.sources.registry import build_source


def backfill(data_dir: Path, *options: str) -> None:
    argv = ["backfill", "--data-dir", str(data_dir), "--from", "2012-03", "--to", "2012-03",
            "-o", "scale=0.05", *options]
    result = CliRunner().invoke(app, argv, env={"COLUMNS": "2000"})
    assert result.exit_code == 0, result.output


def licences(data_dir: Path) -> dict[str, set[str]]:
    with duckdb.connect(str(data_dir / "warehouse.duckdb"), read_only=True) as con:
        rows = con.execute("SELECT DISTINCT licence FROM alerts").fetchall()
    warehouse = {row[0] for row in rows}
    with closing(sqlite3.connect(data_dir / "datasette" / "alerts.db")) as db:
        published = {row[0] for row in db.execute("SELECT DISTINCT licence FROM alerts")}
    return {"warehouse": warehouse, "datasette": published}


def test_a_configured_licence_reaches_warehouse_and_datasette(tmp_path: Path) -> None:
    backfill(tmp_path / "default")
    assert licences(tmp_path / "default") == {"warehouse": {"CC-BY-4.0"},
                                              "datasette": {"CC-BY-4.0"}}
    backfill(tmp_path / "stated", "-o", "licence=CC-BY-SA-4.0")
    assert licences(tmp_path / "stated") == {"warehouse": {"CC-BY-SA-4.0"},
                                             "datasette": {"CC-BY-SA-4.0"}}


def test_the_licence_option_is_not_passed_to_the_connector() -> None:
    source = build_source("sample", options={"scale": "0.05", "licence": "CC0-1.0"})
    assert source.licence == "CC0-1.0"
    assert source.name == "sample"
