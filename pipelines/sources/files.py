"""A drop folder of ``.jsonl`` and ``.csv`` exports from partner organisations.

Each JSON line or CSV row is one raw record; its payload is the JSON line's bytes
as they stand in the file, or the CSV row re-serialised as a JSON object keyed by
the header. Columns are mapped to alert fields with ``map.<field>=<column>``
options (fields: id, title, text, published, url, language, organisation,
incident_ref, terms). A record belongs to the month of its date; a record whose
date is missing or unusable, or that cannot be read at all, belongs to the month
of the file's modification time, where ``parse`` quarantines it. Blank lines are
not records. A CSV file that cannot be decoded at all becomes one raw record (the
whole file) that is quarantined as ``undecodable``.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import partial
from pathlib import Path
from typing import Any

from models.records import ParsedAlert, ParseError, QuarantineReason, RawRecord
from pipelines.sources.text import build_alert, decode_bytes, partition_month_of

FIELDS = (
    "id",
    "title",
    "text",
    "published",
    "url",
    "language",
    "organisation",
    "incident_ref",
    "terms",
)
SUFFIXES = (".jsonl", ".csv")
JSON_TYPE, CSV_FILE_TYPE = "application/json", "text/csv"
BOM = "\ufeff"
"""The byte-order mark that Excel and many exporters put at the start of UTF-8 files."""


def column_mapping(options: Mapping[str, str]) -> dict[str, str]:
    """``map.title=headline`` options → {"title": "headline", …}; unmapped fields keep
    their own name as the column."""
    mapping = {name: name for name in FIELDS}
    for key, column in options.items():
        if key.startswith("map."):
            name = key.removeprefix("map.")
            if name not in FIELDS:
                raise ValueError(f"unknown field {name!r} in option {key}; fields: {FIELDS}")
            mapping[name] = column
    return mapping


def split_terms(value: Any) -> list[str]:
    """A JSON list, or a string separated by ``;`` or ``|``, → term names."""
    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()]
    if isinstance(value, str):
        return [t.strip() for t in value.replace("|", ";").split(";") if t.strip()]
    return []


@dataclass
class FilesSource:
    """JSONL/CSV files in one folder, with a declared column mapping."""

    folder: Path
    mapping: dict[str, str] = field(default_factory=lambda: column_mapping({}))
    delimiter: str = ","
    encoding: str | None = None
    date_format: str | None = None
    name: str = "files"

    @classmethod
    def from_config(cls, url: str | None, path: str | None, options: dict[str, str]) -> FilesSource:
        if not path:
            raise ValueError("the files source needs a path (the drop folder)")
        return cls(
            folder=Path(path).expanduser(),
            mapping=column_mapping(options),
            delimiter=options.get("delimiter", ","),
            encoding=options.get("encoding"),
            date_format=options.get("date_format"),
        )

    def files(self) -> list[Path]:
        return sorted(p for p in self.folder.iterdir() if p.is_file() and p.suffix in SUFFIXES)

    def list_new_files(self, seen: set[str]) -> list[str]:
        """Names of files in the folder that are not in ``seen`` (for the sensor)."""
        return [p.name for p in self.files() if p.name not in seen]

    def months_of_file(self, name: str) -> set[str]:
        return {record.partition_month for record in self.records_of_file(self.folder / name)}

    def fetch_month(self, month_start: date) -> Iterator[RawRecord]:
        month = month_start.strftime("%Y-%m")
        for path in self.files():
            yield from (r for r in self.records_of_file(path) if r.partition_month == month)

    def records_of_file(self, path: Path) -> Iterator[RawRecord]:
        stamp = datetime.now(UTC)
        fallback = datetime.fromtimestamp(path.stat().st_mtime, UTC).strftime("%Y-%m")
        rows = self._jsonl_rows(path) if path.suffix == ".jsonl" else self._csv_rows(path)
        for number, payload, content_type in rows:
            row = self._row(payload) if content_type == JSON_TYPE else None
            ident = str(row.get(self.mapping["id"]) or "") if row else ""
            published = field_text(row, self.mapping, "published") if row else None
            yield RawRecord(
                source=self.name,
                source_id=f"{path.name}:{ident or number}",
                partition_month=partition_month_of(self._published(published)) or fallback,
                payload=payload,
                content_type=content_type,
                fetched_at=stamp,
                url=path.resolve().as_uri(),
                published_hint=published,
            )

    def parse(self, raw: RawRecord) -> ParsedAlert:
        if raw.content_type != JSON_TYPE:
            raise ParseError(QuarantineReason.UNDECODABLE, "the file could not be decoded")
        row = self._decoded_row(raw.payload)
        get = partial(field_text, row, self.mapping)
        return build_alert(
            raw,
            title=get("title"),
            text=get("text"),
            published=self._published(get("published")),
            source_url=get("url"),
            language=get("language"),
            organisation=get("organisation"),
            incident_ref=get("incident_ref"),
            source_terms=split_terms(row.get(self.mapping["terms"])),
        )

    def fingerprint(self, month_start: date) -> str | None:
        stats = [(p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in self.files()]
        return hashlib.sha256(json.dumps(stats).encode()).hexdigest()

    def _published(self, value: str | None) -> str | None:
        """A date in the declared ``date_format`` (strptime) as ISO; others unchanged."""
        if not (self.date_format and value):
            return value
        try:
            return datetime.strptime(value.strip(), self.date_format).date().isoformat()
        except ValueError:
            return value

    def _jsonl_rows(self, path: Path) -> Iterator[tuple[int, bytes, str]]:
        with path.open("rb") as handle:
            for number, line in enumerate(handle, start=1):
                if line.strip():
                    yield number, line.rstrip(b"\r\n"), JSON_TYPE

    def _csv_rows(self, path: Path) -> Iterator[tuple[int, bytes, str]]:
        data = path.read_bytes()
        try:
            text = decode_bytes(data, self.encoding).removeprefix(BOM)
        except ParseError:
            yield 0, data, CSV_FILE_TYPE
            return
        reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=self.delimiter)
        for number, row in enumerate(reader, start=1):
            clean = {k: v for k, v in row.items() if k is not None}
            yield number, json.dumps(clean, ensure_ascii=False).encode("utf-8"), JSON_TYPE

    def _row(self, payload: bytes) -> dict[str, Any] | None:
        try:
            return self._decoded_row(payload)
        except ParseError:
            return None

    def _decoded_row(self, payload: bytes) -> dict[str, Any]:
        try:
            row = json.loads(decode_bytes(payload, self.encoding).removeprefix(BOM))
        except json.JSONDecodeError as error:
            raise ParseError(QuarantineReason.MALFORMED, f"not a JSON object: {error}") from None
        if not isinstance(row, dict):
            raise ParseError(QuarantineReason.MALFORMED, "the line is not a JSON object")
        return row


def field_text(row: Mapping[str, Any], mapping: Mapping[str, str], name: str) -> str | None:
    """The mapped column of a row as text (None when absent or null)."""
    value = row.get(mapping[name])
    return None if value is None else str(value)

