"""Facet-click pages at a million alerts: indexed array filters and precomputed counts."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from tests.lake_fixtures import LAKE_ALERTS, build_all
from tests.test_datasette_api import fetch
from warehouse.publish import inspect_path

CLICKS = ("language=ar", "year=2023", "primary_country=ET",
          "categories__arraycontains=internet_shutdown",
          "victim_types__arraycontains=journalist", "regions__arraycontains=Africa",
          "countries__arraycontains=KE")


@pytest.fixture(scope="module")
def paths(tmp_path_factory) -> dict[str, Path]:
    return build_all(tmp_path_factory.mktemp("facets"))


def json_count(sqlite_path: Path, column: str, value: str) -> int:
    """Alerts whose JSON list ``column`` holds ``value``, counted from the JSON itself."""
    con = sqlite3.connect(sqlite_path)
    try:
        return con.execute(f"SELECT count(*) FROM alerts WHERE ? IN (SELECT value FROM "
                           f"json_each(alerts.{column}))", [value]).fetchone()[0]
    finally:
        con.close()


def facets(response) -> dict[str, dict]:
    return {name: {r["value"]: r["count"] for r in facet["results"]}
            for name, facet in response.json()["facet_results"].items()}


def test_array_filters_read_the_index_and_count_like_the_json(paths):
    for column, value in (("categories", "internet_shutdown"), ("victim_types", "journalist"),
                          ("countries", "KE"), ("regions", "Africa")):
        (page,) = fetch(paths, f"/alerts/alerts.json?{column}__arraycontains={value}&_size=max")
        body = page.json()
        assert "alert_array_items" in body["query"]["sql"] and "json_each" not in \
            body["query"]["sql"]
        expected = json_count(paths["sqlite"], column, value)
        assert body["filtered_table_rows_count"] == len(body["rows"]) == expected > 0
        assert f'{column} contains "{value}"' in body["human_description_en"]
    (other,) = fetch(paths, "/alerts/alerts.json?source_terms__arraycontains=Internet&_size=0")
    assert "json_each" in other.json()["query"]["sql"], "unindexed lists keep the built-in"


def test_facet_click_pages_agree_with_live_counts(paths):
    """Precomputed facets of a single-filter page equal the live counts of the same rows
    (``_where=1`` makes the page count live)."""
    for click in CLICKS:
        precomputed, live = fetch(paths, f"/alerts/alerts.json?{click}&_size=0",
                                  f"/alerts/alerts.json?{click}&_where=1&_size=0")
        assert facets(precomputed) == facets(live), click
        assert precomputed.json()["filtered_table_rows_count"] == live.json()[
            "filtered_table_rows_count"]
    (page,) = fetch(paths, "/alerts/alerts.json?language=ar&_size=0")
    assert facets(page)["language"] == {"ar": sum(a["language"] == "ar" for a in LAKE_ALERTS)}


def test_facet_click_pages_read_precomputed_and_index_only_counts(paths, tmp_path):
    """In a copy of the database, a changed filtered_facet_counts row shows on the facet
    click page (a page with two filters counts live), and index entries without rows
    show in the counts of a single list filter and of a search (made on the index)."""
    copy = tmp_path / "alerts.db"
    shutil.copy(paths["sqlite"], copy)
    shutil.copy(paths["sqlite"].parent / "metadata.json", tmp_path / "metadata.json")
    shutil.copy(inspect_path(paths["sqlite"]), inspect_path(copy))
    con = sqlite3.connect(copy)
    con.execute("UPDATE filtered_facet_counts SET count = 9999 WHERE filter_facet = "
                "'categories' AND filter_value = 'internet_shutdown' AND facet = 'year' "
                "AND value = 2024")
    # index entries without their alerts row: only a count made on the index sees them
    con.execute("INSERT INTO alert_array_items VALUES ('categories', 'internet_shutdown', "
                "2024, 999999)")
    con.execute("INSERT INTO alerts_fts (rowid, title, text) VALUES (999999, 'qqzz', 'qqzz')")
    con.commit()
    con.close()
    tampered = dict(paths, sqlite=copy)
    one, two, search = fetch(
        tampered, "/alerts/alerts.json?categories__arraycontains=internet_shutdown",
        "/alerts/alerts.json?categories__arraycontains=internet_shutdown&year=2024",
        "/alerts/alerts.json?_search=qqzz&_count=1")
    shutdowns = sum("internet_shutdown" in a["categories"] for a in LAKE_ALERTS)
    assert facets(one)["year"][2024] == 9999
    assert one.json()["filtered_table_rows_count"] == shutdowns + 1, "counted on the index"
    assert search.json()["filtered_table_rows_count"] == 1 and search.json()["rows"] == []
    assert facets(two)["year"][2024] == two.json()["filtered_table_rows_count"] == sum(
        a["year"] == 2024 and "internet_shutdown" in a["categories"] for a in LAKE_ALERTS)


def test_list_filter_forms_beside_other_filters(paths):
    """Beside year=Y the list filter reads that year's index range, beside another
    selective equality it probes the index per row; the rows are the same either way."""
    cases = {"year=2024": "and year = :p", "primary_country=ET": "exists (",
             "language=en": "rowid in (select"}
    for other, form in cases.items():
        column, value = other.split("=")
        (page,) = fetch(paths, "/alerts/alerts.json?categories__arraycontains=internet_shutdown"
                               f"&{other}&_shape=objects&_size=max")
        expected = sorted(a["alert_id"] for a in LAKE_ALERTS if "internet_shutdown" in
                          a["categories"] and str(a[column]) == value)
        assert form in page.json()["query"]["sql"], other
        assert sorted(r["alert_id"] for r in page.json()["rows"]) == expected and expected
        assert page.json()["filtered_table_rows_count"] == len(expected)


def test_single_list_filter_pages_page_through_every_match(paths):
    """The first-page query of a single-list-filter page reads one page of the index;
    following next_url still reaches every match, newest first, each once."""
    seen, url = [], "/alerts/alerts.json?victim_types__arraycontains=journalist&_size=4"
    while url:
        (page,) = fetch(paths, url)
        seen += [row[1] for row in page.json()["rows"]]
        url = page.json()["next_url"] and page.json()["next_url"].replace("http://localhost", "")
    (everything,) = fetch(paths, "/alerts/alerts.json?victim_types__arraycontains=journalist"
                                 "&_where=1&_size=max")
    assert seen == [row[1] for row in everything.json()["rows"]]
    assert len(seen) == sum("journalist" in a["victim_types"] for a in LAKE_ALERTS) > 4


def test_region_and_year_page(paths):
    (page,) = fetch(paths, "/alerts/alerts.json?regions__arraycontains=Africa&year=2024"
                           "&_size=max")
    rows = page.json()["rows"]
    regions_at = page.json()["columns"].index("regions")
    assert rows and all("Africa" in json.loads(r[regions_at]) for r in rows)
    assert page.json()["filtered_table_rows_count"] == len(rows)
