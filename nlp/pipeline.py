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
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from nlp.gazetteer import Place, extra, gazetteer
from nlp.normalise import (
    CYRILLIC,
    arabic_candidates,
    arabic_letters,
    arabic_stem,
    is_name_first,
    is_word_first,
    russian_lemma,
)
from nlp.terms import expand, expand_all, language_terms

SUPPORTED = ("en", "fr", "es", "ar", "ru")


class PlaceMatcher:
    """Finds country names, demonyms and cities; the longest match wins.

    Russian and Arabic names are matched on normalised forms (``nlp.normalise``) that the
    matcher writes to ``token.norm_``: Russian lemmas ("в Бишкеке", "челябинской области"),
    Arabic letters without clitics ("وبالعراق"). A name that is also a common word counts
    only in context: a Russian one written with a capital inside a sentence ("в Того", not
    "того"), an Arabic one after a place cue ("في مالي", not "دعم مالي").
    """

    def __init__(self, nlp: Language, lang: str) -> None:
        self.lang = lang
        self.normalised = lang in NORMALISED
        self.matcher = PhraseMatcher(nlp.vocab, attr="NORM" if self.normalised else "LOWER")
        self.key_words: set[str] = set()
        hand = extra()
        self.common = {arabic_letters(w) for w in (hand.get("common_words") or {}).get(lang) or []}
        self.cues = frozenset(cue.lower() for pattern in (hand.get("place_cues") or {}).get(lang)
                              or [] for cue in expand(str(pattern)))
        names = {name: place for name, place in gazetteer(lang).items()}
        ambiguous = {name.lower(): tuple(codes)
                     for pattern, codes in (hand["ambiguous"].get(lang) or {}).items()
                     for name in expand(str(pattern))}
        self.places: dict[str, Place] = {}
        self.ambiguous: dict[str, tuple[str, ...]] = {}
        patterns: dict[str, Doc] = {}
        for table, target in ((names, self.places), (ambiguous, self.ambiguous)):
            for name, value in table.items():
                doc = self._key_doc(nlp, name)
                key = self._key(doc)
                if key not in target:
                    target[key] = value  # type: ignore[assignment]
                    patterns.setdefault(key, doc)
        docs = list(patterns.values())
        for start in range(0, len(docs), 500):
            self.matcher.add("PLACE", docs[start:start + 500])

    def _key_doc(self, nlp: Language, name: str) -> Doc:
        doc = nlp.make_doc(name)
        for token in doc:
            if self.lang == "ru":
                lowered = token.lower_
                token.norm_ = (russian_lemma(lowered, place_first=True)
                               if CYRILLIC.search(lowered) else lowered)
            elif self.lang == "ar":
                token.norm_ = arabic_letters(token.lower_)
                self.key_words.add(token.norm_)
        return doc

    def _key(self, doc: Doc | Span) -> str:
        return " ".join(token.norm_ if self.normalised else token.lower_ for token in doc)

    def _normalise(self, doc: Doc) -> None:
        if self.lang == "ru":
            for token in doc:
                lowered = token.lower_
                if CYRILLIC.search(lowered):
                    token.norm_ = russian_lemma(lowered, place_first=token.is_title and (
                        _inside_sentence(token) or not is_word_first(lowered))
                        and not is_name_first(lowered))
        elif self.lang == "ar":
            for token in doc:
                options = arabic_candidates(token.text)
                token.norm_ = next((form for form in options if form in self.key_words),
                                   options[0])

    def __call__(self, doc: Doc) -> Doc:
        if self.normalised:
            self._normalise(doc)
        spans = [doc[start:end] for _, start, end in self.matcher(doc)]
        kept = []
        for span in filter_spans(spans):
            key = self._key(span)
            if key in self.common and not self._after_cue(span):
                continue
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

    def _after_cue(self, span: Span) -> bool:
        if span.start == 0:
            return False
        before = span.doc[span.start - 1]
        return before.lower_ in self.cues or arabic_stem(before.text) in self.cues


NORMALISED = frozenset({"ru", "ar"})
SENTENCE_ENDS = frozenset({".", "!", "?", "…", "\n", "\n\n", "«", "\"", "—", "-", ":"})


def _inside_sentence(token: Token) -> bool:
    """Not the first word of the text or of a sentence (a capital letter says nothing)."""
    return token.i > 0 and token.nbor(-1).text.strip(" ") not in SENTENCE_ENDS and not (
        token.nbor(-1).is_space)


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


TRAILING_DASH = r"(?<=[\u0600-\u06ff])[-–—]$"
"""Arabic datelines glue a dash to the city ("القاهرة-"); it is split off as a suffix."""


@cache
def build_pipeline(lang: str) -> Language:
    """The extraction pipeline for one language (built once per process)."""
    if lang not in SUPPORTED:
        raise ValueError(f"unsupported language {lang!r}; expected one of {SUPPORTED}")
    nlp = spacy.blank(lang)
    if lang == "ar":
        suffixes = [*nlp.Defaults.suffixes, TRAILING_DASH]
        nlp.tokenizer.suffix_search = spacy.util.compile_suffix_regex(suffixes).search
    nlp.add_pipe("ifex_places", config={"lang": lang})
    nlp.add_pipe("ifex_terms", config={"lang": lang})
    return nlp
