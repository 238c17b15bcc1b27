"""Turning what sources deliver into clean text, real dates and validated alerts.

Shared by every connector: byte decoding with charset detection and mojibake
repair, HTML to text, lenient date parsing, and the checks that send a record
to quarantine.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime

import charset_normalizer
from selectolax.lexbor import LexborHTMLParser

from models.records import ParsedAlert, ParseError, QuarantineReason, RawRecord

MAX_TEXT_CHARS = 200_000
"""Longer bodies are not alerts (attachments, dumps) and are quarantined."""
EARLIEST_DATE = date(1990, 1, 1)
BLOCK_TAGS = (
    "p",
    "div",
    "br",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "tr",
    "blockquote",
    "section",
    "article",
    "pre",
    "figure",
    "ul",
    "ol",
    "table",
)
DROP_TAGS = (
    "script",
    "style",
    "noscript",
    "iframe",
    "figure",
    "figcaption",
    "svg",
    "form",
    "nav",
    "aside",
    "head",
)
MOJIBAKE = re.compile("[ÃÂÐÑØ][\u0080-\u00bf]|â€")
TAG_HINT = re.compile(
    r"</?(?:p|div|br|span|a|b|i|u|em|strong|ul|ol|li|h[1-6]|table|tr|td|th|blockquote|img|"
    r"figure|figcaption|script|style|html|body|head|section|article|pre|iframe|hr)\b[^>]*>"
    r"|&(?:[a-zA-Z]{2,8}|#\d{2,5}|#x[0-9a-fA-F]{2,4});",
    re.IGNORECASE,
)
"""Something that looks like HTML markup (tags or entities), not "a < b" or <a@b.org>."""
BLANKS = re.compile(r"[ \t\u00a0]+")
MANY_NEWLINES = re.compile(r"\n{3,}")


def repair_mojibake(text: str) -> str:
    """Undo UTF-8 that was decoded as Latin-1/Windows-1252 ("Ã©" → "é"), when it helps."""
    if not MOJIBAKE.search(text):
        return text
    for codec in ("cp1252", "latin-1"):
        try:
            fixed = text.encode(codec).decode("utf-8")
        except UnicodeError:
            continue
        if len(MOJIBAKE.findall(fixed)) < len(MOJIBAKE.findall(text)):
            return fixed
    return text


def decode_bytes(payload: bytes, declared: str | None = None) -> str:
    """Decode bytes: UTF-8, then the declared charset, then detection; fail loudly."""
    candidates = ["utf-8"] + ([declared] if declared else [])
    for codec in candidates:
        try:
            return repair_mojibake(payload.decode(codec))
        except (UnicodeDecodeError, LookupError):
            continue
    best = charset_normalizer.from_bytes(payload).best()
    if best is None:
        raise ParseError(QuarantineReason.UNDECODABLE, "no character set decodes these bytes")
    return str(best)


def normalise_whitespace(text: str) -> str:
    """Collapse runs of blanks, trim lines, keep paragraph breaks."""
    lines = (BLANKS.sub(" ", line).strip() for line in text.replace("\r\n", "\n").split("\n"))
    return MANY_NEWLINES.sub("\n\n", "\n".join(lines)).strip()


def html_to_text(html: str) -> str:
    """Render HTML (or text with stray tags/entities) to clean paragraphs of text."""
    if not TAG_HINT.search(html):
        return normalise_whitespace(html)
    tree = LexborHTMLParser(html)
    tree.strip_tags(list(DROP_TAGS))
    root = tree.body or tree.root
    if root is None:
        return ""
    for node in root.css(",".join(BLOCK_TAGS)):
        node.insert_before("\n")
        node.insert_after("\n")
    for node in root.css("li"):
        node.insert_before("- ")
    return normalise_whitespace(root.text(separator="", deep=True))


def parse_date(value: str | None) -> date:
    """Parse ISO dates/datetimes and RFC 2822 dates; impossible dates are a ParseError."""
    if not value or not value.strip():
        raise ParseError(QuarantineReason.BAD_DATE, "no publication date")
    text = value.strip()
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        try:
            parsed = parsedate_to_datetime(text).date()
        except (TypeError, ValueError, IndexError):
            raise ParseError(QuarantineReason.BAD_DATE, f"unparseable date {text!r}") from None
    if not EARLIEST_DATE <= parsed <= datetime.now(UTC).date():
        raise ParseError(QuarantineReason.BAD_DATE, f"date {parsed} is outside 1990..today")
    return parsed


FIRST_PARTITION_MONTH = "1995-01"
"""Records dated earlier are filed in the first partition, so none is left unreachable."""


def partition_month_of(value: str | None) -> str | None:
    """The month partition ("YYYY-MM") for a stated date, or None if it is unusable."""
    try:
        return max(parse_date(value).strftime("%Y-%m"), FIRST_PARTITION_MONTH)
    except ParseError:
        return None


def build_alert(
    raw: RawRecord,
    *,
    title: str | None,
    text: str | None,
    published: str | None,
    source_url: str | None = None,
    language: str | None = None,
    organisation: str | None = None,
    incident_ref: str | None = None,
    source_terms: list[str] | None = None,
) -> ParsedAlert:
    """Clean and validate the fields of one record into a ParsedAlert (or raise ParseError)."""
    body = html_to_text(repair_mojibake(text or ""))
    if not body:
        raise ParseError(QuarantineReason.EMPTY_TEXT, "the alert has no body text")
    if len(body) > MAX_TEXT_CHARS:
        raise ParseError(
            QuarantineReason.OVERSIZED, f"body of {len(body)} characters exceeds {MAX_TEXT_CHARS}"
        )
    headline = html_to_text(repair_mojibake(title or "")).replace("\n", " ")
    if not headline:
        raise ParseError(QuarantineReason.NO_TITLE, "the alert has no title")
    return ParsedAlert(
        source=raw.source,
        source_id=raw.source_id,
        raw_id=raw.raw_id,
        content_hash=raw.content_hash,
        fetched_at=raw.fetched_at,
        published=parse_date(published),
        title=headline,
        text=body,
        source_url=source_url or raw.url,
        language=(language or None),
        organisation=organisation or None,
        incident_ref=incident_ref,
        source_terms=list(source_terms or []),
    )
