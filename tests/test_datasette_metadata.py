"""Every served table, view and column has a description; trend views stream in full."""

from __future__ import annotations

import csv
import io
import sqlite3
from pathlib import Path

import pytest
import yaml

from tests.lake_fixtures import build_all
from tests.test_datasette_api import fetch
from warehouse.datasette_meta import METADATA_YML


@pytest.fixture(scope="module")
def paths(tmp_path_factory) -> dict[str, Path]:
    return build_all(tmp_path_factory.mktemp("metadata"))


def served_columns(sqlite_path: Path) -> dict[str, list[str]]:
    """Columns of every table and view Datasette serves, FTS and sqlite_* tables aside."""
    con = sqlite3.connect(sqlite_path)
    try:
        rows = con.execute("SELECT name, type, sql FROM sqlite_master "
                           "WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%'"
                           ).fetchall()
        virtual = [n for n, _, sql in rows if sql.upper().startswith("CREATE VIRTUAL")]
        names = [n for n, _, _ in rows
                 if not any(n == v or n.startswith(f"{v}_") for v in virtual)]
        return {n: [r[1] for r in con.execute(f'PRAGMA table_info("{n}")')] for n in names}
    finally:
        con.close()


def test_every_table_and_column_has_a_description(paths):
    (response,) = fetch(paths, "/-/metadata.json")
    described = response.json()["databases"]["alerts"]["tables"]
    served = served_columns(paths["sqlite"])
    assert {"alerts", "facet_counts", "country_profiles", "alert_array_items"} <= set(served)
    missing = {name: [c for c in columns
                      if not described.get(name, {}).get("columns", {}).get(c)]
               for name, columns in served.items()}
    assert {n: c for n, c in missing.items() if c} == {}
    assert [n for n in served if not described.get(n, {}).get("description")] == []


def test_filtered_facets_are_the_default_facets():
    from warehouse.sqlite_layout import FILTERED_FACETS

    tables = yaml.safe_load(METADATA_YML.read_text())["databases"]["alerts"]["tables"]
    defaults = [f["array"] if isinstance(f, dict) else f for f in tables["alerts"]["facets"]]
    assert sorted(defaults) == sorted(FILTERED_FACETS)


def csv_rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def test_trend_views_stream_past_max_returned_rows(paths):
    """Datasette 0.65 caps a query's CSV at max_returned_rows; the views stream in full
    (page by page: the page size must stay under max_returned_rows, as in production)."""
    limit = 5
    con = sqlite3.connect(paths["sqlite"])
    expected = {v: con.execute(f"SELECT count(*) FROM {v}").fetchone()[0]
                for v in ("country_profiles", "country_trends", "category_trends")}
    et_rows = con.execute("SELECT count(*) FROM country_profiles WHERE country = 'ET'"
                          ).fetchone()[0]
    con.close()
    assert all(n > limit for n in expected.values()) and et_rows > limit
    streamed = fetch(paths, *(f"/alerts/{v}.csv?_stream=on" for v in expected),
                     "/alerts/country_profiles.csv?country=ET&_stream=on",
                     "/alerts/country_profile.csv?country=ET&_stream=on",
                     max_returned_rows=limit, default_page_size=limit - 2)
    *views, et_view, et_query = (csv_rows(r.text) for r in streamed)
    assert [len(rows) for rows in views] == list(expected.values())
    assert len(et_view) == et_rows and len(et_query) == limit, "the query's CSV is capped"
    assert [(r["year"], r["category"], r["alerts"]) for r in et_view[:limit]] == [
        (r["year"], r["category"], r["alerts"]) for r in et_query]


def test_views_answer_like_the_canned_queries(paths):
    view, query, trend_view, trend_query = fetch(
        paths, "/alerts/region_shutdowns.json?region=Africa&year__gte=2011&_shape=array",
        "/alerts/shutdowns_in_region_per_year.json?region=Africa&since=2011&_shape=array",
        "/alerts/country_trends.json?country=KE&category=all&_shape=array&_size=max",
        "/alerts/country_region_world.json?country=KE&category=&_shape=array")
    assert [(r["year"], r["alerts"]) for r in view.json()] == [
        (r["year"], r["alerts"]) for r in query.json()]
    assert [(r["year"], r["country_alerts"], r["region_alerts"], r["world_alerts"])
            for r in trend_view.json()] == [(r["year"], r["country"], r["region"], r["world"])
                                            for r in trend_query.json()]


def test_csv_streams_read_pages_of_max_returned_rows(paths):
    """A stream is read in pages of max_returned_rows (``_size=max``, ifex_csv.py), not of
    the default page size: with max_returned_rows below the page size, Datasette alone
    would stop after the first 5 rows."""
    con = sqlite3.connect(paths["sqlite"])
    expected = con.execute("SELECT count(*) FROM country_trends").fetchone()[0]
    con.close()
    (streamed,) = fetch(paths, "/alerts/country_trends.csv?_stream=on", max_returned_rows=5)
    assert len(csv_rows(streamed.text)) == expected > 5
