"""The file-drop sensor and the incremental schedules, evaluated as Dagster would."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from pathlib import Path

import pytest
from dagster import (
    DagsterInstance,
    DagsterRun,
    DagsterRunStatus,
    RunRequest,
    SkipReason,
    build_schedule_context,
    build_sensor_context,
)

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


@pytest.fixture
def instance(tmp_path: Path) -> DagsterInstance:
    """A real instance of its own (schedules need one with an instance ref)."""
    (tmp_path / "dagster").mkdir()
    with DagsterInstance.local_temp(str(tmp_path / "dagster")) as local:
        yield local


def tick_of(instance: DagsterInstance):
    return build_schedule_context(instance=instance,
                                  scheduled_execution_time=datetime(2024, 6, 1, tzinfo=UTC))


def settle(instance: DagsterInstance, requests: list[RunRequest],
           status: DagsterRunStatus = DagsterRunStatus.SUCCESS) -> None:
    """Record a run of each request, as the daemon would have launched it, in ``status``."""
    for request in requests:
        tags = {**request.tags, "dagster/partition": request.partition_key}
        instance.add_run(DagsterRun(job_name="ingest_job", run_config=request.run_config,
                                    tags=tags, status=status))


def stored_state(data_dir: Path) -> dict:
    return json.loads((data_dir / "state" / "cursors.json").read_text())


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
    monkeypatch, data_dir, instance
) -> None:
    with WordPressServer() as server:
        server.add_post(1, "2021-03-02T10:00:00", "One", "<p>One</p>")
        server.add_post(2, "2021-05-02T10:00:00", "Two", "<p>Two</p>")
        monkeypatch.setenv("IFEX_WORDPRESS_URL", server.url)
        monkeypatch.setenv("IFEX_WORDPRESS_OPTIONS", FAST)
        first = wordpress_incremental_schedule(tick_of(instance))
        assert isinstance(first, SkipReason) and "2021-05-02T10:00:00" in first.skip_message
        assert isinstance(wordpress_incremental_schedule(tick_of(instance)), SkipReason)
        server.edit_post(1, "2024-06-01T09:00:00", title="One, corrected")
        requests = wordpress_incremental_schedule(tick_of(instance))
        state = stored_state(data_dir)[f"wordpress:{server.url}"]
        settle(instance, requests)
        done = wordpress_incremental_schedule(tick_of(instance))
    scans = [r["query"] for r in server.requests if "modified_after" in r["query"]]
    assert [r.partition_key for r in requests] == ["2021-03-01"]
    assert requests[0].run_config["resources"]["source"]["config"]["url"] == server.url
    assert len(scans) == 3
    assert all(q["_fields"] == "id,date,modified" and "_embed" not in q for q in scans)
    assert state["cursor"] == "2024-06-01T09:00:00" and list(state["pending"]) == ["2021-03"]
    assert isinstance(done, SkipReason) and "runs succeeded: 2021-03" in done.skip_message
    assert stored_state(data_dir)[f"wordpress:{server.url}"]["pending"] == {}


@pytest.fixture
def wordpress_edited(monkeypatch, instance):
    """A site whose post of March 2021 was edited after the schedule's cursor started."""
    with WordPressServer() as server:
        server.add_post(1, "2021-03-02T10:00:00", "One", "<p>One</p>")
        monkeypatch.setenv("IFEX_WORDPRESS_URL", server.url)
        monkeypatch.setenv("IFEX_WORDPRESS_OPTIONS", FAST)
        wordpress_incremental_schedule(tick_of(instance))
        server.edit_post(1, "2024-06-01T09:00:00", title="One, corrected")
        yield server


