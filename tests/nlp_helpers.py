"""Helpers shared by the extractor tests."""

from __future__ import annotations

from nlp.extractor import AlertText, Extractor


def labels(extractor: Extractor, text: str, language: str = "en") -> tuple[set, set]:
    """Categories and victim types of one body under a neutral title."""
    result = extractor.extract_one(AlertText("t", "Statement", text, language))
    return set(result.categories), set(result.victim_types)
