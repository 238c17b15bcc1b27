"""Bad input through the files and mbox sources: every record ends as an alert or in
quarantine with a named reason, and what was repaired is said (issue 14)."""

from __future__ import annotations

import base64
import json
import os
import re
from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa

from models.records import ParsedAlert, ParseError, QuarantineReason, RawRecord
from models.schemas import RAW_ALERTS
from pipelines.checks import unread_input_lines
from pipelines.parse import parse_month
from pipelines.rows import raw_row
from pipelines.sources.files import FilesSource
from pipelines.sources.mbox import MboxSource
from pipelines.sources.text import MAX_TITLE_CHARS
from warehouse import lake

MAPPING = {"map.title": "headline", "map.text": "body", "map.published": "date", "map.id": "ref"}
MTIME = 1_700_000_000  # 2023-11: the month of records without a usable date


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    os.utime(path, (MTIME, MTIME))
    return path


def records(source: FilesSource | MboxSource, folder: Path) -> list[RawRecord]:
    paths = source.files() if isinstance(source, FilesSource) else source.paths
    return [r for path in paths for r in source.records_of_file(path)]


def outcome(source, record: RawRecord) -> ParsedAlert | tuple[str, str]:
    try:
        return source.parse(record)
    except ParseError as error:
        return error.reason, error.detail


def test_an_unbalanced_quote_is_malformed_alone_and_the_rows_after_it_are_read(
        tmp_path: Path) -> None:
    write(tmp_path / "export.csv", (
        b"ref,headline,body,date\n"
        b'C1,Station closed,"The station was closed.\nStaff sent home.",2020-05-11\n'
        b'C2,"Journalist missing,Nothing is known.,2020-05-12\n'
        b"C3,Blogger fined,A blogger was fined.,2020-05-13\n"
        b"\n"
        b"C4,Paper seized,The print run was seized.,2020-05-14\n"))
    source = FilesSource.from_config(None, str(tmp_path), MAPPING)
    found = {r.source_id: r for r in records(source, tmp_path)}
    assert sorted(found) == ["export.csv:2", "export.csv:C1", "export.csv:C3", "export.csv:C4"]
    reason, detail = outcome(source, found["export.csv:2"])
    assert reason == QuarantineReason.MALFORMED
    assert detail.startswith("line 4, the quote at column 4: the quoted field is never closed")
    assert found["export.csv:2"].url.endswith("export.csv#line=4")
    assert found["export.csv:C1"].url.endswith("#lines=2-3")
    assert outcome(source, found["export.csv:C3"]).title == "Blogger fined"
    assert outcome(source, found["export.csv:C4"]).published.isoformat() == "2020-05-14"
    assert unread_input_lines(source) == {}


def test_control_characters_never_reach_an_alert_and_their_removal_is_said(
        tmp_path: Path) -> None:
    row = {"ref": "X1", "headline": "Editor\x00 jailed\x07", "date": "2020-05-04",
           "body": "An\x08 editor\x1b[31m was\x7f jailed.\x9b"}
    write(tmp_path / "a.jsonl", json.dumps(row).encode() + b"\n")
    source = FilesSource.from_config(None, str(tmp_path), MAPPING)
    [record] = records(source, tmp_path)
    alert = outcome(source, record)
    assert (alert.title, alert.text) == ("Editor jailed", "An editor[31m was jailed.")
    assert alert.repairs == ["title: 2 control characters removed (U+0000, U+0007)",
                             "text: 4 control characters removed (U+0008, U+001B, U+007F, "
                             "U+009B)"]


def test_a_utf8_file_with_latin1_lines_is_decoded_per_line(tmp_path: Path) -> None:
    data = ("ref,headline,body,date\n"
            "F1,Journaliste arrêté,Le journaliste a été arrêté.,2020-05-04\n").encode()
    data += "F2,Café fermé,Le café a été fermé.,2020-05-05\n".encode("latin-1")
    write(tmp_path / "mixed.csv", data)
    source = FilesSource.from_config(None, str(tmp_path), MAPPING)
    first, second = (outcome(source, r) for r in records(source, tmp_path))
    assert (first.title, second.title) == ("Journaliste arrêté", "Café fermé")
    assert first.repairs == []
    assert re.fullmatch(r"line 3: not UTF-8, read as cp125[02]", " ".join(second.repairs))


def test_invalid_utf8_that_no_charset_reads_is_undecodable(tmp_path: Path) -> None:
    line = b'{"ref": "U1", "headline": "x", "body": "\xff\xfe\x81 broken", "date": "2020-05-04"}'
    write(tmp_path / "u.jsonl", line + b"\n")
    source = FilesSource.from_config(None, str(tmp_path), MAPPING)
    [record] = records(source, tmp_path)
    assert outcome(source, record)[0] == QuarantineReason.UNDECODABLE


def test_wrong_types_are_quarantined_not_rendered(tmp_path: Path) -> None:
    lines = [{"ref": "T1", "headline": ["a", "list"], "body": "Text.", "date": "2020-05-04"},
             {"ref": "T2", "headline": "Title", "body": {"an": "object"}, "date": "2020-05-04"},
             {"ref": "T3", "headline": 2020, "body": "Numbers are text.", "date": "2020-05-04"}]
    write(tmp_path / "t.jsonl", b"\n".join(json.dumps(x).encode() for x in lines))
    source = FilesSource.from_config(None, str(tmp_path), MAPPING)
    t1, t2, t3 = (outcome(source, r) for r in records(source, tmp_path))
    assert t1 == (QuarantineReason.WRONG_TYPE, 'title is a list, not text: ["a", "list"]')
    assert t2 == (QuarantineReason.WRONG_TYPE, 'text is an object, not text: {"an": "object"}')
    assert t3.title == "2020"


