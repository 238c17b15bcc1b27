"""Language identification restricted to the five supported languages (py3langid)."""

from __future__ import annotations

from functools import cache

from models.taxonomy import LANGUAGES

SAMPLE_CHARS = 1000


@cache
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(list(LANGUAGES))
    return identifier


def detect_language(text: str, default: str = "en") -> str:
    """The most likely of en/fr/es/ar/ru for a text (``default`` when it is empty)."""
    sample = text[:SAMPLE_CHARS].strip()
    if not sample:
        return default
    language, _ = _identifier().classify(sample)
    return language
