"""Turning what sources deliver into clean text, real dates and validated alerts.

Shared by every connector: HTML to text, lenient date parsing, and the checks that
send a record to quarantine (decoding is :mod:`charsets`, field checks :mod:`fields`).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime
from html import unescape
from typing import Any

from selectolax.lexbor import LexborHTMLParser, LexborNode

from models.records import ParsedAlert, ParseError, QuarantineReason, RawRecord
from pipelines.sources.charsets import repair_mojibake
from pipelines.sources.fields import clean_text, strip_controls

MAX_TEXT_CHARS = 200_000
"""Longer bodies are not alerts (attachments, dumps) and are quarantined."""
MAX_TITLE_CHARS = 1_000
"""Longer titles are not headlines (a body or a dump in the title field)."""
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


def repaired(value: Any) -> Any:
    """Text with its mojibake repaired (before control characters, which it may contain,
    are removed); other values as they are."""
    return repair_mojibake(value) if isinstance(value, str) else value


def build_alert(
    raw: RawRecord,
    *,
    title: Any,
    text: Any,
    published: Any,
    source_url: Any = None,
    language: Any = None,
    organisation: Any = None,
    incident_ref: Any = None,
    source_terms: list[str] | None = None,
    repairs: list[str] | None = None,
) -> ParsedAlert:
    """Check and clean the fields of one record into a ParsedAlert (or raise ParseError).

    Every field must be text (``wrong_type``); control characters are removed; the body
    and the title have size limits (``oversized``). ``repairs`` are notes of what the
    source already repaired; the alert carries them with its own."""
    notes = list(repairs or [])
    clean = {name: clean_text(name, repaired(value), notes) for name, value in (
        ("title", title), ("text", text), ("published", published), ("source_url", source_url),
        ("language", language), ("organisation", organisation), ("incident_ref", incident_ref))}
    body = strip_controls("text", html_to_text(clean["text"] or ""), notes)
    if not body:
        raise ParseError(QuarantineReason.EMPTY_TEXT, "the alert has no body text")
    if len(body) > MAX_TEXT_CHARS:
        raise ParseError(
            QuarantineReason.OVERSIZED, f"body of {len(body)} characters exceeds {MAX_TEXT_CHARS}"
        )
    headline = html_to_text(clean["title"] or "").replace("\n", " ")
    headline = strip_controls("title", headline, notes)
    if not headline:
        raise ParseError(QuarantineReason.NO_TITLE, "the alert has no title")
    if len(headline) > MAX_TITLE_CHARS:
        raise ParseError(QuarantineReason.OVERSIZED,
                         f"title of {len(headline)} characters exceeds {MAX_TITLE_CHARS}")
    terms = [strip_controls("source_terms", t, notes) for t in source_terms or []]
    return ParsedAlert(
        source=raw.source,
        source_id=raw.source_id,
        raw_id=raw.raw_id,
        content_hash=raw.content_hash,
        fetched_at=raw.fetched_at,
        published=parse_date(clean["published"]),
        title=headline,
        text=body,
        source_url=clean["source_url"] or raw.url,
        language=clean["language"] or None,
        organisation=clean["organisation"] or None,
        incident_ref=clean["incident_ref"],
        source_terms=[t for t in terms if t],
        repairs=notes,
    )
