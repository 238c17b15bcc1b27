"""From victim words to ``victim_types``.

A victim mention counts in the title, or in the body when it stands near a counted
category trigger, unless it names who speaks or appeals ("the NGO said", "rights
groups condemned the arrest"), the victim's counsel, or the outlet where a
journalist works. Words that name a person or an outlet ("broadcaster") are the
outlet when it is what was closed; scope words ("nationwide") next to a ban, a
shutdown or a law make the public a victim.
"""

from __future__ import annotations

from spacy.attrs import ORTH
from spacy.tokens import Doc, Span

from nlp.labels import LabelHit, _before, _in_org, _longest, span_within
from nlp.pipeline import doc_terms
from nlp.roles import (
    is_named_workplace,
    is_org_like,
    is_patron,
    is_self_description,
    protest_hits,
    trigger_starts,
)
from nlp.terms import cue_set

VICTIM_WINDOW = 12
OUTLET_WINDOW = 8
AFFILIATION_WINDOW = 8
ACCORDING_WINDOW = 12
CALLER_WINDOW = 16
VENUE_WINDOW = 4
PERSON_CODES = frozenset(["journalist", "media_worker", "blogger", "writer", "artist",
                          "lawyer", "academic", "politician"])
CIVIL_SOCIETY = "vt:human_rights_defender"
PEOPLE_AT_OUTLETS = frozenset(["vt:journalist", "vt:media_worker"])
ACTS_OF = {"politician": frozenset(["restrictive_law"])}
"""Violations a victim word is more often the author of than the target: lawmakers
pass the law ("MPs adopted a law restricting the press")."""
POPULATION_MEASURES = frozenset(["censorship", "internet_shutdown", "restrictive_law",
                                 "surveillance"])


def is_source(span: Span, lang: str, code: str = "") -> bool:
    """A victim word naming who speaks: "the lawyer said", "said the NGO",
    "according to a report by X, the monitoring NGO". A person telling what was
    done to them ("the reporter said he was threatened") stays a victim."""
    cues = cue_set(lang, "attribution")
    following = span.doc[span.end].lower_ if span.end < len(span.doc) else ""
    after = set() if following in cue_set(lang, "relative") else {
        token.lower_ for token in span.doc[span.end:span.end + 3]}
    if code in PERSON_CODES and _speaks_of_self(span, lang, cues):
        after = set()
    inverted = (set(_before(span, 2, lang)) & cues
                and following not in cue_set(lang, "clause_verbs"))
    according = set(_before(span, ACCORDING_WINDOW, lang)) & cue_set(lang, "according")
    return bool(after & cues or inverted or according) or is_caller(span, lang)


def _speaks_of_self(span: Span, lang: str, cues: frozenset[str]) -> bool:
    """"said he was", "affirme avoir été": the speaker is the subject of what follows."""
    tokens = list(span.doc[span.end:span.end + 4])
    for index, token in enumerate(tokens[:-1]):
        if token.lower_ in cues:
            return tokens[index + 1].lower_ in cue_set(lang, "self_report")
    return False


def is_caller(span: Span, lang: str) -> bool:
    """"Rights groups and media professionals continue to follow the case, calling for
    his release": a victim word followed in its sentence by an appeal verb, with no
    violation trigger or relative pronoun ("the activist who condemned the war was
    arrested") in between, names who appeals, not who was targeted."""
    appeals = cue_set(lang, "appeal_verbs")
    breaks = cue_set(lang, "sentence_breaks")
    triggers = trigger_starts(span.doc)
    stops = cue_set(lang, "relative")
    for token in span.doc[span.end:span.end + CALLER_WINDOW]:
        if token.text in breaks or token.i in triggers or token.lower_ in stops:
            return False
        if token.lower_ in appeals:
            return True
    return False


def is_counsel(span: Span, code: str, lang: str) -> bool:
    """"his lawyer", "their attorney": the victim's counsel, not a victim; "a judge
    ordered", "the judge ruled": the court acting, not a judge targeted."""
    if code != "lawyer":
        return False
    following = {token.lower_ for token in span.doc[span.end:span.end + 2]}
    return bool(set(_before(span, 1, lang)) & cue_set(lang, "possessives")
                or following & cue_set(lang, "judicial_acts"))


def is_affiliation(span: Span, code: str, lang: str, people: list[Span]) -> bool:
    """An outlet named as where a journalist works ("newspaper journalist", "editor of
    news website X", "reporters from three newspapers"), or where someone spoke or
    published ("in an interview with the radio station", "a newspaper column"), not as
    a victim itself."""
    if code != "media_outlet":
        return False
    if any(person.start == span.end or span_within(span, person) for person in people):
        return True  # "newspaper journalist", "radio host"
    if _names_content(span, lang):
        return True
    if set(_before(span, VENUE_WINDOW, lang)) & cue_set(lang, "venue"):
        return True
    preps = cue_set(lang, "affiliation")
    return any(0 <= span.start - person.end <= AFFILIATION_WINDOW
               and any(token.lower_ in preps for token in span.doc[person.end:span.start])
               for person in people)


