"""From place mentions to ``countries`` and ``primary_country``.

Each mention scores by kind (a name counts more than a demonym or a city) and by
position (title, then the dateline/first lines); mentions that read as the
publisher's home ("Paris-based RSF"), a person ("Chad Smith"), a US state
("Atlanta, Georgia") or part of an organisation's name do not count.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import cache

from spacy.tokens import Doc, Span

from nlp.gazetteer import extra, us_city_tokens
from nlp.pipeline import doc_terms

KIND_WEIGHT = {"name": 1.0, "former": 1.0, "ambiguous": 1.0, "demonym": 0.5, "city": 0.5,
               "region": 0.5}
TITLE_WEIGHT = 3.0
LEAD_WEIGHT = 1.5
LEAD_CHARS = 250
SECONDARY_SHARE = 0.5
FUNCTION_WORDS = frozenset(
    ["in", "of", "and", "the", "to", "for", "from", "at", "on", "by", "with", "a", "an"]
)


@dataclass
class PlaceHit:
    """A counted place mention: the code, its score and the span that supports it."""

    code: str
    score: float
    part: str
    span: Span


def _based_cues(lang: str) -> frozenset[str]:
    return frozenset(cue.lower() for cue in extra()["based_cues"].get(lang) or [])


def is_publisher_home(span: Span, lang: str) -> bool:
    """"Paris-based", "based in Paris", a publisher's home-city dateline."""
    doc, cues = span.doc, _based_cues(lang)
    after = doc[span.end:span.end + 2]
    if len(after) == 2 and after[0].text == "-" and after[1].lower_ in cues:
        return _names_publisher(doc[span.end + 2:span.end + 8])
    before = {token.lower_ for token in doc[max(0, span.start - 3):span.start]}
    if before & cues:
        return True
    return span.kb_id_ == "city" and span.text in extra()["publisher_homes"]


PUBLISHER_WORDS = frozenset(
    ["group", "organisation", "organization", "watchdog", "ngo", "institute", "committee"]
)


def _names_publisher(following: Span) -> bool:
    """"-based" followed by an acronym or an organisation word (not "newspapers")."""
    org_starts = {term.start for term in doc_terms(following.doc) if term.label_ == "org"}
    return any(
        (token.is_upper and len(token) >= 2) or token.lower_ in PUBLISHER_WORDS
        or token.i in org_starts
        for token in following
    )


PLACE_PREPOSITIONS = frozenset(["in", "from", "of", "at", "to", "across", "near", "throughout",
                                "à", "en", "au", "aux", "de", "du", "dans", "vers", "del",
                                "a", "desde", "hacia", "в", "во", "из", "на", "по", "до"])
"""Words before a place name that say it is a place ("in Sofia", "à Dominique"? rare)."""


def reads_as_person(span: Span, part: str) -> bool:
    """A first-name-like country name, or any region name, inside a personal name
    ("Michael Jordan", "Carlos Mendoza"); a one-word city or country name right before a
    capitalised word that is no place ("Dominique Kabongo", "Sofia Petrova"), unless a
    place preposition comes before it."""
    if span.kb_id_ == "region":
        return _after_a_name(span) or _before_a_name(span)
    if span.kb_id_ == "city" and _before_a_name(span):
        return True
    if span.text not in extra()["person_like"]:
        return False
    doc = span.doc
    prev = doc[span.start - 1] if span.start > 0 else None
    if prev is not None and prev.is_title and prev.lower_ not in FUNCTION_WORDS:
        prev2 = doc[span.start - 2] if span.start > 1 else None
        if prev2 is not None and not prev2.is_punct:
            return True
    nxt = doc[span.end] if span.end < len(doc) else None
    return part == "text" and nxt is not None and nxt.is_title and not _is_place(nxt)


def _after_a_name(span: Span) -> bool:
    """A capitalised word that is not a place right before the span ("Carlos Mendoza")."""
    prev = span.doc[span.start - 1] if span.start > 0 else None
    return (prev is not None and prev.is_title and prev.lower_ not in FUNCTION_WORDS
            and not _is_place(prev))


