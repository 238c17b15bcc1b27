"""A drop folder of ``.jsonl`` and ``.csv`` exports from partner organisations.

Each JSON line or CSV row is one raw record; its payload is the JSON line's bytes
as they stand in the file, or the CSV row re-serialised as a JSON object keyed by
the header. Columns are mapped to alert fields with ``map.<field>=<column>``
options (fields: id, title, text, published, url, language, organisation,
incident_ref, terms). A record belongs to the month of its date; a record whose
date is missing or unusable, or that cannot be read at all, belongs to the month
of the file's modification time, where ``parse`` quarantines it. Blank lines are
not records. A CSV file that cannot be decoded at all becomes one raw record (the
whole file) that is quarantined as ``undecodable``; a CSV row that cannot be read
(see :mod:`csv_rows`) is a record of its first line, quarantined as ``malformed``.
Each record's url names the file and its lines (``#line=4``, ``#lines=2-3``).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import partial
from pathlib import Path
from typing import Any

from models.records import ParsedAlert, ParseError, QuarantineReason, RawRecord
from pipelines.sources.charsets import decode_bytes
from pipelines.sources.csv_rows import CsvRow, decode_lines, read_rows
from pipelines.sources.fields import CONTROL_CHARS
from pipelines.sources.text import build_alert, partition_month_of

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
READER_VERSION = "2"
"""Part of the fingerprint: bump when reading files into records changes, so that months
are fetched again (2: a broken CSV row is quarantined alone, lines in the url)."""
MALFORMED_KEY, REPAIRS_KEY, TEXT_KEY = "_malformed", "_repairs", "_text"
"""Keys a CSV row's payload carries when it could not be read (the problem and the line as
it stands) or when reading it repaired something."""


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
        for number, lines, payload, content_type in rows:
            row = self._row(payload) if content_type == JSON_TYPE else None
            ident = record_ident(row.get(self.mapping["id"])) if row else ""
            published = field_text(row, self.mapping, "published") if row else None
            published = CONTROL_CHARS.sub("", published) if published else published
            yield RawRecord(
                source=self.name,
                source_id=f"{path.name}:{ident or number}",
                partition_month=partition_month_of(self._published(published)) or fallback,
                payload=payload,
                content_type=content_type,
                fetched_at=stamp,
                url=f"{path.resolve().as_uri()}#{lines}",
                published_hint=published,
            )

    def unread_lines(self, path: Path) -> list[int]:
        """Lines of a file that no record covers, besides blank lines and a CSV header:
        the per-line accounting of the reconcile check (empty when every line is read)."""
        data = path.read_bytes()
        lines = data.split(b"\n") if path.suffix == ".jsonl" else data.splitlines()
        covered = {n for r in self.records_of_file(path) for n in line_span(r.url or "")}
        filled = [n for n, line in enumerate(lines, start=1) if line.strip()]
        header = filled[:1] if path.suffix == ".csv" else []
        return [n for n in filled if n not in covered and n not in header]

    def parse(self, raw: RawRecord) -> ParsedAlert:
        if raw.content_type != JSON_TYPE:
            raise ParseError(QuarantineReason.UNDECODABLE, "the file could not be decoded")
        repairs: list[str] = []
        row = self._decoded_row(raw.payload, repairs)
        if from_csv(raw) and MALFORMED_KEY in row:
            reason = row.get("_reason") or QuarantineReason.MALFORMED
            raise ParseError(str(reason), str(row[MALFORMED_KEY]))
        if from_csv(raw) and isinstance(row.get(REPAIRS_KEY), list):
            repairs += [str(note) for note in row[REPAIRS_KEY]]
        get = partial(field_value, row, self.mapping)
        return build_alert(
            raw,
            repairs=repairs,
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
        return hashlib.sha256(json.dumps([READER_VERSION, stats]).encode()).hexdigest()

    def _published(self, value: str | None) -> str | None:
        """A date in the declared ``date_format`` (strptime) as ISO; others unchanged."""
        if not (self.date_format and value):
            return value
        try:
            return datetime.strptime(value.strip(), self.date_format).date().isoformat()
        except ValueError:
            return value

    def _jsonl_rows(self, path: Path) -> Iterator[tuple[int, str, bytes, str]]:
        with path.open("rb") as handle:
            for number, line in enumerate(handle, start=1):
                if line.strip():
                    yield number, f"line={number}", line.rstrip(b"\r\n"), JSON_TYPE

    def _csv_rows(self, path: Path) -> Iterator[tuple[int, str, bytes, str]]:
        data = path.read_bytes()
        try:
            lines, notes = decode_lines(data, self.encoding)
        except ParseError:
            yield 0, f"lines=1-{max(len(data.splitlines()), 1)}", data, CSV_FILE_TYPE
            return
        for row in read_rows(lines, self.delimiter):
            yield row.number, row.lines, row_payload(row, notes), JSON_TYPE

    def _row(self, payload: bytes) -> dict[str, Any] | None:
        try:
            return self._decoded_row(payload)
        except ParseError:
            return None

    def _decoded_row(self, payload: bytes, repairs: list[str] | None = None) -> dict[str, Any]:
        try:
            row = json.loads(decode_bytes(payload, self.encoding, repairs).removeprefix(BOM))
        except json.JSONDecodeError as error:
            raise ParseError(QuarantineReason.MALFORMED, f"not a JSON object: {error}") from None
        if not isinstance(row, dict):
            raise ParseError(QuarantineReason.MALFORMED, "the line is not a JSON object")
        return row


def field_text(row: Mapping[str, Any], mapping: Mapping[str, str], name: str) -> str | None:
    """The mapped column of a row as text (None when absent or null)."""
    value = row.get(mapping[name])
    return None if value is None else str(value)


def from_csv(raw: RawRecord) -> bool:
    """Whether a record is a CSV row (whose payload we wrote, so ``_malformed`` and
    ``_repairs`` are ours, not a partner's JSON keys)."""
    return raw.source_id.partition(":")[0].endswith(".csv")


def line_span(url: str) -> range:
    """The lines a record's url names (``#line=N`` or ``#lines=N-M``)."""
    _, _, fragment = url.partition("#")
    key, _, value = fragment.partition("=")
    first, _, last = value.partition("-")
    if key not in ("line", "lines") or not first.isdigit():
        return range(0)
    return range(int(first), int(last if last.isdigit() else first) + 1)


def field_value(row: Mapping[str, Any], mapping: Mapping[str, str], name: str) -> Any:
    """The mapped column of a row as it stands (``build_alert`` checks its type)."""
    return row.get(mapping[name])


def record_ident(value: Any) -> str:
    """A row's own id as part of a source id: text or a number, without control characters
    (anything else, or nothing, leaves the row its line or row number)."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return ""
    return CONTROL_CHARS.sub("", str(value)).strip()


def row_payload(row: CsvRow, notes: dict[int, str]) -> bytes:
    """A CSV row as its raw payload: the row as a JSON object keyed by the header, or, for a
    row that could not be read, the problem and the line as it stands."""
    if row.values is None:
        content: dict[str, Any] = {MALFORMED_KEY: row.problem, "_reason": row.reason,
                                   TEXT_KEY: row.text}
    else:
        content = dict(row.values)
        repairs = [notes[n] for n in range(row.first_line, row.last_line + 1) if n in notes]
        if repairs or row.notes:
            content[REPAIRS_KEY] = repairs + row.notes
    return json.dumps(content, ensure_ascii=False).encode("utf-8")

