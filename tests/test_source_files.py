"""FilesSource end to end on a drop folder of JSONL and CSV files."""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path

import pytest

from models.records import ParseError, QuarantineReason
from pipelines.sources.files import FilesSource

MAPPING = {
    "map.title": "headline",
    "map.text": "body",
    "map.published": "date",
    "map.id": "ref",
    "map.terms": "tags",
}
MTIME = 1_700_000_000  # 2023-11-14: the month of records without a usable date


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    os.utime(path, (MTIME, MTIME))
    return path


@pytest.fixture
def drop(tmp_path: Path) -> Path:
    lines = [
        json.dumps(
            {
                "ref": "A1",
                "headline": "Editor jailed",
                "body": "<p>An editor &amp; a reporter were jailed.</p>",
                "date": "2020-05-04",
                "tags": ["Jail", "Press"],
                "language": "en",
            }
        ),
        json.dumps(
            {
                "headline": "Blogger fined",
                "body": "A blogger was fined.",
                "date": "2020-05-20T08:00:00Z",
                "tags": "Fine; Online",
            }
        ),
        "",
        '{"ref": "A3", "headline": "broken", ',
        json.dumps({"ref": "A4", "headline": "No body", "body": "  ", "date": "2020-05-21"}),
        json.dumps({"ref": "A5", "headline": "No date", "body": "Text without a date."}),
        json.dumps(
            {"ref": "A6", "headline": "Next month", "body": "June text.", "date": "2020-06-01"}
        ),
    ]
    latin1 = '{"ref": "A7", "headline": "Caf\xe9 raid", "body": "Police raided the caf\xe9.", '
    latin1 += '"date": "2020-05-30"}'
    data = "\n".join(lines).encode() + b"\n" + latin1.encode("latin-1") + b"\n"
    data += bytes([0, 1, 2, 3, 0xFF, 0xFE, 0x80, 0x81] * 40) + b"\n"
    write(tmp_path / "partner.jsonl", data)
    csv_text = (
        "ref,headline,body,date,tags\n"
        'C1,Station closed,"The station was closed.\nStaff were sent home.",'
        "2020-05-11,Closure|Broadcast\n"
        "C2,Journalist missing,Nothing is known.,not a date,\n"
    )
    write(tmp_path / "export.csv", csv_text.encode("cp1252"))
    write(tmp_path / "notes.txt", b"not a drop file")
    return tmp_path


def outcome(source: FilesSource, record) -> object:
    try:
        return source.parse(record)
    except ParseError as error:
        return error.reason


def test_rows_become_records_in_their_months_and_parse(drop: Path) -> None:
    source = FilesSource.from_config(None, str(drop), MAPPING)
    may = {r.source_id: r for r in source.fetch_month(date(2020, 5, 1))}
    assert sorted(may) == [
        "export.csv:C1",
        "partner.jsonl:2",
        "partner.jsonl:A1",
        "partner.jsonl:A4",
        "partner.jsonl:A7",
    ]
    first = source.parse(may["partner.jsonl:A1"])
    assert first.title == "Editor jailed" and first.text == "An editor & a reporter were jailed."
    assert first.published == date(2020, 5, 4) and first.language == "en"
    assert first.source_terms == ["Jail", "Press"]
    assert source.parse(may["partner.jsonl:2"]).source_terms == ["Fine", "Online"]
    assert source.parse(may["partner.jsonl:A7"]).text == "Police raided the café."
    station = source.parse(may["export.csv:C1"])
    assert station.text == "The station was closed.\nStaff were sent home."
    assert station.source_terms == ["Closure", "Broadcast"]
    row = json.loads(may["export.csv:C1"].payload)
    assert list(row) == ["ref", "headline", "body", "date", "tags"]
    assert may["partner.jsonl:A1"].payload.startswith(b'{"ref": "A1"')
    assert outcome(source, may["partner.jsonl:A4"]) == QuarantineReason.EMPTY_TEXT
    assert [r.source_id for r in source.fetch_month(date(2020, 6, 1))] == ["partner.jsonl:A6"]


def test_unusable_rows_land_in_the_file_month_and_are_quarantined(drop: Path) -> None:
    source = FilesSource.from_config(None, str(drop), MAPPING)
    fallback = {r.source_id: r for r in source.fetch_month(date(2023, 11, 1))}
    assert {k: outcome(source, r) for k, r in fallback.items()} == {
        "export.csv:C2": QuarantineReason.BAD_DATE,
        "partner.jsonl:4": QuarantineReason.MALFORMED,
        "partner.jsonl:A5": QuarantineReason.BAD_DATE,
        "partner.jsonl:9": QuarantineReason.UNDECODABLE,
    }


def test_undecodable_csv_file_is_one_quarantined_record(tmp_path: Path) -> None:
    write(tmp_path / "broken.csv", bytes([0, 1, 2, 3, 0xFF, 0xFE, 0x80, 0x81] * 40))
    source = FilesSource.from_config(None, str(tmp_path), {})
    [record] = source.fetch_month(date(2023, 11, 1))
    assert record.source_id == "broken.csv:0" and record.content_type == "text/csv"
    assert outcome(source, record) == QuarantineReason.UNDECODABLE


def test_new_files_months_fingerprint_and_options(drop: Path) -> None:
    source = FilesSource.from_config(None, str(drop), MAPPING)
    assert source.list_new_files(set()) == ["export.csv", "partner.jsonl"]
    assert source.list_new_files({"export.csv"}) == ["partner.jsonl"]
    assert source.months_of_file("export.csv") == {"2020-05", "2023-11"}
    before = source.fingerprint(date(2020, 5, 1))
    write(drop / "more.jsonl", b'{"headline": "x", "body": "y", "date": "2021-01-01"}\n')
    assert source.fingerprint(date(2020, 5, 1)) != before
    with pytest.raises(ValueError, match="unknown field"):
        FilesSource.from_config(None, str(drop), {"map.nonsense": "x"})


def test_semicolon_csv_with_declared_date_format(tmp_path: Path) -> None:
    write(
        tmp_path / "fr.csv",
        "titre;texte;jour\nArrestation;Un journaliste arrêté.;03/02/2019\n".encode("cp1252"),
    )
    options = {
        "map.title": "titre",
        "map.text": "texte",
        "map.published": "jour",
        "delimiter": ";",
        "date_format": "%d/%m/%Y",
        "encoding": "cp1252",
    }
    source = FilesSource.from_config(None, str(tmp_path), options)
    [record] = source.fetch_month(date(2019, 2, 1))
    alert = source.parse(record)
    assert (alert.text, alert.published) == ("Un journaliste arrêté.", date(2019, 2, 3))
