"""E-mail archives in mbox files: one raw record per message, or per alert of a digest.

Files are read as a stream, message by message (never whole). Where a message
belongs:

1. the month of its ``Date:`` header, when that parses to a date in 1990..today;
2. else the month of the mbox ``From `` envelope line (the delivery time), which
   ``parse`` then also uses as the publication date;
3. else the month of the mbox file's modification time — ``parse`` quarantines it
   as ``bad_date``, so the message is still counted in some month.

A raw record's payload is the message exactly as it stands in the file, including
its ``From `` line. A digest (see :mod:`pipelines.sources.digest`) becomes one record
per alert, with source id ``<message-id>#N``; that record's payload is a small
``multipart/mixed`` message — the alert's own text first, then the whole original
digest as a ``message/rfc822`` attachment — so every part can be re-split or
reparsed from the raw zone alone. Its url points at the file and byte offset.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from email.message import Message
from pathlib import Path

from models.records import ParsedAlert, ParseError, RawRecord, sha256_hex
from pipelines.sources.digest import DigestPart, digest_parts
from pipelines.sources.email_text import (
    as_html,
    body_text,
    clean_subject,
    envelope_date,
    header_text,
    raw_body_text,
    read_message,
)
from pipelines.sources.mime_build import digest_part_payload
from pipelines.sources.text import build_alert, parse_date, partition_month_of

CONTENT_TYPE = "message/rfc822"
READER_VERSION = "2"
"""Part of the fingerprint: bump when reading messages into records changes, so that months
are fetched again (2: digests whose MIME boundary is broken are read)."""
ENVELOPE_LINE = re.compile(rb"^From \S+ +\w{3} \w{3} +\d{1,2} \d\d:\d\d")


def iter_mbox(path: Path) -> Iterator[tuple[int, bytes]]:
    """(byte offset, message bytes) for each message of an mbox file, streaming.

    A message starts at a ``From `` line at the top of the file, after a blank line,
    or shaped like an envelope (``From sender Mon Jan  1 10:00:00 1996``)."""
    lines: list[bytes] = []
    start = offset = 0
    previous_blank = True
    with path.open("rb") as handle:
        for line in handle:
            starts = line.startswith(b"From ") and (previous_blank or ENVELOPE_LINE.match(line))
            if starts and lines:
                yield start, _without_separator(b"".join(lines))
                lines, start = [], offset
            lines.append(line)
            previous_blank = not line.strip()
            offset += len(line)
    if lines and b"".join(lines).strip():
        yield start, _without_separator(b"".join(lines))


def _without_separator(data: bytes) -> bytes:
    """Drop the blank line that separates a message from the next ``From `` line."""
    for ending in (b"\r\n\r\n", b"\n\n"):
        if data.endswith(ending):
            return data[: -len(ending) // 2]
    return data


def message_id(message: Message, data: bytes) -> str:
    """The Message-ID, or a content hash when the message has none."""
    value = " ".join(str(message.get("Message-ID", "")).split())
    return value or f"sha256:{sha256_hex(data)[:32]}"


def publication(message: Message) -> str | None:
    """The publication date to parse: a usable Date header, else the envelope date."""
    stated = header_text(message, "Date")
    try:
        parse_date(stated)
        return stated
    except ParseError:
        delivered = envelope_date(message)
        return delivered.isoformat() if delivered else stated or None



def resolve_paths(path: str, pattern: str = "*.mbox") -> list[Path]:
    """A file, a directory of ``pattern`` files, or a comma-separated list of either."""
    found: list[Path] = []
    for item in (p.strip() for p in path.split(",") if p.strip()):
        target = Path(item).expanduser()
        if target.is_dir():
            found.extend(sorted(target.glob(pattern)))
        elif target.is_file():
            found.append(target)
        else:
            raise FileNotFoundError(f"no mbox file or directory at {target}")
    return found


def _mtime_month(path: Path) -> str:
    return datetime.fromtimestamp(path.stat().st_mtime, UTC).strftime("%Y-%m")


def _url(path: Path, offset: int) -> str:
    """Where a message is: the file and its byte offset."""
    return f"{path.resolve().as_uri()}#byte={offset}"


@dataclass
class MboxSource:
    """Alerts e-mailed to a list, from one or more mbox files."""

    paths: list[Path]
    split_digests: bool = True
    name: str = "mbox"
    _fetched_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    _indexes: dict[tuple[str, int, int], dict[str, list[tuple[int, int]]]] = field(
        default_factory=dict, repr=False
    )

    @classmethod
    def from_config(cls, url: str | None, path: str | None, options: dict[str, str]) -> MboxSource:
        if not path:
            raise ValueError("the mbox source needs a path (file, directory or comma list)")
        split = options.get("split_digests", "true").lower() not in ("0", "false", "no")
        return cls(paths=resolve_paths(path, options.get("pattern", "*.mbox")), split_digests=split)

    def fetch_month(self, month_start: date) -> Iterator[RawRecord]:
        """The month's records; the first call indexes each file (offsets per month) so
        that later months of the same run read only their own messages."""
        month = month_start.strftime("%Y-%m")
        self._fetched_at = datetime.now(UTC)
        for path in self.paths:
            fallback = _mtime_month(path)
            with path.open("rb") as handle:
                for offset, length in self._index(path).get(month, []):
                    handle.seek(offset)
                    records = self.records_of_message(
                        handle.read(length), _url(path, offset), fallback
                    )
                    yield from (r for r in records if r.partition_month == month)

    def records_of_file(self, path: Path) -> Iterator[RawRecord]:
        """Every record of one mbox file, each with its partition month."""
        fallback = _mtime_month(path)
        for offset, data in iter_mbox(path):
            yield from self.records_of_message(data, _url(path, offset), fallback)

    def _index(self, path: Path) -> dict[str, list[tuple[int, int]]]:
        stat = path.stat()
        key = (str(path.resolve()), stat.st_size, stat.st_mtime_ns)
        if key not in self._indexes:
            index: dict[str, list[tuple[int, int]]] = {}
            for offset, data in iter_mbox(path):
                records = self.records_of_message(data, "", _mtime_month(path))
                for month in dict.fromkeys(r.partition_month for r in records):
                    index.setdefault(month, []).append((offset, len(data)))
            self._indexes[key] = index
        return self._indexes[key]

    def records_of_message(self, data: bytes, url: str, fallback: str) -> list[RawRecord]:
        message = read_message(data)
        ident, stated = message_id(message, data), str(message.get("Date", "")) or None
        month = self._month(message) or fallback
        parts = self._digest_parts(message) if self.split_digests else []
        if not parts:
            return [self._record(ident, month, data, url, stated)]
        return [
            self._record(
                f"{ident}#{number}",
                partition_month_of(part.date) or month,
                digest_part_payload(data, message, part, ident, number, len(parts)),
                url,
                part.date or stated,
            )
            for number, part in enumerate(parts, start=1)
        ]

    def parse(self, raw: RawRecord) -> ParsedAlert:
        message = read_message(raw.payload)
        repairs: list[str] = []
        return build_alert(
            raw,
            repairs=repairs,
            title=clean_subject(header_text(message, "Subject")),
            text=as_html(body_text(message, repairs)),
            published=publication(message),
            language=(header_text(message, "Content-Language")[:2].lower() or None),
            organisation=header_text(message, "Organization") or None,
        )

    def fingerprint(self, month_start: date) -> str | None:
        stats = [(str(p), p.stat().st_size, p.stat().st_mtime_ns) for p in self.paths]
        return hashlib.sha256(json.dumps([READER_VERSION, stats]).encode()).hexdigest()

    @staticmethod
    def _month(message: Message) -> str | None:
        try:
            return partition_month_of(publication(message))
        except ParseError:  # an undecodable Date header: the fallback month it is
            return None

    @staticmethod
    def _digest_parts(message: Message) -> list[DigestPart]:
        try:
            return digest_parts(message, header_text(message, "Subject"), raw_body_text(message))
        except ParseError:  # undecodable: kept whole, and parse() will quarantine it
            return []

    def _record(
        self, ident: str, month: str, payload: bytes, url: str, hint: str | None
    ) -> RawRecord:
        return RawRecord(
            source=self.name,
            source_id=ident,
            partition_month=month,
            payload=payload,
            content_type=CONTENT_TYPE,
            fetched_at=self._fetched_at,
            url=url,
            published_hint=hint,
        )
