"""Record types that flow between layers: raw → parsed → enriched (or quarantined)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime


def sha256_hex(data: bytes) -> str:
    """Hex SHA-256 of bytes: the content hash used throughout the lake."""
    return hashlib.sha256(data).hexdigest()


def make_raw_id(source: str, source_id: str, content_hash: str) -> str:
    """Key of one raw record: source + source id + content hash."""
    return sha256_hex(f"{source}\x1f{source_id}\x1f{content_hash}".encode())[:24]


def make_alert_id(source: str, source_id: str) -> str:
    """Stable public id of an alert: the same source record always gets the same id."""
    key = f"{source}\x1f{source_id}".encode()
    return f"{source}-{sha256_hex(key)[:16]}"


@dataclass(frozen=True)
class RawRecord:
    """A record exactly as a source delivered it, with where and when it was fetched."""

    source: str
    source_id: str
    partition_month: str  # "YYYY-MM": the month partition this record belongs to
    payload: bytes
    content_type: str
    fetched_at: datetime
    url: str | None = None
    published_hint: str | None = None

    @property
    def content_hash(self) -> str:
        return sha256_hex(self.payload)

    @property
    def raw_id(self) -> str:
        return make_raw_id(self.source, self.source_id, self.content_hash)


@dataclass
class ParsedAlert:
    """An alert parsed from a raw record: clean text and a real date, not yet labelled."""

    source: str
    source_id: str
    raw_id: str
    content_hash: str
    fetched_at: datetime
    published: date
    title: str
    text: str
    source_url: str | None = None
    language: str | None = None
    organisation: str | None = None
    incident_ref: str | None = None
    source_terms: list[str] = field(default_factory=list)
    licence: str | None = None  # the source's licence (SPDX id) if it states one
    repairs: list[str] = field(default_factory=list)  # what parsing repaired, for a person

    @property
    def alert_id(self) -> str:
        return make_alert_id(self.source, self.source_id)


class QuarantineReason:
    """Reason codes for records that cannot become alerts."""

    EMPTY_TEXT = "empty_text"
    NO_TITLE = "no_title"
    BAD_DATE = "bad_date"
    UNDECODABLE = "undecodable"
    MALFORMED = "malformed"
    OVERSIZED = "oversized"
    WRONG_TYPE = "wrong_type"
    DUPLICATE = "duplicate"

    ALL: tuple[str, ...] = (
        EMPTY_TEXT,
        NO_TITLE,
        BAD_DATE,
        UNDECODABLE,
        MALFORMED,
        OVERSIZED,
        WRONG_TYPE,
        DUPLICATE,
    )


class ParseError(ValueError):
    """A raw record that cannot become an alert; ``reason`` is a QuarantineReason code."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail
