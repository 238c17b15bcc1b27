"""Recognising digest e-mails (several alerts in one message) and splitting them.

Two shapes are recognised:

* MIME digests (``multipart/digest`` or several ``message/rfc822`` parts): each
  embedded message is one alert.
* Plain-text digests — the subject says "digest" or the body has a "Topics in this
  digest" / "Today's Topics" index — whose alerts are separated by lines of
  dashes, equals signs or stars. Each section's headline is its ``Subject:`` line
  (Mailman style, after ``Message: N``) or else its first line; the index and the
  list footer are not alerts.

A message is only split when at least two sections with text are found; otherwise
it stays one alert.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from email.message import Message

from pipelines.sources.email_text import FOOTER_WORDS, body_text, clean_body, header_text

SEPARATOR = re.compile(r"^[ \t]*(?:-{5,}|={5,}|\*{5,}|_{10,})[ \t]*$", re.M)
INDEX = re.compile(r"^\s*(?:topics in this digest|today'?s topics|in this digest)\b", re.I | re.M)
DIGEST_END = re.compile(r"^\s*end of .{0,80}digest", re.I | re.M)
MESSAGE_NUMBER = re.compile(r"^\s*message:?\s*\d+\s*$", re.I)
PART_HEADER = re.compile(
    r"^(date|from|subject|to|cc|message-id|mime-version|content-[\w-]+)"
    r"\s*:\s*(.*)$",
    re.I,
)
FOOTER_MAX_LINES = 8


@dataclass(frozen=True)
class DigestPart:
    """One alert of a digest: its headline, text, and the date/sender it states, if any."""

    title: str
    text: str
    date: str | None = None
    sender: str | None = None


def digest_parts(message: Message, subject: str, body: str) -> list[DigestPart]:
    """The alerts of a digest message, or [] when the message is a single alert."""
    parts = mime_digest_parts(message)
    if not parts and ("digest" in subject.lower() or INDEX.search(body)):
        parts = text_digest_parts(body)
    return parts if len(parts) >= 2 else []


def mime_digest_parts(message: Message) -> list[DigestPart]:
    """Each ``message/rfc822`` inside a ``multipart/digest`` (or a multipart of them)."""
    embedded = [p for p in message.walk() if p.get_content_type() == "message/rfc822"]
    is_digest = any(p.get_content_type() == "multipart/digest" for p in message.walk())
    if not (is_digest or len(embedded) >= 2):
        return []
    parts = []
    for wrapper in embedded:
        inner = wrapper.get_payload()
        inner = inner[0] if isinstance(inner, list) and inner else inner
        if not isinstance(inner, Message):
            continue
        text = body_text(inner)
        if text:
            parts.append(
                DigestPart(
                    title=header_text(inner, "Subject"),
                    text=text,
                    date=header_text(inner, "Date") or None,
                    sender=header_text(inner, "From") or None,
                )
            )
    return parts


def text_digest_parts(body: str) -> list[DigestPart]:
    """Sections of a plain-text digest between separator lines, minus index and footer."""
    parts = []
    for chunk in SEPARATOR.split(body):
        if not chunk.strip() or INDEX.search(chunk) or is_footer(chunk):
            continue
        part = read_section(chunk)
        if part is not None:
            parts.append(part)
    return parts


def is_footer(chunk: str) -> bool:
    lines = [line for line in chunk.strip().split("\n") if line.strip()]
    short = len(lines) <= FOOTER_MAX_LINES
    return short and bool(DIGEST_END.search(chunk) or FOOTER_WORDS.search(chunk))


def read_section(chunk: str) -> DigestPart | None:
    """A section's own header lines (Mailman style) or first line as headline, then text."""
    lines = chunk.strip("\n").split("\n")
    while lines and (not lines[0].strip() or MESSAGE_NUMBER.match(lines[0])):
        lines.pop(0)
    headers: dict[str, str] = {}
    while lines and PART_HEADER.match(lines[0]):
        found = PART_HEADER.match(lines.pop(0))
        headers[found.group(1).lower()] = found.group(2).strip()
        while lines and lines[0][:1] in (" ", "\t") and lines[0].strip():
            headers[found.group(1).lower()] += " " + lines.pop(0).strip()
    title = headers.get("subject") or (lines.pop(0).strip() if lines else "")
    text = clean_body("\n".join(lines))
    if not text:
        return None
    return DigestPart(title=title, text=text, date=headers.get("date"), sender=headers.get("from"))
