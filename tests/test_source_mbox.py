"""MboxSource end to end on mbox files written by the tests, in every encoding."""

from __future__ import annotations

import os
import re
from datetime import date
from email.message import EmailMessage, Message
from email.mime.base import MIMEBase
from email.mime.message import MIMEMessage
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from pathlib import Path

import pytest

from models.records import ParseError, QuarantineReason, RawRecord
from pipelines.sources.mbox import MboxSource, iter_mbox, resolve_paths

FRENCH = "Le journaliste Jérôme Lefèvre a été arrêté à Abidjan. Son matériel a été saisi."
RUSSIAN = "Журналист Иван Петров задержан в Москве. Редакция газеты закрыта."
CP1252 = "The editor said: “We will not be silenced” – fine of €5,000 imposed."


def mail(
    subject: str,
    body: str,
    when: str | None,
    charset: str = "utf-8",
    cte: str = "8bit",
    msgid: str | None = None,
) -> EmailMessage:
    message = EmailMessage()
    message["From"] = "Alerts Desk <alerts@example.org>"
    message["Subject"] = subject
    if when:
        message["Date"] = when
    if msgid:
        message["Message-ID"] = msgid
    message.set_content(body, charset=charset, cte=cte)
    return message


def write_mbox(path: Path, messages: list[tuple[str, Message]]) -> Path:
    """An mboxo file: envelope line, message with escaped body ``From `` lines, blank line."""
    with path.open("wb") as handle:
        for envelope, message in messages:
            data = re.sub(rb"(?m)^From ", b">From ", message.as_bytes())
            handle.write(f"From {envelope}\n".encode() + data.rstrip(b"\n") + b"\n\n")
    return path


ENV = "alerts@example.org Mon Mar  4 10:00:00 1996"


def single_alerts() -> list[tuple[str, Message]]:
    html = MIMEMultipart("alternative")
    html["Subject"], html["Date"], html["Message-ID"] = (
        "=?utf-8?q?Radio_station_closed_in_Lom=C3=A9?=",
        "Tue, 05 Mar 1996 09:00:00 +0000",
        "<alt@example.org>",
    )
    html.attach(MIMEText("Plain version: the station in Lomé was closed.", "plain", "utf-8"))
    html.attach(MIMEText("<p>HTML version</p>", "html", "utf-8"))
    html_only = MIMEMultipart("mixed")
    html_only["Subject"], html_only["Date"] = "HTML only", "Wed, 06 Mar 1996 09:00:00 +0000"
    html_only["Message-ID"] = "<html@example.org>"
    html_only.attach(
        MIMEText(
            "<p>Police <b>raided</b> the offices &amp; seized files.</p>"
            "<ul><li>Two arrested</li></ul><script>x()</script>",
            "html",
        )
    )
    return [
        (
            ENV,
            mail(
                "Journaliste arrêté",
                FRENCH,
                "Fri, 01 Mar 1996 08:00:00 +0100",
                "latin-1",
                "quoted-printable",
                "<fr@example.org>",
            ),
        ),
        (
            ENV,
            mail(
                "Fwd: [ifex-alerts] Редакция закрыта",
                RUSSIAN,
                "Sat, 02 Mar 1996 08:00:00 +0300",
                "koi8-r",
                "base64",
                "<ru@example.org>",
            ),
        ),
        (
            ENV,
            mail(
                "Fine imposed",
                CP1252,
                "Sun, 03 Mar 1996 08:00:00 -0500",
                "windows-1252",
                "base64",
                "<cp@example.org>",
            ),
        ),
        (ENV, html),
        (ENV, html_only),
    ]


FORWARDED = """Please circulate.

---------- Forwarded message ----------
From: Partner Group <partner@example.net>
Date: Thu, 7 Mar 1996 10:00:00 +0000
Subject: Writer detained

The writer was detained on 6 March after publishing an essay.
From now on she is held incommunicado.

On 6 Mar 1996, Someone <s@example.net> wrote:
> is this confirmed?
> yes

--
Alerts Desk, tel. 555 0100

_______________________________________________
ifex-alerts mailing list
https://lists.example.org/listinfo/ifex-alerts
"""

