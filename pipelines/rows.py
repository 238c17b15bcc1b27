"""Conversions between record types and the row dicts stored in the lake."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from models.records import ParsedAlert, RawRecord

if TYPE_CHECKING:  # spaCy loads only where alerts are labelled (not in publish runs)
    from nlp.extractor import AlertText, Extraction, Extractor


def raw_row(raw: RawRecord) -> dict:
    """A RawRecord as a ``raw_alerts`` row."""
    return {
        "raw_id": raw.raw_id,
        "source": raw.source,
        "source_id": raw.source_id,
        "partition_month": raw.partition_month,
        "url": raw.url,
        "fetched_at": raw.fetched_at,
        "published_hint": raw.published_hint,
        "content_type": raw.content_type,
        "content_hash": raw.content_hash,
        "payload": raw.payload,
    }


def raw_record_from_row(row: dict) -> RawRecord:
    """A ``raw_alerts`` row back as a RawRecord (so parsing never refetches)."""
    return RawRecord(
        source=row["source"],
        source_id=row["source_id"],
        partition_month=row["partition_month"],
        payload=row["payload"],
        content_type=row["content_type"],
        fetched_at=row["fetched_at"],
        url=row["url"],
        published_hint=row["published_hint"],
    )


def quarantine_row(raw: RawRecord, reason: str, detail: str) -> dict:
    """A ``quarantine`` row pointing at its raw record."""
    return {
        "raw_id": raw.raw_id,
        "source": raw.source,
        "source_id": raw.source_id,
        "partition_month": raw.partition_month,
        "reason": reason,
        "detail": detail,
        "url": raw.url,
        "content_hash": raw.content_hash,
        "fetched_at": raw.fetched_at,
    }


def evidence_json(extraction: Extraction) -> str:
    """The evidence of every label as a compact JSON list."""
    spans = [
        {
            "field": e.field,
            "label": e.label,
            "part": e.part,
            "start": e.start,
            "end": e.end,
            "text": e.text,
        }
        for e in extraction.evidence
    ]
    return json.dumps(spans, ensure_ascii=False, separators=(",", ":"))


def alert_row(alert: ParsedAlert, extraction: Extraction) -> dict:
    """A parsed alert and its labels as an ``enriched_alerts`` row."""
    return {
        "alert_id": alert.alert_id,
        "published": alert.published,
        "year": alert.published.year,
        "month": alert.published.month,
        "source": alert.source,
        "source_id": alert.source_id,
        "source_url": alert.source_url,
        "organisation": alert.organisation,
        "language": extraction.language,
        "title": alert.title,
        "text": alert.text,
        "primary_country": extraction.primary_country,
        "countries": extraction.countries,
        "categories": extraction.categories,
        "victim_types": extraction.victim_types,
        "evidence": evidence_json(extraction),
        "confidence": extraction.confidence,
        "label_confidence": json.dumps(extraction.label_confidence, sort_keys=True),
        "persons": json.dumps(extraction.persons, ensure_ascii=False, separators=(",", ":")),
        "nlp_version": extraction.nlp_version,
        "incident_ref": alert.incident_ref,
        "raw_id": alert.raw_id,
        "content_hash": alert.content_hash,
        "fetched_at": alert.fetched_at,
        "source_terms": list(alert.source_terms),
        "licence": alert.licence,
    }


def alert_rows(alerts: list[ParsedAlert], extractor: Extractor) -> Iterator[dict]:
    """Label alerts in one streaming pass and yield their rows in a stable order."""
    from nlp.extractor import AlertText

    ordered = sorted(alerts, key=lambda a: (a.published, a.alert_id))

    texts: Iterable[AlertText] = (
        AlertText(
            id=a.alert_id,
            title=a.title,
            text=a.text,
            language=a.language,
            published=a.published.isoformat(),
        )
        for a in ordered
    )
    for alert, extraction in zip(ordered, extractor.extract(texts), strict=True):
        yield alert_row(alert, extraction)
