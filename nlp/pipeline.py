"""spaCy pipelines: ``spacy.blank(lang)`` plus two PhraseMatcher components.

``ifex_places`` marks gazetteer hits in ``doc.spans["places"]`` (label = ISO code,
``span.kb_id_`` = kind); ``ifex_terms`` marks trigger phrases in ``doc.spans["terms"]``
(label = ``"cat:<code>"``, ``"vt:<code>"``, ``"pa:<code>"``/``"pb:<code>"`` for the
two halves of a pair rule, ``"org"`` for organisation names and phrases that mask a
trigger ("in charge of"), ``"scope"`` for population-wide scope words, ``"self"`` for
the words opening an organisation's description of itself ("the network of"),
``"event:protester"`` for a protest as the scene of a violation). Pipelines are built
once per process.
"""

from __future__ import annotations

from functools import cache

import spacy
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from nlp.gazetteer import extra, gazetteer
from nlp.terms import expand, expand_all, language_terms

SUPPORTED = ("en", "fr", "es", "ar", "ru")


class PlaceMatcher:
    """Finds country names, demonyms and cities; the longest match wins."""

    def __init__(self, nlp: Language, lang: str) -> None:
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.places = gazetteer(lang)
        self.ambiguous = {
            name.lower(): tuple(codes)
            for pattern, codes in (extra()["ambiguous"].get(lang) or {}).items()
            for name in expand(str(pattern))
        }
        keys = sorted(set(self.places) | set(self.ambiguous))
        for start in range(0, len(keys), 500):
            self.matcher.add("PLACE", list(nlp.tokenizer.pipe(keys[start:start + 500])))

    def __call__(self, doc: Doc) -> Doc:
        spans = [doc[start:end] for _, start, end in self.matcher(doc)]
        kept = []
        for span in filter_spans(spans):
            key = span.text.lower()
            if key in self.ambiguous:
                kept.append(Span(doc, span.start, span.end, label="?" + "|".join(
                    self.ambiguous[key]), kb_id="ambiguous"))
                continue
            place = self.places.get(key)
            if place is None or (place.exact and span.text != place.exact):
                continue
            kept.append(Span(doc, span.start, span.end, label=place.code, kb_id=place.kind))
        doc.spans["places"] = kept
        return doc


class TermMatcher:
    """Finds category/victim-type triggers, pair-rule halves and organisation names."""

    def __init__(self, nlp: Language, lang: str) -> None:
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        terms = language_terms(lang)
        for prefix, section in (("cat", "categories"), ("vt", "victim_types")):
            for code, patterns in terms[section].items():
                self._add(nlp, f"{prefix}:{code}", patterns)
        for code, rule in (terms.get("pairs") or {}).items():
            self._add(nlp, f"pa:{code}", rule["a"])
            self._add(nlp, f"pb:{code}", rule["b"])
        self._add(nlp, "org", (terms.get("organisations") or []) + (terms.get("masks") or []))
        self._add(nlp, "scope", terms.get("population_scope") or [])
        self._add(nlp, "self", terms.get("self_description") or [])
        self._add(nlp, "event:protester", terms.get("protest_events") or [])

    def _add(self, nlp: Language, label: str, patterns: list[str]) -> None:
        forms = expand_all(patterns)
        if forms:
            self.matcher.add(label, list(nlp.tokenizer.pipe(forms)))

    def __call__(self, doc: Doc) -> Doc:
        doc.spans["terms"] = [
            Span(doc, start, end, label=match_id) for match_id, start, end in self.matcher(doc)
        ]
        return doc


def doc_terms(doc: Doc) -> list[Span]:
    """``doc.spans["terms"]`` as a list, made once per doc (a SpanGroup builds new
    Span objects on every pass)."""
    if "ifex_terms" not in doc.user_data:
        doc.user_data["ifex_terms"] = list(doc.spans["terms"])
    return doc.user_data["ifex_terms"]


@Language.factory("ifex_places", default_config={"lang": "en"})
def make_places(nlp: Language, name: str, lang: str) -> PlaceMatcher:
    return PlaceMatcher(nlp, lang)


@Language.factory("ifex_terms", default_config={"lang": "en"})
def make_terms(nlp: Language, name: str, lang: str) -> TermMatcher:
    return TermMatcher(nlp, lang)


@cache
def build_pipeline(lang: str) -> Language:
    """The extraction pipeline for one language (built once per process)."""
    if lang not in SUPPORTED:
        raise ValueError(f"unsupported language {lang!r}; expected one of {SUPPORTED}")
    nlp = spacy.blank(lang)
    nlp.add_pipe("ifex_places", config={"lang": lang})
    nlp.add_pipe("ifex_terms", config={"lang": lang})
    return nlp
