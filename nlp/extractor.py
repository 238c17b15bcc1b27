"""The one extraction API used by the Dagster assets, the CLI and the tests.

``Extractor`` runs one blank spaCy pipeline per language (built once per process,
see ``nlp.pipeline``) over the title and the body of each alert, then turns the
matches into labels with evidence (``nlp.countries``, ``nlp.labels``).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from spacy.tokens import Doc

from models.taxonomy import CATEGORY_CODES, VICTIM_TYPE_CODES
from nlp.countries import choose_countries, country_margin, place_hits
from nlp.labels import (
    WEAK_VICTIMS,
    LabelHit,
    category_hits,
    resolve_categories,
    supported,
)
from nlp.langdetect import detect_language
from nlp.learned.candidates import rule_candidates
from nlp.learned.features import alert_features, first_seen
from nlp.learned.model import LabelModel, WordIndexer, default_model
from nlp.persons import find_persons
from nlp.pipeline import SUPPORTED, build_pipeline
from nlp.victims import victim_hits

NLP_VERSION = "2.1.0"
PARTS = ("title", "text")


@dataclass(frozen=True)
class AlertText:
    """What the extractor reads: an id, a title, a body and optionally language/date."""

    id: str
    title: str
    text: str
    language: str | None = None
    published: str | None = None


@dataclass(frozen=True)
class Evidence:
    """A span that supports a label: which field ("title"/"text"), offsets and the text."""

    field: str  # "countries" | "categories" | "victim_types"
    label: str
    part: str  # "title" | "text"
    start: int
    end: int
    text: str


@dataclass
class Extraction:
    """The labels for one alert, with the evidence for each."""

    id: str
    language: str
    countries: list[str] = field(default_factory=list)
    primary_country: str | None = None
    categories: list[str] = field(default_factory=list)
    victim_types: list[str] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    confidence: float = 0.0
    label_confidence: dict[str, float] = field(default_factory=dict)
    persons: list[dict] = field(default_factory=list)
    nlp_version: str = NLP_VERSION


def alert_language(alert: AlertText) -> str:
    """The given language when supported, else the detected one."""
    given = (alert.language or "").lower()[:2]
    if given in SUPPORTED:
        return given
    return detect_language(f"{alert.title}\n{alert.text}")


def _evidence(field_: str, label: str, part: str, span) -> Evidence:
    return Evidence(field_, label, part, span.start_char, span.end_char, span.text)


@dataclass
class RuleLabels:
    """What the rules found in one alert: places, counted category and victim hits."""

    places: list
    categories: list[LabelHit]
    victims: list[LabelHit]


def rule_labels(docs: dict[str, Doc], language: str) -> RuleLabels:
    """The rules' labels for one alert from its parsed title and body."""
    places, categories, victims = [], [], []
    for part in PARTS:
        places += place_hits(docs[part], part, language)
        found = category_hits(docs[part], part, language)
        categories += found
        victims += victim_hits(docs[part], part, language, found)
    categories = resolve_categories(categories, language)
    victims = _keep_supported(victims, WEAK_VICTIMS)
    if any(hit.code == "internet_shutdown" for hit in categories):
        victims += [LabelHit("victim_types", "general_public", hit.part, hit.span)
                    for hit in categories if hit.code == "internet_shutdown"][:1]
    return RuleLabels(places, categories, victims)


def label_alert(alert: AlertText, language: str, docs: dict[str, Doc],
                model: LabelModel | None = None) -> Extraction:
    """Labels and evidence for one alert: the rules' candidates, decided by the trained
    model when there is one (else the rules' own labels)."""
    rules = rule_labels(docs, language)
    countries, primary = choose_countries(rules.places)
    evidence = [_evidence("countries", hit.code, hit.part, hit.span)
                for hit in rules.places if hit.code in countries]
    hits = rules.categories + rules.victims
    confidence: dict[str, float] = {}
    persons = [person.as_dict() for person in find_persons(docs, language)]
    if model is None:
        chosen = {f"{hit.field}:{hit.code}": 1.0 for hit in hits}
    else:
        candidates = rule_candidates(docs, hits, language)
        features = alert_features(docs, language, candidates,
                                  {hit.code for hit in hits}, alert.published, persons,
                                  indexer_for(model))
        chosen = model.decide(features)
        confidence = dict(chosen)
        evidence += _model_evidence(chosen, candidates, features, model, docs, language)
    if model is None:
        evidence += [_evidence(hit.field, hit.code, hit.part, hit.span) for hit in hits]
    codes = {name: [label.split(":", 1)[1] for label in chosen if label.startswith(name)]
             for name in ("categories", "victim_types")}
    return Extraction(
        id=alert.id,
        language=language,
        countries=countries,
        primary_country=primary,
        categories=_ordered(codes["categories"], CATEGORY_CODES),
        victim_types=_ordered(codes["victim_types"], VICTIM_TYPE_CODES),
        evidence=evidence,
        confidence=_confidence(country_margin(rules.places, primary), codes, confidence),
        label_confidence=confidence,
        persons=persons,
    )


