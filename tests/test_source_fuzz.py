"""Generated bad input through every source's reader and parser (hypothesis, bounded and
derandomised): no exception but a ParseError with a named reason escapes ``parse``, each
raw record ends once as an alert or a quarantine row with a reason, the rows fit the lake's
schemas, and for files every input line is in a record."""

from __future__ import annotations

import json
import os
import tempfile
from collections import Counter
from datetime import UTC, datetime
from email.utils import format_datetime
from html import escape
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from models.records import ParseError, QuarantineReason, RawRecord
from models.schemas import QUARANTINE, RAW_ALERTS
from pipelines.parse import parse_month
from pipelines.rows import raw_row
from pipelines.sources.feed import FeedSource
from pipelines.sources.fields import CONTROL_CHARS
from pipelines.sources.files import FilesSource
from pipelines.sources.mbox import MboxSource
from pipelines.sources.sample import SampleSource
from pipelines.sources.text import MAX_TEXT_CHARS, MAX_TITLE_CHARS
from pipelines.sources.wordpress import WordPressSource
from warehouse import lake

EXAMPLES = int(os.environ.get("IFEX_FUZZ_EXAMPLES", "30"))
"""Examples per test: few in the suite (seconds); ``IFEX_FUZZ_EXAMPLES=2000`` searches deeper."""
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=EXAMPLES <= 30, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
MAPPING = {"map.title": "headline", "map.text": "body", "map.published": "date",
           "map.id": "ref", "map.terms": "tags"}
FETCHED = datetime(2020, 6, 1, tzinfo=UTC)

words = st.text(st.characters(codec="utf-8"), max_size=40)
nasty = st.text(st.sampled_from('ab é€ж"\',;|\n\r\t\x00\x07\x1b\x7f\x9b<>&=-'), max_size=30)
dates = st.one_of(st.sampled_from(["2020-05-04", "2020-02-30", "1980-01-01", "", "soon",
                                   "Mon, 04 May 2020 10:00:00 +0000", "2999-01-01"]), words)
json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), words, nasty),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(words, inner, max_size=3),
    max_leaves=6)
FIELD_NAMES = ("ref", "headline", "body", "date", "tags", "url", "language", "organisation")
rows = st.fixed_dictionaries({}, optional={
    name: (dates if name == "date" else st.one_of(words, nasty, json_values))
    for name in FIELD_NAMES})
charsets = st.sampled_from(["utf-8", "cp1252", "latin-1", "koi8-r"])


def encoded(text: str, charset: str) -> bytes:
    return text.encode(charset, errors="ignore")


def assert_accounted(source, raws: list[RawRecord]) -> None:
    """parse raises nothing but named ParseErrors; raw = alerts + quarantined by raw id;
    raw and quarantine rows fit their lake schemas; alerts are clean text within the size
    limits (the enriched rows' conversion is the pipeline tests')."""
    for raw in raws:
        try:
            source.parse(raw)
        except ParseError as error:
            assert error.reason in QuarantineReason.ALL and error.detail
    batch = lake.rows_to_batch(RAW_ALERTS, [raw_row(r) for r in raws])
    parsed = parse_month(source, [batch])
    assert parsed.raw_count == len(raws) == len(parsed.alerts) + len(parsed.quarantine)
    outcomes = Counter([a.raw_id for a in parsed.alerts] + [q["raw_id"] for q in
                                                             parsed.quarantine])
    assert outcomes == Counter(r.raw_id for r in raws)
    assert all(q["reason"] in QuarantineReason.ALL and q["detail"] for q in parsed.quarantine)
    lake.rows_to_batch(QUARANTINE, parsed.quarantine)
    for alert in parsed.alerts:
        assert 0 < len(alert.title) <= MAX_TITLE_CHARS and 0 < len(alert.text) <= MAX_TEXT_CHARS
        texts = [alert.title, alert.text, *alert.source_terms] + [
            value or "" for value in (alert.source_url, alert.language, alert.organisation,
                                      alert.incident_ref)]
        assert all(isinstance(t, str) and not CONTROL_CHARS.search(t) for t in texts)


def files_records(name: str, data: bytes) -> tuple[FilesSource, list[RawRecord], list[int]]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        source = FilesSource.from_config(None, folder, MAPPING)
        return source, list(source.records_of_file(path)), source.unread_lines(path)


@FUZZ
@given(lines=st.lists(st.one_of(rows.map(json.dumps).map(str.encode),
                                st.tuples(rows, charsets).map(
                                    lambda rc: encoded(json.dumps(rc[0], ensure_ascii=False),
                                                       rc[1])),
                                st.binary(max_size=60)), max_size=8))
def test_jsonl_lines(lines: list[bytes]) -> None:
    source, raws, unread = files_records("drop.jsonl", b"\n".join(lines))
    assert unread == []
    assert len(raws) == sum(1 for line in b"\n".join(lines).split(b"\n") if line.strip())
    assert_accounted(source, raws)


def csv_line(fields: list[str], quote_all: bool) -> str:
    if quote_all:
        return ",".join('"' + f.replace('"', '""') + '"' for f in fields)
    return ",".join(fields)  # unquoted: quotes, commas and line breaks left as they are


@FUZZ
@given(table=st.lists(st.tuples(st.lists(st.one_of(words, nasty, dates), min_size=1,
                                         max_size=6), st.booleans(), charsets), max_size=6),
       tail=st.binary(max_size=40))
def test_csv_rows(table: list[tuple[list[str], bool, str]], tail: bytes) -> None:
    data = b"ref,headline,body,date\n" + b"".join(
        encoded(csv_line(fields, quoted), charset) + b"\n" for fields, quoted, charset in table)
    source, raws, unread = files_records("drop.csv", data + tail)
    assert unread == []
    assert_accounted(source, raws)


