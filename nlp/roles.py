"""Who a victim word refers to when it is not the target of the violation.

An organisation describing itself ("IPI, the global network of editors"; "a group
that defends journalists") names the people it speaks for; a politician named as the
leaning of the victim ("newspapers close to the opposition leader") is a patron; an
outlet named after a person ("Ann Obi of Radio Kano", "the radio station owner") is
where that person works. A protest where a violation happened makes its participants
victims, unless the person named there was covering it.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span

from nlp.labels import LabelHit, _before
from nlp.pipeline import doc_terms
from nlp.terms import cue_set

SELF_WINDOW = 6
PATRON_WINDOW = 4
COVER_WINDOW = 4
NAMED_PERSON_GAP = 3
STAFF_GAP = 2
ORG_JOINERS = frozenset(["of", "for", "to", "in", ",", "and", "&", "de", "la", "le", "les",
                         "l'", "du", "des", "et", "del", "el", "los", "las", "y", "e"])
ORG_LOOKBACK = 4
REPORTERS = frozenset(["journalist", "media_worker"])


def trigger_starts(doc: Doc) -> frozenset[int]:
    """Token indices where a category trigger starts (computed once per doc)."""
    if "ifex_triggers" not in doc.user_data:
        doc.user_data["ifex_triggers"] = frozenset(
            term.start for term in doc_terms(doc) if term.label_.startswith("cat:"))
    return doc.user_data["ifex_triggers"]


def _between(doc: Doc, low: int, high: int, lang: str) -> bool:
    """No sentence break and no violation trigger in ``doc[low:high]``."""
    breaks = cue_set(lang, "sentence_breaks")
    triggers = trigger_starts(doc)
    return not any(token.text in breaks or token.i in triggers for token in doc[low:high])


def is_org_like(span: Span, part: str) -> bool:
    """A capitalised mid-sentence victim word after another capitalised word
    ("Federation of Nepali Journalists", "Ministry of Press, Radio and Television",
    "ministère de la Presse, de la Radio") names an organisation, not a victim."""
    if part != "text" or not span[0].is_title or span.start < 2:
        return False
    for token in reversed(span.doc[max(0, span.start - ORG_LOOKBACK):span.start]):
        if token.is_title:
            return True
        if token.lower_ not in ORG_JOINERS:
            return False
    return False


def is_self_description(span: Span, lang: str) -> bool:
    """A victim word within a few words after "network of", "which defends"... with
    no violation between: the members an organisation speaks for."""
    return any(term.label_ == "self" and 0 <= span.start - term.end <= SELF_WINDOW
               and _between(span.doc, term.end, span.start, lang)
               for term in doc_terms(span.doc))


def is_patron(span: Span, code: str, lang: str) -> bool:
    """"newspapers close to the opposition leader": the politician is a leaning."""
    if code != "politician":
        return False
    before = span.doc[max(0, span.start - PATRON_WINDOW):span.start]
    return any(token.lower_ in cue_set(lang, "leaning") for token in before)


def is_named_workplace(span: Span, code: str, lang: str) -> bool:
    """An outlet after a person's name and "of"/"from" ("Ann Obi of Radio Kano",
    "Ann Obi, from the Kano Times") or just before a staff word ("the radio station
    owner", "the paper's director")."""
    if code != "media_outlet":
        return False
    doc = span.doc
    staff = cue_set(lang, "outlet_staff")
    if any(token.lower_ in staff for token in doc[span.end:span.end + STAFF_GAP]):
        return True
    preps = cue_set(lang, "named_affiliation")
    for index in range(span.start - 1, max(0, span.start - 1 - NAMED_PERSON_GAP), -1):
        token = doc[index]
        if token.lower_ in preps:
            return _is_name(doc, index - 2 if doc[index - 1].text == "," else index - 1, lang)
        if not (token.text[:1].isupper() or token.lower_ in cue_set(lang, "determiners")):
            return False
    return False


def _is_name(doc: Doc, index: int, lang: str) -> bool:
    """A capitalised word that does not start a sentence (a person's name)."""
    if index < 1 or not doc[index].text[:1].isupper():
        return False
    previous = doc[index - 1]
    return not (previous.is_space or previous.text in cue_set(lang, "sentence_breaks"))


def protest_hits(doc: Doc, part: str, lang: str, anchors: list[LabelHit],
                 near) -> list[LabelHit]:
    """``protester`` from a protest where a violation happened ("injured during a
    protest"), unless a journalist there was covering it."""
    people = [term for term in doc_terms(doc)
              if term.label_.partition(":")[2] in REPORTERS and term.label_.startswith("vt:")]
    hits = []
    for event in (term for term in doc_terms(doc) if term.label_ == "event:protester"):
        if part != "title" and not any(near(event, hit.span) for hit in anchors
                                       if hit.part == part):
            continue
        if set(_before(event, COVER_WINDOW, lang)) & cue_set(lang, "covering"):
            continue
        if any(near(event, person) for person in people):
            continue
        hits.append(LabelHit("victim_types", "protester", part, event))
    return hits
