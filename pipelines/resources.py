"""Dagster resources: where alerts come from, where data lands, and the extractor."""


import os
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from dagster import ConfigurableResource
from pydantic import Field

from pipelines.sources.base import Source

if TYPE_CHECKING:
    from nlp.extractor import Extractor
from pipelines.sources.registry import build_source
from warehouse.storage import Location, is_url

if TYPE_CHECKING:  # spaCy loads only where alerts are labelled
    from nlp.extractor import Extractor

DATA_DIR_ENV = "IFEX_ALERTS_DATA"
WORK_DIR_ENV = "IFEX_ALERTS_WORK"
LAKE_URL_ENV = "IFEX_LAKE_URL"
RELEASES_URL_ENV = "IFEX_RELEASES_URL"


def default_data_dir() -> str:
    """The data directory: ``$IFEX_ALERTS_DATA`` or ``./data``."""
    return os.environ.get(DATA_DIR_ENV, "data")


def _env(name: str) -> str | None:
    return os.environ.get(name) or None


class SourceResource(ConfigurableResource):
    """The source connector that partitioned runs fetch from (``sample`` by default)."""

    kind: str = Field(default="sample", description="sample, wordpress, mbox, files or feed")
    url: str | None = Field(default=None, description="Base URL (wordpress, feed)")
    path: str | None = Field(default=None, description="File or folder (mbox, files, feed)")
    options: dict[str, str] = Field(
        default_factory=dict, description="Connector options, e.g. scale for sample"
    )

    def build(self) -> Source:
        return build_source(self.kind, self.url, self.path, self.options)

    def as_config(self) -> dict:
        """Plain configuration, picklable for worker processes."""
        return {"kind": self.kind, "url": self.url, "path": self.path,
                "options": dict(self.options)}


class LakeResource(ConfigurableResource):
    """Where every layer lands: under one data directory by default; the lake and the
    releases may be in object storage (``s3://bucket/prefix``), the warehouse and the
    Datasette database stay local files."""

    data_dir: str = Field(default_factory=default_data_dir, description="Root of all data: a "
                          "directory, or s3://bucket/prefix for the lake and the releases")
    lake_url: str | None = Field(default_factory=lambda: _env(LAKE_URL_ENV), description=
                                 "The lake elsewhere, e.g. s3://bucket/lake (default: "
                                 "<data_dir>/lake; env IFEX_LAKE_URL)")
    releases_url: str | None = Field(default_factory=lambda: _env(RELEASES_URL_ENV),
                                     description="Where releases are also published, e.g. "
                                     "s3://bucket/releases (env IFEX_RELEASES_URL)")
    work_dir: str | None = Field(default_factory=lambda: _env(WORK_DIR_ENV), description=
                                 "Local directory for the warehouse and Datasette when "
                                 "data_dir is a bucket (default ./data; env IFEX_ALERTS_WORK)")
    workers: int = Field(default=2, description="Processes that enrich months in parallel")

    @property
    def remote_data(self) -> bool:
        return is_url(self.data_dir)

    def setup_for_execution(self, context) -> None:
        """Each run starts by removing the temporary files of killed processes."""
        from warehouse.leftovers import remove_leftovers

        lake_dir = self.lake_dir
        local_lake = [] if isinstance(lake_dir, Location) else [lake_dir]
        remove_leftovers([self.root, *(d for d in local_lake if self.root not in d.parents)])

    @property
    def root(self) -> Path:
        """The local directory of the warehouse, the releases' staging and Datasette."""
        return Path(self.work_dir or "data") if self.remote_data else Path(self.data_dir)

    @property
    def lake_dir(self) -> Path | Location:
        """The lake: a local Path, or an object-store Location."""
        if self.lake_url:
            return Location(self.lake_url) if is_url(self.lake_url) else Path(self.lake_url)
        return Location(self.data_dir).join("lake") if self.remote_data else self.root / "lake"

    @property
    def releases(self) -> Location | None:
        """Where each release is published besides exports/ (None: exports/ only)."""
        if self.releases_url:
            return Location(self.releases_url)
        return Location(self.data_dir).join("exports") if self.remote_data else None

    @property
    def warehouse_path(self) -> Path:
        return self.root / "warehouse.duckdb"

    @property
    def exports_dir(self) -> Path:
        return self.root / "exports"

    @property
    def datasette_db(self) -> Path:
        return self.root / "datasette" / "alerts.db"


@cache
def shared_extractor(batch_size: int) -> "Extractor":
    """One extractor per process: spaCy pipelines load once (and spaCy is imported only
    by the processes that label alerts)."""
    from nlp.extractor import Extractor

    return Extractor(batch_size=batch_size)


class ExtractorResource(ConfigurableResource):
    """The spaCy extractor that labels alerts."""

    batch_size: int = Field(default=64, description="Alerts per nlp.pipe batch")

    def load(self) -> "Extractor":
        return shared_extractor(self.batch_size)
