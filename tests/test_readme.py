"""The README's promises, run: its two commands, its CLI, and its answer to the Africa
shutdowns question from the API and from the dump, which must agree."""

from __future__ import annotations

import asyncio
import csv
import io
import re
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from pipelines.cli import app
from tests.lake_fixtures import build_all
from tests.test_datasette_api import make_datasette

README = Path(__file__).resolve().parents[1] / "README.md"


@pytest.fixture(scope="module")
def readme() -> str:
    return README.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def paths(tmp_path_factory) -> dict[str, Path]:
    return build_all(tmp_path_factory.mktemp("readme"))


def test_the_two_commands_come_first(readme):
    first_block = readme.split("```")[1]
    assert [line.split()[:2] for line in first_block.splitlines() if line.strip()
            and not line.startswith("sh")] == [["make", "run"], ["make", "test"]]


def test_every_documented_command_exists(readme):
    documented = set(re.findall(r"^ifex-alerts ([a-z-]+)", readme, flags=re.MULTILINE))
    listing = CliRunner().invoke(app, ["--help"], terminal_width=200).output
    assert documented and all(f" {command} " in listing for command in documented), documented


def readme_answers(readme: str) -> tuple[str, str]:
    """The canned-query path and the DuckDB SQL the README gives for the Africa question."""
    url = re.search(r"http://127\.0\.0\.1:8001(/alerts/shutdowns_in_region_per_year\.json\?\S+?)>",
                    readme).group(1)
    sql = re.search(r'duckdb\.sql\(\\"(.+?)\\"\)', readme).group(1)
    return url, sql


def test_api_and_dump_give_the_same_africa_shutdown_counts(readme, paths):
    url, sql = readme_answers(readme)
    dump_sql = sql.replace("data/exports/latest/", f"{paths['exports']}/latest/")
    with duckdb.connect() as con:
        from_dump = [tuple(row) for row in con.execute(dump_sql).fetchall()]

    async def get() -> list[dict]:
        return (await make_datasette(paths).client.get(url)).json()

    from_api = [(row["year"], row["alerts"]) for row in asyncio.run(get())]
    assert from_dump and from_api == from_dump


def test_the_readme_csv_of_a_filtered_table_has_all_its_rows(readme, paths):
    """The README's spreadsheet path: a filtered table's CSV is every matching row, as a
    download, even past the API's row cap (here 2)."""
    from tests.lake_fixtures import LAKE_ALERTS
    from tests.test_datasette_api import fetch

    path = re.search(r"<http://127\.0\.0\.1:8001(/alerts/alerts\.csv\?[^>]+)>", readme)[1]
    (response,) = fetch(paths, path, max_returned_rows=2)
    query = dict(pair.split("=") for pair in path.split("?")[1].split("&"))
    expected = [a for a in LAKE_ALERTS if a["primary_country"] == query["primary_country"]
                and a["year"] >= int(query["year__gte"])]
    assert len(expected) > 2
    assert response.headers["content-disposition"].startswith("attachment")
    assert len(list(csv.DictReader(io.StringIO(response.text)))) == len(expected)


def test_the_readme_promises_what_the_serving_and_automation_tests_check(readme):
    """The user paths the slower tests exercise (tests/test_ui_automation.py,
    tests/test_datasette_reload.py) are the README's."""
    from pipelines.definitions import defs

    assert "assets follow automatically: `publish_automation_sensor` (on by default" in readme
    sensor = next(s for s in defs.sensors if s.name == "publish_automation_sensor")
    assert sensor.default_status.value == "RUNNING"
    assert "serves each new publish\nwithout a restart" in readme
