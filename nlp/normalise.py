"""Word forms that match across inflection and clitics: Russian lemmas, Arabic letters.

Russian: the lemma from pymorphy3 (the analyser spaCy's Russian lemmatiser uses): "Бишкека"
→ "бишкек", "Челябинской" → "челябинский". A capitalised word takes its place reading
when it has one; a word that is more often something else ("того", "of that"; Togo) takes
it only when capitalised inside a sentence.

Arabic: one spelling of the letters that are written several ways (hamza forms of alef,
alef maqsura, taa marbuta, diacritics, tatweel), and ``arabic_stem`` strips the clitics
that attach to a word (و ف ب ل ك and the article ال).
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

CYRILLIC = re.compile(r"[\u0400-\u04ff]")
ARABIC_DIACRITICS = re.compile(r"[\u064b-\u0652\u0670\u0640]")  # tashkeel, dagger alef, tatweel
ARABIC_LETTERS = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه",
                                "ؤ": "و", "ئ": "ي"})
ARABIC_PROCLITICS = ("وبال", "وكال", "فبال", "ولل", "فلل", "وال", "فال", "بال", "كال", "لل",
                     "وب", "ول", "وك", "فب", "فل", "ال", "و", "ف", "ب", "ل", "ك")
"""Prefixes that attach to an Arabic word, longest first ("لل" is ل + the article)."""
MIN_ARABIC_STEM = 3


@cache
def _morph():
    import pymorphy3

    return pymorphy3.MorphAnalyzer()


@lru_cache(maxsize=400_000)
def russian_lemma(lowered: str, place_first: bool = False) -> str:
    """The lemma of a lower-cased Russian word: its most likely reading's, or with
    ``place_first`` its place reading's when it has one ("того" → "тот", or "того", Togo)."""
    parses = _morph().parse(lowered)
    if place_first:
        for parse in parses:
            if "Geox" in parse.tag:
                return parse.normal_form.replace("ё", "е")
    return (parses[0].normal_form if parses else lowered).replace("ё", "е")


@lru_cache(maxsize=200_000)
def is_word_first(lowered: str) -> bool:
    """Whether a Russian word that can be a place is more likely another word ("того",
    "кара"): such a word is a place only when capitalised inside a sentence."""
    parses = _morph().parse(lowered)
    return bool(parses) and "Geox" not in parses[0].tag and any(
        "Geox" in parse.tag for parse in parses)


@lru_cache(maxsize=200_000)
def is_place_word(lowered: str) -> bool:
    """Whether pymorphy3 reads a Russian word as a place name."""
    return any("Geox" in parse.tag for parse in _morph().parse(lowered))


@lru_cache(maxsize=200_000)
def is_known_word(lowered: str, tag: str = "") -> bool:
    """Whether a Russian word is in pymorphy3's dictionary (with ``tag``, e.g. ADJF)."""
    return any(parse.is_known and (not tag or tag in parse.tag)
               for parse in _morph().parse(lowered))


@lru_cache(maxsize=200_000)
def is_name_first(lowered: str) -> bool:
    """Whether a Russian word is most likely a person's name ("Софью", "Павлова"), not a
    place: its most likely reading is a given name, surname or patronymic."""
    parses = _morph().parse(lowered)
    return bool(parses) and any(tag in parses[0].tag for tag in ("Name", "Surn", "Patr")) \
        and "Geox" not in parses[0].tag


def arabic_letters(word: str) -> str:
    """One spelling of an Arabic word's letters (no diacritics, plain alef, ي, ه)."""
    return ARABIC_DIACRITICS.sub("", word).translate(ARABIC_LETTERS)


@lru_cache(maxsize=200_000)
def arabic_stem(word: str) -> str:
    """An Arabic word without its proclitics (the longest that leaves three letters):
    "وبالعراق" → "عراق", "للصحفيين" → "صحفيين"."""
    letters = arabic_letters(word)
    for prefix in ARABIC_PROCLITICS:
        if letters.startswith(prefix) and len(letters) - len(prefix) >= MIN_ARABIC_STEM:
            return letters[len(prefix):]
    return letters


def arabic_candidates(word: str) -> list[str]:
    """The readings of an Arabic word with 0, 1 or 2 clitics removed, shortest prefix
    first ("ببغداد" → ببغداد, بغداد; "للعراق" → للعراق, العراق, لعراق)."""
    letters = arabic_letters(word)
    out = [letters]
    for prefix in sorted(ARABIC_PROCLITICS, key=len):
        if letters.startswith(prefix) and len(letters) - len(prefix) >= MIN_ARABIC_STEM - 1:
            rest = letters[len(prefix):]
            if prefix.endswith("لل"):
                out.append("ال" + rest)
            elif not prefix.endswith("ال"):
                out.append(rest)
            else:
                out.append("ال" + rest)
    return list(dict.fromkeys(out))


def feature_form(text: str, lang: str) -> str:
    """The form of a word the trained layer counts: its lemma (Russian), its stem
    (Arabic), else the lower-cased word."""
    lowered = text.lower()
    if lang == "ru" and CYRILLIC.search(lowered):
        return russian_lemma(lowered)
    if lang == "ar":
        return arabic_stem(lowered)
    return lowered