def test_a_title_longer_than_the_limit_is_oversized(tmp_path: Path) -> None:
    row = {"ref": "L1", "headline": "x" * 100_000, "body": "Text.", "date": "2020-05-04"}
    write(tmp_path / "l.jsonl", json.dumps(row).encode())
    source = FilesSource.from_config(None, str(tmp_path), MAPPING)
    [record] = records(source, tmp_path)
    assert outcome(source, record) == (
        QuarantineReason.OVERSIZED, f"title of 100000 characters exceeds {MAX_TITLE_CHARS}")


def test_fields_beyond_the_header_are_said_or_quarantined(tmp_path: Path) -> None:
    write(tmp_path / "wide.csv", (
        b"ref,headline,body,date\n"
        b"W1,Radio closed,The radio was closed.,2020-05-04,,\n"
        b"W2,Editor, jailed,The editor was jailed.,2020-05-05\n"))
    source = FilesSource.from_config(None, str(tmp_path), MAPPING)
    found = {r.source_id: r for r in records(source, tmp_path)}
    assert outcome(source, found["wide.csv:W1"]).repairs == [
        "line 2: 2 empty fields beyond the header dropped"]
    assert outcome(source, found["wide.csv:2"]) == (
        QuarantineReason.MALFORMED,
        "line 3: 5 fields but the header has 4 (beyond it: '2020-05-05')")


MAIL = b"From desk@example.org Mon Mar  4 10:00:00 1996\nFrom: desk@example.org\n" \
       b"Date: Mon, 04 Mar 1996 10:00:00 +0000\n"


def test_base64_cut_short_is_decoded_not_published_as_base64(tmp_path: Path) -> None:
    text = "Journalist arrested in Lomé, his phone seized."  # 47 bytes: 64 characters
    cut = base64.b64encode(text.encode())[:-3]  # cut short: 61 characters, 60 of them whole
    message = MAIL + b"Message-ID: <b64@x>\nSubject: Arrest\nMIME-Version: 1.0\n" \
        b"Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n\n" + \
        cut + b"\n"
    write(tmp_path / "a.mbox", message)
    source = MboxSource.from_config(None, str(tmp_path / "a.mbox"), {})
    [record] = records(source, tmp_path)
    alert = outcome(source, record)
    assert alert.text == "Journalist arrested in Lomé, his phone seize"  # 45 bytes
    assert alert.repairs == ["base64 part of 61 characters was cut short: its last incomplete "
                             "character dropped"]


def test_a_broken_mime_boundary_still_gives_the_text(tmp_path: Path) -> None:
    message = MAIL + b"Message-ID: <mime@x>\nSubject: Station closed\nMIME-Version: 1.0\n" \
        b'Content-Type: multipart/alternative; boundary="declared"\n\n--actual\n' \
        b"Content-Type: text/plain; charset=utf-8\n\nThe station was closed.\n--actual--\n"
    write(tmp_path / "m.mbox", message)
    source = MboxSource.from_config(None, str(tmp_path / "m.mbox"), {})
    [record] = records(source, tmp_path)
    alert = outcome(source, record)
    assert alert.text == "The station was closed."
    assert alert.repairs == ["multipart/alternative boundary 'declared' not in the body: read "
                             'with the boundary "actual" its body uses']


def test_versions_fetched_at_the_same_time_keep_the_later_and_say_so(tmp_path: Path) -> None:
    write(tmp_path / "v.jsonl", b"\n".join(json.dumps(
        {"ref": "V1", "headline": title, "body": "Text.", "date": "2020-05-04"}).encode()
        for title in ("First version", "Second version", "Third version")))
    source = FilesSource.from_config(None, str(tmp_path), MAPPING)
    raws = records(source, tmp_path)
    assert len({r.fetched_at for r in raws}) == 1
    batch = pa.RecordBatch.from_pylist([raw_row(r) for r in raws], RAW_ALERTS.schema)
    parsed = parse_month(source, [batch])
    assert [a.title for a in parsed.alerts] == ["Third version"]
    assert len(parsed.quarantine) == 2
    for row in parsed.quarantine:
        assert row["detail"].startswith("a different version, fetched at the same time (which "
                                        "is newer is not known; the one later in the fetch is "
                                        "kept), of source record v.jsonl:V1")
    older = RawRecord("files", "v.jsonl:V1", "2020-05", b"{}", "application/json",
                      datetime(2020, 1, 1, tzinfo=UTC))
    batch = pa.RecordBatch.from_pylist([raw_row(r) for r in [*raws, older]], RAW_ALERTS.schema)
    details = [q["detail"] for q in parse_month(source, [batch]).quarantine]
    assert sum(d.startswith("an older version") for d in details) == 1
    assert lake.rows_to_batch(RAW_ALERTS, [raw_row(r) for r in raws]).num_rows == 3
