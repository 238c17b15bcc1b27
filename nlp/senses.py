"""When a trigger word does not report a violation against the alert's victim.

A trigger negated ("was not arrested") or hedged ("fears he may be arrested",
"punishable by five years in prison") reports no violation. "Jailed for an article
about torture": the torture is the topic of the victim's work.
"Those who threaten press freedom", "a threat to national security": the threat is
to an abstraction, not to a person. "A suspended two-year prison term", "deux ans de
prison avec sursis": a conviction without prison (``legal_action``), and its
"suspended" is not censorship. "Imprisoned in pretrial detention": a detention.
"Up to five years in prison": a maximum penalty, not a sentence.
"""

from __future__ import annotations

from spacy.tokens import Span

from nlp.outcomes import before_words
from nlp.pipeline import doc_terms
from nlp.terms import cue_set

NEGATION_WINDOW = 3
HEDGE_WINDOW = 6
TOPIC_WINDOW = 5
ABSTRACT_WINDOW = 4
SUSPENDED_WINDOW = 4
SUSPENDED_LINK = 8
BASIS_WINDOW = 3
PRETRIAL_WINDOW = 7
CEILING_WINDOW = 4
CEILING_AFTER = 3


def is_negated(span: Span, lang: str) -> bool:
    return bool(set(before_words(span, NEGATION_WINDOW, lang)) & cue_set(lang, "negation"))


def is_hedged(span: Span, lang: str, code: str = "") -> bool:
    """"fears he may be arrested". Facing charges is itself a legal action, so
    "faces charges" is not hedged for ``legal_action``."""
    cues = cue_set(lang, "hedge")
    if code == "legal_action":
        cues = cues - cue_set(lang, "hedge_not_for_charges")
    return bool(set(before_words(span, HEDGE_WINDOW, lang)) & cues)


def is_work_topic(span: Span, lang: str) -> bool:
    """A trigger told as what the victim wrote or covered ("an article about the
    arrests", "for covering the killing of"): no verb or clause word in between."""
    topics = cue_set(lang, "work_topic")
    stops = cue_set(lang, "topic_stops")
    for word in before_words(span, TOPIC_WINDOW, lang):
        if word in stops:
            return False
        if word in topics:
            return True
    return False


def is_abstract_threat(span: Span, code: str, lang: str) -> bool:
    """"threaten the freedom of the press", "a threat to national security"."""
    if code != "threat_harassment":
        return False
    doc = span.doc
    abstract = cue_set(lang, "abstract_objects")
    for token in doc[span.end:span.end + ABSTRACT_WINDOW]:
        if token.is_punct:
            return False
        if token.lower_ in abstract:
            return True
    return False


def is_suspended_sentence(span: Span, lang: str) -> bool:
    """A prison term with "suspended" / "avec sursis" / "условный" next to it."""
    cues = cue_set(lang, "suspended_sentence")
    doc = span.doc
    after = [token.lower_ for token in doc[span.end:span.end + SUSPENDED_WINDOW]]
    return bool((set(before_words(span, SUSPENDED_WINDOW, lang)) | set(after)) & cues)


def suspends_a_sentence(span: Span, lang: str) -> bool:
    """The "suspended" of "a suspended two-year prison term" (not censorship)."""
    if not {token.lower_ for token in span} & cue_set(lang, "suspended_sentence"):
        return False
    return any(term.label_ == "cat:imprisonment"
               and 0 <= term.start - span.end <= SUSPENDED_WINDOW + 1
               for term in doc_terms(span.doc))


def suspended_prison_terms(spans: list[Span], lang: str) -> set[tuple[int, int]]:
    """The prison-term spans ("sentenced", "prison term") that belong to a suspended
    sentence: one marked as suspended, or one up to a few words before it in the same
    sentence ("condamné à deux ans de prison avec sursis")."""
    marks = [span for span in spans if is_suspended_sentence(span, lang)]
    breaks = cue_set(lang, "sentence_breaks")
    return {(span.start, span.end) for span in spans for mark in marks
            if 0 <= mark.start - span.start <= SUSPENDED_LINK
            and not any(token.text in breaks for token in span.doc[span.start:mark.start])}


def is_legal_basis(span: Span, code: str, lang: str) -> bool:
    """"charged under the cybercrime law", "en vertu de la loi sur la presse": a law
    named as the basis of a charge is not the news, unless it is new or a draft."""
    if code != "restrictive_law":
        return False
    if {token.lower_ for token in span} & cue_set(lang, "novelty"):
        return False
    return bool(set(before_words(span, BASIS_WINDOW, lang)) & cue_set(lang, "legal_basis"))


def is_penalty_ceiling(span: Span, code: str, lang: str) -> bool:
    """"with up to five years in prison", "hasta cinco años de prisión": the maximum a
    law or a charge carries, not a prison sentence handed down."""
    if code != "imprisonment":
        return False
    before = " ".join(reversed(before_words(span, CEILING_WINDOW, lang)))
    after = " ".join(token.lower_ for token in span.doc[span.end:span.end + CEILING_AFTER])
    return any(f" {cue} " in f" {before} " or f" {cue} " in f" {after} "
               for cue in cue_set(lang, "penalty_ceiling"))


def is_pretrial(span: Span, lang: str) -> bool:
    """"imprisoned for 100 days in pretrial detention", "incarcéré en détention
    provisoire": custody before any verdict is a detention, not a prison sentence."""
    cues = cue_set(lang, "pretrial")
    after = []
    for token in span.doc[span.end:span.end + PRETRIAL_WINDOW]:
        if token.text in cue_set(lang, "sentence_breaks"):
            break
        after.append(token.lower_)
    return bool(set(after) & cues)
