"""Decoding bytes of unknown charset: UTF-8 first, legacy bytes among UTF-8 read on their own.

A payload that is valid UTF-8 is read as UTF-8 (with mojibake repaired). Otherwise the
declared charset is tried, then the legacy charset of the bytes that are not UTF-8:
Windows-1252 when there are few of them and each is a Western letter or sign, else the
detected one. In a text that is mostly UTF-8, UTF-8 characters keep their meaning among legacy bytes
(a UTF-8 file with some Latin-1 lines, or a line mixing both), and each repair is said
in a note. Bytes that fit no charset are ``undecodable``.
"""

from __future__ import annotations

import codecs
import re
from functools import partial

import charset_normalizer

from models.records import ParseError, QuarantineReason

PREFERRED_CHARSETS = ("utf_8", "cp1252", "latin_1", "iso8859_15")
"""Charsets (charset_normalizer's names) that win ties between equally good detections."""
MOJIBAKE = re.compile("[ÃÂÐÑØ][\u0080-\u00bf]|â€")
UTF8_SEQUENCE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}"
    rb"|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}"
    rb"|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)
"""A well-formed multi-byte UTF-8 character."""
WESTERN_BYTES = re.compile(rb"[\t\n\r\x20-\x7e\x80\x82-\x8c\x8e\x91-\x9c\x9e-\xff]*")
"""Bytes that all read as printable Windows-1252 (Western European) text."""
FALLBACK = "cp1252"
MIN_DETECTION_BYTES = 8
"""Fewer bytes beyond ASCII are too little for charset detection."""
UTF8_NAMES = frozenset({"utf-8", "utf8", "utf_8"})


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


def legacy_part(data: bytes) -> bytes:
    """``data`` without its multi-byte UTF-8 characters: the bytes a legacy charset must read."""
    return UTF8_SEQUENCE.sub(b"", data)


def legacy_charset(data: bytes) -> str | None:
    """The charset of bytes that are not UTF-8: Windows-1252 for a few bytes that read as
    Western text (too few for detection, which reads "café" as UTF-16); else the detected
    one (never UTF-16/32 without a byte-order mark); else Windows-1252 when every byte
    reads as Western text; else None (a few bytes that are not text)."""
    western = WESTERN_BYTES.fullmatch(data) is not None
    if sum(byte >= 0x80 for byte in data) < MIN_DETECTION_BYTES:
        return FALLBACK if western else None
    matches = charset_normalizer.from_bytes(data)
    best = matches.best()
    wide = best is not None and best.encoding.startswith(("utf_16", "utf_32")) and not best.bom
    if best is not None and not wide:
        return detected_charset(data)
    return FALLBACK if western else None


def is_mostly_utf8(data: bytes) -> bool:
    """Whether most bytes beyond ASCII are in well-formed UTF-8 characters (a UTF-8 text
    with some legacy bytes, not legacy text where a few byte pairs happen to be UTF-8)."""
    in_utf8 = sum(len(m.group()) for m in UTF8_SEQUENCE.finditer(data))
    return in_utf8 * 2 >= sum(byte >= 0x80 for byte in data)


def decode_mixed(data: bytes, legacy: str) -> str:
    """UTF-8 where the bytes are UTF-8, ``legacy`` for the runs that are not."""
    handler = f"ifex-legacy-{legacy}"
    if handler not in _HANDLERS:
        codecs.register_error(handler, partial(_read_as, legacy))
        _HANDLERS.add(handler)
    return data.decode("utf-8", handler)


_HANDLERS: set[str] = set()


def _read_as(legacy: str, error: UnicodeError) -> tuple[str, int]:
    """Codec error handler: the bytes that are not UTF-8, read as ``legacy``."""
    assert isinstance(error, UnicodeDecodeError)
    return bytes(error.object[error.start : error.end]).decode(legacy, "replace"), error.end


def decode_bytes(payload: bytes, declared: str | None = None,
                 notes: list[str] | None = None) -> str:
    """Decode bytes: UTF-8, then the declared charset, then the legacy charset of the bytes
    that are not UTF-8 (UTF-8 characters among them kept); fail loudly (``undecodable``).
    What had to be guessed or repaired is appended to ``notes``."""
    try:
        return repair_mojibake(payload.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    if declared and declared.lower() not in UTF8_NAMES:
        try:
            return repair_mojibake(payload.decode(declared))
        except (UnicodeDecodeError, LookupError):
            pass
    mixed = is_mostly_utf8(payload)
    legacy = legacy_charset(legacy_part(payload) if mixed else payload)
    if legacy is None:
        raise ParseError(QuarantineReason.UNDECODABLE,
                         "not UTF-8, and no character set reads its other bytes as text")
    if mixed:  # UTF-8 characters among the legacy bytes
        bad = len(payload) - len(payload.decode("utf-8", "ignore").encode("utf-8"))
        what = f"{bad} bytes that are" if bad > 1 else "1 byte that is"
        _note(notes, f"{what} not UTF-8 read as {legacy} among UTF-8 text")
        return decode_mixed(payload, legacy)
    _note(notes, f"not UTF-8: read as {legacy}" + (f" (declared {declared} fails)"
                                                    if declared else ""))
    return payload.decode(legacy, "replace")


def _note(notes: list[str] | None, text: str) -> None:
    if notes is not None:
        notes.append(text)
