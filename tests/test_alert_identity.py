"""alerts + alert_duplicates = every alert of the lake, also when a source delivers one
alert id again in another month (an edited publication date): the warehouse keeps its
latest fetch, files the earlier one as a duplicate, and the warehouse check holds."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import UTC, date, datetime

import duckdb
import pyarrow.parquet as pq

from pipelines.checks import lake_alerts_accounted_for
from pipelines.resources import LakeResource
from tests.lake_fixtures import LAKE_ALERTS, LOSING_DUPLICATES, make_lake
from warehouse.build import build_warehouse
from warehouse.publish import publish_sqlite

MOVED = 4
"""The fixture alert that the source delivers again, later, in the next month."""


def moved_alerts() -> tuple[list[dict], dict]:
    """The fixture alerts plus a later fetch of alert MOVED published a month later."""
    old = LAKE_ALERTS[MOVED]
    year, month = (old["year"], old["month"] + 1) if old["month"] < 12 else (old["year"] + 1, 1)
    new = {**old, "published": date(year, month, 2), "year": year, "month": month,
           "title": old["title"] + " (date corrected)", "raw_id": "raw-moved",
           "fetched_at": datetime(2024, 3, 20, 8, 0, tzinfo=UTC)}
    return [*LAKE_ALERTS, new], new


def test_an_alert_id_in_two_months_is_kept_once_and_its_earlier_version_filed(tmp_path):
    alerts, new = moved_alerts()
    lake_dir = make_lake(tmp_path / "lake", alerts, others=LOSING_DUPLICATES)
    db = tmp_path / "warehouse.duckdb"
    build_warehouse(lake_dir, db)
    lake_rows = pq.read_table(lake_dir / "enriched_alerts").num_rows
    assert lake_rows == len(LAKE_ALERTS) + 1 + len(LOSING_DUPLICATES)
    with duckdb.connect(str(db), read_only=True) as con:
        kept = con.execute("SELECT title, published, year, month FROM alerts "
                           "WHERE alert_id = ?", [new["alert_id"]]).fetchall()
        assert kept == [(new["title"], new["published"], new["year"], new["month"])]
        filed = con.execute("SELECT duplicate_of, title, published, reason "
                            "FROM alert_duplicates WHERE alert_id = ?",
                            [new["alert_id"]]).fetchall()
        old = LAKE_ALERTS[MOVED]
        assert filed == [(new["alert_id"], old["title"], old["published"], "same_id")]
        counts = con.execute("SELECT (SELECT count(*) FROM alerts), "
                             "(SELECT count(*) FROM alert_duplicates)").fetchone()
    assert sum(counts) == lake_rows
    sqlite_path = tmp_path / "datasette" / "alerts.db"
    publish_sqlite(db, sqlite_path)
    with closing(sqlite3.connect(sqlite_path)) as lite:
        published = [lite.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                     for t in ("alerts", "alert_duplicates")]
    assert published == list(counts)


def test_the_warehouse_check_asserts_the_identity(tmp_path):
    alerts, _ = moved_alerts()
    make_lake(tmp_path / "lake", alerts, others=LOSING_DUPLICATES)
    resource = LakeResource(data_dir=str(tmp_path))
    build_warehouse(resource.lake_dir, resource.warehouse_path)
    result = lake_alerts_accounted_for(lake=resource)
    assert result.passed, result.metadata
    assert result.metadata["missing"].value == 0
    with duckdb.connect(str(resource.warehouse_path)) as con:  # an alert lost on the way
        con.execute("DELETE FROM alert_duplicates WHERE reason = 'same_id'")
    result = lake_alerts_accounted_for(lake=resource)
    assert not result.passed
    assert result.metadata["missing"].value == 1
