"""Parse a month of raw records into alerts and quarantine rows, deduplicated.

Every raw record ends up exactly once: as an alert, or in quarantine with a reason.
Dedup rules: for one source id the newest fetch wins (older versions are kept in
the raw zone and quarantined as superseded); of versions fetched at the same time the
one that comes later in the fetch wins, and the others say that which is newer is not
known; identical content under two ids keeps the first id. What parsing repaired is
counted (``ParsedMonth.repairs``) and kept per alert.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import pyarrow as pa

from models.records import ParsedAlert, ParseError, QuarantineReason, RawRecord
from pipelines.rows import quarantine_row, raw_record_from_row
from pipelines.sources.base import Source


@dataclass
class ParsedMonth:
    """The outcome of parsing one raw partition."""

    alerts: list[ParsedAlert] = field(default_factory=list)
    quarantine: list[dict] = field(default_factory=list)
    raw_count: int = 0

    @property
    def repairs(self) -> dict[str, list[str]]:
        """What was repaired, per alert id (alerts without repairs left out)."""
        return {a.alert_id: a.repairs for a in self.alerts if a.repairs}


def _newest_first(raws: list[RawRecord]) -> list[RawRecord]:
    """Per source id, the newest fetch first; among equal fetch times the one later in the
    fetch (its position in the raw month) first."""
    order = sorted(range(len(raws)), key=lambda i: (raws[i].source_id,
                                                    -raws[i].fetched_at.timestamp(), -i))
    return [raws[i] for i in order]


def superseded(raw: RawRecord, newer: RawRecord) -> str:
    """Why ``raw`` gives way to the kept version ``newer`` of the same source id."""
    if newer.raw_id == raw.raw_id:
        what = "an identical copy"
    elif newer.fetched_at == raw.fetched_at:
        what = ("a different version, fetched at the same time (which is newer is not known; "
                "the one later in the fetch is kept),")
    else:
        what = "an older version"
    return f"{what} of source record {raw.source_id}; kept raw record {newer.raw_id}"


def parse_month(source: Source, raw_batches: Iterable[pa.RecordBatch]) -> ParsedMonth:
    """Parse and deduplicate the raw records of one partition."""
    raws = [raw_record_from_row(row) for batch in raw_batches for row in batch.to_pylist()]
    result = ParsedMonth(raw_count=len(raws))
    kept_by_source_id: dict[str, RawRecord] = {}
    kept_by_hash: dict[str, RawRecord] = {}
    for raw in _newest_first(raws):
        newer = kept_by_source_id.get(raw.source_id)
        if newer is not None:
            result.quarantine.append(
                quarantine_row(raw, QuarantineReason.DUPLICATE, superseded(raw, newer))
            )
            continue
        kept_by_source_id[raw.source_id] = raw
        same_content = kept_by_hash.get(raw.content_hash)
        if same_content is not None:
            result.quarantine.append(
                quarantine_row(
                    raw,
                    QuarantineReason.DUPLICATE,
                    f"identical content to source record {same_content.source_id} "
                    f"(raw record {same_content.raw_id})",
                )
            )
            continue
        kept_by_hash[raw.content_hash] = raw
        try:
            result.alerts.append(source.parse(raw))
        except ParseError as error:
            result.quarantine.append(quarantine_row(raw, error.reason, error.detail))
        except Exception as error:  # a parser bug must not lose the record
            result.quarantine.append(
                quarantine_row(raw, QuarantineReason.MALFORMED, f"{type(error).__name__}: {error}")
            )
    return result
