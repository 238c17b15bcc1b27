"""Plain functions behind the partitioned assets: fetch a month raw, enrich a month.

No Dagster here: the assets call these for each month of their window, and the
worker processes of a range run call them too.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from datetime import date
from typing import TYPE_CHECKING

import pyarrow as pa

from models.records import sha256_hex
from models.schemas import ENRICHED_ALERTS, QUARANTINE, RAW_ALERTS, RAW_HISTORY, Table
from pipelines.parse import parse_month
from pipelines.rows import alert_rows, raw_row
from pipelines.sources.base import Source
from warehouse import lake, month_commit
from warehouse.lake import LakeDir

if TYPE_CHECKING:
    from nlp.extractor import Extractor

if TYPE_CHECKING:  # spaCy loads only where alerts are labelled
    from nlp.extractor import Extractor

BATCH_ROWS = 512
PARSER_VERSION = "3"
"""Bump when parsing, cleaning or the enriched columns change, so that enriched partitions
are rebuilt (2: ``source_terms`` column; ``<br>`` and list items as single lines; 3: control
characters removed, ``wrong_type``, title size limit, mixed charsets, MIME repairs)."""


@dataclass
class MonthStats:
    """What happened to one month partition."""

    month: str
    raw: int = 0
    alerts: int = 0
    quarantined: int = 0
    repaired: int = 0
    skipped: bool = False

    def as_dict(self) -> dict:
        return asdict(self)


def month_start(month: str) -> date:
    """ "YYYY-MM" (or a Dagster key "YYYY-MM-DD") → the first day of that month."""
    year, mm = month[:7].split("-")
    return date(int(year), int(mm), 1)


def batched(rows: Iterable[dict], table: Table) -> Iterator[pa.RecordBatch]:
    """Group row dicts into record batches of the table's schema."""
    iterator = iter(rows)
    while chunk := list(itertools.islice(iterator, BATCH_ROWS)):
        yield lake.rows_to_batch(table, chunk)


def fetch_raw_month(source: Source, lake_dir: LakeDir, month: str, force: bool = False
                    ) -> MonthStats:
    """Fetch one month into the raw zone, unless the source says it is unchanged.

    The fetch replaces the month, or, for a source whose fetch may not list the whole
    month (``merge_months``, e.g. a feed), is merged into it by source id."""
    fingerprint = source.fingerprint(month_start(month))
    stored = lake.read_metadata(lake_dir, RAW_ALERTS, source.name, month)
    if not force and fingerprint and stored and stored.get("fingerprint") == fingerprint:
        count = lake.count_rows(lake_dir, RAW_ALERTS, source.name, month)
        return MonthStats(month, raw=count, skipped=True)
    previous = _read_rows(lake_dir, RAW_ALERTS, source.name, month)
    rows: Iterable[dict] = (raw_row(raw) for raw in source.fetch_month(month_start(month)))
    if getattr(source, "merge_months", False):
        rows = merged_rows(previous, list(rows))
    _, count = lake.write_partition(
        lake_dir, RAW_ALERTS, source.name, month, batched(rows, RAW_ALERTS),
        {"fingerprint": fingerprint or ""},
    )
    if previous:
        current = set(lake.read_column(lake_dir, RAW_ALERTS, source.name, month, "raw_id"))
        _archive(lake_dir, source.name, month, [r for r in previous if r["raw_id"] not in current])
    return MonthStats(month, raw=count)


def merged_rows(previous: list[dict], fetched: list[dict]) -> list[dict]:
    """The fetched rows plus every stored row whose source id the fetch no longer carries.

    Stored rows of a source id that was fetched again are replaced (and so archived)."""
    fetched_ids = {row["source_id"] for row in fetched}
    return fetched + [row for row in previous if row["source_id"] not in fetched_ids]


def _read_rows(lake_dir: LakeDir, table: Table, source_name: str, month: str) -> list[dict]:
    return [row for batch in lake.iter_batches(lake_dir, table, source_name, month)
            for row in batch.to_pylist()]


def _archive(lake_dir: LakeDir, source_name: str, month: str, replaced: list[dict]) -> None:
    """Keep raw records that a re-fetch replaced in ``raw_history`` (once each)."""
    if not replaced:
        return
    history = _read_rows(lake_dir, RAW_HISTORY, source_name, month)
    known = {row["raw_id"] for row in history}
    merged = history + [row for row in replaced if row["raw_id"] not in known]
    lake.write_partition(lake_dir, RAW_HISTORY, source_name, month, batched(merged, RAW_HISTORY))


def has_raw_month(lake_dir: LakeDir, source_name: str, month: str) -> bool:
    """Whether a fetch of the month ever succeeded (an empty month still has its file)."""
    return lake.has_partition(lake_dir, RAW_ALERTS, source_name, month)


def raw_digest(lake_dir: LakeDir, source_name: str, month: str) -> str:
    """Digest of the raw ids in a raw partition: changes whenever its content changes."""
    ids = lake.read_column(lake_dir, RAW_ALERTS, source_name, month, "raw_id")
    if ids is None:
        return "absent"
    return sha256_hex("\n".join(sorted(ids)).encode())


def enrich_month(
    source: Source, extractor: Extractor, lake_dir: LakeDir, month: str, force: bool = False
) -> MonthStats:
    """Parse, deduplicate and label one raw month; write its alerts and its quarantine."""
    licence = getattr(source, "licence", None)
    fingerprint = (f"{raw_digest(lake_dir, source.name, month)}:{PARSER_VERSION}:"
                   f"{extractor.version}:{licence}")
    stored = lake.read_metadata(lake_dir, ENRICHED_ALERTS, source.name, month)
    if (not force and stored and stored.get("fingerprint") == fingerprint
            and month_commit.is_whole(lake_dir, source.name, month)):
        return MonthStats(
            month,
            raw=lake.count_rows(lake_dir, RAW_ALERTS, source.name, month),
            alerts=lake.count_rows(lake_dir, ENRICHED_ALERTS, source.name, month),
            quarantined=lake.count_rows(lake_dir, QUARANTINE, source.name, month),
            repaired=len(json.loads(stored.get("repairs") or "{}")),
            skipped=True,
        )
    raws = lake.iter_batches(lake_dir, RAW_ALERTS, source.name, month)
    parsed = parse_month(source, raws)
    # Alerts and quarantine as one commit: no reader sees one without the other.
    repairs = json.dumps(parsed.repairs, ensure_ascii=False, sort_keys=True)
    rows = alert_rows(parsed.alerts, extractor)
    counts = month_commit.write_month(
        lake_dir, source.name, month, batched(rows, ENRICHED_ALERTS),
        batched(parsed.quarantine, QUARANTINE), {"fingerprint": fingerprint, "repairs": repairs})
    return MonthStats(month, raw=parsed.raw_count, alerts=counts[ENRICHED_ALERTS.name],
                      quarantined=len(parsed.quarantine), repaired=len(parsed.repairs))
