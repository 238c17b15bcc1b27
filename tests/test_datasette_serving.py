"""What the server refuses: writes (405), unknown paths (404, not 500), hidden files."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.lake_fixtures import LAKE_ALERTS, build_all
from tests.test_datasette_api import fetch

WRITE_METHODS = ("post", "put", "patch", "delete")
PATHS = ("/", "/alerts", "/alerts/alerts", "/alerts/alerts.json", "/alerts/alerts/1",
         "/alerts/latest_alerts", "/alerts/alerts/-/insert", "/alerts/-/create",
         "/-/trends", "/-/downloads", "/-/messages", "/-/permissions",
         "/downloads/latest/SCHEMA.md", "/foo/bar/baz/qux")


@pytest.fixture(scope="module")
def paths(tmp_path_factory) -> dict[str, Path]:
    return build_all(tmp_path_factory.mktemp("serving"))


def test_unknown_paths_are_404_not_500(paths):
    deep, deep_json, insert, table_row = fetch(
        paths, "/foo/bar/baz/qux", "/foo/bar/baz/qux.json", "/alerts/alerts/-/insert",
        "/alerts/alerts/999999")
    assert [r.status_code for r in (deep, deep_json, insert, table_row)] == [404] * 4
    assert deep_json.json()["status"] == 404 and "Error 404" in deep.text


@pytest.mark.parametrize("method", WRITE_METHODS)
def test_no_write_endpoint_exists(paths, method):
    responses = fetch(paths, *PATHS, method=method)
    assert {p: r.status_code for p, r in zip(PATHS, responses, strict=True)} == {
        p: 405 for p in PATHS}
    assert responses[0].headers["allow"] == "GET, HEAD, OPTIONS"
    (count,) = fetch(paths, "/alerts/alerts.json?_size=0")
    assert count.json()["filtered_table_rows_count"] == len(LAKE_ALERTS)


def test_downloads_hide_stamps_and_have_download_types(paths):
    stamps = sorted(p.name for p in paths["exports"].iterdir() if p.name.startswith("."))
    assert stamps, "the fixture release has its hidden input stamp"
    hidden = fetch(paths, *(f"/downloads/{name}" for name in stamps),
                   f"/downloads/latest/../{stamps[0]}", f"/downloads/latest/%2e%2e/{stamps[0]}")
    assert [r.status_code for r in hidden] == [404] * len(hidden)
    csv_gz, parquet, schema, page = fetch(
        paths, "/downloads/latest/alerts.csv.gz", "/downloads/latest/alerts.parquet",
        "/downloads/latest/SCHEMA.md", "/-/downloads")
    assert csv_gz.headers["content-type"] == "application/gzip"
    assert csv_gz.headers["content-disposition"] == 'attachment; filename="alerts.csv.gz"'
    assert csv_gz.content[:2] == b"\x1f\x8b"
    assert parquet.headers["content-type"] == "application/vnd.apache.parquet"
    assert schema.headers["content-type"].startswith("text/markdown")
    assert "alerts.csv.gz" in page.text and ".inputs" not in page.text
