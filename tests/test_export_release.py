"""Parquet/CSV releases read back with DuckDB, pyarrow and csv; checksums; CHANGES."""

from __future__ import annotations

import csv
import gzip
import hashlib
import json
import sqlite3
from datetime import date
from pathlib import Path

import duckdb
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest

from nlp.extractor import NLP_VERSION
from tests.lake_fixtures import LAKE_ALERTS, LOSING_DUPLICATES, alert_row, build_all, make_lake
from warehouse.build import build_warehouse
from warehouse.export import export_release

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def paths(tmp_path_factory) -> dict[str, Path]:
    return build_all(tmp_path_factory.mktemp("export"))


def warehouse_counts(db: Path) -> dict[str, int]:
    with duckdb.connect(str(db), read_only=True) as con:
        names = [r[0] for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'"
        ).fetchall()]
        return {n: con.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names}


def test_release_reads_back_with_duckdb_pyarrow_and_csv(paths):
    counts, release = warehouse_counts(paths["db"]), paths["release"]
    with duckdb.connect() as con:
        hive = con.execute("SELECT count(*), count(DISTINCT year) FROM read_parquet(?, "
                           "hive_partitioning = true)",
                           [str(release / "alerts" / "*" / "*.parquet")]).fetchone()
        one = con.execute("SELECT count(*) FROM read_parquet(?)",
                          [str(release / "alerts.parquet")]).fetchone()[0]
    assert hive == (counts["alerts"], 2)
    assert one == counts["alerts"]
    dataset = ds.dataset(release / "alerts", format="parquet", partitioning="hive")
    assert dataset.count_rows() == counts["alerts"]
    with gzip.open(release / "alerts.csv.gz", "rt", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == counts["alerts"]
    assert all(isinstance(json.loads(r["categories"]), list) for r in rows)
    assert {tuple(json.loads(r["source_terms"])) for r in rows} == {
        tuple(a["source_terms"]) for a in LAKE_ALERTS}
    for name, n in counts.items():
        if name != "alerts":
            assert pq.read_metadata(release / f"{name}.parquet").num_rows == n, name


def test_docs_checksums_and_latest(paths):
    release = paths["release"]
    schema = json.loads((release / "schema.json").read_text())
    alerts_doc = next(t for t in schema["tables"] if t["name"] == "alerts")
    assert alerts_doc["rows"] == len(LAKE_ALERTS)
    duplicates_doc = next(t for t in schema["tables"] if t["name"] == "alert_duplicates")
    assert duplicates_doc["rows"] == len(LOSING_DUPLICATES)
    assert {"duplicate_of", "reason"} <= {c["name"] for c in duplicates_doc["columns"]}
    assert "| source_terms | VARCHAR[] |" in (release / "SCHEMA.md").read_text()
    assert {c["name"] for c in alerts_doc["columns"]} >= {"alert_id", "label_confidence",
                                                          "nlp_version"}
    assert all(c["description"] for t in schema["tables"] for c in t["columns"]), \
        "every column is documented"
    assert schema["licence"] == "CC BY 4.0" and schema["nlp_versions"] == ["0.0.1"]
    assert "internet_shutdown" in (release / "SCHEMA.md").read_text()
    assert "CC BY 4.0" in (release / "README.md").read_text()
    for line in (release / "SHA256SUMS").read_text().splitlines():
        digest, name = line.split("  ")
        assert hashlib.sha256((release / name).read_bytes()).hexdigest() == digest
    assert (paths["exports"] / "latest").resolve() == release.resolve()


def test_rebuild_from_the_same_lake_gives_the_same_checksums(paths, tmp_path):
    db = tmp_path / "again.duckdb"
    build_warehouse(paths["lake"], db)
    again = export_release(db, tmp_path / "exports", date(2024, 3, 1))
    assert (again / "SHA256SUMS").read_text() == (paths["release"] / "SHA256SUMS").read_text()


def test_changes_list_added_changed_and_withdrawn(tmp_path):
    db, exports = tmp_path / "w.duckdb", tmp_path / "exports"
    build_warehouse(make_lake(tmp_path / "lake1"), db)
    export_release(db, exports, date(2024, 3, 1))
    first = (exports / "latest" / "CHANGES").read_text()
    assert "First release" in first
    alerts = [dict(a) for a in LAKE_ALERTS[1:]] + [alert_row(100)]
    alerts[0]["categories"] = ["censorship"]
    build_warehouse(make_lake(tmp_path / "lake2", alerts), db)
    latest = export_release(db, exports, date(2024, 4, 1))
    changes = (latest / "CHANGES").read_text()
    assert "1 added, 1 changed, 1 withdrawn" in changes
    sections = changes.split("## ")
    assert alert_row(100)["alert_id"] in sections[1]
    assert alerts[0]["alert_id"] in sections[2]
    assert LAKE_ALERTS[0]["alert_id"] in sections[3]
    assert (exports / "latest").resolve() == latest.resolve()
    assert sorted(p.name for p in exports.iterdir() if not p.name.startswith(".")) == [
        "2024-03-01", "2024-04-01", "latest"]


def test_schema_json_embeds_the_measured_nlp_accuracy(paths):
    """nlp/evaluation.json (written by ``ifex-alerts model-card``) is in schema.json and
    SCHEMA.md: NLP version, micro/macro P/R/F1 per field, primary-country accuracy."""
    evaluation = json.loads((REPO / "nlp" / "evaluation.json").read_text())
    embedded = json.loads((paths["release"] / "schema.json").read_text())["nlp_evaluation"]
    assert embedded["file"] == "nlp/evaluation.json"
    assert embedded["nlp_version"] == evaluation["nlp_version"] == NLP_VERSION
    assert 0 < embedded["primary_country_accuracy"] <= 1
    for field in ("countries", "categories", "victim_types"):
        for kind in ("micro", "macro"):
            assert set(embedded["fields"][field][kind]) == {"precision", "recall", "f1"}
            assert 0 < embedded["fields"][field][kind]["f1"] <= 1
    schema_md = (paths["release"] / "SCHEMA.md").read_text()
    micro_f1 = embedded["fields"]["categories"]["micro"]["f1"]
    assert "| categories | " in schema_md and f"{micro_f1:.3f}" in schema_md
    assert f"primary-country accuracy {embedded['primary_country_accuracy']:.3f}" in schema_md


def test_evaluation_summary_is_what_model_card_writes(tmp_path):
    from nlp.evaluate import Report, score_field
    from nlp.model_card import evaluation_summary

    report = Report(records=2, primary_country_accuracy=0.5)
    report.fields["categories"] = score_field([({"killing"}, {"killing"}),
                                               ({"censorship"}, set())], ["killing"])
    summary = evaluation_summary(report, {"extractor_words_per_s": 1.0}, Path("dev.jsonl"),
                                 "2026-01-01")
    assert summary["fields"]["categories"]["micro"] == {"precision": 1.0, "recall": 0.5,
                                                        "f1": 0.6667}
    assert summary["nlp_version"] == NLP_VERSION and summary["speed"]["repeat"] > 0
    assert "worst_errors" not in summary, "no record texts in the published summary"


def test_licence_column_defaults_and_per_source_licences(tmp_path):
    """Alerts without a licence get CC-BY-4.0; a source's own licence passes through to
    the warehouse, the dumps and Datasette, and the release lists licences per source."""
    licensed = [dict(alert_row(200 + i), source="partner", source_id=f"p-{i}",
                     alert_id=f"partner-{i}", licence="CC-BY-SA-4.0") for i in range(3)]
    paths = build_all(tmp_path, others=licensed)
    with duckdb.connect(str(paths["db"]), read_only=True) as con:
        by_source = dict(con.execute("SELECT source, list_distinct(list(licence)) FROM alerts "
                                     "GROUP BY source").fetchall())
    assert by_source == {"fixture": ["CC-BY-4.0"], "partner": ["CC-BY-SA-4.0"]}
    with gzip.open(paths["release"] / "alerts.csv.gz", "rt", newline="") as handle:
        assert {r["licence"] for r in csv.DictReader(handle)} == {"CC-BY-4.0", "CC-BY-SA-4.0"}
    schema = json.loads((paths["release"] / "schema.json").read_text())
    assert {(r["source"], r["licence"], r["alerts"]) for r in schema["licences"]} == {
        ("fixture", "CC-BY-4.0", len(LAKE_ALERTS)), ("partner", "CC-BY-SA-4.0", 3)}
    for doc in ("README.md", "SCHEMA.md"):
        assert "| partner | CC-BY-SA-4.0 | 3 |" in (paths["release"] / doc).read_text(), doc
    lite = sqlite3.connect(paths["sqlite"])
    assert lite.execute("SELECT count(*) FROM alerts WHERE licence = 'CC-BY-SA-4.0'"
                        ).fetchone()[0] == 3
    lite.close()


def test_one_licence_needs_no_per_source_table(paths):
    schema = json.loads((paths["release"] / "schema.json").read_text())
    assert {r["licence"] for r in schema["licences"]} == {"CC-BY-4.0"}
    assert "Licences by source" not in (paths["release"] / "README.md").read_text()
