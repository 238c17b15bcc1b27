"""The embedded default source: a deterministic, seeded sample archive of IFEX-style alerts.

Demo data written for this project. Each month is generated on its own from
(seed, scale, month): the same arguments always give byte-identical records.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime

from models.records import ParsedAlert, ParseError, QuarantineReason, RawRecord
from pipelines.sources.sample_data.incidents import AlertPlan, add_months
from pipelines.sources.sample_data.plans import month_plans
from pipelines.sources.sample_data.render import ORGS, render_alert
from pipelines.sources.text import build_alert

GENERATOR_VERSION = "1"
BASE_URL = "https://sample.ifex-alerts.example"
DEFECT_RATES: tuple[tuple[str, float], ...] = (
    ("broken_html", 0.008), ("mojibake", 0.006), ("duplicate", 0.005), ("empty_body", 0.003),
    ("bad_date", 0.003), ("undecodable", 0.0015), ("malformed_json", 0.0015),
)
"""Share of records given each defect (about 2.8% in all)."""


def _defect(rng: random.Random) -> str | None:
    roll = rng.random()
    for name, rate in DEFECT_RATES:
        if roll < rate:
            return name
        roll -= rate
    return None


def _fields(plan: AlertPlan, seed: int, source_id: str) -> dict:
    title, body = render_alert(plan, seed)
    org = ORGS[plan.organisation]
    return {"id": source_id, "title": title, "body": body,
            "published": plan.published.isoformat(), "language": plan.language,
            "organisation": org.name, "url": f"{BASE_URL}/{org.code}/{source_id}",
            "incident_id": plan.incident.incident_id, "stage": plan.stage}


def _mojibake(text: str) -> str:
    return text.encode("utf-8").decode("latin-1") \
        if text.isascii() is False else text


def _apply_defect(defect: str | None, fields: dict, rng: random.Random) -> bytes:
    if defect == "broken_html":
        fields["body"] = "<div><p>" + fields["body"].replace("</p>", "").replace("\n\n", "<p>") \
            + "<b><a href='" + fields["url"]
    elif defect == "mojibake":
        fields["title"] = _mojibake(fields["title"])
        fields["body"] = _mojibake(fields["body"])
    elif defect == "empty_body":
        fields["body"] = rng.choice(("", "<p> </p>", "   "))
    elif defect == "bad_date":
        fields["published"] = f"{fields['published'][:4]}-02-{rng.choice((30, 31))}"
    if defect:
        fields["defect"] = defect
    payload = json.dumps(fields, ensure_ascii=False, sort_keys=True).encode("utf-8")
    if defect == "undecodable":
        payload = payload.replace(b'"body": "', b'"body": "\xff\xfe\x81', 1)
    elif defect == "malformed_json":
        payload = payload[:-1]  # the closing brace lost in transfer
    return payload


def _fetched_at(year: int, month: int) -> datetime:
    next_year, next_month = add_months(year, month, 1)
    return datetime(next_year, next_month, 1, 12, 0, tzinfo=UTC)


def month_records(year: int, month: int, scale: float = 1.0,
                  seed: int = 1995) -> Iterator[tuple[RawRecord, AlertPlan]]:
    """Every raw record of one month with the plan (the truth) behind it."""
    rng = random.Random(f"{seed}:{year:04d}-{month:02d}:{scale}:defects")
    fetched_at, partition = _fetched_at(year, month), f"{year:04d}-{month:02d}"
    number = 0
    for plan in month_plans(seed, scale, year, month):
        number += 1
        source_id = f"{partition}-{number:06d}"
        defect = _defect(rng)
        fields = _fields(plan, seed, source_id)
        payload = _apply_defect(defect, fields, rng)
        record = RawRecord("sample", source_id, partition, payload, "application/json",
                           fetched_at, fields["url"], fields["published"])
        yield record, plan
        if defect == "duplicate":
            number += 1
            copy_id = f"{partition}-{number:06d}"
            yield RawRecord("sample", copy_id, partition, payload, "application/json",
                            fetched_at, fields["url"], fields["published"]), plan


def generate_archive(start: date, end: date, scale: float = 1.0,
                     seed: int = 1995) -> Iterator[RawRecord]:
    """All raw records of the months from ``start`` to ``end`` inclusive."""
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        for record, _ in month_records(year, month, scale, seed):
            yield record
        year, month = add_months(year, month, 1)


def truth_labels(plan: AlertPlan) -> dict:
    """The labels the generator knows for an alert, in the shared/eval record format."""
    incident = plan.incident
    return {"countries": [incident.country], "primary_country": incident.country,
            "categories": list(plan.categories), "victim_types": list(incident.victim_types)}


def raw_record_to_json(raw: RawRecord, plan: AlertPlan | None = None) -> dict:
    """One JSON-lines object for ``generate-sample`` (with true labels when a plan is given)."""
    line: dict = {"id": raw.source_id, "published": raw.published_hint, "url": raw.url,
                  "content_hash": raw.content_hash}
    try:
        fields = json.loads(raw.payload.decode("utf-8"))
        line.update(title=fields.get("title"), text=fields.get("body"),
                    language=fields.get("language"), organisation=fields.get("organisation"),
                    incident_id=fields.get("incident_id"), stage=fields.get("stage"),
                    defect=fields.get("defect"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        line.update(payload=raw.payload.decode("utf-8", errors="replace"), defect="unreadable")
    if plan is not None:
        line["incident_id"] = plan.incident.incident_id
        line["labels"] = truth_labels(plan)
    return line


class SampleSource:
    """The embedded sample archive as a Source (no network, no files)."""

    name = "sample"

    def __init__(self, scale: float = 1.0, seed: int = 1995, as_of: date | None = None) -> None:
        if scale <= 0:
            raise ValueError("scale must be positive")
        self.scale = float(scale)
        self.seed = int(seed)
        self.as_of = as_of or datetime.now(UTC).date()
        """Alerts dated after this day have not been "published" yet and are left out."""

    @classmethod
    def from_config(cls, url: str | None, path: str | None,
                    options: dict[str, str]) -> SampleSource:
        as_of = options.get("as_of")
        return cls(scale=float(options.get("scale", 1.0)), seed=int(options.get("seed", 1995)),
                   as_of=date.fromisoformat(as_of) if as_of else None)

    def _is_current(self, month_start: date) -> bool:
        return (month_start.year, month_start.month) >= (self.as_of.year, self.as_of.month)

    def fetch_month(self, month_start: date) -> Iterator[RawRecord]:
        current = self._is_current(month_start)
        cutoff = datetime(self.as_of.year, self.as_of.month, self.as_of.day, 12, tzinfo=UTC)
        for record, plan in month_records(month_start.year, month_start.month,
                                          self.scale, self.seed):
            if not current:
                yield record
            elif plan.published <= self.as_of:
                yield replace(record, fetched_at=min(record.fetched_at, cutoff))

    def fingerprint(self, month_start: date) -> str:
        month = f"{month_start:%Y-%m}"
        through = f":through-{self.as_of}" if self._is_current(month_start) else ""
        return f"sample:v{GENERATOR_VERSION}:{self.scale}:{self.seed}:{month}{through}"

    def parse(self, raw: RawRecord) -> ParsedAlert:
        try:
            text = raw.payload.decode("utf-8")
        except UnicodeDecodeError as error:
            raise ParseError(QuarantineReason.UNDECODABLE, f"payload is not UTF-8: {error}") \
                from None
        try:
            fields = json.loads(text)
        except json.JSONDecodeError as error:
            raise ParseError(QuarantineReason.MALFORMED, f"payload is not JSON: {error}") \
                from None
        if not isinstance(fields, dict):
            raise ParseError(QuarantineReason.MALFORMED, "payload is not a JSON object")
        return build_alert(raw, title=fields.get("title"), text=fields.get("body"),
                           published=fields.get("published"), source_url=fields.get("url"),
                           language=fields.get("language"),
                           organisation=fields.get("organisation"),
                           incident_ref=fields.get("incident_id"))
