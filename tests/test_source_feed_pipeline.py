"""A feed only carries its latest entries: re-fetching a month merges, it never loses an
alert whose entry scrolled out of the feed (real Dagster runs, lake, warehouse, Datasette)."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from pathlib import Path

import duckdb
import pyarrow.parquet as pq

from models.schemas import ENRICHED_ALERTS, RAW_ALERTS, RAW_HISTORY
from pipelines.backfill import BackfillRequest, run_backfill
from pipelines.checks import unreconciled_months
from warehouse import lake

ENTRY = """<entry><id>urn:ifex:{0}</id><title>{1}</title><link href="https://example.org/{0}"/>
<published>2021-03-{2:02d}T10:00:00Z</published><updated>2021-03-{2:02d}T10:00:00Z</updated>
<summary>{3}</summary></entry>"""
ENTRIES = {
    "a": ENTRY.format("a", "Journalist detained in Minsk", 2, "A reporter was detained."),
    "b": ENTRY.format("b", "Broadcaster suspended", 9, "A broadcaster was suspended."),
    "b2": ENTRY.format("b", "Broadcaster suspended", 9, "A broadcaster was suspended for "
                       "thirty days."),
    "c": ENTRY.format("c", "Website blocked", 20, "A news website was blocked."),
}


def write_feed(path: Path, *names: str) -> None:
    body = "".join(ENTRIES[name] for name in names)
    path.write_text('<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005'
                    f'/Atom"><title>IFEX</title><id>urn:ifex:feed</id>{body}</feed>',
                    encoding="utf-8")


def partition_rows(data_dir: Path, table) -> list[dict]:
    return pq.read_table(lake.partition_path(data_dir / "lake", table, "feed", "2021-03")
                         ).to_pylist()


def warehouse_texts(data_dir: Path) -> dict[str, str]:
    with duckdb.connect(str(data_dir / "warehouse.duckdb"), read_only=True) as con:
        return dict(con.execute("SELECT source_id, text FROM alerts WHERE source = ?",
                                ["feed"]).fetchall())


def test_an_entry_that_scrolled_out_of_the_feed_keeps_its_alert(tmp_path: Path) -> None:
    feed, data_dir = tmp_path / "feed.xml", tmp_path / "data"
    request = BackfillRequest(data_dir=data_dir, source="feed", path=str(feed), workers=1)
    write_feed(feed, "a", "b")
    assert run_backfill(request, ["2021-03"], chunk=1, publish=True).ok
    write_feed(feed, "b2", "c")  # a scrolled out, b was edited, c is new
    summary = run_backfill(request, ["2021-03"], chunk=1, publish=True)
    assert summary.ok, summary.failures

    raw = sorted((r["source_id"], r["content_hash"]) for r in partition_rows(data_dir, RAW_ALERTS))
    assert [source_id for source_id, _ in raw] == ["urn:ifex:a", "urn:ifex:b", "urn:ifex:c"]
    enriched = {r["source_id"]: r["text"] for r in partition_rows(data_dir, ENRICHED_ALERTS)}
    assert enriched["urn:ifex:a"] == "A reporter was detained."
    assert enriched["urn:ifex:b"] == "A broadcaster was suspended for thirty days."
    assert warehouse_texts(data_dir) == enriched  # the warehouse still has a, and the new b
    history = partition_rows(data_dir, RAW_HISTORY)
    assert [json.loads(r["payload"])["summary"] for r in history] == [
        "A broadcaster was suspended."]  # the replaced version of b is kept
    assert not unreconciled_months(data_dir / "lake", "feed")
    uri = f"file:{data_dir / 'datasette' / 'alerts.db'}?mode=ro"
    with closing(sqlite3.connect(uri, uri=True)) as db:
        assert db.execute("SELECT count(*) FROM alerts WHERE source = ?", ["feed"]
                          ).fetchone()[0] == 3
