"""Dagster resources: where alerts come from, where data lands, and the extractor."""


import os
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from dagster import ConfigurableResource
from pydantic import Field

from pipelines.sources.base import Source
from pipelines.sources.registry import build_source

if TYPE_CHECKING:  # spaCy loads only where alerts are labelled
    from nlp.extractor import Extractor

DATA_DIR_ENV = "IFEX_ALERTS_DATA"


def default_data_dir() -> str:
    """The data directory: ``$IFEX_ALERTS_DATA`` or ``./data``."""
    return os.environ.get(DATA_DIR_ENV, "data")


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
    """Where every layer lands, under one data directory."""

    data_dir: str = Field(default_factory=default_data_dir, description="Root of all data")
    workers: int = Field(default=2, description="Processes that enrich months in parallel")

    @property
    def root(self) -> Path:
        return Path(self.data_dir)

    @property
    def lake_dir(self) -> Path:
        return self.root / "lake"

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
    """One extractor per process: spaCy pipelines load once."""
    from nlp.extractor import Extractor

    return Extractor(batch_size=batch_size)


class ExtractorResource(ConfigurableResource):
    """The spaCy extractor that labels alerts."""

    batch_size: int = Field(default=64, description="Alerts per nlp.pipe batch")

    def load(self) -> "Extractor":
        return shared_extractor(self.batch_size)
