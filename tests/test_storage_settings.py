"""Where the lake resource puts each layer: the laptop default unchanged, a bucket for the
lake and the releases when configured (no server needed)."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from pipelines.cli import app
from pipelines.resources import LakeResource
from warehouse.storage import Location


def test_the_default_is_the_local_data_dir() -> None:
    lake = LakeResource(data_dir="somewhere")
    assert lake.lake_dir == Path("somewhere/lake")
    assert lake.releases is None
    assert lake.warehouse_path == Path("somewhere/warehouse.duckdb")


def test_lake_and_releases_urls() -> None:
    lake = LakeResource(data_dir="local", lake_url="s3://b/lake", releases_url="s3://b/rel")
    assert lake.lake_dir == Location("s3://b/lake") and not lake.lake_dir.is_local
    assert lake.releases == Location("s3://b/rel")
    assert lake.datasette_db == Path("local/datasette/alerts.db")


def test_a_bucket_as_data_dir_keeps_local_files_in_the_work_dir() -> None:
    lake = LakeResource(data_dir="s3://b/ifex", work_dir="/srv/ifex")
    assert lake.lake_dir == Location("s3://b/ifex/lake")
    assert lake.releases == Location("s3://b/ifex/exports")
    assert lake.warehouse_path == Path("/srv/ifex/warehouse.duckdb")


def test_location_paths() -> None:
    bucket = Location("s3://b/prefix/")
    assert bucket.path("t", "x.parquet") == "b/prefix/t/x.parquet"
    assert bucket.duckdb_path("x") == "ifexstore://b/prefix/x"
    local = Location("data/lake")
    assert local.is_local and local.path("t") == str(Path("data/lake").resolve() / "t")


def test_the_cli_refuses_a_bucket_as_data_dir() -> None:
    result = CliRunner().invoke(app, ["backfill", "--data-dir", "s3://b/x", "--no-publish"])
    assert result.exit_code == 2 and "--lake-url" in result.output


def test_a_release_publishes_to_a_local_releases_dir_too(tmp_path: Path) -> None:
    from warehouse.release_upload import publish_release, read_latest

    release = tmp_path / "exports" / "2026-12-03"
    (release / "alerts" / "year=2020").mkdir(parents=True)
    (release / "alerts" / "year=2020" / "alerts_0.parquet").write_bytes(b"p")
    (release / ".hidden").write_text("not published")
    (release / "SHA256SUMS").write_text("x  alerts/year=2020/alerts_0.parquet\n")
    target = Location(str(tmp_path / "mirror"))
    first = publish_release(release, target)
    assert first["uploaded"] == 2 and read_latest(target)["release"] == "2026-12-03"
    assert (tmp_path / "mirror" / "2026-12-03" / "alerts" / "year=2020").is_dir()
    assert not (tmp_path / "mirror" / "2026-12-03" / ".hidden").exists()
    assert publish_release(release, target)["uploaded"] == 0  # same checksums: kept
