"""What the trained layer reads of an alert: the rules' candidates and the words.

Two blocks of binary features (strings):
- ``words``: unigrams and bigrams of the title and the body (lemmas in Russian, clitic-free
  stems in Arabic, see ``nlp.normalise``), title words once more with a ``T:`` prefix, and
  the language. Shared by every label (each label weighs them its own way), they let the
  model find what the term lists miss.
- ``cues[code]``: per label, what the rules saw for it: whether the rules chose it, how many
  trigger mentions there were and how many counted, in the title or the lead, the trigger's
  own words, the words just before and after each mention, and a year near a mention (an
  earlier year reads as background: "killed in 2019").

``first_seen`` finds where a word feature occurs, so a label the model adds without a
rule trigger still gets evidence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.attrs import IDX, IS_PUNCT, IS_SPACE, LIKE_NUM, LOWER
from spacy.tokens import Doc, Span

from nlp.normalise import feature_form

CONTEXT = 3
YEAR_WINDOW = 10
LEAD_CHARS = 300
YEAR = re.compile(r"^(19[5-9]\d|20[0-4]\d)$")
SENTENCE_BREAKS = frozenset({".", "!", "?", ";", "\n", "\n\n", "؟", "؛"})


@dataclass
class Candidate:
    """A trigger mention of one label found by the term lists, counted by the rules or not."""

    field: str  # "categories" | "victim_types"
    code: str
    part: str  # "title" | "text"
    span: Span
    counted: bool


@dataclass
class AlertFeatures:
    """The features of one alert (``word_ids``: the word features as a model's indices, when
    computed for that model instead of ``words``)."""

    words: list[str]
    cues: dict[str, list[str]]
    word_ids: list[int] | None = None


@dataclass
class DocView:
    """A parsed part as plain lists (made once per doc): each token's counted form (None
    for punctuation and spaces), whether it ends a sentence, its year if it is one, and its
    character offset."""

    forms: list[str | None]
    breaks: list[bool]
    years: list[int | None]
    offsets: list[int]


_FORMS: dict[tuple[str, int], tuple[str | None, bool, int | None]] = {}
MAX_CACHED_FORMS = 500_000


def _form_of(lower: str, punct: bool, space: bool, num: bool, lang: str
             ) -> tuple[str | None, bool, int | None]:
    """(form, sentence break, year) of one lower-cased token text."""
    is_break = lower.strip() in SENTENCE_BREAKS
    if punct or space:
        return None, is_break, None
    if num:
        year = int(lower) if YEAR.match(lower) else None
        return ("<year>" if year else "<num>"), False, year
    return feature_form(lower, lang), False, None


def doc_view(doc: Doc, lang: str) -> DocView:
    """The ``DocView`` of a doc, cached on it; token forms are cached per process."""
    key = "ifex_view"
    if key not in doc.user_data:
        strings = doc.vocab.strings
        forms, breaks, years = [], [], []
        array = doc.to_array([LOWER, IS_PUNCT, IS_SPACE, LIKE_NUM])
        for lower_id, punct, space, num in array.tolist():
            entry = _FORMS.get((lang, lower_id))
            if entry is None:
                entry = _form_of(strings[lower_id], bool(punct), bool(space), bool(num), lang)
                if len(_FORMS) < MAX_CACHED_FORMS:
                    _FORMS[(lang, lower_id)] = entry
            forms.append(entry[0])
            breaks.append(entry[1])
            years.append(entry[2])
        offsets = doc.to_array([IDX]).ravel().tolist() if len(doc) else []
        doc.user_data[key] = DocView(forms, breaks, years, offsets)
    return doc.user_data[key]


def word_features(docs: dict[str, Doc], lang: str) -> list[str]:
    """Unigrams and bigrams of title and body (bigrams within a sentence), title words
    again, and the language."""
    seen: set[str] = set()
    for part, doc in docs.items():
        view = doc_view(doc, lang)
        previous: str | None = None
        for form, is_break in zip(view.forms, view.breaks, strict=True):
            if form is None:
                if is_break:
                    previous = None
                continue
            seen.add("w:" + form)
            if part == "title":
                seen.add("T:" + form)
            if previous is not None:
                seen.add(f"b:{previous}_{form}")
            previous = form
    return [*sorted(seen), "lang:" + lang]


def first_seen(docs: dict[str, Doc], lang: str, feature: str) -> tuple[str, int, int] | None:
    """Where a word feature first occurs: (part, start, end) in characters."""
    kind, _, value = feature.partition(":")
    wanted = value.split("_") if kind == "b" else [value]
    for part, doc in docs.items():
        if kind == "T" and part != "title":
            continue
        view = doc_view(doc, lang)
        words = [(i, f) for i, f in enumerate(view.forms) if f is not None]
        for n in range(len(words) - len(wanted) + 1):
            if [f for _, f in words[n:n + len(wanted)]] == wanted:
                first, last = words[n][0], words[n + len(wanted) - 1][0]
                return part, view.offsets[first], view.offsets[last] + len(doc[last].text)
    return None


def _context(span: Span, view: DocView, step: int, reach: int = 0) -> list[str]:
    """Up to ``reach`` (default ``CONTEXT``) word forms before (step -1) or after (step 1)
    a span, within its sentence."""
    out: list[str] = []
    reach = reach or CONTEXT
    i = span.start - 1 if step < 0 else span.end
    while 0 <= i < len(view.forms) and len(out) < reach:
        if view.breaks[i]:
            break
        form = view.forms[i]
        if form is not None:
            out.append(form)
        i += step
    return out


def _year_cues(span: Span, view: DocView, published_year: int | None) -> set[str]:
    """A year near the mention in its sentence: earlier than the alert ("past_year"), the
    alert's own or later ("same_year"), or any year when the alert's date is unknown."""
    cues: set[str] = set()
    for step, start, side in ((-1, span.start - 1, "before"), (1, span.end, "after")):
        i = start
        while 0 <= i < len(view.forms) and abs(i - span.start) <= YEAR_WINDOW:
            if view.breaks[i]:
                break
            year = view.years[i]
            if year is not None:
                if published_year is None:
                    cues.add(f"year_{side}")
                else:
                    cues.add(f"{'past' if year < published_year else 'same'}_year_{side}")
            i += step
    return cues


def cue_features(candidates: list[Candidate], rule_codes: set[str], docs: dict[str, Doc],
                 lang: str, published_year: int | None) -> dict[str, list[str]]:
    """Per label: the rules' verdict and what surrounds each of its trigger mentions."""
    cues: dict[str, set[str]] = {code: {"rule"} for code in rule_codes}
    counts: dict[str, list[int]] = {}
    for cand in candidates:
        bag = cues.setdefault(cand.code, set())
        view = doc_view(docs[cand.part], lang)
        forms = view.forms
        tally = counts.setdefault(cand.code, [0, 0])
        tally[0] += 1
        tally[1] += cand.counted
        state = "counted" if cand.counted else "dropped"
        where = "title" if cand.part == "title" else (
            "lead" if cand.span.start_char < LEAD_CHARS else "body")
        bag.update((f"any_{where}", f"{state}_{where}", state))
        trigger = " ".join(f for f in forms[cand.span.start:cand.span.end] if f)
        bag.add(f"trig:{trigger}")
        bag.add(f"{state}_trig:{trigger}")
        bag.update("L:" + w for w in _context(cand.span, view, -1))
        bag.update("R:" + w for w in _context(cand.span, view, 1))
        bag.update(_year_cues(cand.span, view, published_year))
    for code, (raw, counted) in counts.items():
        cues[code].add(f"raw_n:{min(raw, 4)}")
        cues[code].add(f"counted_n:{min(counted, 4)}")
    return {code: sorted(bag) for code, bag in cues.items()}


