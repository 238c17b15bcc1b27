"""RSS and Atom feeds of new alerts, read with feedparser.

The feed is fetched as bytes (with the honest HTTP client, or from a file for
``path``) and parsed with ``feedparser.parse(bytes)``. Each entry becomes one raw
record whose payload is the entry as JSON (feedparser's fields, without its
``*_parsed`` time tuples, plus ``_feed`` with the feed's title, link and language).
An entry belongs to the month of its publication date (else its update date);
an entry with neither belongs to the month it was fetched in, and is quarantined
(``bad_date``). A feed only carries its latest entries, so a fetched month is merged
into the stored one (``merge_months``): entries that scrolled out are kept.

The incremental cursor is the newest entry time seen; while the feed carries undated
entries it is a JSON object that also lists their raw ids, so that an undated entry
counts as new exactly once.
"""

from __future__ import annotations

import calendar
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, ClassVar

import feedparser

from models.records import ParsedAlert, ParseError, QuarantineReason, RawRecord, sha256_hex
from pipelines.sources.http import HttpClient, HttpFetchError
from pipelines.sources.text import build_alert, partition_month_of

CONTENT_TYPE = "application/json"


def entry_time(entry: dict[str, Any], *names: str) -> datetime | None:
    """The first of feedparser's ``<name>_parsed`` UTC time tuples, as a datetime."""
    for name in names:
        parsed = dict.get(entry, f"{name}_parsed")  # no feedparser key aliasing
        if parsed:
            return datetime.fromtimestamp(calendar.timegm(parsed), UTC)
    return None


def entry_json(entry: dict[str, Any], feed: dict[str, Any]) -> dict[str, Any]:
    """A feedparser entry as plain JSON-ready data, with the feed's context."""
    plain = {k: v for k, v in entry.items() if not k.endswith("_parsed")}
    published = entry_time(entry, "published", "updated", "created")
    plain["_published_utc"] = published.isoformat() if published else None
    updated = entry_time(entry, "updated")
    plain["_updated_utc"] = updated.isoformat() if updated else None
    plain["_feed"] = {k: feed.get(k) for k in ("title", "link", "language")}
    return json.loads(json.dumps(plain, default=str))


def entry_id(entry: dict[str, Any]) -> str:
    return str(
        entry.get("id")
        or entry.get("link")
        or "sha256:"
        + sha256_hex(
            json.dumps([entry.get("title"), entry.get("published")], default=str).encode()
        )[:32]
    )


def entry_body(entry: dict[str, Any]) -> str | None:
    """Full content when the feed has it, else the summary."""
    contents = entry.get("content")
    for content in contents if isinstance(contents, list) else []:
        if isinstance(content, dict) and isinstance(content.get("value"), str) \
                and content["value"].strip():
            return content["value"]
    return entry.get("summary") or entry.get("description")


def entry_terms(entry: dict[str, Any]) -> list[str]:
    """The entry's category terms (feedparser's ``tags``)."""
    tags = entry.get("tags")
    return [t["term"] for t in tags if isinstance(t, dict) and isinstance(t.get("term"), str)
            and t["term"]] if isinstance(tags, list) else []


def read_cursor(cursor: str | None) -> tuple[str | None, set[str]]:
    """(newest entry time seen, raw ids of the undated entries seen) of a feed cursor."""
    if not cursor or not cursor.startswith("{"):
        return cursor or None, set()
    state = json.loads(cursor)
    return state.get("time"), set(state.get("undated") or [])


def write_cursor(newest: str | None, undated: set[str]) -> str | None:
    """A plain time, or a JSON object with the undated entries' raw ids when there are any."""
    if not undated:
        return newest
    return json.dumps({"time": newest, "undated": sorted(undated)}, sort_keys=True)


def record_stamp(record: RawRecord) -> str | None:
    """The newest of an entry's publication and update times (ISO UTC), if it has one."""
    entry = json.loads(record.payload)
    return max(filter(None, [entry.get("_published_utc"), entry.get("_updated_utc")]),
               default=None)


