"""Turning what sources deliver into clean text, real dates and validated alerts.

Shared by every connector: byte decoding with charset detection and mojibake
repair, HTML to text, lenient date parsing, and the checks that send a record
to quarantine.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime
from html import unescape

import charset_normalizer
from selectolax.lexbor import LexborHTMLParser, LexborNode

from models.records import ParsedAlert, ParseError, QuarantineReason, RawRecord

MAX_TEXT_CHARS = 200_000
"""Longer bodies are not alerts (attachments, dumps) and are quarantined."""
EARLIEST_DATE = date(1990, 1, 1)
PARAGRAPH_TAGS = (
    "p",
    "div",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "section",
    "article",
    "header",
    "footer",
    "main",
    "address",
    "ul",
    "ol",
    "dl",
    "table",
    "hr",
)
"""Elements set off by a blank line (inside a list item, by a line break)."""
LINE_TAGS = ("tr", "dt", "dd")
"""Elements that start a line of their own."""
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
PREFERRED_CHARSETS = ("utf_8", "cp1252", "latin_1", "iso8859_15")
"""Charsets (charset_normalizer's names) that win ties between equally good detections."""
MOJIBAKE = re.compile("[ÃÂÐÑØ][\u0080-\u00bf]|â€")
HTML_TAG = re.compile(
    r"</?(?:p|div|br|span|a|b|i|u|em|strong|ul|ol|li|h[1-6]|table|tr|td|th|blockquote|img|"
    r"figure|figcaption|script|style|html|body|head|section|article|pre|iframe|hr)\b[^>]*>",
    re.IGNORECASE,
)
"""Something that looks like an HTML tag, not "a < b" or <a@b.org>."""
HTML_ENTITY = re.compile(r"&(?:[a-zA-Z]{2,8}|#\d{2,5}|#x[0-9a-fA-F]{2,4});")
HTML_SPACE = re.compile(r"[ \t\r\n\f]+")
"""Whitespace in HTML source: one space when rendered."""
LINE, PARAGRAPH, BULLET = "\u2028", "\u2029", "\ue000"
"""Markers for a line break, a blank line and a list item, until whitespace is collapsed."""
ITEM_START = re.compile(f"[ {LINE}]*{LINE}{BULLET}[ {LINE}]*")
"""A list item's start with the line breaks around it: one line, one bullet."""
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


def detected_charset(data: bytes) -> str | None:
    """The charset charset_normalizer detects in ``data``; among equally good guesses UTF-8,
    then the Western ones, which short Latin-1 text cannot be told apart from (cp1250
    "arręté"), then the detector's own order."""
    matches = charset_normalizer.from_bytes(data)
    best = matches.best()
    if best is None:
        return None
    tied = [m.encoding for m in matches if (m.chaos, m.coherence) == (best.chaos, best.coherence)]
    rank = {codec: i for i, codec in enumerate(PREFERRED_CHARSETS)}
    return min(tied, key=lambda codec: rank.get(codec, len(rank)))


def decode_bytes(payload: bytes, declared: str | None = None) -> str:
    """Decode bytes: UTF-8, then the declared charset, then detection; fail loudly."""
    candidates = ["utf-8"] + ([declared] if declared else [])
    for codec in candidates:
        try:
            return repair_mojibake(payload.decode(codec))
        except (UnicodeDecodeError, LookupError):
            continue
    detected = detected_charset(payload)
    if detected is None:
        raise ParseError(QuarantineReason.UNDECODABLE, "no character set decodes these bytes")
    return payload.decode(detected)


def normalise_whitespace(text: str) -> str:
    """Collapse runs of blanks, trim lines, keep paragraph breaks."""
    lines = (BLANKS.sub(" ", line).strip() for line in text.replace("\r\n", "\n").split("\n"))
    return MANY_NEWLINES.sub("\n\n", "\n".join(lines)).strip()


def html_to_text(html: str) -> str:
    """Render HTML to clean text: ``<br>`` a line break, paragraphs and other blocks a blank
    line, list items ``- item`` lines, scripts, styles and figures removed. Text without
    tags keeps its own line breaks (entities are decoded)."""
    if not HTML_TAG.search(html):
        return normalise_whitespace(unescape(html) if HTML_ENTITY.search(html) else html)
    tree = LexborHTMLParser(html)
    tree.strip_tags(list(DROP_TAGS))
    root = tree.body or tree.root
    if root is None:
        return ""
    _mark_breaks(root)
    text = HTML_SPACE.sub(" ", root.text(separator="", deep=True))
    text = ITEM_START.sub(LINE + "- ", text)
    return normalise_whitespace(text.replace(PARAGRAPH, "\n\n").replace(LINE, "\n"))


def _mark_breaks(root: LexborNode) -> None:
    """Insert line, paragraph and list-item markers where the layout breaks lines."""
    for node in root.css("pre"):
        node.insert_before(PARAGRAPH)
        node.insert_after(PARAGRAPH)
        node.replace_with(node.text(deep=True).replace("\n", LINE))
    for node in root.css("br"):
        node.insert_after(LINE)
    for node in root.css(",".join(LINE_TAGS)):
        node.insert_before(LINE)
    for node in root.css("td,th"):
        node.insert_after(" ")
    for node in root.css(",".join(PARAGRAPH_TAGS)):
        marker = LINE if _inside_list_item(node) else PARAGRAPH
        node.insert_before(marker)
        node.insert_after(marker)
    for node in root.css("li"):
        node.insert_before(LINE + BULLET if node.text(deep=True).strip() else LINE)


def _inside_list_item(node: LexborNode) -> bool:
    parent = node.parent
    while parent is not None:
        if parent.tag == "li":
            return True
        parent = parent.parent
    return False


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