def person_cues(persons: list[dict]) -> dict[str, set[str]]:
    """Per victim type: a person the alert names with that role, in the title, the lead
    or further down ("the journalist Ivan Golunov")."""
    cues: dict[str, set[str]] = {}
    for person in persons:
        role = person.get("role")
        if role and role != "official":
            where = "title" if person.get("part") == "title" else (
                "lead" if int(person.get("start") or 0) < LEAD_CHARS else "body")
            cues.setdefault(role, set()).update(("person_role", f"person_role_{where}"))
    return cues


def alert_features(docs: dict[str, Doc], lang: str, candidates: list[Candidate],
                   rule_codes: set[str], published: str | None,
                   persons: list[dict] | None = None, indexer=None) -> AlertFeatures:
    """Both feature blocks of one alert; with a model's ``indexer`` the word block comes as
    that model's indices (faster), not as strings."""
    year = int(published[:4]) if published and published[:4].isdigit() else None
    cues = cue_features(candidates, rule_codes, docs, lang, year)
    for code, extra in person_cues(persons or []).items():
        cues[code] = sorted(set(cues.get(code, ())) | extra)
    if indexer is None:
        return AlertFeatures(word_features(docs, lang), cues)
    views = [(part, (v := doc_view(doc, lang)).forms, v.breaks) for part, doc in docs.items()]
    return AlertFeatures([], cues, indexer.ids(views, lang))