@dataclass
class FeedSource:
    """One RSS/Atom feed, by URL or file path."""

    url: str | None = None
    path: Path | None = None
    client: HttpClient = field(default_factory=HttpClient)
    name: str = "feed"
    merge_months: ClassVar[bool] = True

    @classmethod
    def from_config(cls, url: str | None, path: str | None, options: dict[str, str]) -> FeedSource:
        if not (url or path):
            raise ValueError("the feed source needs a url or a path")
        return cls(
            url=url,
            path=Path(path).expanduser() if path else None,
            client=HttpClient.from_options(options),
        )

    def fetch_month(self, month_start: date) -> Iterator[RawRecord]:
        month = month_start.strftime("%Y-%m")
        yield from (r for r in self.fetch_all() if r.partition_month == month)

    def fetch_all(self) -> list[RawRecord]:
        """Every entry the feed currently carries."""
        document, status = self._document()
        parsed = feedparser.parse(document)
        if parsed.bozo and not parsed.entries:
            problem = f"not a readable feed: {parsed.get('bozo_exception')}"
            if self.url:
                raise HttpFetchError(self.url, status, problem)
            raise ValueError(f"{self.path} is {problem}")
        fetched = datetime.now(UTC)
        return [self._record(entry_json(e, parsed.feed), fetched) for e in parsed.entries]

    def fetch_modified_since(self, cursor: str | None) -> tuple[list[RawRecord], str | None]:
        """Entries published or updated after the cursor's time, and undated entries not
        seen before; and the new cursor (see :func:`read_cursor`)."""
        since, seen = read_cursor(cursor)
        fresh, newest, undated = [], since, set()
        for record in self.fetch_all():
            stamp = record_stamp(record)
            if stamp is None:
                undated.add(record.raw_id)
                is_new = record.raw_id not in seen
            else:
                is_new = since is None or stamp > since
                newest = max(newest or stamp, stamp)
            if is_new:
                fresh.append(record)
        return fresh, write_cursor(newest, undated)

    def changed_months(self, cursor: str | None) -> tuple[list[str], str | None]:
        """Months of the new or updated entries, and the new cursor."""
        records, new_cursor = self.fetch_modified_since(cursor)
        return sorted({r.partition_month for r in records}), new_cursor

    def parse(self, raw: RawRecord) -> ParsedAlert:
        try:
            entry = json.loads(raw.payload)
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise ParseError(QuarantineReason.MALFORMED, f"entry is not JSON: {error}") from None
        if not isinstance(entry, dict):
            raise ParseError(QuarantineReason.MALFORMED, "entry is not a JSON object")
        feed = entry.get("_feed") if isinstance(entry.get("_feed"), dict) else {}
        language = entry.get("language") or feed.get("language")
        return build_alert(
            raw,
            title=entry.get("title"),
            text=entry_body(entry),
            published=entry.get("_published_utc") or entry.get("published"),
            source_url=entry.get("link"),
            language=language[:2].lower() or None if isinstance(language, str) else language,
            source_terms=entry_terms(entry),
        )

    def fingerprint(self, month_start: date) -> str | None:
        return None

    def _document(self) -> tuple[bytes, int | None]:
        """The feed's bytes, and the HTTP status they came with (None from a file)."""
        if self.path is not None:
            return self.path.read_bytes(), None
        response = self.client.get(str(self.url))
        return response.content, response.status_code

    def _record(self, entry: dict[str, Any], fetched: datetime) -> RawRecord:
        month = partition_month_of(entry.get("_published_utc")) or fetched.strftime("%Y-%m")
        return RawRecord(
            source=self.name,
            source_id=entry_id(entry),
            partition_month=month,
            payload=json.dumps(entry, ensure_ascii=False, sort_keys=True).encode("utf-8"),
            content_type=CONTENT_TYPE,
            fetched_at=fetched,
            url=entry.get("link") or self.url,
            published_hint=entry.get("published"),
        )

