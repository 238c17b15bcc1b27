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

from nlp.countries import choose_countries, country_margin, place_hits
from nlp.labels import (
    WEAK_VICTIMS,
    LabelHit,
    category_hits,
    resolve_categories,
    supported,
)
from nlp.langdetect import detect_language
from nlp.pipeline import SUPPORTED, build_pipeline
from nlp.victims import victim_hits

NLP_VERSION = "1.4.0"
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
    nlp_version: str = NLP_VERSION


def alert_language(alert: AlertText) -> str:
    """The given language when supported, else the detected one."""
    given = (alert.language or "").lower()[:2]
    if given in SUPPORTED:
        return given
    return detect_language(f"{alert.title}\n{alert.text}")


def _evidence(field_: str, label: str, part: str, span) -> Evidence:
    return Evidence(field_, label, part, span.start_char, span.end_char, span.text)


def label_alert(alert: AlertText, language: str, docs: dict[str, Doc]) -> Extraction:
    """Labels and evidence for one alert from its parsed title and body."""
    places, categories, victims = [], [], []
    for part in PARTS:
        places += place_hits(docs[part], part, language)
        found = category_hits(docs[part], part, language)
        categories += found
        victims += victim_hits(docs[part], part, language, found)
    countries, primary = choose_countries(places)
    categories = resolve_categories(categories, language)
    victims = _keep_supported(victims, WEAK_VICTIMS)
    if any(hit.code == "internet_shutdown" for hit in categories):
        victims += [LabelHit("victim_types", "general_public", hit.part, hit.span)
                    for hit in categories if hit.code == "internet_shutdown"][:1]
    evidence = [_evidence("countries", hit.code, hit.part, hit.span)
                for hit in places if hit.code in countries]
    evidence += [_evidence(hit.field, hit.code, hit.part, hit.span)
                 for hit in categories + victims]
    return Extraction(
        id=alert.id,
        language=language,
        countries=countries,
        primary_country=primary,
        categories=list(dict.fromkeys(hit.code for hit in categories)),
        victim_types=list(dict.fromkeys(hit.code for hit in victims)),
        evidence=evidence,
        confidence=_confidence(country_margin(places, primary), categories, victims),
    )


def _keep_supported(hits: list[LabelHit], weak: frozenset[str]) -> list[LabelHit]:
    codes = supported(hits, weak)
    return [hit for hit in hits if hit.code in codes]


def _confidence(margin: float, categories: list, victims: list) -> float:
    """A rough 0..1 score: how clearly one country leads, and whether labels were found."""
    found = (0.5 if categories else 0.0) + (0.5 if victims else 0.0)
    return round(0.5 * margin + 0.5 * found, 3)


class Extractor:
    """Loads the pipelines once; ``extract`` streams labelled results in input order."""

    version = NLP_VERSION

    def __init__(self, batch_size: int = 64, n_process: int = 1) -> None:
        self.batch_size = batch_size
        self.n_process = n_process

    def extract(self, alerts: Iterable[AlertText]) -> Iterator[Extraction]:
        iterator = iter(alerts)
        while chunk := list(itertools.islice(iterator, self.batch_size * 8)):
            yield from self._extract_chunk(chunk)

    def extract_one(self, alert: AlertText) -> Extraction:
        return next(iter(self.extract([alert])))

    def _extract_chunk(self, chunk: list[AlertText]) -> list[Extraction]:
        languages = [alert_language(alert) for alert in chunk]
        results: list[Extraction | None] = [None] * len(chunk)
        for language in dict.fromkeys(languages):
            indices = [i for i, lang in enumerate(languages) if lang == language]
            texts = [getattr(chunk[i], part) or "" for i in indices for part in PARTS]
            nlp = build_pipeline(language)
            docs = list(nlp.pipe(texts, batch_size=self.batch_size, n_process=self.n_process))
            for offset, i in enumerate(indices):
                pair = dict(zip(PARTS, docs[2 * offset:2 * offset + 2], strict=True))
                results[i] = label_alert(chunk[i], language, pair)
        return [result for result in results if result is not None]
