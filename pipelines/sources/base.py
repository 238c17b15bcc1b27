"""The contract every source connector fulfils."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Protocol

from models.records import ParsedAlert, RawRecord


class Source(Protocol):
    """A place alerts come from.

    ``fetch_month`` yields every record of one month exactly as it arrived;
    ``parse`` turns one raw record into a :class:`ParsedAlert` or raises
    :class:`models.records.ParseError` with a quarantine reason. Parsing never
    fetches, so history can be reprocessed from the raw zone alone.

    A source may set ``merge_months = True`` when a fetch does not list every record
    of its month (a feed only carries its latest entries): the fetched records are then
    merged into the stored month by source id instead of replacing it.
    """

    name: str

    def fetch_month(self, month_start: date) -> Iterator[RawRecord]: ...

    def parse(self, raw: RawRecord) -> ParsedAlert: ...

    def fingerprint(self, month_start: date) -> str | None:
        """A string that changes when the month's content may have changed, or None
        when that cannot be known without fetching (then the month is always refetched)."""
        ...
