"""An alert as a page: facts with names, the text with each label's evidence marked, the
confidence, its case and a line to cite it; and a case as its reports in date order."""

from __future__ import annotations

import json
from dataclasses import dataclass

from warehouse.site.display import label, list_labels, stage_name, text_direction

FIELD_NAMES = {"categories": "Category", "victim_types": "Victim", "countries": "Country"}
"""What each evidence field is called in the highlights' legend and tooltips."""


@dataclass(frozen=True)
class Segment:
    """A run of text; ``marks`` name the labels it is evidence for (empty: plain text)."""

    text: str
    marks: tuple[str, ...] = ()
    field: str = ""


def parse_json(value: object, default):
    """A JSON column's value, or ``default`` when it is empty or not valid JSON."""
    if not isinstance(value, str) or not value:
        return default
    try:
        return json.loads(value)
    except ValueError:
        return default


def mark_name(field: str, code: str) -> str:
    """"categories", "killing" → "Category: Killing"."""
    return f"{FIELD_NAMES.get(field, field)}: {label(field, code)}"


def spans_of(evidence: object, part: str, length: int) -> list[tuple[int, int, str, str]]:
    """(start, end, field, mark) of the evidence spans that fall inside one part of the
    alert ("title" or "text"); malformed or out-of-range spans are left out."""
    spans = []
    for item in parse_json(evidence, []):
        if not isinstance(item, dict) or item.get("part") != part:
            continue
        start, end = item.get("start"), item.get("end")
        if isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= length:
            field = str(item.get("field", ""))
            spans.append((start, end, field, mark_name(field, str(item.get("label", "")))))
    return sorted(spans)


def highlight(text: str, spans: list[tuple[int, int, str, str]]) -> list[Segment]:
    """The text cut into plain and marked segments; a span that overlaps an earlier one
    is merged into it (its label joins the marks)."""
    merged: list[list] = []
    for start, end, field, mark in spans:
        if merged and start < merged[-1][1]:
            last = merged[-1]
            last[1] = max(last[1], end)
            if mark not in last[3]:
                last[3].append(mark)
            continue
        merged.append([start, end, field, [mark]])
    segments, position = [], 0
    for start, end, field, marks in merged:
        if start > position:
            segments.append(Segment(text[position:start]))
        segments.append(Segment(text[start:end], tuple(marks), field))
        position = end
    if position < len(text):
        segments.append(Segment(text[position:]))
    return segments


def confidences(row: dict) -> list[tuple[str, float]]:
    """Each chosen label's calibrated probability, by name, highest first."""
    scores = parse_json(row.get("label_confidence"), {})
    if not isinstance(scores, dict):
        return []
    named = [(mark_name(*key.split(":", 1)), float(value)) for key, value in scores.items()
             if ":" in key and isinstance(value, int | float)]
    return sorted(named, key=lambda item: -item[1])


def alert_context(row: dict, case: dict | None, release: str | None, url: str) -> dict:
    """Everything ``alert.html`` shows for one alerts row."""
    title, text = row.get("title") or "", row.get("text") or ""
    title_segments = highlight(title, spans_of(row.get("evidence"), "title", len(title)))
    text_segments = highlight(text, spans_of(row.get("evidence"), "text", len(text)))
    fields = {s.field for s in (*title_segments, *text_segments) if s.marks}
    return {
        "alert": row,
        "direction": text_direction(row.get("language")),
        "language_name": label("language", row.get("language")),
        "primary_country": label("primary_country", row.get("primary_country")),
        "countries": list_labels("countries", row.get("countries")),
        "categories": list_labels("categories", row.get("categories")),
        "victim_types": list_labels("victim_types", row.get("victim_types")),
        "title_segments": title_segments,
        "text_segments": text_segments,
        "legend": [(field, name) for field, name in FIELD_NAMES.items() if field in fields],
        "confidence": row.get("confidence"),
        "label_confidences": confidences(row),
        "case": case,
        "case_status": stage_name(case["status"]) if case else None,
        "cite": cite_line(row, release, url),
        "url": url,
    }


def cite_line(row: dict, release: str | None, url: str) -> str:
    """"IFEX alerts, release 2024-03-01, alert <id>: <url> (licence)"."""
    release_part = f", release {release}" if release else ""
    licence = row.get("licence") or "CC-BY-4.0"
    return f"IFEX alerts{release_part}, alert {row.get('alert_id')}: {url} ({licence})."


def case_context(case: dict, events: list[dict]) -> dict:
    """Everything ``case.html`` shows: the case, its reports in date order, the outcome."""
    reports = [dict(e, stage_name=stage_name(e.get("stage")),
                    direction=text_direction(e.get("language"))) for e in events]
    return {
        "case": case,
        "primary_country": label("primary_country", case.get("primary_country")),
        "outcome": stage_name(case.get("status")),
        "reports": reports,
        "members": sorted({r["organisation"] for r in reports if r.get("organisation")}),
    }
