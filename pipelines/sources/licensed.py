"""A source whose configuration states its licence (``-o licence=CC-BY-SA-4.0``)."""

from __future__ import annotations

from dataclasses import replace

from models.records import ParsedAlert, RawRecord
from pipelines.sources.base import Source


class LicensedSource:
    """Wraps a connector: every alert it parses carries the configured licence unless
    the record states its own. Everything else is the wrapped connector's."""

    def __init__(self, inner: Source, licence: str) -> None:
        self.inner = inner
        self.licence = licence

    def __getattr__(self, name: str):
        return getattr(self.inner, name)

    def parse(self, raw: RawRecord) -> ParsedAlert:
        alert = self.inner.parse(raw)
        return alert if alert.licence else replace(alert, licence=self.licence)
