"""One alert however many sources delivered it: cross-source deduplication in the warehouse,
and the source_terms column carried from old and new lake files."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from models.records import make_alert_id
from models.schemas import ENRICHED_ALERTS, Table
from tests.lake_fixtures import (
    LAKE_ALERTS,
    LOSING_DUPLICATES,
    alert_row,
    duplicate_row,
    make_lake,
    write_alerts,
)
from warehouse.build import build_warehouse
from warehouse.ddl import run_script, sql_file
from warehouse.dedup import alert_groups
from warehouse.export import export_release

LATER = datetime(2024, 3, 9, 6, 0, tzinfo=UTC)


def fixture_id(i: int) -> str:
    return make_alert_id("fixture", f"fx-{i:03d}")


def build(tmp_path: Path, others: list[dict]) -> duckdb.DuckDBPyConnection:
    db = tmp_path / "w.duckdb"
    build_warehouse(make_lake(tmp_path / "lake", others=others), db)
    return duckdb.connect(str(db), read_only=True)


def duplicates(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    return con.execute("SELECT alert_id, duplicate_of, source, reason FROM alert_duplicates "
                       "ORDER BY alert_id").fetchall()


def test_the_same_alert_from_a_second_source_is_kept_once(tmp_path):
    with build(tmp_path, LOSING_DUPLICATES) as con:
        assert con.execute("SELECT count(*) FROM alerts").fetchone()[0] == len(LAKE_ALERTS)
        assert duplicates(con) == sorted([
            (LOSING_DUPLICATES[0]["alert_id"], fixture_id(0), "feed", "same_url"),
            (LOSING_DUPLICATES[1]["alert_id"], fixture_id(5), "feed", "same_title_date_text"),
        ])
        lake_ids = con.execute(
            "SELECT count(DISTINCT alert_id) FROM read_parquet($g)",
            {"g": str(tmp_path / "lake" / "enriched_alerts" / "**" / "*.parquet")}).fetchone()[0]
        kept = con.execute("SELECT (SELECT count(*) FROM alerts) + "
                           "(SELECT count(*) FROM alert_duplicates)").fetchone()[0]
        assert kept == lake_ids == len(LAKE_ALERTS) + len(LOSING_DUPLICATES)


def test_the_newest_version_wins_and_the_older_is_kept_as_duplicate(tmp_path):
    edited = duplicate_row(9, fetched_at=LATER, source_url="https://example.org/alerts/9/",
                           title="Alert 9: corrected", categories=["censorship"])
    with build(tmp_path, [edited]) as con:
        assert duplicates(con) == [(fixture_id(9), edited["alert_id"], "fixture", "same_url")]
        row = con.execute("SELECT title, categories FROM alerts WHERE alert_id = ?",
                          [edited["alert_id"]]).fetchone()
        assert row == ("Alert 9: corrected", ["censorship"])
        assert con.execute("SELECT count(*) FROM alerts WHERE alert_id = ?",
                           [fixture_id(9)]).fetchone()[0] == 0
        # bridges and cases follow the surviving row
        assert con.execute("SELECT list(category) FROM alert_categories WHERE alert_id = ?",
                           [edited["alert_id"]]).fetchone()[0] == ["censorship"]
        assert con.execute("SELECT count(*) FROM case_alerts WHERE alert_id = ?",
                           [fixture_id(9)]).fetchone()[0] == 0


def test_matches_chain_across_three_sources(tmp_path):
    """feed shares the link with fixture (edited text); files shares title, date and text
    with feed (no link): one alert."""
    edited = "Alert 3, edited: a journalist was released."
    by_link = duplicate_row(3, fetched_at=LATER, text=edited,
                            source_url="https://example.org/alerts/3?utm_source=feed")
    by_text = duplicate_row(3, source="files", source_url=None, fetched_at=LATER, text=edited)
    with build(tmp_path, [by_link, by_text]) as con:
        winner = min(by_link["alert_id"], by_text["alert_id"])  # same date, same fetch time
        reasons = {by_link["alert_id"]: "same_url", by_text["alert_id"]: "same_title_date_text",
                   fixture_id(3): "same_url"}
        assert {(r[0], r[1], r[3]) for r in duplicates(con)} == {
            (alert_id, winner, reason) for alert_id, reason in reasons.items()
            if alert_id != winner}
        assert con.execute("SELECT text FROM alerts WHERE alert_id = ?",
                           [winner]).fetchone()[0] == edited


def test_alerts_of_one_source_sharing_a_link_stay_apart(tmp_path):
    """Within a source, source_id is the identity: a shared link is not a duplicate, and a
    link shared by two alerts of one source is ambiguous, so it links nothing."""
    same_source = [duplicate_row(i, source_url="https://example.org/news", title=f"Roundup {i}",
                                 text=f"Weekly roundup number {i}.") for i in (1, 2)]
    ambiguous = duplicate_row(1, source="files", source_url="https://example.org/news/",
                              title="Something else", text="Other text.")
    other_day = duplicate_row(4, source_url=None,
                              published=alert_row(4)["published"].replace(day=28))
    others = [*same_source, ambiguous, other_day]
    with build(tmp_path, others) as con:
        assert duplicates(con) == []
        assert con.execute("SELECT count(*) FROM alerts").fetchone()[0] == \
            len(LAKE_ALERTS) + len(others)


def test_rebuilds_give_the_same_rows(tmp_path):
    lake_dir = make_lake(tmp_path / "lake", others=LOSING_DUPLICATES)
    tables = ("alerts", "alert_duplicates", "case_alerts")
    results = []
    for name in ("a.duckdb", "a.duckdb", "b.duckdb"):  # a rebuild over itself, then fresh
        build_warehouse(lake_dir, tmp_path / name)
        with duckdb.connect(str(tmp_path / name), read_only=True) as con:
            results.append([con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall()
                            for t in tables])
    assert results[0] == results[1] == results[2]


def test_alert_groups_are_transitive_and_named_by_their_smallest_id():
    links = [("b", "url:1"), ("c", "url:1"), ("c", "text:9"), ("a", "text:9"), ("x", "url:5")]
    assert alert_groups(links) == {"a": "a", "b": "a", "c": "a", "x": "x"}


@pytest.mark.parametrize(("url", "key"), [
    ("HTTPS://Example.ORG/Alerts/42/?utm_source=rss&utm_medium=x#frag",
     "https://example.org/Alerts/42"),
    ("https://example.org/alerts/42?id=3&UTM_campaign=a&b=", "https://example.org/alerts/42?id=3&b="),
    ("https://example.org/?p=12#c", "https://example.org?p=12"),
    ("http://example.org/a", "http://example.org/a"),
    ("file:///drops/partner.csv", None),
    ("", None),
    (None, None),
])
def test_url_keys(url, key):
    with duckdb.connect() as con:
        run_script(con, sql_file("dedup_macros"))
        assert con.execute("SELECT url_key(?)", [url]).fetchone()[0] == key


def test_source_terms_default_to_empty_for_lake_files_written_before_the_column(tmp_path):
    lake_dir = make_lake(tmp_path / "lake")
    old_table = Table(ENRICHED_ALERTS.name, "before source_terms",
                      tuple(c for c in ENRICHED_ALERTS.columns if c.name != "source_terms"))
    old = dict(alert_row(60), source="oldfeed", source_id="o-60",
               alert_id=make_alert_id("oldfeed", "o-60"), source_url=None, title="Old alert")
    write_alerts(lake_dir, "oldfeed", [old], table=old_table)
    assert "source_terms" not in pq.read_schema(
        next((lake_dir / "enriched_alerts" / "source=oldfeed").rglob("*.parquet"))).names
    build_warehouse(lake_dir, tmp_path / "w.duckdb")
    with duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True) as con:
        terms = dict(con.execute("SELECT alert_id, source_terms FROM alerts").fetchall())
    assert terms[old["alert_id"]] == []
    assert terms[fixture_id(0)] == LAKE_ALERTS[0]["source_terms"] != []


def test_changes_say_which_alert_a_withdrawn_duplicate_lives_on_in(tmp_path):
    db, exports = tmp_path / "w.duckdb", tmp_path / "exports"
    build_warehouse(make_lake(tmp_path / "lake1"), db)
    export_release(db, exports, date(2024, 3, 1))
    newer = duplicate_row(9, fetched_at=LATER)
    build_warehouse(make_lake(tmp_path / "lake2", others=[newer]), db)
    changes = (export_release(db, exports, date(2024, 4, 1)) / "CHANGES").read_text()
    assert "1 added, 0 changed, 1 withdrawn" in changes
    assert f"{fixture_id(9)} (duplicate of {newer['alert_id']})" in changes
