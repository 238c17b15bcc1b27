"""Reading e-mailed alerts: headers, the best body part in any charset, and clean text.

Bodies are decoded from any transfer encoding (quoted-printable, base64, 7/8bit)
and charset (declared, else detected); text/plain is preferred and text/html is
the fallback. Cleaning removes quoted reply lines, forwarding banners with their
header blocks, signatures (from the ``-- `` line) and mailing-list footers.
"""

from __future__ import annotations

import binascii
import html
import re
from collections import Counter
from datetime import datetime
from email import message_from_bytes
from email.errors import InvalidBase64LengthDefect
from email.header import decode_header
from email.message import Message

from models.records import ParseError, QuarantineReason
from pipelines.sources.charsets import decode_bytes, detected_charset
from pipelines.sources.text import html_to_text

ENVELOPE_DATE = re.compile(r"(\w{3} \w{3} +\d{1,2} \d\d:\d\d(?::\d\d)? (?:\S+ )?\d{4})\s*$")
SUBJECT_PREFIX = re.compile(r"^\s*(?:(?:re|fwd?|tr|aw|wg)\s*:\s*|\[[^\]]{1,40}\]\s*)+", re.I)
FORWARD_BANNER = re.compile(
    r"^\s*(?:-{2,}\s*(?:forwarded message|original message|forwarded by)[^\n]*"
    r"|begin forwarded message:)\s*$",
    re.I,
)
FORWARD_HEADER = re.compile(r"^\s*(?:from|to|cc|date|sent|subject|reply-to)\s*:", re.I)
ATTRIBUTION = re.compile(r"^\s*(?:on .{0,120}wrote|.{0,80} (?:a écrit|escribió))\s*:\s*$", re.I)
SIGNATURE = re.compile(r"^--\s?$")
FOOTER_RULE = re.compile(r"^\s*_{10,}\s*$")
FOOTER_WORDS = re.compile(
    r"unsubscribe|mailing list|listinfo|list-request|to subscribe|"
    r"you are receiving|you received this",
    re.I,
)
ENCODED_WORD = re.compile(r"=\?[^?\s]+\?[bBqQ]\?[^?\s]*\?=")
ESCAPED_FROM = re.compile(r"^>(>*From )", re.M)
FOOTER_MAX_LINES = 15
BOUNDARY_LINE = re.compile(rb"^--([0-9A-Za-z'()+_,./:=?-]{1,70}?)(?:--)?[ \t]*\r?$", re.M)
"""A MIME boundary line (RFC 2046 boundary characters, without spaces)."""


def read_message(payload: bytes) -> Message:
    """Parse message bytes (an mbox ``From `` envelope line is kept as the unixfrom)."""
    return message_from_bytes(payload)


def header_text(message: Message, name: str) -> str:
    """A header decoded from RFC 2047 words and raw 8-bit bytes; '' when absent."""
    value = raw_header(message, name)
    if value is None:
        return ""
    if not value.isascii():  # raw 8-bit bytes (legacy mail): decode them, then any words
        text = decode_bytes(value.encode("utf-8", "surrogateescape"), charset_hint(message))
        return " ".join(ENCODED_WORD.sub(lambda word: _decoded(word.group()), text).split())
    return " ".join(_decoded(value).split())


def raw_header(message: Message, name: str) -> str | None:
    """The first ``name`` header as it stands in the message (8-bit bytes kept as
    surrogates, not replaced by the ``message.get`` sanitising)."""
    wanted = name.lower()
    return next((str(v) for k, v in message.raw_items() if k.lower() == wanted), None)


def charset_hint(message: Message) -> str | None:
    """The charset that raw 8-bit headers most likely share with the body: the first
    declared one, else the one detected in the body's bytes (short headers alone are
    too little for detection)."""
    for part in message.walk():
        if part.get_content_charset():
            return part.get_content_charset()
    leaves = [p for p in message.walk() if p.get_content_maintype() == "text"]
    data = leaves[0].get_payload(decode=True) if leaves else None
    return detected_charset(data) if isinstance(data, bytes) else None


def _decoded(value: str) -> str:
    """An ASCII header value with RFC 2047 encoded words decoded."""
    pieces = []
    for chunk, charset in decode_header(value):
        if isinstance(chunk, str):
            chunk = chunk.encode("utf-8", "surrogateescape")
        pieces.append(decode_bytes(chunk, charset))
    return " ".join(pieces)


def clean_subject(subject: str) -> str:
    """A subject without ``Re:``/``Fwd:`` and ``[list]`` prefixes."""
    return SUBJECT_PREFIX.sub("", subject).strip()


def envelope_date(message: Message) -> datetime | None:
    """The delivery time on the mbox ``From sender Mon Jan  1 10:00:00 1996`` line."""
    found = ENVELOPE_DATE.search(message.get_unixfrom() or "")
    if not found:
        return None
    parts = found.group(1).split()
    stamp = " ".join(parts[:4] + parts[-1:]) if len(parts) > 5 else " ".join(parts)
    for layout in ("%a %b %d %H:%M:%S %Y", "%a %b %d %H:%M %Y"):
        try:
            return datetime.strptime(stamp, layout)
        except ValueError:
            continue
    return None


def part_text(part: Message, notes: list[str] | None = None) -> str:
    """One MIME leaf decoded from its transfer encoding and charset."""
    data = part.get_payload(decode=True)
    if not isinstance(data, bytes):
        return ""
    if is_cut_base64(part):
        data = cut_base64(part, notes)
    return decode_bytes(data, part.get_content_charset(), notes)


