"""The fields of a record checked and cleaned before it becomes an alert.

A field must be text (a number is read as text); a list, an object or a boolean where
text belongs is ``wrong_type``, never its Python rendering. Control characters (C0 but
tab and line breaks, DEL, C1, lone surrogates, non-characters) are removed, and each
removal is noted as a repair.
"""

from __future__ import annotations

import json
import re
from typing import Any

from models.records import ParseError, QuarantineReason

CONTROL_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
"""Characters that are not text: they never reach an alert."""
JSON_KINDS = ((bool, "a boolean"), (list, "a list"), (tuple, "a list"), (dict, "an object"))
PREVIEW_CHARS = 60


def kind_of(value: Any) -> str:
    """What a JSON value is, for a person: "a list", "an object", …"""
    return next((name for kind, name in JSON_KINDS if isinstance(value, kind)),
                type(value).__name__)


def text_field(name: str, value: Any) -> str | None:
    """A field's value as text: None and strings as they are, numbers as digits; any other
    type is a ``wrong_type`` ParseError naming the field."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    shown = json.dumps(value, ensure_ascii=False, default=str)[:PREVIEW_CHARS]
    raise ParseError(QuarantineReason.WRONG_TYPE, f"{name} is {kind_of(value)}, not text: {shown}")


def strip_controls(name: str, value: str, notes: list[str]) -> str:
    """``value`` without control characters; a removal is noted in ``notes``."""
    found = CONTROL_CHARS.findall(value)
    if not found:
        return value
    codes = sorted({f"U+{ord(c):04X}" for c in found})
    shown = ", ".join(codes[:5]) + (", …" if len(codes) > 5 else "")
    plural = "s" if len(found) > 1 else ""
    notes.append(f"{name}: {len(found)} control character{plural} removed ({shown})")
    return CONTROL_CHARS.sub("", value)


def clean_text(name: str, value: Any, notes: list[str]) -> str | None:
    """A field checked to be text and stripped of control characters (None stays None)."""
    text = text_field(name, value)
    return None if text is None else strip_controls(name, text, notes)