_INDEXERS: dict[int, WordIndexer] = {}


def indexer_for(model: LabelModel) -> WordIndexer:
    """One cached word indexer per loaded model."""
    indexer = _INDEXERS.get(id(model))
    if indexer is None or indexer.index is not model.word_index:
        indexer = _INDEXERS[id(model)] = WordIndexer(model)
    return indexer


def _ordered(codes: list[str], order: tuple[str, ...]) -> list[str]:
    return [code for code in order if code in codes]


def _model_evidence(chosen: dict[str, float], candidates: list, features, model: LabelModel,
                    docs: dict[str, Doc], language: str) -> list[Evidence]:
    """Each chosen label's trigger mentions (counted ones first), or, for a label the
    model added without one, the words that weigh most for it."""
    out = []
    for label in chosen:
        field_, code = label.split(":", 1)
        spans = [c for c in candidates if c.field == field_ and c.code == code]
        spans = [c for c in spans if c.counted] or spans
        if spans:
            out += [_evidence(field_, code, c.part, c.span) for c in spans]
            continue
        word = model.strongest_word(label, features)
        where = first_seen(docs, language, word) if word else None
        if where:
            part, start, end = where
            out.append(Evidence(field_, code, part, start, end, docs[part].text[start:end]))
    return out


def _keep_supported(hits: list[LabelHit], weak: frozenset[str]) -> list[LabelHit]:
    codes = supported(hits, weak)
    return [hit for hit in hits if hit.code in codes]


def _confidence(margin: float, codes: dict[str, list[str]], labels: dict[str, float]) -> float:
    """A 0..1 summary: how clearly one country leads, and how sure the labels are (the
    mean calibrated probability of the chosen labels, or whether any were found)."""
    if labels:
        found = sum(labels.values()) / len(labels)
    else:
        found = 0.5 * bool(codes["categories"]) + 0.5 * bool(codes["victim_types"])
    return round(0.5 * margin + 0.5 * found, 3)


class Extractor:
    """Loads the pipelines once; ``extract`` streams labelled results in input order."""

    version = NLP_VERSION

    def __init__(self, batch_size: int = 64, n_process: int = 1,
                 model: LabelModel | str | None = "default") -> None:
        self.batch_size = batch_size
        self.n_process = n_process
        self.model = default_model() if model == "default" else model

    def extract(self, alerts: Iterable[AlertText]) -> Iterator[Extraction]:
        iterator = iter(alerts)
        while chunk := list(itertools.islice(iterator, self.batch_size * 8)):
            yield from self._extract_chunk(chunk)

    def extract_one(self, alert: AlertText) -> Extraction:
        return next(iter(self.extract([alert])))

    def _extract_chunk(self, chunk: list[AlertText]) -> list[Extraction]:
        return [label_alert(alert, language, docs, self.model)
                for alert, language, docs in parse_chunk(chunk, self.batch_size, self.n_process)]


def parse_chunk(chunk: list[AlertText], batch_size: int = 64, n_process: int = 1
                ) -> list[tuple[AlertText, str, dict[str, Doc]]]:
    """Each alert with its language and its parsed title and body, in input order (one
    ``nlp.pipe`` per language)."""
    languages = [alert_language(alert) for alert in chunk]
    results: list[tuple[AlertText, str, dict[str, Doc]] | None] = [None] * len(chunk)
    for language in dict.fromkeys(languages):
        indices = [i for i, lang in enumerate(languages) if lang == language]
        texts = [getattr(chunk[i], part) or "" for i in indices for part in PARTS]
        nlp = build_pipeline(language)
        docs = list(nlp.pipe(texts, batch_size=batch_size, n_process=n_process))
        for offset, i in enumerate(indices):
            pair = dict(zip(PARTS, docs[2 * offset:2 * offset + 2], strict=True))
            results[i] = (chunk[i], language, pair)
    return [result for result in results if result is not None]