def is_cut_base64(part: Message) -> bool:
    """Whether the part is base64 that Python's decoder gave back undecoded (a length that
    no padding can make whole: the text was cut short)."""
    cte = str(part.get("Content-Transfer-Encoding", "")).strip().lower()
    return cte == "base64" and any(isinstance(d, InvalidBase64LengthDefect) for d in part.defects)


def cut_base64(part: Message, notes: list[str] | None) -> bytes:
    """The bytes of a base64 text cut short: its last, incomplete character (6 bits, less
    than a byte) dropped, the rest decoded; ``undecodable`` when even that fails."""
    encoded = re.sub(r"[^A-Za-z0-9+/]", "", str(part.get_payload(decode=False)))
    whole = encoded[: len(encoded) - len(encoded) % 4]
    rest = encoded[len(whole):]
    try:
        data = binascii.a2b_base64(whole + (rest[:-1] + "==")[: 4 if len(rest) > 1 else 0])
    except binascii.Error as error:
        raise ParseError(QuarantineReason.UNDECODABLE, f"base64 part: {error}") from None
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:  # the cut fell inside a character: drop its start
        data = data[: error.start] if error.reason == "unexpected end of data" else data
    if notes is not None:
        notes.append(f"base64 part of {len(encoded)} characters was cut short: its last "
                     "incomplete character dropped")
    return data


def body_text(message: Message, notes: list[str] | None = None) -> str:
    """The message body as clean plain text: text/plain first, else text/html."""
    return clean_body(raw_body_text(message, notes))


def raw_body_text(message: Message, notes: list[str] | None = None, repair: bool = True) -> str:
    """The decoded body before cleaning: the first inline text/plain, else text/html; a
    multipart whose boundary is not in its body is read again (see ``rebuilt_multipart``)."""
    leaves = [p for p in message.walk() if not p.is_multipart()]
    inline = [p for p in leaves if p.get_content_disposition() != "attachment"]
    for wanted in ("text/plain", "text/html"):
        for part in inline or leaves:
            if part.get_content_type() == wanted:
                text = part_text(part, notes)
                if wanted == "text/html":
                    text = html_to_text(text)
                if text.strip():
                    return text
    broken = [p for p in leaves if p.get_content_maintype() == "multipart"]
    if repair and broken:
        return raw_body_text(rebuilt_multipart(broken[0], notes), notes, repair=False)
    return ""


def rebuilt_multipart(part: Message, notes: list[str] | None) -> Message:
    """A multipart whose declared boundary is missing from its body, read with the boundary
    its body does use (the most frequent ``--marker`` line), else as plain text."""
    body = part.get_payload(decode=True)
    body = body if isinstance(body, bytes) else b""
    markers = Counter(m.group(1) for m in BOUNDARY_LINE.finditer(body))
    declared = part.get_boundary()
    if markers:
        found = markers.most_common(1)[0][0].decode("ascii", "replace")
        head = f'Content-Type: multipart/mixed; boundary="{found}"\n\n'.encode()
        what = f'with the boundary "{found}" its body uses'
    else:
        charset = part.get_content_charset() or "utf-8"
        head = f"Content-Type: text/plain; charset={charset}\n\n".encode()
        what = "as plain text (no boundary line in its body)"
    if notes is not None:
        notes.append(f"{part.get_content_type()} boundary "
                     f"{declared!r} not in the body: read {what}")
    return message_from_bytes(head + body)


def clean_body(text: str) -> str:
    """Strip quotes, forwarding banners, signatures and list footers from plain text."""
    text = ESCAPED_FROM.sub(r"\1", text.replace("\r\n", "\n").replace("\r", "\n"))
    lines = drop_footer(cut_signature(text.split("\n")))
    lines = drop_forward_headers(lines)
    lines = drop_quotes(lines)
    return "\n".join(lines).strip()


def cut_signature(lines: list[str]) -> list[str]:
    for index, line in enumerate(lines):
        if SIGNATURE.match(line) and index > 0:
            return lines[:index]
    return lines


def drop_footer(lines: list[str]) -> list[str]:
    """Remove a trailing ``____`` block that talks about the mailing list."""
    for index in range(len(lines) - 1, -1, -1):
        if FOOTER_RULE.match(lines[index]):
            tail = lines[index + 1 :]
            if len(tail) <= FOOTER_MAX_LINES and FOOTER_WORDS.search("\n".join(tail)):
                return lines[:index]
    return lines


def drop_forward_headers(lines: list[str]) -> list[str]:
    """Remove forwarding banners and the From:/Date:/Subject: block that follows each."""
    kept: list[str] = []
    state = None  # "banner" right after a banner line, "headers" inside its header block
    for line in lines:
        if FORWARD_BANNER.match(line):
            state = "banner"
            continue
        continued = state == "headers" and line[:1] in (" ", "\t") and line.strip()
        if state and (FORWARD_HEADER.match(line) or continued):
            state = "headers"
            continue
        if state and not line.strip():
            state = None if state == "headers" else state
            continue
        state = None
        kept.append(line)
    return kept


def drop_quotes(lines: list[str]) -> list[str]:
    """Remove quoted reply lines and their attribution, unless the quote is all there is."""
    unquoted = [line for line in lines if not line.lstrip().startswith(">")]
    unquoted = [line for line in unquoted if not ATTRIBUTION.match(line)]
    if "".join(unquoted).strip():
        return unquoted
    return [re.sub(r"^\s*>+ ?", "", line) for line in lines]


def as_html(text: str) -> str:
    """Plain text made safe for ``text.build_alert`` (which treats ``<…>`` and ``&x;`` as
    HTML): escaped, so addresses in angle brackets and ampersands survive as written."""
    return html.escape(text, quote=False)
