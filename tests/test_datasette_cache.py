"""The response cache (datasette/plugins/ifex_cache.py): kept per published version, ETag
and 304, single flight for identical misses, streams passed through whole, and a new
publish served at once (real HTTP on 127.0.0.1)."""

from __future__ import annotations

import asyncio
import csv
import io
import os
import subprocess
from pathlib import Path

import httpx
import pytest

from datasette.plugins import pm
from tests.lake_fixtures import LAKE_ALERTS, alert_row, build_all
from tests.test_datasette_api import free_port, make_datasette, wait_for
from tests.test_datasette_reload import republish
from warehouse.serve import datasette_command

TABLE = "/alerts/alerts.json?_size=0&_facet=language"


@pytest.fixture(scope="module")
def paths(tmp_path_factory) -> dict[str, Path]:
    return build_all(tmp_path_factory.mktemp("cache"))


async def started(paths):
    """A Datasette like the server's: startup hooks run before the first request."""
    ds = make_datasette(paths)
    await ds.invoke_startup()
    return ds


def cache_plugin():
    return next(p for p in pm.get_plugins() if pm.get_name(p) == "ifex_cache.py")


def count_queries(ds) -> list[str]:
    """Every SQL statement the alerts database runs from now on."""
    db, executed = ds.get_database("alerts"), []
    execute = db.execute

    async def counted(sql, *args, **kwargs):
        executed.append(sql)
        return await execute(sql, *args, **kwargs)

    db.execute = counted
    return executed


def test_a_repeated_request_is_answered_from_the_cache(paths):
    async def scenario():
        ds = await started(paths)
        first = await ds.client.get(TABLE)
        executed = count_queries(ds)
        second = await ds.client.get(TABLE)
        return first, second, executed

    first, second, executed = asyncio.run(scenario())
    assert first.status_code == second.status_code == 200
    assert first.headers["x-ifex-cache"] == "miss" and second.headers["x-ifex-cache"] == "hit"
    assert second.content == first.content and executed == []
    assert second.headers["etag"] == first.headers["etag"]
    assert second.headers["cache-control"] == "max-age=60"


def test_if_none_match_gets_304(paths):
    async def scenario():
        ds = await started(paths)
        page = await ds.client.get(TABLE)
        same = await ds.client.get(TABLE, headers={"if-none-match": page.headers["etag"]})
        other = await ds.client.get(TABLE, headers={"if-none-match": '"something-else"'})
        return page, same, other

    page, same, other = asyncio.run(scenario())
    assert same.status_code == 304 and same.content == b""
    assert same.headers["etag"] == page.headers["etag"]
    assert other.status_code == 200 and other.content == page.content


def test_concurrent_identical_misses_are_computed_once(paths):
    async def scenario():
        ds = await started(paths)
        await ds.client.get("/alerts/countries.json")  # startup and schemas
        executed = count_queries(ds)
        pages = await asyncio.gather(*(ds.client.get(TABLE) for _ in range(8)))
        return pages, executed

    pages, executed = asyncio.run(scenario())
    assert sorted(p.headers["x-ifex-cache"] for p in pages) == ["hit"] * 7 + ["miss"]
    assert len({p.content for p in pages}) == 1
    (lone,) = asyncio.run(single_request_queries(paths))
    assert len(executed) == lone, "the eight requests ran the SQL of one"


async def single_request_queries(paths) -> list[int]:
    ds = await started(paths)
    await ds.client.get("/alerts/countries.json")
    executed = count_queries(ds)
    await ds.client.get(TABLE)
    return [len(executed)]


def test_a_long_stream_passes_through_whole_and_uncached(paths, monkeypatch):
    monkeypatch.setattr(cache_plugin(), "MAX_ENTRY_BYTES", 2000)
    url = "/alerts/alerts.csv?_stream=on&_size=5"

    async def scenario():
        ds = await started(paths)
        return [await ds.client.get(url) for _ in range(2)]

    first, second = asyncio.run(scenario())
    for response in (first, second):
        assert response.status_code == 200 and "x-ifex-cache" not in response.headers
        assert len(list(csv.DictReader(io.StringIO(response.text)))) == len(LAKE_ALERTS)
    assert len(first.content) > 2000 and second.content == first.content


def test_requests_with_credentials_and_errors_are_not_kept(paths):
    async def scenario():
        ds = await started(paths)
        return [await ds.client.get(u, headers=h) for u, h in (
            (TABLE, {"authorization": "Bearer x"}), (TABLE, {"authorization": "Bearer x"}),
            ("/alerts.json?sql=select+nope", {}), ("/alerts.json?sql=select+nope", {}))]

    responses = asyncio.run(scenario())
    assert all("x-ifex-cache" not in r.headers for r in responses[:2])
    assert [r.status_code for r in responses[2:]] == [400, 400]
    assert [r.headers.get("x-ifex-cache") for r in responses[2:]] == [None, None]


def test_a_new_publish_empties_the_cache_of_a_running_server(tmp_path):
    paths = build_all(tmp_path / "data")
    port = free_port()
    process = subprocess.Popen(datasette_command(paths["data"], port=port, workers=1),
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{base}/alerts.json", seconds=60)
        url = f"{base}/alerts/alerts.json?_size=0"
        before = [httpx.get(url, timeout=10) for _ in range(2)]
        assert [r.headers["x-ifex-cache"] for r in before] == ["miss", "hit"]
        republish(paths, tmp_path, [*LAKE_ALERTS, alert_row(100)])
        after = httpx.get(url, headers={"if-none-match": before[0].headers["etag"]},
                          timeout=10)
        assert after.status_code == 200 and after.headers["x-ifex-cache"] == "miss"
        assert after.json()["filtered_table_rows_count"] == len(LAKE_ALERTS) + 1
        assert after.headers["etag"] != before[0].headers["etag"]
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_every_worker_process_serves_a_new_publish(tmp_path):
    """Two server processes on one port (warehouse/serve.py): each keeps its own cache, and
    each serves the new version after a publish."""
    paths = build_all(tmp_path / "data")
    port = free_port()
    process = subprocess.Popen(datasette_command(paths["data"], port=port, workers=2),
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{base}/alerts.json", seconds=60)
        url = f"{base}/alerts/alerts.json?_size=0"
        counts = [httpx.get(url, timeout=30).json()["filtered_table_rows_count"]
                  for _ in range(8)]
        republish(paths, tmp_path, [*LAKE_ALERTS, alert_row(100)])
        counts += [httpx.get(url, timeout=30).json()["filtered_table_rows_count"]
                   for _ in range(8)]
    finally:
        process.terminate()
        process.wait(timeout=10)
    assert counts == [len(LAKE_ALERTS)] * 8 + [len(LAKE_ALERTS) + 1] * 8


def test_cache_folders_of_servers_that_are_gone_are_removed(tmp_path, monkeypatch):
    from warehouse import serve

    monkeypatch.setattr(serve.tempfile, "gettempdir", lambda: str(tmp_path))
    gone = tmp_path / f"{serve.CACHE_PREFIX}4194399-abc"  # above Linux's highest pid
    alive = tmp_path / f"{serve.CACHE_PREFIX}{os.getpid()}-def"
    for folder in (gone, alive):
        (folder / "version").mkdir(parents=True)
    serve.remove_stale_caches()
    assert not gone.exists() and alive.exists()
