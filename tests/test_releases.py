"""Every publish is a new, immutable release (``<date>``, ``<date>.2``…) whose CHANGES
compares it with the previous one; schema.json says which labelled file the published
accuracy was measured on; a plain CSV for Excel ships beside the gzipped one; case ids
reach the dumps."""

from __future__ import annotations

import csv
import gzip
import hashlib
import json
from datetime import date
from pathlib import Path

import duckdb

from tests.lake_fixtures import LAKE_ALERTS, alert_row, build_all, make_lake
from warehouse.build import build_warehouse
from warehouse.export import export_release
from warehouse.export_docs import measured_on

REPO = Path(__file__).resolve().parents[1]
DAY = date(2024, 3, 1)


def checksums_hold(release: Path) -> bool:
    for line in (release / "SHA256SUMS").read_text().splitlines():
        digest, name = line.split("  ")
        if hashlib.sha256((release / name).read_bytes()).hexdigest() != digest:
            return False
    return True


def test_a_second_publish_the_same_day_is_a_new_release(tmp_path):
    db, exports = tmp_path / "w.duckdb", tmp_path / "exports"
    build_warehouse(make_lake(tmp_path / "lake1"), db)
    first = export_release(db, exports, DAY)
    first_sums = (first / "SHA256SUMS").read_text()
    assert export_release(db, exports, DAY) == first, "nothing changed: no new release"
    build_warehouse(make_lake(tmp_path / "lake2", [*LAKE_ALERTS, alert_row(100)]), db)
    second = export_release(db, exports, DAY)
    third = export_release(db, exports, DAY, force=True)
    assert [first.name, second.name, third.name] == ["2024-03-01", "2024-03-01.2",
                                                      "2024-03-01.3"]
    assert (first / "SHA256SUMS").read_text() == first_sums and checksums_hold(first)
    changes = (second / "CHANGES").read_text()
    assert changes.startswith("Release 2024-03-01.2: 53 alerts.")
    assert "Compared with release 2024-03-01: 1 added, 0 changed, 0 withdrawn." in changes
    assert "Compared with release 2024-03-01.2: 0 added" in (third / "CHANGES").read_text()
    assert (exports / "latest").resolve() == third.resolve()
    schema = json.loads((second / "schema.json").read_text())
    assert schema["release"] == "2024-03-01.2"
    assert "release 2024-03-01.2" in (second / "README.md").read_text()


def test_releases_sort_by_day_then_number(tmp_path):
    from warehouse.releases import next_release_name, previous_release

    for name in ("2024-02-28", "2024-03-01", *(f"2024-03-01.{n}" for n in range(2, 10))):
        (tmp_path / name).mkdir()
        (tmp_path / name / "alerts.parquet").touch()
    (tmp_path / "latest").symlink_to("2024-03-01.9")
    assert next_release_name(tmp_path, DAY) == "2024-03-01.10"
    assert next_release_name(tmp_path, date(2024, 3, 2)) == "2024-03-02"
    assert previous_release(tmp_path, "2024-03-01.10").name == "2024-03-01.9"
    assert previous_release(tmp_path, "2024-03-01.2").name == "2024-03-01"
    assert previous_release(tmp_path, "2024-03-01").name == "2024-02-28"


def test_schema_json_names_the_labelled_file_of_the_accuracy(tmp_path):
    paths = build_all(tmp_path)
    evaluation = json.loads((REPO / "nlp" / "evaluation.json").read_text())
    schema = json.loads((paths["release"] / "schema.json").read_text())
    gold = evaluation["gold"] if isinstance(evaluation["gold"], dict) else {
        "path": evaluation["gold"], "records": evaluation["records"]}
    measured = schema["accuracy_measured_on"]
    assert measured["path"] == gold["path"] and measured["records"] == gold["records"] > 0
    assert measured["sha256"] == gold.get("sha256")
    assert f"`{gold['path']}` ({gold['records']} hand-labelled alerts" in (
        paths["release"] / "SCHEMA.md").read_text()


def test_measured_on_reads_either_shape_of_evaluation_json():
    as_object = {"nlp_version": "2.0.0", "records": 9, "gold": {
        "path": "nlp/corpus/gold.jsonl", "sha256": "ab" * 32, "records": 120}}
    assert measured_on(as_object) == {"path": "nlp/corpus/gold.jsonl", "sha256": "ab" * 32,
                                      "records": 120, "nlp_version": "2.0.0",
                                      "generated": None}
    assert measured_on({"gold": "dev.jsonl", "records": 77})["sha256"] is None
    assert measured_on(None) is None


def test_a_plain_csv_for_excel_and_case_ids_in_the_dumps(tmp_path):
    paths = build_all(tmp_path)
    release = paths["release"]
    raw = (release / "alerts.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfalert_id,")
    with open(release / "alerts.csv", encoding="utf-8-sig", newline="") as handle:
        excel = list(csv.DictReader(handle))
    with gzip.open(release / "alerts.csv.gz", "rt", encoding="utf-8", newline="") as handle:
        scripts = list(csv.DictReader(handle))
    assert excel == scripts and len(excel) == len(LAKE_ALERTS)
    assert all(row["case_id"] for row in excel)
    with duckdb.connect() as con:
        missing = con.execute(
            "SELECT count(*) FROM read_parquet($p) a LEFT JOIN read_parquet($c) c "
            "USING (alert_id) WHERE a.case_id IS NULL OR c.case_id <> a.case_id",
            {"p": str(release / "alerts.parquet"), "c": str(release / "case_alerts.parquet")}
        ).fetchone()[0]
    assert missing == 0