def _before_a_name(span: Span) -> bool:
    """A one-word place followed by a capitalised word that is not a place, an organisation
    or a common capitalised word, with no place preposition before it."""
    doc = span.doc
    if len(span) != 1 or span.end >= len(doc) or not span.text[:1].isupper():
        return False
    nxt = doc[span.end]
    if not (nxt.is_title and nxt.is_alpha and len(nxt) > 1) or _is_place(nxt):
        return False
    if nxt.lower_ in _capitalised_words():
        return False
    return span.start == 0 or doc[span.start - 1].lower_ not in PLACE_PREPOSITIONS


@cache
def _capitalised_words() -> frozenset[str]:
    """Capitalised words that follow place names without making them a person
    ("Sofia University", "Moscow Times"): the non-name list of the person finder."""
    from nlp.terms import load_yaml

    return frozenset(str(w).lower() for words in load_yaml("persons.yaml")["not_names"].values()
                     for w in words or [])


def _is_place(token) -> bool:
    return any(span.start <= token.i < span.end for span in token.doc.spans["places"])


def reads_as_us_state(span: Span) -> bool:
    """"Atlanta, Georgia" or "the state of Georgia"."""
    if span.text not in extra()["us_state_like"]:
        return False
    doc = span.doc
    window = [token.lower_ for token in doc[max(0, span.start - 3):span.start]]
    if "state" in window:
        return True
    return span.start >= 2 and doc[span.start - 1].text == "," and (
        doc[span.start - 2].text in us_city_tokens())


def inside_org(span: Span) -> bool:
    return any(
        term.label_ == "org" and term.start <= span.start and span.end <= term.end
        for term in doc_terms(span.doc)
    )


def place_hits(doc: Doc, part: str, lang: str) -> list[PlaceHit]:
    """The place mentions of one part that count, with their scores."""
    hits = []
    for span in doc.spans["places"]:
        if is_publisher_home(span, lang) or reads_as_person(span, part):
            continue
        if reads_as_us_state(span) or inside_org(span):
            continue
        position = TITLE_WEIGHT if part == "title" else (
            LEAD_WEIGHT if span.start_char < LEAD_CHARS else 1.0)
        weight = KIND_WEIGHT.get(span.kb_id_, 0.5) * position
        hits.append(PlaceHit(span.label_, weight, part, span))
    return hits


def resolve_ambiguous(hits: list[PlaceHit]) -> None:
    """Give "Congo"/"Korea" the code that other mentions support, else the first one."""
    known = {hit.code for hit in hits if not hit.code.startswith("?")}
    for hit in hits:
        if hit.code.startswith("?"):
            options = hit.code[1:].split("|")
            hit.code = next((code for code in options if code in known), options[0])


def choose_countries(hits: list[PlaceHit]) -> tuple[list[str], str | None]:
    """Primary = highest score (earliest on ties); others need a real share of it."""
    resolve_ambiguous(hits)
    scores: dict[str, float] = defaultdict(float)
    names: dict[str, int] = defaultdict(int)
    in_title: set[str] = set()
    for hit in hits:
        scores[hit.code] += hit.score
        is_name = hit.span.kb_id_ in ("name", "former", "ambiguous")
        names[hit.code] += is_name
        if hit.part == "title" and is_name:
            in_title.add(hit.code)
    if not scores:
        return [], None
    order = list(dict.fromkeys(hit.code for hit in hits))
    primary = max(order, key=lambda code: (scores[code], -order.index(code)))
    top = scores[primary]
    others = [
        code for code in order
        if code != primary and scores[code] >= SECONDARY_SHARE * top
        and (code in in_title or names[code] >= 2)
    ]
    return [primary, *others], primary


def country_margin(hits: list[PlaceHit], primary: str | None) -> float:
    """Share of the place score that goes to the primary country (0 when none)."""
    total = sum(hit.score for hit in hits)
    if not primary or not total:
        return 0.0
    return sum(hit.score for hit in hits if hit.code == primary) / total
