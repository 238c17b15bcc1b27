"""The DuckDB warehouse built from a real Parquet lake: tables, counts, atomic rebuilds."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

import duckdb
import pytest

from models.schemas import ENRICHED_ALERTS
from models.taxonomy import CATEGORIES, VICTIM_TYPES
from tests.lake_fixtures import (
    LAKE_ALERTS,
    LAKE_TABLE,
    N_QUARANTINED,
    alert_row,
    make_lake,
    write_alerts,
)
from warehouse import lake
from warehouse.build import build_warehouse
from warehouse.ddl import duckdb_type
from warehouse.export import export_release
from warehouse.publish import publish_sqlite
from warehouse.tables import CASE_TABLES, WAREHOUSE_TABLES


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, dict[str, int]]:
    root = tmp_path_factory.mktemp("wh")
    db = root / "warehouse.duckdb"
    return db, build_warehouse(make_lake(root / "lake"), db)


def test_row_counts_follow_the_lake(built):
    _, counts = built
    assert counts["alerts"] == len(LAKE_ALERTS)
    assert counts["alert_countries"] == sum(len(set(a["countries"])) for a in LAKE_ALERTS)
    assert counts["alert_categories"] == sum(len(set(a["categories"])) for a in LAKE_ALERTS)
    assert counts["alert_victim_types"] == sum(len(set(a["victim_types"])) for a in LAKE_ALERTS)
    assert counts["quarantine"] == N_QUARANTINED
    assert counts["categories"] == len(CATEGORIES)
    assert counts["victim_types"] == len(VICTIM_TYPES)
    assert counts["countries"] > 240
    assert counts["case_alerts"] == len(LAKE_ALERTS)


def test_columns_match_their_definitions(built):
    db, _ = built
    aliases = {"TIMESTAMP WITH TIME ZONE": "TIMESTAMPTZ"}
    with duckdb.connect(str(db), read_only=True) as con:
        for table in (*WAREHOUSE_TABLES, *CASE_TABLES):
            actual = [(n, aliases.get(t, t)) for n, t, *_ in
                      con.execute(f'DESCRIBE "{table.name}"').fetchall()]
            assert actual == [(c.name, duckdb_type(c.type)) for c in table.columns], table.name


def test_trend_tables_answer_the_africa_question(built):
    db, _ = built
    expected: dict[int, int] = {}
    for a in LAKE_ALERTS:
        if "internet_shutdown" in a["categories"] and {"ET", "KE", "SD"} & set(a["countries"]):
            expected[a["year"]] = expected.get(a["year"], 0) + 1
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute(
            "SELECT year, alerts FROM yearly_counts WHERE level = 'region' AND area = 'Africa' "
            "AND category = 'internet_shutdown' AND year >= 2011 ORDER BY year").fetchall()
        shutdown_total = con.execute("SELECT sum(alerts) FROM internet_shutdowns "
                                     "WHERE country = 'ET'").fetchone()[0]
        monthly_total = con.execute("SELECT sum(alerts) FROM monthly_counts WHERE country = 'ET' "
                                    "AND category = 'internet_shutdown'").fetchone()[0]
    assert dict(rows) == expected
    assert shutdown_total == monthly_total == sum(
        1 for a in LAKE_ALERTS if "ET" in a["countries"] and "internet_shutdown" in a["categories"])


def test_empty_lake_gives_empty_tables(tmp_path):
    counts = build_warehouse(tmp_path / "no-lake", tmp_path / "w.duckdb")
    assert counts["alerts"] == counts["quarantine"] == counts["monthly_counts"] == 0
    assert counts["countries"] > 240


def test_an_alert_in_two_partitions_appears_once(tmp_path):
    lake_dir = make_lake(tmp_path / "lake")
    again = dict(alert_row(0), title="Updated title")
    batch = lake.rows_to_batch(ENRICHED_ALERTS, [again])
    lake.write_partition(lake_dir, ENRICHED_ALERTS, "other", "2024-02", [batch])
    db = tmp_path / "w.duckdb"
    assert build_warehouse(lake_dir, db)["alerts"] == len(LAKE_ALERTS)


def test_failed_rebuild_keeps_the_previous_warehouse(tmp_path):
    lake_dir = make_lake(tmp_path / "lake")
    db = tmp_path / "w.duckdb"
    build_warehouse(lake_dir, db)
    broken = lake.partition_path(lake_dir, ENRICHED_ALERTS, "broken", "2024-01")
    broken.parent.mkdir(parents=True)
    broken.write_bytes(b"not parquet at all")
    with pytest.raises(duckdb.Error):
        build_warehouse(lake_dir, db)
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM alerts").fetchone()[0] == len(LAKE_ALERTS)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["lake", "w.duckdb", "w.duckdb.inputs"]


def test_unchanged_inputs_keep_the_outputs_and_a_change_rebuilds(tmp_path):
    """Stamps (warehouse/stamps.py): the same lake and code keep warehouse, release and
    SQLite as they are; a forced rebuild writes the same bytes; a lake change rebuilds."""
    lake_dir = make_lake(tmp_path / "lake")
    db, lite = tmp_path / "w.duckdb", tmp_path / "datasette" / "alerts.db"
    counts = build_warehouse(lake_dir, db)
    release = export_release(db, tmp_path / "exports", date(2024, 3, 1))
    published = publish_sqlite(db, lite)
    files = (db, release / "SHA256SUMS", lite)
    written = [f.stat().st_mtime_ns for f in files]
    assert build_warehouse(lake_dir, db) == counts
    assert export_release(db, tmp_path / "exports", date(2024, 3, 1)) == release
    assert publish_sqlite(db, lite) == published
    assert [f.stat().st_mtime_ns for f in files] == written, "kept, not rewritten"
    digest = hashlib.sha256(lite.read_bytes()).hexdigest()
    stamp = lite.with_name(lite.name + ".inputs")
    stamped = stamp.stat().st_mtime_ns
    build_warehouse(lake_dir, db, force=True)
    publish_sqlite(db, lite, force=True)
    assert stamp.stat().st_mtime_ns != stamped, "the forced publish ran"
    assert hashlib.sha256(lite.read_bytes()).hexdigest() == digest, "and wrote the same bytes"
    batch = lake.rows_to_batch(LAKE_TABLE, [alert_row(99)])
    lake.write_partition(lake_dir, LAKE_TABLE, "extra", "2024-02", [batch])
    assert build_warehouse(lake_dir, db)["alerts"] == len(LAKE_ALERTS) + 1
    assert publish_sqlite(db, lite)["alerts"] == len(LAKE_ALERTS) + 1


def test_internet_shutdowns_has_zero_years_and_their_change(tmp_path):
    """A country's shutdown years run from its first to the data's last year: years without
    shutdown alerts appear with alerts 0 and their (negative) year-over-year change."""
    def alert(i: int, day: date, categories: list[str], countries: list[str]) -> dict:
        return dict(alert_row(i), published=day, year=day.year, month=day.month,
                    categories=categories, countries=countries,
                    primary_country=countries[0] if countries else None)

    rows = [alert(1, date(2021, 3, 2), ["internet_shutdown"], ["ET"]),
            alert(2, date(2023, 5, 1), ["internet_shutdown"], ["ET"]),
            alert(3, date(2023, 6, 9), ["internet_shutdown", "censorship"], ["ET"]),
            alert(4, date(2024, 6, 1), ["censorship"], ["KE"])]
    lake_dir = tmp_path / "lake"
    write_alerts(lake_dir, "fixture", rows)
    db = tmp_path / "w.duckdb"
    build_warehouse(lake_dir, db)
    with duckdb.connect(str(db), read_only=True) as con:
        got = con.execute("SELECT country, year, alerts, previous_year_alerts, yoy_change, "
                          "first_date FROM internet_shutdowns ORDER BY country, year").fetchall()
    assert got == [("ET", 2021, 1, 0, 1, date(2021, 3, 2)), ("ET", 2022, 0, 1, -1, None),
                   ("ET", 2023, 2, 0, 2, date(2023, 5, 1)), ("ET", 2024, 0, 2, -2, None)]
