"""When a ``release`` trigger is a real positive outcome and when it is not.

A release ends a violation: "freed on bail", "charges were dropped", "the ban was
lifted". It is not one when it is asked for or still pending ("urged the release
of", "was due to be released", "refused to release"): those say the person is
still held, so they are read as an implied detention. "Released a report" is a
publication, not an outcome, and counts as nothing.
"""

from __future__ import annotations

from spacy.attrs import LOWER, ORTH
from spacy.tokens import Doc, Span

from nlp.pipeline import doc_terms
from nlp.terms import cue_set

CALL_WINDOW = 5
OBJECT_WINDOW = 3
PERPETRATOR_WINDOW = 4
SUBJECT_WINDOW = 15
VICTIM_KINDS = ("vt:",)


def before_words(span: Span, width: int, lang: str) -> list[str]:
    """Lower-cased tokens before a span, nearest first, stopping at a sentence break;
    words inside organisation names and masks ("the appeals court") are skipped."""
    breaks = cue_set(lang, "sentence_breaks")
    masked = _masked(span.doc)
    texts, lowers = doc_strings(span.doc)
    words: list[str] = []
    for i in range(span.start - 1, max(0, span.start - width) - 1, -1):
        if texts[i] in breaks:
            break
        if i not in masked:
            words.append(lowers[i])
    return words


def doc_strings(doc: Doc) -> tuple[list[str], list[str]]:
    """Each token's text and lower-cased text as plain lists (made once per doc)."""
    if "ifex_strings" not in doc.user_data:
        strings = doc.vocab.strings
        array = doc.to_array([ORTH, LOWER]).tolist() if len(doc) else []
        doc.user_data["ifex_strings"] = ([strings[orth] for orth, _ in array],
                                         [strings[lower] for _, lower in array])
    return doc.user_data["ifex_strings"]


def _masked(doc: Doc) -> frozenset[int]:
    """Token indices inside ``org`` spans (computed once per doc)."""
    if "ifex_masked" not in doc.user_data:
        doc.user_data["ifex_masked"] = frozenset(
            i for term in doc_terms(doc) if term.label_ == "org"
            for i in range(term.start, term.end))
    return doc.user_data["ifex_masked"]


def is_call(span: Span, lang: str) -> bool:
    """"urged the immediate release of", "sa libération immédiate": a call, which says
    the person is held."""
    if set(before_words(span, CALL_WINDOW, lang)) & cue_set(lang, "call"):
        return True
    return bool(set(_words_after(span, 2)) & cue_set(lang, "call_after"))


def is_pending(span: Span, lang: str) -> bool:
    """"was due to be released", "refused to release", "has yet to be freed"."""
    return bool(set(before_words(span, CALL_WINDOW, lang)) & cue_set(lang, "release_pending"))


def still_held(span: Span, lang: str) -> bool:
    """A release asked for, refused or still to come: the person is held."""
    return is_call(span, lang) or is_pending(span, lang)


def frees_a_person(span: Span, lang: str) -> bool:
    """"release", "freed", "bail": words for letting a person out of custody (not
    "allowed to resume broadcasting" or "ban lifted")."""
    return bool({token.lower_ for token in span} & cue_set(lang, "custody_release"))


def _words_after(span: Span, width: int) -> list[str]:
    """Lower-cased tokens after a span, stopping at punctuation."""
    words = []
    for token in span.doc[span.end:span.end + width]:
        if token.is_punct:
            break
        words.append(token.lower_)
    return words


def _victim_follows(span: Span) -> bool:
    return any(term.label_.startswith(VICTIM_KINDS)
               and 0 < term.start - span.end + 1 <= OBJECT_WINDOW
               for term in doc_terms(span.doc))


def is_publication(span: Span, lang: str) -> bool:
    """"released a report", "released its annual findings", "the report released on",
    "the film's release"; "released a journalist" stays a release."""
    after = _words_after(span, OBJECT_WINDOW)
    objects = cue_set(lang, "report_objects")
    if set(after) & objects or set(before_words(span, 2, lang)) & objects:
        return True
    determiners = cue_set(lang, "determiners")
    return bool(after) and after[0] in determiners and not _victim_follows(span)


def is_release_non_event(span: Span, lang: str) -> bool:
    """A call for release, a pending or refused release, or a publication."""
    return still_held(span, lang) or is_publication(span, lang)


def frees_a_perpetrator(span: Span, lang: str) -> bool:
    """"acquitted the three suspects", "the gunmen were released": freeing those
    accused of the violation is ``impunity``, not a positive outcome."""
    perpetrators = cue_set(lang, "perpetrators")
    stops = cue_set(lang, "topic_stops")
    for word in _words_after(span, PERPETRATOR_WINDOW):
        if word in stops:
            break
        if word in perpetrators:
            return True
    if not set(before_words(span, 2, lang)) & cue_set(lang, "passive_aux"):
        return False
    return _subject_is_perpetrator(span, lang, perpetrators)


def _subject_is_perpetrator(span: Span, lang: str, perpetrators: frozenset[str]) -> bool:
    """In "the suspects in the journalist's murder were freed", the first person word
    of the sentence (the subject) is a perpetrator word, not a victim word."""
    doc = span.doc
    victims = {term.start for term in doc_terms(doc) if term.label_.startswith(VICTIM_KINDS)}
    words = before_words(span, SUBJECT_WINDOW, lang)
    start = span.start - len(words)
    for token in doc[start:span.start]:
        if token.i in victims:
            return False
        if token.lower_ in perpetrators:
            return True
    return False