DIGEST = """Send IFEX-Alerts mailing list submissions to
	ifex-alerts@lists.example.org

Today's Topics:

   1. TURKEY: Journalist jailed (CPJ)
   2. PERU: Radio station attacked (IPYS)

----------------------------------------------------------------------

Message: 1
Date: Mon, 11 Mar 1996 09:00:00 +0000
From: CPJ <info@cpj.example>
Subject: TURKEY: Journalist jailed

A journalist was jailed for ten years in Istanbul.

------------------------------

Message: 2
Date: Tue, 12 Mar 1996 09:00:00 +0000
From: IPYS <ipys@example.pe>
Subject: PERU: Radio station attacked

Unknown men attacked a radio station in Lima.
--
IPYS

------------------------------

_______________________________________________
IFEX-Alerts mailing list
https://lists.example.org/listinfo/ifex-alerts

End of IFEX-Alerts Digest, Vol 3, Issue 7
*****************************************
"""


def digests() -> list[tuple[str, Message]]:
    text = mail(
        "IFEX-Alerts Digest, Vol 3, Issue 7",
        DIGEST,
        "Wed, 13 Mar 1996 09:00:00 +0000",
        msgid="<digest@example.org>",
    )
    mime = MIMEMultipart("mixed")
    mime["Subject"], mime["Date"] = "Weekly digest", "Thu, 14 Mar 1996 09:00:00 +0000"
    mime["Message-ID"] = "<mime-digest@example.org>"
    mime.attach(MIMEText("Topics in this digest: two alerts", "plain"))
    inner = MIMEMultipart("digest")
    for number, (subject, body) in enumerate(
        [
            ("CHINA: Blogger held", "A blogger was held."),
            ("IRAN: Paper closed", "A paper was closed."),
        ]
    ):
        part = mail(subject, body, f"Fri, {15 + number} Mar 1996 09:00:00 +0000")
        inner.attach(MIMEMessage(part))
    mime.attach(inner)
    return [(ENV, text), (ENV, mime)]


def malformed() -> list[tuple[str, Message]]:
    garbage = MIMEBase("text", "plain", charset="x-unknown")
    garbage.set_payload(bytes([0, 1, 2, 3, 0xFF, 0xFE, 0x80, 0x81, 0x00] * 50))
    garbage["Content-Transfer-Encoding"] = "8bit"
    garbage["Subject"], garbage["Date"] = "Binary", "Fri, 29 Mar 1996 09:00:00 +0000"
    garbage["Message-ID"] = "<garbage@example.org>"
    return [
        (ENV, mail("Empty", "\n\n", "Mon, 18 Mar 1996 09:00:00 +0000", msgid="<empty@x>")),
        (
            ENV,
            mail(
                "Bad date header", "Text with envelope date.", "next tuesday", msgid="<baddate@x>"
            ),
        ),
        ("nobody", mail("No date anywhere", "Text without any date.", None, msgid="<nodate@x>")),
        (ENV, garbage),
        (ENV, mail("", "A body without a subject line.", "Tue, 19 Mar 1996 09:00:00 +0000")),
    ]


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    folder = tmp_path / "archive"
    folder.mkdir()
    forwarded = mail(
        "Fw: Writer detained",
        FORWARDED,
        "Fri, 08 Mar 1996 10:00:00 +0000",
        "utf-8",
        "quoted-printable",
        "<fwd@example.org>",
    )
    write_mbox(folder / "a.mbox", [*single_alerts(), (ENV, forwarded)])
    write_mbox(folder / "b.mbox", digests() + malformed())
    os.utime(folder / "b.mbox", (1_700_000_000, 1_700_000_000))  # 2023-11: fallback month
    return folder


def by_id(records: list[RawRecord]) -> dict[str, RawRecord]:
    return {r.source_id: r for r in records}


def test_streaming_reader_finds_every_message_and_keeps_bytes(archive: Path) -> None:
    found = list(iter_mbox(archive / "a.mbox"))
    assert len(found) == 6
    assert all(data.startswith(b"From alerts@example.org") for _, data in found)
    assert found[1][0] > found[0][0]
    assert b">From now on" in found[5][1]  # the escaped body line is one message, not two
    assert resolve_paths(f"{archive}") == [archive / "a.mbox", archive / "b.mbox"]
    assert resolve_paths(f"{archive}/a.mbox, {archive}/b.mbox")[1].name == "b.mbox"


