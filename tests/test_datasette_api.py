"""The published SQLite through Datasette's own test client and one real process."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import socket
import sqlite3
import subprocess
import time
from pathlib import Path

import duckdb
import httpx
import pytest
from datasette.app import Datasette

from tests.lake_fixtures import LAKE_ALERTS, LOSING_DUPLICATES, RARE_WORD, build_all
from warehouse.datasette_meta import DATASETTE_DIR
from warehouse.publish import inspect_path
from warehouse.serve import SETTINGS, datasette_command


@pytest.fixture(scope="module")
def paths(tmp_path_factory) -> dict[str, Path]:
    return build_all(tmp_path_factory.mktemp("datasette"))


def make_datasette(paths: dict[str, Path], **overrides: int) -> Datasette:
    """A Datasette configured like ``ifex-alerts serve`` (immutable, inspect counts, plugins);
    ``overrides`` replace settings (e.g. max_returned_rows=5)."""
    metadata = json.loads((paths["sqlite"].parent / "metadata.json").read_text())
    settings = {k: (v == "on") if v in ("on", "off") else int(v) for k, v in SETTINGS.items()}
    settings |= overrides
    return Datasette(
        immutables=[str(paths["sqlite"])], metadata=metadata, settings=settings,
        inspect_data=json.loads(inspect_path(paths["sqlite"]).read_text()),
        template_dir=str(DATASETTE_DIR / "templates"),
        plugins_dir=str(DATASETTE_DIR / "plugins"), cors=True,
        static_mounts=[("assets", str(DATASETTE_DIR / "static")),
                       ("downloads", str(paths["exports"]))],
    )


def fetch(paths: dict[str, Path], *urls: str, method: str = "get", **overrides: int
          ) -> list[httpx.Response]:
    async def run() -> list[httpx.Response]:
        ds = make_datasette(paths, **overrides)
        return [await getattr(ds.client, method)(url) for url in urls]
    return asyncio.run(run())


def test_sqlite_matches_the_warehouse(paths):
    with duckdb.connect(str(paths["db"]), read_only=True) as con:
        expected = {n: con.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for (n,) in
                    con.execute("SELECT table_name FROM information_schema.tables "
                                "WHERE table_schema = 'main'").fetchall()}
    lite = sqlite3.connect(paths["sqlite"])
    actual = {n: lite.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in expected}
    row = lite.execute("SELECT countries, published FROM alerts WHERE alert_id = ?",
                       [LAKE_ALERTS[4]["alert_id"]]).fetchone()
    assert actual == expected
    assert json.loads(row[0]) == ["ET", "KE"] and row[1] == str(LAKE_ALERTS[4]["published"])
    counts = json.loads(inspect_path(paths["sqlite"]).read_text())["alerts"]["tables"]
    assert counts["alerts"]["count"] == len(LAKE_ALERTS)


def test_filters_facets_and_search(paths):
    filtered, faceted, searched, rare_in_title = fetch(
        paths,
        "/alerts/alerts.json?primary_country=ET&year=2023&_size=0",
        "/alerts/alerts.json?_size=0",
        f"/alerts/alerts.json?_search={RARE_WORD}&_shape=objects",
        "/alerts/alerts.json?_search=shutdown&_size=0&_count=1",
    )
    expected = sum(1 for a in LAKE_ALERTS if a["primary_country"] == "ET" and a["year"] == 2023)
    assert filtered.json()["filtered_table_rows_count"] == expected
    facets = faceted.json()["facet_results"]
    assert set(facets) == {"primary_country", "year", "categories", "victim_types", "language"}
    shutdown = next(v for v in facets["categories"]["results"] if v["value"] == "internet_shutdown")
    assert shutdown["count"] == sum("internet_shutdown" in a["categories"] for a in LAKE_ALERTS)
    assert [r["source_id"] for r in searched.json()["rows"]] == ["fx-017"]
    assert searched.json()["facet_results"] == {}, "search pages skip facets"
    assert searched.json()["filtered_table_rows_count"] is None, "and the count"
    assert rare_in_title.json()["filtered_table_rows_count"] == sum(
        "internet_shutdown" in a["categories"] for a in LAKE_ALERTS)


def test_facets_precomputed_and_live_agree_with_the_lake(paths):
    unfiltered, filtered = fetch(paths, "/alerts/alerts.json?_size=0",
                                 "/alerts/alerts.json?_size=0&year=2023")
    for response, alerts in ((unfiltered, LAKE_ALERTS),
                             (filtered, [a for a in LAKE_ALERTS if a["year"] == 2023])):
        facets = response.json()["facet_results"]
        for column in ("categories", "victim_types"):
            expected: dict[str, int] = {}
            for a in alerts:
                for value in a[column]:
                    expected[value] = expected.get(value, 0) + 1
            assert {r["value"]: r["count"] for r in facets[column]["results"]} == expected
        countries = {r["value"]: r["count"] for r in facets["primary_country"]["results"]}
        assert countries["ET"] == sum(a["primary_country"] == "ET" for a in alerts)
    assert "categories__arraycontains=internet_shutdown" in next(
        r["toggle_url"] for r in unfiltered.json()["facet_results"]["categories"]["results"]
        if r["value"] == "internet_shutdown")


def test_canned_queries_answer_the_readme_questions(paths):
    africa, profile, trend, latest, comparison, timeline, shutdowns = fetch(
        paths,
        "/alerts/shutdowns_in_region_per_year.json?region=Africa&since=2011&_shape=array",
        "/alerts/country_profile.json?country=et&_shape=array",
        "/alerts/category_trend.json?category=censorship&_shape=array",
        "/alerts/latest_alerts.json?_shape=array",
        "/alerts/country_region_world.json?country=KE&category=&_shape=array",
        "/alerts/case_timeline.json?min_alerts=1&country=&_shape=array",
        "/alerts/internet_shutdowns_by_country.json?country=ET&year=&_shape=array",
    )
    africa_expected: dict[int, int] = {}
    for a in LAKE_ALERTS:
        if "internet_shutdown" in a["categories"] and {"ET", "KE", "SD"} & set(a["countries"]):
            africa_expected[a["year"]] = africa_expected.get(a["year"], 0) + 1
    assert {r["year"]: r["alerts"] for r in africa.json()} == africa_expected
    assert {r["category"] for r in profile.json()} >= {"all", "internet_shutdown"}
    assert sum(r["alerts"] for r in trend.json()) == sum(
        "censorship" in a["categories"] for a in LAKE_ALERTS)
    assert latest.json()[0]["published"] == str(max(a["published"] for a in LAKE_ALERTS))
    rows = comparison.json()
    assert all(r["country"] <= r["region"] <= r["world"] for r in rows) and rows
    assert len(timeline.json()) == len(LAKE_ALERTS)
    assert sum(r["alerts"] for r in shutdowns.json()) == sum(
        "ET" in a["countries"] and "internet_shutdown" in a["categories"] for a in LAKE_ALERTS)


def test_streamed_csv_has_every_row(paths):
    (response,) = fetch(paths, "/alerts/alerts.csv?_stream=on&_size=max&_labels=off")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert response.status_code == 200 and len(rows) == len(LAKE_ALERTS)
    assert json.loads(rows[0]["categories"]) is not None


def test_metadata_documents_columns_and_licence(paths):
    (response,) = fetch(paths, "/-/metadata.json")
    metadata = response.json()
    columns = metadata["databases"]["alerts"]["tables"]["alerts"]["columns"]
    assert metadata["license"] == "CC BY 4.0"
    assert "primary_country" in columns and "label_confidence" in columns
    assert "source_terms" in columns
    assert "duplicate_of" in metadata["databases"]["alerts"]["tables"]["alert_duplicates"][
        "columns"]


def test_duplicates_and_source_terms_are_served(paths):
    duplicates, alert, tagged = fetch(
        paths, "/alerts/alert_duplicates.json?_shape=array",
        "/alerts/alerts.json?_shape=array&alert_id=" + LAKE_ALERTS[0]["alert_id"],
        "/alerts/alerts.json?source_terms__arraycontains=Internet&_size=0")
    assert sorted(r["alert_id"] for r in duplicates.json()) == sorted(
        a["alert_id"] for a in LOSING_DUPLICATES)
    assert {r["duplicate_of"] for r in duplicates.json()} <= {a["alert_id"] for a in LAKE_ALERTS}
    assert json.loads(alert.json()[0]["source_terms"]) == LAKE_ALERTS[0]["source_terms"]
    assert tagged.json()["filtered_table_rows_count"] == sum(
        "Internet" in a["source_terms"] for a in LAKE_ALERTS) > 0


def test_html_table_and_search_pages(paths):
    table, search, counted = fetch(paths, "/alerts/alerts", "/alerts/alerts?_search=shutdown",
                                   "/alerts/alerts?_search=shutdown&_count=1")
    assert table.status_code == 200 and "internet_shutdown" in table.text
    assert "categories__arraycontains=internet_shutdown" in table.text
    shutdowns = sum("internet_shutdown" in a["categories"] for a in LAKE_ALERTS)
    assert "where search matches" in search.text and f"<h3>{shutdowns} rows" in search.text
    assert 'class="facet-info' in search.text, "a search page keeps its facets"
    assert f"<h3>{shutdowns} rows" in counted.text


def test_trends_and_downloads_pages(paths):
    trends, downloads, schema = fetch(paths, "/-/trends?country=ET", "/-/downloads",
                                      "/downloads/latest/SCHEMA.md")
    assert trends.status_code == 200 and trends.text.count("<svg") >= 4
    assert "Internet shutdown" in trends.text
    assert "alerts.parquet" in downloads.text and "CC BY 4.0" in downloads.text
    assert schema.status_code == 200 and "## alerts" in schema.text


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, seconds: float = 60) -> httpx.Response:
    deadline = time.monotonic() + seconds
    while True:
        try:
            return httpx.get(url, timeout=2)
        except httpx.TransportError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def test_real_datasette_process_serves_read_only(paths):
    port = free_port()
    process = subprocess.Popen(datasette_command(paths["data"], port=port),
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        base = f"http://127.0.0.1:{port}"
        page = wait_for(f"{base}/alerts/alerts.json?_size=1")
        assert page.status_code == 200
        assert page.json()["filtered_table_rows_count"] == len(LAKE_ALERTS)
        assert page.headers["access-control-allow-origin"] == "*"
        settings = httpx.get(f"{base}/-/settings.json").json()
        assert settings["suggest_facets"] is False and settings["max_csv_mb"] == 0
        write = httpx.post(f"{base}/alerts", data={"sql": "delete from alerts"})
        assert write.status_code == 405
        assert httpx.get(f"{base}/foo/bar/baz/qux").status_code == 404
        still = httpx.get(f"{base}/alerts/alerts.json?_size=0").json()
        assert still["filtered_table_rows_count"] == len(LAKE_ALERTS)
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_plain_search_pages_read_only_a_page_of_matches_and_page_on(paths):
    """ifex_search: a plain search page limits the FTS subquery to one page (its SQL says
    so), paging with _next still reaches every match, in the same order as an unlimited
    search; filtered searches, CSV streams and _where keep the built-in query."""
    expected = [a["alert_id"] for a in LAKE_ALERTS if "internet_shutdown" in a["categories"]]
    seen, url, sqls = [], "/alerts/alerts.json?_search=shutdown&_size=3", []
    while url:
        (page,) = fetch(paths, url)
        body = page.json()
        sqls.append(body["query"]["sql"])
        seen += [row[1] for row in body["rows"]]
        url = body["next_url"] and body["next_url"].replace("http://localhost", "")
    assert sorted(seen) == sorted(expected) and len(seen) == len(set(seen))
    assert all("order by rowid limit :search_limit)" in sql for sql in sqls)
    counted, filtered, streamed, where = fetch(
        paths, "/alerts/alerts.json?_search=shutdown&_count=1&_size=max",
        "/alerts/alerts.json?_search=shutdown&primary_country=ET&_shape=array",
        "/alerts/alerts.csv?_search=shutdown&_stream=on&_size=2",
        "/alerts/alerts.json?_where=year%3D2024&_size=0&_count=1")
    assert [row[1] for row in counted.json()["rows"]] == seen
    assert "search_limit" not in counted.json()["query"]["sql"]
    assert sorted(r["alert_id"] for r in filtered.json()) == sorted(
        a["alert_id"] for a in LAKE_ALERTS
        if "internet_shutdown" in a["categories"] and a["primary_country"] == "ET")
    assert len(list(csv.DictReader(io.StringIO(streamed.text)))) == len(expected)
    assert where.json()["filtered_table_rows_count"] == sum(a["year"] == 2024
                                                            for a in LAKE_ALERTS)
