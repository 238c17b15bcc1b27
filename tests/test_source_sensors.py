"""The file-drop sensor and the incremental schedules, evaluated as Dagster would."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from dagster import SkipReason, build_schedule_context, build_sensor_context

from pipelines.sensors import (
    feed_daily_schedule,
    file_drop_sensor,
    wordpress_incremental_schedule,
)
from tests.wp_server import WordPressServer

FAST = json.dumps({"backoff": "0.01", "min_interval": "0", "retries": "1"})


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for kind in ("FILES", "FEED", "WORDPRESS"):
        for suffix in ("URL", "PATH", "OPTIONS"):
            monkeypatch.delenv(f"IFEX_{kind}_{suffix}", raising=False)
    monkeypatch.setenv("IFEX_ALERTS_DATA", str(tmp_path / "data"))
    return tmp_path / "data"


def row(ref: str, when: str) -> str:
    return json.dumps({"id": ref, "title": f"Alert {ref}", "text": "Body.", "published": when})


def test_file_drop_sensor_requests_months_of_new_files_once(tmp_path: Path, monkeypatch) -> None:
    assert isinstance(file_drop_sensor(build_sensor_context()), SkipReason)
    drop = tmp_path / "drop"
    drop.mkdir()
    (drop / "one.jsonl").write_text(row("1", "2020-01-05") + "\n" + row("2", "2020-03-01"))
    monkeypatch.setenv("IFEX_FILES_PATH", str(drop))
    monkeypatch.setenv("IFEX_FILES_OPTIONS", json.dumps({"map.text": "text"}))
    first = file_drop_sensor(build_sensor_context())
    assert [r.partition_key for r in first.run_requests] == ["2020-01-01", "2020-03-01"]
    config = first.run_requests[0].run_config["resources"]["source"]["config"]
    assert config == {
        "kind": "files",
        "url": None,
        "path": str(drop),
        "options": {"map.text": "text"},
    }
    assert json.loads(first.cursor) == ["one.jsonl"]
    again = file_drop_sensor(build_sensor_context(cursor=first.cursor))
    assert isinstance(again, SkipReason)
    (drop / "two.jsonl").write_text(row("3", "2020-03-09") + "\n" + row("4", "1980-01-01"))
    later = file_drop_sensor(build_sensor_context(cursor=first.cursor))
    this_month = datetime.now(UTC).strftime("%Y-%m-01")  # the file's mtime month
    assert [r.partition_key for r in later.run_requests] == ["2020-03-01", this_month]
    assert json.loads(later.cursor) == ["one.jsonl", "two.jsonl"]


def test_wordpress_schedule_starts_a_cursor_then_requests_touched_months(
    monkeypatch, data_dir
) -> None:
    with WordPressServer() as server:
        server.add_post(1, "2021-03-02T10:00:00", "One", "<p>One</p>")
        server.add_post(2, "2021-05-02T10:00:00", "Two", "<p>Two</p>")
        monkeypatch.setenv("IFEX_WORDPRESS_URL", server.url)
        monkeypatch.setenv("IFEX_WORDPRESS_OPTIONS", FAST)
        tick = build_schedule_context(scheduled_execution_time=datetime(2024, 6, 1, tzinfo=UTC))
        first = wordpress_incremental_schedule(tick)
        assert isinstance(first, SkipReason) and "2021-05-02T10:00:00" in first.skip_message
        assert isinstance(wordpress_incremental_schedule(tick), SkipReason)
        server.edit_post(1, "2024-06-01T09:00:00", title="One, corrected")
        requests = wordpress_incremental_schedule(tick)
    assert [r.partition_key for r in requests] == ["2021-03-01"]
    assert requests[0].run_config["resources"]["source"]["config"]["url"] == server.url
    cursors = json.loads((data_dir / "state" / "cursors.json").read_text())
    assert cursors == {f"wordpress:{server.url}": "2024-06-01T09:00:00"}


def test_feed_schedule_requests_months_of_new_entries(tmp_path: Path, monkeypatch) -> None:
    feed = tmp_path / "feed.rss"
    item = (
        "<item><title>{0}</title><link>https://x.example/{0}</link>"
        "<pubDate>{1}</pubDate><description>Text</description></item>"
    )
    items = [item.format("a", "Tue, 02 Mar 2021 10:00:00 +0000")]

    def write() -> None:
        channel = "".join(items)
        feed.write_text(f"<rss version='2.0'><channel><title>F</title>{channel}</channel></rss>")

    write()
    monkeypatch.setenv("IFEX_FEED_PATH", str(feed))
    tick = build_schedule_context(scheduled_execution_time=datetime(2024, 6, 1, tzinfo=UTC))
    assert [r.partition_key for r in feed_daily_schedule(tick)] == ["2021-03-01"]
    assert isinstance(feed_daily_schedule(tick), SkipReason)
    items.append(item.format("b", "Mon, 05 Apr 2021 10:00:00 +0000"))
    write()
    assert [r.partition_key for r in feed_daily_schedule(tick)] == ["2021-04-01"]