def test_charsets_encodings_and_html_parse(archive: Path) -> None:
    source = MboxSource.from_config(None, str(archive / "a.mbox"), {})
    records = by_id(list(source.fetch_month(date(1996, 3, 1))))
    assert len(records) == 6
    french = source.parse(records["<fr@example.org>"])
    assert (french.title, french.text) == ("Journaliste arrêté", FRENCH)
    assert french.published == date(1996, 3, 1)
    russian = source.parse(records["<ru@example.org>"])
    assert (russian.title, russian.text) == ("Редакция закрыта", RUSSIAN)
    assert source.parse(records["<cp@example.org>"]).text == CP1252
    alternative = source.parse(records["<alt@example.org>"])
    assert alternative.title == "Radio station closed in Lomé"
    assert alternative.text.startswith("Plain version")
    html = source.parse(records["<html@example.org>"])
    assert html.text == "Police raided the offices & seized files.\n\n- Two arrested"
    record = records["<fr@example.org>"]
    assert record.content_type == "message/rfc822" and record.partition_month == "1996-03"
    assert record.url.startswith("file://") and record.url.endswith("a.mbox#byte=0")


def test_forwards_quotes_signatures_and_footers_are_stripped(archive: Path) -> None:
    source = MboxSource.from_config(None, str(archive / "a.mbox"), {})
    record = by_id(list(source.fetch_month(date(1996, 3, 1))))["<fwd@example.org>"]
    alert = source.parse(record)
    assert alert.title == "Writer detained"
    assert alert.text == (
        "Please circulate.\n\nThe writer was detained on 6 March after "
        "publishing an essay.\nFrom now on she is held incommunicado."
    )


def test_digests_are_split_and_keep_the_original(archive: Path) -> None:
    source = MboxSource.from_config(None, str(archive / "b.mbox"), {})
    records = by_id(list(source.fetch_month(date(1996, 3, 1))))
    parts = {k: v for k, v in records.items() if "#" in k}
    assert sorted(parts) == [
        "<digest@example.org>#1",
        "<digest@example.org>#2",
        "<mime-digest@example.org>#1",
        "<mime-digest@example.org>#2",
    ]
    first = source.parse(parts["<digest@example.org>#1"])
    assert first.title == "TURKEY: Journalist jailed"
    assert first.text == "A journalist was jailed for ten years in Istanbul."
    assert first.published == date(1996, 3, 11)
    second = source.parse(parts["<digest@example.org>#2"])
    assert (second.title, second.published) == ("PERU: Radio station attacked", date(1996, 3, 12))
    assert second.text == "Unknown men attacked a radio station in Lima."
    mime = source.parse(parts["<mime-digest@example.org>#2"])
    assert (mime.title, mime.text) == ("IRAN: Paper closed", "A paper was closed.")
    assert mime.published == date(1996, 3, 16)
    assert b"End of IFEX-Alerts Digest" in parts["<digest@example.org>#1"].payload
    unsplit = MboxSource.from_config(None, str(archive / "b.mbox"), {"split_digests": "no"})
    assert "<digest@example.org>" in by_id(list(unsplit.fetch_month(date(1996, 3, 1))))


def test_malformed_messages_are_all_accounted_for_and_quarantined(archive: Path) -> None:
    source = MboxSource.from_config(None, str(archive), {})
    march = list(source.fetch_month(date(1996, 3, 1)))
    fallback = list(source.fetch_month(date(2023, 11, 1)))
    assert [r.source_id for r in fallback] == ["<nodate@x>"]
    assert len(march) + len(fallback) == 6 + 4 + 5  # every message (digest parts) somewhere
    outcomes = {}
    for record in march + fallback:
        try:
            outcomes[record.source_id] = source.parse(record).published
        except ParseError as error:
            outcomes[record.source_id] = error.reason
    assert outcomes["<empty@x>"] == QuarantineReason.EMPTY_TEXT
    assert outcomes["<baddate@x>"] == date(1996, 3, 4)  # from the envelope line
    assert outcomes["<nodate@x>"] == QuarantineReason.BAD_DATE
    assert outcomes["<garbage@example.org>"] == QuarantineReason.UNDECODABLE
    no_subject = [k for k in outcomes if k.startswith("sha256:")]
    assert [outcomes[k] for k in no_subject] == [QuarantineReason.NO_TITLE]


def test_fingerprint_changes_when_a_file_changes(archive: Path) -> None:
    source = MboxSource.from_config(None, str(archive), {})
    before = source.fingerprint(date(1996, 3, 1))
    with (archive / "a.mbox").open("ab") as handle:
        handle.write(b"From x@y Mon Apr  1 10:00:00 1996\nSubject: more\n\nnew\n")
    assert source.fingerprint(date(1996, 3, 1)) != before