def mail(subject: str, date: str, ctype: str, cte: str, body: bytes, boundary: str) -> bytes:
    head = (f"From desk@example.org Mon Mar  4 10:00:00 1996\nSubject: {subject}\n"
            f"Date: {date}\nMessage-ID: <{abs(hash((subject, body)))}@x>\nMIME-Version: 1.0\n")
    if ctype.startswith("multipart"):
        inner = b"Content-Type: text/plain; charset=utf-8\n\n" + body
        return (head + f'Content-Type: {ctype}; boundary="{boundary}"\n\n').encode(
            "utf-8", "surrogateescape") + b"--b1\n" + inner + b"\n--b1--\n"
    return (head + f"Content-Type: {ctype}\nContent-Transfer-Encoding: {cte}\n\n").encode(
        "utf-8", "surrogateescape") + body


messages = st.builds(
    mail, subject=st.one_of(words, nasty).map(lambda s: " ".join(s.split())),
    date=st.sampled_from(["Mon, 04 Mar 1996 10:00:00 +0000", "garbage", "",
                          format_datetime(FETCHED)]),
    ctype=st.sampled_from(["text/plain; charset=utf-8", "text/plain; charset=koi8-r",
                           "text/html", "multipart/mixed", "multipart/alternative"]),
    cte=st.sampled_from(["8bit", "base64", "quoted-printable", "x-unknown"]),
    body=st.one_of(st.binary(max_size=80), words.map(str.encode)),
    boundary=st.sampled_from(["b1", "other", ""]))


@FUZZ
@given(parts=st.lists(st.one_of(messages, st.binary(max_size=80).map(
    lambda b: b"From x@y Mon Mar  4 10:00:00 1996\n" + b)), min_size=1, max_size=4))
def test_mbox_messages(parts: list[bytes]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "archive.mbox"
        path.write_bytes(b"\n\n".join(parts) + b"\n")
        source = MboxSource.from_config(None, str(path), {})
        raws = list(source.records_of_file(path))
    assert raws
    assert_accounted(source, raws)


def rss(items: list[tuple[str, str, str]]) -> bytes:
    entries = "".join(f"<item><title>{escape(t)}</title><description>{escape(d)}</description>"
                      f"<pubDate>{escape(p)}</pubDate><guid>g{i}</guid></item>"
                      for i, (t, d, p) in enumerate(items))
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>f</title>{entries}' \
           "</channel></rss>".encode()


@FUZZ
@given(document=st.one_of(st.lists(st.tuples(nasty, st.one_of(words, nasty), dates),
                                   max_size=4).map(rss), st.binary(max_size=120)))
def test_feed_documents(document: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "feed.xml"
        path.write_bytes(document)
        source = FeedSource(path=path)
        try:
            raws = source.fetch_all()
        except ValueError as error:  # the documented fetch failure of an unreadable feed
            assert "not a readable feed" in str(error)
            return
    assert_accounted(source, raws)


@FUZZ
@given(posts=st.lists(st.one_of(json_values, st.fixed_dictionaries(
    {"id": st.integers(1, 5), "date": dates}, optional={
        "title": st.one_of(json_values, st.builds(lambda r: {"rendered": r}, json_values)),
        "content": st.one_of(json_values, st.builds(lambda r: {"rendered": r}, json_values)),
        "link": json_values, "lang": json_values, "_embedded": json_values})), max_size=5))
def test_wordpress_posts(posts: list) -> None:
    source = WordPressSource(url="http://127.0.0.1:9")
    raws = [source._record(p, "2020-05") if isinstance(p, dict) else
            RawRecord("wordpress", str(i), "2020-05", json.dumps(p).encode(),
                      "application/json", FETCHED) for i, p in enumerate(posts)]
    assert_accounted(source, raws)


@FUZZ
@given(entries=st.lists(st.one_of(json_values, st.fixed_dictionaries({}, optional={
    "title": json_values, "summary": json_values, "content": json_values, "tags": json_values,
    "_feed": json_values, "language": json_values, "_published_utc": dates})), max_size=5))
def test_feed_entries_in_the_raw_zone(entries: list) -> None:
    source = FeedSource(path=Path("feed.xml"))
    raws = [RawRecord("feed", f"e{i}", "2020-05", json.dumps(e).encode(), "application/json",
                      FETCHED) for i, e in enumerate(entries)]
    assert_accounted(source, raws)


@FUZZ
@given(payloads=st.lists(st.one_of(st.binary(max_size=80), rows.map(
    lambda r: json.dumps({"title": r.get("headline"), "body": r.get("body"),
                          "published": r.get("date")}).encode())), max_size=5))
def test_sample_payloads(payloads: list[bytes]) -> None:
    source = SampleSource(scale=0.01)
    raws = [RawRecord("sample", f"s{i}", "2020-05", p, "application/json", FETCHED)
            for i, p in enumerate(payloads)]
    assert_accounted(source, raws)


@pytest.mark.parametrize("text", ["\x00", "\ud800", "a\x1b[0m"])
def test_control_characters_and_lone_surrogates_in_ids_and_dates(tmp_path: Path,
                                                                 text: str) -> None:
    path = tmp_path / "x.jsonl"
    path.write_text(json.dumps({"ref": text, "headline": "t", "body": "b", "date": text}))
    [raw] = FilesSource.from_config(None, str(tmp_path), MAPPING).records_of_file(path)
    assert not CONTROL_CHARS.search(raw.source_id + (raw.published_hint or ""))
    assert lake.rows_to_batch(RAW_ALERTS, [raw_row(raw)]).num_rows == 1
