"""People named in an alert, with their role where the text states it.

Latin and Cyrillic script: runs of capitalised words (with name particles: "García de la
Cruz", "bin Salman"), not places, organisation or trigger words, months or common words
of the text; a single word counts when a role cue precedes it ("journalist Golunov") or it
repeats part of a full name. Russian runs need a word pymorphy3 reads as a name. Arabic,
which has no capitals: the words after a role cue ("الصحفي محمد علي"), and later repeats
of them.

Each person gets a key that is the same across scripts and inflections (``models.names``):
the skeleton of the given name and of each later word ("Ivan Golunov", "Ивана Голунова" →
given "vn", family "glnv"), and the role stated next to the name: a victim-type code, or
"official" for a title such as president, judge or spokesperson.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from babel import Locale
from spacy.tokens import Doc

from models.names import name_key
from nlp.normalise import CYRILLIC, _morph, arabic_letters, arabic_stem
from nlp.pipeline import doc_terms
from nlp.terms import expand, load_yaml

MAX_NAME_WORDS = 5
ROLE_GAP = 1  # tokens between a role cue and the name (an honorific or a nationality)
NAME_TAGS = ("Name", "Surn", "Patr")
COMMON_LOGPROB = -10.5  # a word more frequent than this is a word before it is a name


@dataclass(frozen=True)
class Person:
    """A person named in the alert: the fullest form written, where it first appears, the
    identity keys and the role stated (None when none is)."""

    name: str
    part: str
    start: int
    end: int
    given: str
    family: tuple[str, ...]
    role: str | None

    @property
    def key(self) -> str:
        return f"{self.given}|{' '.join(self.family)}"

    def as_dict(self) -> dict:
        return {"name": self.name, "role": self.role, "key": self.key, "part": self.part,
                "start": self.start, "end": self.end}


@cache
def _cues(lang: str) -> dict:
    data = load_yaml("persons.yaml")
    norm = arabic_letters if lang == "ar" else str.lower
    roles: dict[tuple[str, ...], str] = {}
    for code, patterns in (data["roles"].get(lang) or {}).items():
        for pattern in patterns:
            for form in expand(str(pattern)):
                roles[tuple(norm(w) for w in form.split())] = code
    locale = Locale.parse(lang)
    tables = (locale.months["format"]["wide"], locale.months["stand-alone"]["wide"],
              locale.days["format"]["wide"])
    calendar = {name.lower() for names in tables for name in names.values()}
    return {
        "particles": frozenset(norm(p) for p in data["particles"].get(lang) or []),
        "not_names": frozenset(str(w).lower() for w in data["not_names"].get(lang) or [])
        | calendar,
        "roles": roles,
        "longest_role": max((len(k) for k in roles), default=1),
        "stops": frozenset(arabic_letters(w) for w in data.get("arabic_stops") or []),
        "honorifics": frozenset(str(w).lower() for w in data["honorifics"].get(lang) or []),
        "common": _common_words(lang),
        "affiliation": frozenset(str(w).lower() for w in data["affiliation"].get(lang) or []),
        "locatives": frozenset(str(w).lower() for w in data["locatives"].get(lang) or []),
        "given_names": frozenset(arabic_letters(str(w)) for w in data.get("arabic_given_names")
                                 or []),
    }


@cache
def _common_words(lang: str) -> dict[str, float] | frozenset[str]:
    """How common each word is (spacy-lookups-data log-probabilities; for French, the words
    of its lemma table)."""
    from pathlib import Path

    import spacy_lookups_data
    import srsly

    data = Path(spacy_lookups_data.__file__).parent / "data"
    if (data / f"{lang}_lexeme_prob.json.gz").exists():
        return srsly.read_gzip_json(data / f"{lang}_lexeme_prob.json.gz")
    if lang == "fr":
        table = srsly.read_gzip_json(data / "fr_lemma_lookup.json.gz")
        lemmas = {v for value in table.values()
                  for v in (value if isinstance(value, list) else [value])}
        return frozenset(table) | frozenset(lemmas)
    return frozenset()


def _all_common(words: list[str], lang: str) -> bool:
    """Every word of a run is a common word of the language ("Día Mundial", "Poner Fin")."""
    common = _cues(lang)["common"]
    if isinstance(common, dict):
        return all(common.get(w.lower(), -99.0) > COMMON_LOGPROB for w in words)
    return bool(common) and all(w.lower() in common for w in words)


def _blocked(doc: Doc) -> set[int]:
    """Token indices inside a place, a trigger or an organisation name."""
    blocked = {i for span in doc.spans["places"] for i in range(span.start, span.end)}
    blocked.update(i for span in doc_terms(doc) for i in range(span.start, span.end)
                   if span.label_ in ("org",) or span.label_.startswith(("cat:", "pa:", "pb:")))
    return blocked


def _role_before(doc: Doc, start: int, lang: str) -> str | None:
    """The role cue right before ``start``, or before one nationality or honorific word
    ("the Mexican journalist Javier Valdez", "el periodista Juan Pérez")."""
    cues = _cues(lang)
    places = {i for span in doc.spans["places"] for i in range(span.start, span.end)}
    end = start
    for _ in range(ROLE_GAP + 1):
        role = _role_ending_at(doc, end - 1, lang)
        if role:
            return role
        if end - 1 < 0 or not (end - 1 in places or doc[end - 1].lower_.rstrip(".") in
                               cues["honorifics"]):
            return None
        end -= 1
    return None


def _role_after(doc: Doc, end: int, lang: str) -> str | None:
    """", a journalist", ", الصحفي": an apposition right after the name."""
    if end >= len(doc) or doc[end].text not in (",", "،"):
        return None
    cues = _cues(lang)
    norm = arabic_stem if lang == "ar" else str.lower
    window = [norm(t.text) for t in doc[end + 1:end + 1 + 3 + cues["longest_role"]]]
    for offset in range(0, 3):
        for size in range(cues["longest_role"], 0, -1):
            role = cues["roles"].get(tuple(window[offset:offset + size]))
            if role:
                return role
    return None


def _is_capitalised(text: str) -> bool:
    return len(text) >= 2 and text[0].isupper() and not text.isupper() and text[0].isalpha()


def _russian_name_like(text: str) -> bool:
    parses = _morph().parse(text.lower())
    return any(tag in parse.tag for parse in parses[:3] for tag in NAME_TAGS) or not any(
        parse.is_known for parse in parses)


def _cased_runs(doc: Doc, lang: str) -> list[tuple[int, int]]:
    """Token ranges of capitalised runs that may be names."""
    cues = _cues(lang)
    blocked = _blocked(doc)
    lowered = {t.lower_ for t in doc if t.text.islower()}
    runs, i = [], 0
    while i < len(doc):
        token = doc[i]
        if not _name_word(token, cues, blocked, lowered):
            i += 1
            continue
        j = i + 1
        while j < len(doc) and j - i < MAX_NAME_WORDS + 2:
            nxt = doc[j]
            if _name_word(nxt, cues, blocked, lowered):
                j += 1
            elif (nxt.lower_ in cues["particles"] or nxt.text in ("-", "'", "’")) and (
                    j + 1 < len(doc) and _name_word(doc[j + 1], cues, blocked, lowered)):
                j += 2
            else:
                break
        runs.append((i, j))
        i = j
    return runs


def _name_word(token, cues: dict, blocked: set[int], lowered: set[str]) -> bool:
    return (_is_capitalised(token.text) and token.i not in blocked
            and token.lower_ not in cues["not_names"] and token.lower_ not in lowered)


def _sentence_start(doc: Doc, i: int) -> bool:
    return i == 0 or doc[i - 1].text in (".", "!", "?", "\n", "\n\n", ":", "«", "\"", "“") \
        or doc[i - 1].is_space


def _arabic_runs(doc: Doc) -> list[tuple[int, int, str]]:
    """Token ranges after an Arabic role cue (two words, three with a compound such as
    "عبد" or a family name with the article)."""
    cues = _cues("ar")
    blocked = _blocked(doc)
    runs = []
    for i in range(len(doc)):
        role = _role_ending_at(doc, i, "ar")
        if role is None:
            if i + 1 < len(doc) and _is_given_name(doc[i + 1].text, cues) and not (
                    runs and runs[-1][1] > i + 1):
                role = "?given"  # a common given name opens a name without a cue
            else:
                continue
        j = i + 1
        places = {k for span in doc.spans["places"] for k in range(span.start, span.end)}
        while j in places:  # "الصحافي الجزائري خالد درارني"
            j += 1
        words: list[int] = []
        while j < len(doc) and len(words) < 4:
            token = doc[j]
            letters = arabic_letters(token.text)
            if (token.is_punct or token.like_num or j in blocked or letters in cues["stops"]
                    or arabic_stem(token.text) in {k[0] for k in cues["roles"] if len(k) == 1}
                    or not any("\u0621" <= ch <= "\u064a" for ch in letters)):
                break
            words.append(j)
            j += 1
            compound = letters in cues["particles"]
            if len(words) >= 2 and not compound and not (
                    j < len(doc) and arabic_letters(doc[j].text).startswith("ال")
                    and len(words) < 3):
                break
        if len(words) >= 2:
            runs.append((words[0], words[-1] + 1, None if role == "?given" else role))
    return runs


def _is_given_name(text: str, cues: dict) -> bool:
    letters = arabic_letters(text)
    return letters in cues["given_names"] or (
        letters[:1] in ("و", "ف", "ل", "ب") and letters[1:] in cues["given_names"])


def _role_ending_at(doc: Doc, i: int, lang: str) -> str | None:
    """The role whose cue ends at token ``i`` (Arabic cues matched without clitics)."""
    cues = _cues(lang)
    for size in range(cues["longest_role"], 0, -1):
        if i - size + 1 < 0 or i < 0:
            continue
        tokens = doc[i - size + 1:i + 1]
        if lang == "ar":
            words = tuple(arabic_stem(t.text) if n == 0 else arabic_letters(t.text)
                          for n, t in enumerate(tokens))
            role = cues["roles"].get(words) or cues["roles"].get(
                tuple(arabic_letters(t.text) for t in tokens))
        else:
            role = cues["roles"].get(tuple(t.lower_ for t in tokens))
        if role:
            return role
    return None


def _leading_role(doc: Doc, start: int, end: int, lang: str) -> tuple[str | None, int]:
    """A capitalised role word opening the run ("Columnist Ana Ruiz", "Activist X" at the
    start of a title or sentence): the role, and where the name itself starts."""
    cues = _cues(lang)
    for size in range(min(cues["longest_role"], end - start - 1), 0, -1):
        role = cues["roles"].get(tuple(t.lower_ for t in doc[start:start + size]))
        if role:
            return role, start + size
    return None, start


def _names_an_outlet(doc: Doc, start: int, previous_end: int, lang: str) -> bool:
    """A run right after an outlet word ("the daily Cumhuriyet", "radio station X") or after
    "of"/"for" that follows a name or a role ("Can Demir of Radyo Umut", "a reporter for
    Al-Masry"): the name of an outlet or an employer, not a person."""
    outlets = [span for span in doc_terms(doc) if span.label_ == "vt:media_outlet"]
    if any(span.end == start for span in outlets):
        return True
    cues = _cues(lang)
    if start >= 2 and doc[start - 1].lower_ in cues["affiliation"]:
        return previous_end == start - 1 or _role_ending_at(doc, start - 2, lang) is not None
    return False


def _word_form(text: str, lang: str) -> str:
    """A name word as its key sees it: the Russian name lemma, the Arabic letters."""
    if lang == "ru" and CYRILLIC.search(text):
        parses = _morph().parse(text.lower())
        for parse in parses:
            if any(tag in parse.tag for tag in NAME_TAGS):
                return parse.normal_form
        return parses[0].normal_form if parses else text.lower()
    if lang == "ar":
        return arabic_letters(text)
    return text


def _person(doc: Doc, part: str, start: int, end: int, lang: str, role: str | None
            ) -> Person | None:
    cues = _cues(lang)
    words = [t.text for t in doc[start:end]
             if t.text not in ("-", "'", "’") and arabic_letters(t.lower_) not in cues["particles"]
             and t.lower_ not in cues["particles"]]
    keys = [name_key(_word_form(w, lang)) for w in words]
    keys = [k for k in keys if k]
    if not keys:
        return None
    span = doc[start:end]
    given, family = (keys[0], tuple(keys[1:])) if len(keys) > 1 else ("", tuple(keys))
    return Person(span.text, part, span.start_char, span.end_char, given, family, role)


def find_persons(docs: dict[str, Doc], lang: str) -> list[Person]:
    """The people of an alert, title first, one entry per person (the fullest name)."""
    found: list[Person] = []
    for part, doc in docs.items():
        if lang == "ar":
            candidates = [(s, e, r) for s, e, r in _arabic_runs(doc)]
        else:
            candidates = []
            runs = _cased_runs(doc, lang)
            for n, (start, end) in enumerate(runs):
                if _names_an_outlet(doc, start, runs[n - 1][1] if n else -1, lang):
                    continue
                lead_role, start = _leading_role(doc, start, end, lang)
                words = end - start
                role = lead_role or _role_before(doc, start, lang) or _role_after(doc, end,
                                                                                   lang)
                if not role and start and doc[start - 1].lower_ in _cues(lang)["locatives"]:
                    continue  # "detained in Port Said": a place the gazetteer lacks
                if words == 1 and not role:
                    candidates.append((start, end, "?single"))
                    continue
                if words == 1 and _sentence_start(doc, start) and not role:
                    continue
                if lang == "ru" and not any(_russian_name_like(t.text)
                                            for t in doc[start:end]):
                    continue
                if not role and _all_common([t.text for t in doc[start:end]
                                             if t.is_alpha], lang):
                    continue
                candidates.append((start, end, role))
        for start, end, role in candidates:
            person = _person(doc, part, start, end, lang,
                             None if role == "?single" else role)
            if person is not None:
                found.append((person, role == "?single"))  # type: ignore[arg-type]
    return _merge(found)  # type: ignore[arg-type]


def _merge(found: list[tuple[Person, bool]]) -> list[Person]:
    """One entry per person: a single word joins the full name it repeats (and is dropped
    when it repeats none); the fullest form and the first stated role are kept."""
    full = [p for p, single in found if not single and p.given]
    people: list[Person] = []
    for person, single in found:
        words = {person.given, *person.family} - {""}
        match = next((p for p in people if _same(p, person)), None)
        if match is None and (single or not person.given):
            match = next((p for p in full if words & {*p.family, p.given}), None)
            if match is None and single:
                continue
            if match is not None and match not in people:
                people.append(match)
                match = people[-1]
        if match is None:
            people.append(person)
            continue
        if match.role is None and person.role is not None:
            people[people.index(match)] = Person(match.name, match.part, match.start,
                                                 match.end, match.given, match.family,
                                                 person.role)
    return people


def _same(a: Person, b: Person) -> bool:
    """Same given name (or one has none) and a family word in common."""
    if a.given and b.given and a.given != b.given:
        return False
    return bool(set(a.family) & set(b.family)) or (
        a.given == b.given and bool(a.given) and not (a.family and b.family))
