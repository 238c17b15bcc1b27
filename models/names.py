"""Name keys: one spelling of a person's name across Latin, Cyrillic and Arabic script.

The extractor keys the people it finds by these (``nlp.persons``) and case linking
compares the keys (``warehouse/cases``), so a report in Russian or Arabic links to the
English report about the same person: Golunov / Голунова, Mansour / منصور.
"""

from __future__ import annotations

import re
import unicodedata


def _letter_table(letters: str, latin: str) -> dict[str, str]:
    return dict(zip(letters, latin.split(), strict=True))


CYRILLIC_LATIN = _letter_table(
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюяіїєґў",
    "a b v g d e e zh z i y k l m n o p r s t u f kh ts ch sh shch - y - e yu ya i yi ye g u")
ARABIC_LATIN = _letter_table(
    "اأإآبتثجحخدذرزسشصضطظعغفقكلمنهويىةءئؤپچژگکی",
    "a a i a b t th j h kh d dh r z s sh s d t z - gh f q k l m n h w y a a - - - p ch zh g k y")
"""Letter by letter romanisation of Cyrillic and Arabic ("-" = no letter): enough for names,
whose skeletons (below) ignore the vowels that the two scripts write differently."""
SKELETON_RULES: tuple[tuple[str, str], ...] = (
    ("shch", "s"), ("kh", "h"), ("sh", "s"), ("ch", "c"), ("zh", "j"), ("ts", "s"), ("ph", "f"),
    ("th", "t"), ("dh", "d"), ("gh", "g"), ("x", "ks"), ("q", "k"), ("ck", "k"), ("c", "k"),
)
"""Latin spellings of one sound made one letter, applied in order after romanisation."""
ARABIC_ARTICLE = "ال"


def romanise(word: str) -> str:
    """Lower-case Latin form of a word in Latin, Cyrillic or Arabic script (accents dropped)."""
    if word.startswith(ARABIC_ARTICLE) and len(word) > 3:
        word = word[len(ARABIC_ARTICLE):]
    lowered = word.lower()
    letters = "".join(CYRILLIC_LATIN.get(ch, ARABIC_LATIN.get(ch, ch)) for ch in lowered)
    decomposed = unicodedata.normalize("NFKD", letters.replace("-", "").replace("ı", "i"))
    return "".join(ch for ch in decomposed if "a" <= ch <= "z")


def name_skeleton(word: str) -> str:
    """Consonant skeleton of a name, the same across scripts: Mansour, منصور → "mnsr";
    Ivanov, Иванова → "vnv". Vowels (and w, y) are dropped, doubled letters collapsed."""
    latin = romanise(word)
    for old, new in SKELETON_RULES:
        latin = latin.replace(old, new)
    consonants = re.sub(r"[aeiouwy]", "", latin)
    return re.sub(r"(.)\1+", r"\1", consonants)


def name_key(word: str) -> str:
    """The key two spellings of a name share across scripts: its consonant skeleton with g,
    h, k and q made one (Гусейнов / Huseynov → "ksnv", Azadliq / Азадлыг → "zdlk"). A name
    of one consonant keeps its doubled letters (Aziz / عزيز → "zz") or, with none, is its
    Latin form ("Wu" → "~wu")."""
    latin = romanise(word)
    folded = latin
    for old, new in SKELETON_RULES:
        folded = folded.replace(old, new)
    consonants = re.sub(r"[ghq]", "k", re.sub(r"[aeiouwy]", "", folded))
    collapsed = re.sub(r"(.)\1+", r"\1", consonants)
    if len(collapsed) >= 2:
        return collapsed
    return consonants if len(consonants) >= 2 else "~" + latin
