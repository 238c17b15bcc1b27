"""Names for the codes people read on the site: countries, categories, victim types,
languages and case stages (the data keep the codes; pages, facets and filters show these)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from babel import Locale

from models.geography import countries
from models.taxonomy import CATEGORIES, VICTIM_TYPES

RTL_LANGUAGES = frozenset({"ar", "fa", "he", "ur", "ps", "ku"})
"""Languages written right to left: their text blocks get ``dir="rtl"``."""

COUNTRY_COLUMNS = frozenset({"primary_country", "countries", "country"})
CATEGORY_COLUMNS = frozenset({"categories", "category"})
VICTIM_COLUMNS = frozenset({"victim_types", "victim_type"})
LANGUAGE_COLUMNS = frozenset({"language"})
STAGE_COLUMNS = frozenset({"stage", "status"})


@cache
def country_names() -> dict[str, str]:
    return {code: country.name for code, country in countries().items()}


@cache
def category_labels() -> dict[str, str]:
    return {label.code: label.label for label in CATEGORIES}


@cache
def category_descriptions() -> dict[str, str]:
    return {label.code: label.description for label in (*CATEGORIES, *VICTIM_TYPES)}


@cache
def victim_labels() -> dict[str, str]:
    return {label.code: label.label for label in VICTIM_TYPES}


@cache
def language_names() -> dict[str, str]:
    return dict(Locale("en").languages)


def stage_name(stage: str | None) -> str:
    """"detained" → "Detained"; "reported" (no stage of its own) → "Reported"."""
    return (stage or "reported").replace("_", " ").capitalize()


def names_of(column: str) -> dict[str, str] | None:
    """The code → name table for a column, or None when its values are not codes."""
    if column in COUNTRY_COLUMNS:
        return country_names()
    if column in CATEGORY_COLUMNS:
        return category_labels()
    if column in VICTIM_COLUMNS:
        return victim_labels()
    if column in LANGUAGE_COLUMNS:
        return language_names()
    return None


def label(column: str, value: object) -> str:
    """What a person reads for one value of a column (the value itself if not a code)."""
    if value is None:
        return ""
    if column in STAGE_COLUMNS:
        return stage_name(str(value))
    names = names_of(column)
    return names.get(str(value), str(value)) if names else str(value)


def list_labels(column: str, value: object) -> list[str]:
    """Names of a JSON list cell (``["ET", "KE"]`` → Ethiopia, Kenya)."""
    items = json.loads(value) if isinstance(value, str) and value.startswith("[") else value
    if not isinstance(items, list):
        return [label(column, value)] if value else []
    return [label(column, item) for item in items]


def text_direction(language: str | None) -> str:
    """``rtl`` for a right-to-left language, else ``auto`` (the browser decides per block)."""
    return "rtl" if (language or "") in RTL_LANGUAGES else "auto"


def served_release(static_mounts) -> str | None:
    """The name of the release ``exports/latest`` points at (the ``downloads`` mount)."""
    mounts = dict(static_mounts)
    latest = Path(mounts["downloads"]) / "latest" if "downloads" in mounts else None
    return latest.resolve().name if latest is not None and latest.exists() else None