def test_a_month_stays_pending_until_a_run_of_it_succeeds(wordpress_edited, instance) -> None:
    requests = wordpress_incremental_schedule(tick_of(instance))
    assert [r.partition_key for r in requests] == ["2021-03-01"]
    settle(instance, requests, DagsterRunStatus.FAILURE)
    again = wordpress_incremental_schedule(tick_of(instance))  # nothing changed since
    assert [r.partition_key for r in again] == ["2021-03-01"]
    settle(instance, again, DagsterRunStatus.STARTED)
    waiting = wordpress_incremental_schedule(tick_of(instance))
    assert isinstance(waiting, SkipReason) and "in progress: 2021-03" in waiting.skip_message
    settle(instance, again, DagsterRunStatus.SUCCESS)
    done = wordpress_incremental_schedule(tick_of(instance))
    assert isinstance(done, SkipReason) and "succeeded: 2021-03" in done.skip_message
    assert isinstance(wordpress_incremental_schedule(tick_of(instance)), SkipReason)


def test_a_month_changed_again_during_its_run_is_requested_again(wordpress_edited,
                                                                  instance) -> None:
    requests = wordpress_incremental_schedule(tick_of(instance))
    settle(instance, requests, DagsterRunStatus.STARTED)  # fetched before the next edit
    wordpress_edited.edit_post(1, "2024-06-01T10:00:00", title="One, corrected twice")
    again = wordpress_incremental_schedule(tick_of(instance))
    assert [r.partition_key for r in again] == ["2021-03-01"]


def test_months_outside_the_partitions_are_skipped_and_said(wordpress_edited, instance,
                                                            data_dir) -> None:
    wordpress_edited.add_post(2, "1980-05-02T10:00:00", "Old", "<p>Old</p>")
    wordpress_edited.edit_post(2, "2024-06-01T09:30:00")
    context, logged = tick_of(instance), []
    context.log.addHandler(logging.Handler())
    context.log.handlers[-1].emit = lambda record: logged.append(record.getMessage())
    requests = wordpress_incremental_schedule(context)
    assert [r.partition_key for r in requests] == ["2021-03-01"]
    assert any("outside the partitions: 1980-05" in message for message in logged), logged
    settle(instance, requests)
    wordpress_edited.edit_post(2, "2024-06-01T11:00:00")
    skipped = wordpress_incremental_schedule(tick_of(instance))
    assert isinstance(skipped, SkipReason)
    assert "skipped, not a partition: 1980-05" in skipped.skip_message
    [state] = stored_state(data_dir).values()
    assert state["pending"] == {}


def test_feed_schedule_requests_months_of_new_entries(tmp_path: Path, monkeypatch,
                                                      instance) -> None:
    feed = tmp_path / "feed.rss"
    item = (
        "<item><title>{0}</title><link>https://x.example/{0}</link>"
        "<pubDate>{1}</pubDate><description>Text</description></item>"
    )
    undated = "<item><title>u</title><link>https://x.example/u</link><description>{0}"
    undated += "</description></item>"
    items = [item.format("a", "Tue, 02 Mar 2021 10:00:00 +0000")]

    def write() -> None:
        channel = "".join(items)
        feed.write_text(f"<rss version='2.0'><channel><title>F</title>{channel}</channel></rss>")

    def tick() -> list[str]:
        requests = feed_daily_schedule(tick_of(instance))
        if isinstance(requests, SkipReason):
            return []
        settle(instance, requests)
        return [r.partition_key for r in requests]

    write()
    monkeypatch.setenv("IFEX_FEED_PATH", str(feed))
    assert tick() == ["2021-03-01"]
    assert tick() == []
    items.append(item.format("b", "Mon, 05 Apr 2021 10:00:00 +0000"))
    write()
    assert tick() == ["2021-04-01"]
    items.append(undated.format("No date on this one."))
    write()
    fetch_month = datetime.now(UTC).strftime("%Y-%m-01")
    assert tick() == [fetch_month]  # new although it has no date
    assert tick() == []  # and only once
    items[-1] = undated.format("No date, and the text changed.")
    write()
    assert tick() == [fetch_month]