def _names_content(span: Span, lang: str) -> bool:
    """"a newspaper column", "a radio interview": the outlet word qualifies what was
    published or said, it is not the outlet targeted."""
    following = span.doc[span.end].lower_ if span.end < len(span.doc) else ""
    return following in cue_set(lang, "outlet_content")


def victim_hits(doc: Doc, part: str, lang: str, anchors: list[LabelHit]) -> list[LabelHit]:
    """Counted victim mentions: any in the title, near a violation in the body."""
    people = [span for span in doc_terms(doc) if span.label_ in PEOPLE_AT_OUTLETS]
    breaks = cue_set(lang, "sentence_breaks")
    near = [hit for hit in anchors if hit.part == part]

    def close(span: Span, anchor: Span, window: int = VICTIM_WINDOW) -> bool:
        return same_sentence_near(span, anchor, window, breaks)

    hits = scope_hits(doc, part, anchors) + protest_hits(doc, part, lang, anchors, close)
    for span in _victim_words(doc, part):
        code = outlet_or_person(span, span.label_[3:], lang, anchors)
        window = OUTLET_WINDOW if code == "media_outlet" else VICTIM_WINDOW
        if part != "title" and not any(close(span, hit.span, window) for hit in near
                                       if hit.code not in ACTS_OF.get(code, ())):
            continue
        if not is_bystander(span, code, lang, people):
            hits.append(LabelHit("victim_types", code, part, span))
    return _longest(hits, heads_only=True)


def _victim_words(doc: Doc, part: str) -> list[Span]:
    """Victim-type terms outside organisation names and outside a longer trigger
    ("press" in "press law"). A rights group named by its proper name ("the Viasna
    Human Rights Centre") is itself civil society, so it stays a victim word."""
    orgs = [span for span in doc_terms(doc) if span.label_ == "org"]
    triggers = [span for span in doc_terms(doc) if span.label_.startswith("cat:")]
    return [span for span in doc_terms(doc) if span.label_.startswith("vt:")
            and not _in_org(span, orgs)
            and (span.label_ == CIVIL_SOCIETY or not is_org_like(span, part))
            and not any(len(trigger) > len(span) for trigger in triggers
                        if trigger.start <= span.start and span.end <= trigger.end)]


def is_bystander(span: Span, code: str, lang: str, people: list[Span]) -> bool:
    """A victim word that names someone other than the target: the speaker or the
    caller, the victim's counsel, a workplace, an organisation's own members, a patron."""
    return (is_source(span, lang, code) or is_counsel(span, code, lang)
            or is_affiliation(span, code, lang, people) or is_self_description(span, lang)
            or is_patron(span, code, lang) or is_named_workplace(span, code, lang))


def same_sentence_near(span: Span, anchor: Span, window: int, breaks: frozenset[str]) -> bool:
    """A victim word at most ``window`` tokens from a trigger, in the same sentence."""
    if abs(span.start - anchor.start) > window:
        return False
    sentences = sentence_ids(span.doc, breaks)
    return sentences[span.start] == sentences[anchor.start]


def sentence_ids(doc: Doc, breaks: frozenset[str]) -> list[int]:
    """For each token, how many sentence breaks come before it (computed once per doc)."""
    if "ifex_sentences" not in doc.user_data:
        ids, current = [], 0
        strings = doc.vocab.strings
        for orth in doc.to_array(ORTH).tolist() if len(doc) else []:
            ids.append(current)
            current += strings[orth] in breaks
        doc.user_data["ifex_sentences"] = ids
    return doc.user_data["ifex_sentences"]


def outlet_or_person(span: Span, code: str, lang: str, anchors: list[LabelHit]) -> str:
    """"suspended the broadcaster": a word for a person or an outlet is the outlet
    when it is what was closed, suspended or banned."""
    if code != "journalist" or span.text.lower() not in cue_set(lang, "outlet_or_person"):
        return code
    closed = any(hit.code == "censorship" and hit.span.start == span.start for hit in anchors)
    return "media_outlet" if closed else code


def scope_hits(doc: Doc, part: str, anchors: list[LabelHit]) -> list[LabelHit]:
    """"nationwide", "across the country" next to a ban, a shutdown or a law: a
    measure on the whole population (``general_public``)."""
    near = [hit.span for hit in anchors if hit.part == part and hit.code in POPULATION_MEASURES]
    return [LabelHit("victim_types", "general_public", part, span)
            for span in doc_terms(doc) if span.label_ == "scope"
            and any(abs(span.start - anchor.start) <= VICTIM_WINDOW for anchor in near)]
