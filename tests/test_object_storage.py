"""The lake and the releases in an S3-compatible bucket (moto's server on 127.0.0.1): a
backfill lands there, a rerun converges, an interrupted write leaves the previous
partition readable, and the release reads back from the bucket with pyarrow and DuckDB."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from models.schemas import ENRICHED_ALERTS, QUARANTINE, RAW_ALERTS
from pipelines.backfill import PUBLISH_ASSETS, BackfillRequest, materialize_assets, run_backfill
from pipelines.checks import unreconciled_months
from tests.s3_server import BUCKET, environment, s3_server
from warehouse import lake
from warehouse.release_upload import read_latest
from warehouse.storage import Location

pytestmark = pytest.mark.deploy

MONTHS = ["2013-05", "2013-06"]
LAKE_URL, RELEASES_URL = f"s3://{BUCKET}/lake", f"s3://{BUCKET}/releases"


def backfill(data_dir: Path) -> list[str]:
    request = request_for({"data_dir": data_dir})
    summary = run_backfill(request, MONTHS, chunk=len(MONTHS), publish=True)
    assert summary.ok, summary.failures
    return summary.runs


@pytest.fixture(scope="module")
def bucket(tmp_path_factory: pytest.TempPathFactory) -> dict:
    with s3_server() as env, environment(env):
        data_dir = tmp_path_factory.mktemp("work")
        backfill(data_dir)
        store = Location(LAKE_URL)
        first = {t.name: lake.committed(store, t) for t in (RAW_ALERTS, ENRICHED_ALERTS)}
        yield {"data_dir": data_dir, "lake": store, "releases": Location(RELEASES_URL),
               "first": first, "first_files": store.files()}


def test_backfill_lands_in_the_bucket(bucket: dict) -> None:
    store, data_dir = bucket["lake"], bucket["data_dir"]
    assert not (data_dir / "lake").exists()  # nothing of the lake on local disk
    for table in (RAW_ALERTS, ENRICHED_ALERTS, QUARANTINE):
        assert lake.months(store, table, "sample") == MONTHS
    assert not unreconciled_months(store, "sample")
    alerts = sum(lake.count_rows(store, ENRICHED_ALERTS, "sample", m) for m in MONTHS)
    with duckdb.connect(str(data_dir / "warehouse.duckdb"), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM alerts").fetchone()[0] == alerts > 50
    assert all(f.endswith((".parquet", lake.COMMIT_MARKER, lake.LAYOUT_MARKER))
               for f in bucket["first_files"])


def test_rerun_converges_without_duplicates(bucket: dict) -> None:
    backfill(bucket["data_dir"])  # the module fixture's server and environment still run
    store = bucket["lake"]
    again = {t.name: lake.committed(store, t) for t in (RAW_ALERTS, ENRICHED_ALERTS)}
    assert again == bucket["first"]  # unchanged months kept (same files, same markers)
    assert store.files() == bucket["first_files"]


def test_interrupted_write_keeps_the_previous_partition(bucket: dict, monkeypatch) -> None:
    store, month = bucket["lake"], MONTHS[0]
    before = lake.read_column(store, ENRICHED_ALERTS, "sample", month, "alert_id")
    marker = store.read_bytes(*_parts(month), lake.COMMIT_MARKER)
    original = list(lake.iter_batches(store, ENRICHED_ALERTS, "sample", month))
    rows = original[0]

    def dies_midway():
        yield rows
        raise RuntimeError("worker killed")

    with pytest.raises(RuntimeError):
        lake.write_partition(store, ENRICHED_ALERTS, "sample", month, dies_midway())
    assert lake.read_column(store, ENRICHED_ALERTS, "sample", month, "alert_id") == before
    # Uploaded, then the commit failed: readers still see the previous partition.
    real_write = Location.write_bytes
    monkeypatch.setattr(Location, "write_bytes", _fail_on_marker(real_write))
    with pytest.raises(OSError):
        lake.write_partition(store, ENRICHED_ALERTS, "sample", month, [rows.slice(0, 3)])
    assert store.read_bytes(*_parts(month), lake.COMMIT_MARKER) == marker
    assert lake.read_column(store, ENRICHED_ALERTS, "sample", month, "alert_id") == before
    assert len(store.files(*_parts(month))) == 3  # marker, file, the orphan upload
    monkeypatch.setattr(Location, "write_bytes", real_write)
    meta = lake.read_metadata(store, ENRICHED_ALERTS, "sample", month)
    lake.write_partition(store, ENRICHED_ALERTS, "sample", month, original, meta)
    assert lake.read_column(store, ENRICHED_ALERTS, "sample", month, "alert_id") == before
    assert len(store.files(*_parts(month))) == 3  # marker, new file, the previous one


def _parts(month: str) -> list[str]:
    return [ENRICHED_ALERTS.name, "source=sample", f"year={month[:4]}", f"month={month[5:]}"]


def _fail_on_marker(real_write):
    def write_bytes(self, data: bytes, *parts: str) -> None:
        if parts and parts[-1] == lake.COMMIT_MARKER:
            raise OSError("connection reset while committing")
        real_write(self, data, *parts)
    return write_bytes


def test_release_reads_back_from_the_bucket(bucket: dict) -> None:
    releases, data_dir = bucket["releases"], bucket["data_dir"]
    latest = read_latest(releases)
    assert latest is not None
    local = data_dir / "exports" / latest["release"]
    checksums = releases.read_bytes(latest["release"], "SHA256SUMS")
    assert checksums == (local / "SHA256SUMS").read_bytes()
    assert hashlib.sha256(checksums).hexdigest() == latest["sha256sums_sha256"]
    for line in checksums.decode().splitlines():
        digest, name = line.split("  ", 1)
        body = releases.read_bytes(latest["release"], *name.split("/"))
        assert hashlib.sha256(body).hexdigest() == digest, name
    path = releases.path(latest["release"], "alerts.parquet")
    table = pq.read_table(path, filesystem=releases.fs)
    with duckdb.connect(str(data_dir / "warehouse.duckdb"), read_only=True) as con:
        expected = con.execute("SELECT count(*) FROM alerts").fetchone()[0]
        releases.register_duckdb(con)
        hive = releases.duckdb_path(latest["release"], "alerts", "*", "*.parquet")
        via_duckdb = con.execute("SELECT count(*) FROM read_parquet(?, hive_partitioning = "
                                 "true)", [hive]).fetchone()[0]
    assert table.num_rows == via_duckdb == expected


def request_for(bucket: dict) -> BackfillRequest:
    return BackfillRequest(data_dir=bucket["data_dir"], options={"scale": "0.3"}, workers=1,
                           lake_url=LAKE_URL, releases_url=RELEASES_URL)


def test_a_new_nlp_version_re_enriches_from_the_raw_zone(bucket: dict, monkeypatch) -> None:
    """README, "Upgrading the extractor": materializing enriched_alerts alone relabels every
    month from the bucket's raw zone; nothing is fetched or rewritten in raw_alerts."""
    from nlp.extractor import Extractor

    store = bucket["lake"]
    raw_before = lake.committed(store, RAW_ALERTS)
    enriched_before = lake.committed(store, ENRICHED_ALERTS)
    monkeypatch.setattr(Extractor, "version", "99.0.0-test")
    assert not materialize_assets(request_for(bucket), ["enriched_alerts"], MONTHS)
    enriched_after = lake.committed(store, ENRICHED_ALERTS)
    assert lake.committed(store, RAW_ALERTS) == raw_before
    assert set(enriched_after) == set(enriched_before)
    for path, marker in enriched_after.items():
        assert marker["file"] != enriched_before[path]["file"]
        assert "99.0.0-test" in marker["metadata"]["fingerprint"]
        assert marker["rows"] == enriched_before[path]["rows"]


def test_a_lost_warehouse_is_restored_from_the_lake(bucket: dict) -> None:
    """README, "Restoring after a lost warehouse": the data volume is gone; publish_job
    rebuilds the warehouse from the bucket's lake and republishes the same release."""
    data_dir, releases = bucket["data_dir"], bucket["releases"]
    latest = read_latest(releases)
    checksums = releases.read_bytes(latest["release"], "SHA256SUMS")
    for name in ("warehouse.duckdb", "warehouse.duckdb.inputs", "datasette", "exports"):
        target = data_dir / name
        if target.is_dir():
            shutil.rmtree(target)
        else:
            target.unlink()
    assert not materialize_assets(request_for(bucket), list(PUBLISH_ASSETS))
    assert (data_dir / "exports" / latest["release"] / "SHA256SUMS").read_bytes() == checksums
    assert releases.read_bytes(latest["release"], "SHA256SUMS") == checksums
    assert (data_dir / "datasette" / "alerts.db").exists()
