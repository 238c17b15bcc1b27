"""Hostile requests against the published API (datasette/plugins/ifex_limits.py,
ifex_requests.py, ifex_private.py, ifex_origin.py): memory bombs, fts3_tokenizer, bad
table arguments, server paths, debug pages and the Host header."""

from __future__ import annotations

import resource
import subprocess
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest

from tests.lake_fixtures import build_all
from tests.test_datasette_api import fetch, free_port, wait_for
from warehouse.serve import datasette_command

BOMBS = {
    "randomblob": "select length(randomblob(1000000000))",
    "zeroblob": "select length(zeroblob(1000000000))",
    "replace": "select length(" + "replace(" * 4 + "hex(randomblob(200000))"
               + ", 'A', 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')" * 4 + ")",
    "many columns": "select " + ", ".join(["zeroblob(4000000)"] * 80),
    "many rows": "select zeroblob(3000000) from alerts limit 40",
}
"""Each would take the server to hundreds of MB to GBs; each is refused within limits."""


@pytest.fixture(scope="module")
def paths(tmp_path_factory) -> dict[str, Path]:
    return build_all(tmp_path_factory.mktemp("hostile"))


def sql(query: str) -> str:
    return f"/alerts.json?sql={quote(query)}"


def test_memory_bombs_are_refused_with_400_and_little_memory(paths):
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    responses = fetch(paths, *(sql(q) for q in BOMBS.values()))
    grown_mib = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert {n: r.status_code for n, r in zip(BOMBS, responses, strict=True)} == {
        n: 400 for n in BOMBS}
    errors = [r.json()["error"] for r in responses]
    assert errors[0] == "string or blob too big" and "result larger" in errors[-1]
    assert grown_mib < 400, f"the bombs grew the process by {grown_mib:.0f} MiB"
    ok, printf = fetch(paths, sql("select length(randomblob(1000000)) as n"),
                       sql("select length(printf('%.*c', 1000000000, 'x'))"))
    assert ok.status_code == 200 and ok.json()["rows"] == [[1000000]]
    assert printf.json()["rows"] == [[None]], "SQLite's printf stops at the length limit"


def test_fts3_tokenizer_and_server_paths_are_not_served(paths):
    tokenizer, tokenizer_set, databases, listing = fetch(
        paths, sql("select fts3_tokenizer('simple')"),
        sql("select fts3_tokenizer('mine', x'0000000000000000')"),
        sql("select * from pragma_database_list"), "/-/databases.json")
    assert tokenizer.status_code == tokenizer_set.status_code == 400
    assert "not authorized" in tokenizer.json()["error"]
    assert databases.status_code == 200
    assert databases.json()["rows"] == [[0, "main", None]]
    assert listing.status_code == 200 and listing.json()[0]["name"] == "alerts"
    root = str(paths["data"])
    assert all(root not in r.text for r in (databases, listing))


BAD_ARGUMENTS = (
    "/alerts/alerts.json?_sort=no_such_column", "/alerts/alerts?_sort=no_such_column",
    "/alerts/alerts.json?_sort_desc=no_such_column",
    "/alerts/alerts.json?_sort=year&_sort_desc=year",
    "/alerts/country_trends.json?_sort=no_such_column",
    "/alerts/alerts.json?_through=not-json", '/alerts/alerts.json?_through={"table":"x"}',
    '/alerts/alerts.json?_through=["a"]',
    '/alerts/alerts.json?_through={"table":"nope","column":"c","value":"v"}',
    '/alerts/alerts.json?_through={"table":"countries","column":"code","value":"ET"}',
)


def test_bad_sort_and_through_are_400(paths):
    responses = fetch(paths, *BAD_ARGUMENTS)
    assert {u: r.status_code for u, r in zip(BAD_ARGUMENTS, responses, strict=True)} == {
        u: 400 for u in BAD_ARGUMENTS}
    good = fetch(paths, "/alerts/alerts.json?_sort=year&_size=1",
                 "/alerts/alerts.json?_sort_desc=published&_size=1",
                 "/alerts/alerts.json?_sort=rowid&_size=1",
                 "/alerts/country_trends.json?_sort=year&_size=1")
    assert [r.status_code for r in good] == [200] * 4


CLOSED = ("/-/allow-debug", "/-/messages", "/-/patterns", "/-/threads", "/-/threads.json",
          "/-/actor.json", "/-/permissions", "/-/auth-token", "/-/logout", "/-/versions.json",
          "/-/plugins.json")


def test_debug_pages_are_closed(paths):
    responses = fetch(paths, *CLOSED)
    assert {p: r.status_code for p, r in zip(CLOSED, responses, strict=True)} == {
        p: 404 for p in CLOSED}
    still = fetch(paths, "/-/settings.json", "/-/metadata.json", "/-/trends")
    assert [r.status_code for r in still] == [200] * 3


def test_links_do_not_come_from_the_host_header(paths):
    """A real server on 127.0.0.1: a forged Host never reaches facet or next links."""
    port = free_port()
    process = subprocess.Popen(datasette_command(paths["data"], port=port),
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_for(f"{base}/alerts.json", seconds=60)
        url = f"{base}/alerts/alerts.json?_facet=language&_size=1"
        forged = httpx.get(url, headers={"host": "evil.example"}, timeout=10)
        assert forged.status_code == 200 and "evil.example" not in forged.text
        toggle = forged.json()["facet_results"]["language"]["results"][0]["toggle_url"]
        assert toggle.startswith(f"{base}/alerts/alerts.json?")
        assert forged.json()["next_url"].startswith(base)
        html = httpx.get(f"{base}/alerts/alerts?_facet=language",
                         headers={"host": "evil.example"}, timeout=10)
        assert "evil.example" not in html.text
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_a_configured_public_url_names_the_links(paths, monkeypatch):
    monkeypatch.setenv("IFEX_ALERTS_PUBLIC_URL", "https://alerts.example.org")
    (page,) = fetch(paths, "/alerts/alerts.json?_size=1")
    assert page.json()["next_url"].startswith("https://alerts.example.org/alerts/alerts.json")
