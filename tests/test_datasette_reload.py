"""A running server serves a new publish by itself: a versioned file and an atomic
symlink switch (warehouse/publish.py, datasette/plugins/ifex_reload.py); a request in
flight finishes on the version it started with; old versions are removed in time."""

from __future__ import annotations

import asyncio
import subprocess
from pathlib import Path

import httpx

from datasette.plugins import pm
from tests.lake_fixtures import LAKE_ALERTS, alert_row, build_all, make_lake
from tests.test_datasette_api import free_port, make_datasette, wait_for
from warehouse.build import build_warehouse
from warehouse.publish import publish_sqlite, versions_dir
from warehouse.serve import datasette_command


def republish(paths: dict[str, Path], root: Path, alerts: list[dict]) -> None:
    """Rebuild the warehouse from another lake and publish it over the same database."""
    build_warehouse(make_lake(root / f"lake-{len(alerts)}", alerts), paths["db"])
    publish_sqlite(paths["db"], paths["sqlite"])


def count(base: str) -> int:
    response = httpx.get(f"{base}/alerts/alerts.json?_size=0", timeout=10)
    return response.json()["filtered_table_rows_count"]


def test_a_second_publish_is_served_without_a_restart(tmp_path):
    paths = build_all(tmp_path / "data")
    assert paths["sqlite"].is_symlink()
    port = free_port()
    process = subprocess.Popen(datasette_command(paths["data"], port=port),
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        assert wait_for(f"{base}/alerts.json").status_code == 200
        assert count(base) == len(LAKE_ALERTS)
        republish(paths, tmp_path, [*LAKE_ALERTS, alert_row(100)])
        assert count(base) == len(LAKE_ALERTS) + 1
        trends = httpx.get(f"{base}/-/trends", timeout=10)
        assert trends.status_code == 200
        republish(paths, tmp_path, [*LAKE_ALERTS, alert_row(100), alert_row(101)])
        assert count(base) == len(LAKE_ALERTS) + 2
        rows = httpx.get(f"{base}/alerts/alerts.json?_shape=array&_size=max", timeout=10)
        assert len(rows.json()) == len(LAKE_ALERTS) + 2
    finally:
        process.terminate()
        process.wait(timeout=10)
    assert len(list(versions_dir(paths["sqlite"]).iterdir())) == 2, "current and previous"


def reload_plugin():
    return next(p for p in pm.get_plugins() if pm.get_name(p) == "ifex_reload.py")


def test_a_request_in_flight_keeps_its_version(tmp_path):
    paths = build_all(tmp_path / "data")

    async def scenario() -> tuple[int, int, int]:
        ds = make_datasette(paths)
        await ds.invoke_startup()
        plugin = reload_plugin()
        db = ds.get_database("alerts")
        token = plugin._request_versions.set(plugin.pin_request(ds))  # a request begins
        try:
            republish(paths, tmp_path, [*LAKE_ALERTS, alert_row(100)])
            in_flight = (await db.execute("select count(*) from alerts")).first()[0]
        finally:
            plugin._request_versions.reset(token)
        response = await ds.client.get("/alerts/alerts.json?_size=0")
        after = response.json()["filtered_table_rows_count"]
        counted = (await db.execute("select count(*) from alerts")).first()[0]
        return in_flight, after, counted

    assert asyncio.run(scenario()) == (len(LAKE_ALERTS), len(LAKE_ALERTS) + 1,
                                       len(LAKE_ALERTS) + 1)


def test_an_unversioned_database_is_served_as_before(tmp_path):
    paths = build_all(tmp_path / "data")
    plain = tmp_path / "plain" / "alerts.db"
    plain.parent.mkdir()
    plain.write_bytes(paths["sqlite"].read_bytes())
    (plain.parent / "inspect-data.json").write_bytes(
        (paths["sqlite"].parent / "inspect-data.json").read_bytes())
    (plain.parent / "metadata.json").write_bytes(
        (paths["sqlite"].parent / "metadata.json").read_bytes())
    response = asyncio.run(make_datasette({**paths, "sqlite": plain}).client.get(
        "/alerts/alerts.json?_size=0"))
    assert response.json()["filtered_table_rows_count"] == len(LAKE_ALERTS)
