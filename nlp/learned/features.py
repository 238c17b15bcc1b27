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

``first_seen`` keeps where each word feature first occurs, so a label the model adds
without a rule trigger still gets evidence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

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
    """The features of one alert and where its word features first occur."""

    words: list[str]
    cues: dict[str, list[str]]
    first_seen: dict[str, tuple[str, int, int]] = field(default_factory=dict)


def token_forms(doc: Doc, lang: str) -> list[str | None]:
    """The counted form of each token (None for punctuation and spaces); years become
    ``<year>``, other numbers ``<num>``. Computed once per doc."""
    key = "ifex_forms"
    if key not in doc.user_data:
        forms: list[str | None] = []
        for token in doc:
            if token.is_punct or token.is_space:
                forms.append(None)
            elif token.like_num or token.is_digit:
                forms.append("<year>" if YEAR.match(token.text) else "<num>")
            else:
                forms.append(feature_form(token.text, lang))
        doc.user_data[key] = forms
    return doc.user_data[key]


def word_features(docs: dict[str, Doc], lang: str) -> tuple[list[str], dict]:
    """Unigrams and bigrams of title and body, title words again, and the language."""
    seen: dict[str, tuple[str, int, int]] = {}
    for part, doc in docs.items():
        forms = token_forms(doc, lang)
        previous: int | None = None
        for i, form in enumerate(forms):
            if form is None:
                if doc[i].text.strip() in SENTENCE_BREAKS:
                    previous = None
                continue
            token = doc[i]
            span = (part, token.idx, token.idx + len(token.text))
            seen.setdefault("w:" + form, span)
            if part == "title":
                seen.setdefault("T:" + form, span)
            if previous is not None:
                start = doc[previous].idx
                seen.setdefault(f"b:{forms[previous]}_{form}", (part, start, span[2]))
            previous = i
    return [*seen, "lang:" + lang], seen


def _context(span: Span, forms: list[str | None], step: int) -> list[str]:
    """Up to ``CONTEXT`` word forms before (step -1) or after (step 1) a span, within its
    sentence."""
    out: list[str] = []
    i = span.start - 1 if step < 0 else span.end
    doc = span.doc
    while 0 <= i < len(doc) and len(out) < CONTEXT:
        if doc[i].text.strip() in SENTENCE_BREAKS:
            break
        if forms[i] is not None:
            out.append(forms[i])  # type: ignore[arg-type]
        i += step
    return out


def _year_cues(span: Span, published_year: int | None) -> set[str]:
    """"<year>" features: a year near the mention in its sentence, earlier than the alert
    ("past_year") or its own ("same_year")."""
    doc = span.doc
    cues: set[str] = set()
    for step, start in ((-1, span.start - 1), (1, span.end)):
        i = start
        while 0 <= i < len(doc) and abs(i - span.start) <= YEAR_WINDOW:
            text = doc[i].text
            if text.strip() in SENTENCE_BREAKS:
                break
            if YEAR.match(text):
                year = int(text)
                side = "before" if step < 0 else "after"
                if published_year is None:
                    cues.add(f"year_{side}")
                elif year < published_year:
                    cues.add(f"past_year_{side}")
                else:
                    cues.add(f"same_year_{side}")
            i += step
    return cues


def cue_features(candidates: list[Candidate], rule_codes: set[str], docs: dict[str, Doc],
                 lang: str, published_year: int | None) -> dict[str, list[str]]:
    """Per label: the rules' verdict and what surrounds each of its trigger mentions."""
    cues: dict[str, set[str]] = {code: {"rule"} for code in rule_codes}
    counts: dict[str, list[int]] = {}
    for cand in candidates:
        bag = cues.setdefault(cand.code, set())
        forms = token_forms(docs[cand.part], lang)
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
        bag.update("L:" + w for w in _context(cand.span, forms, -1))
        bag.update("R:" + w for w in _context(cand.span, forms, 1))
        bag.update(_year_cues(cand.span, published_year))
    for code, (raw, counted) in counts.items():
        cues[code].add(f"raw_n:{min(raw, 4)}")
        cues[code].add(f"counted_n:{min(counted, 4)}")
    return {code: sorted(bag) for code, bag in cues.items()}


def alert_features(docs: dict[str, Doc], lang: str, candidates: list[Candidate],
                   rule_codes: set[str], published: str | None) -> AlertFeatures:
    """Both feature blocks of one alert."""
    year = int(published[:4]) if published and published[:4].isdigit() else None
    words, seen = word_features(docs, lang)
    return AlertFeatures(words, cue_features(candidates, rule_codes, docs, lang, year), seen)
