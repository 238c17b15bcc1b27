"""The one extraction API used by the Dagster assets, the CLI and the tests.

PLACEHOLDER: a minimal keyword version that keeps the contract; the real spaCy
extractor replaces the internals (issue 3) without changing this interface.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

NLP_VERSION = "0.0.1"


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


class Extractor:
    """Loads the pipelines once; ``extract`` streams labelled results in input order."""

    version = NLP_VERSION

    def __init__(self, batch_size: int = 64, n_process: int = 1) -> None:
        self.batch_size = batch_size
        self.n_process = n_process

    def extract(self, alerts: Iterable[AlertText]) -> Iterator[Extraction]:
        for alert in alerts:
            yield Extraction(id=alert.id, language=alert.language or "en")

    def extract_one(self, alert: AlertText) -> Extraction:
        return next(iter(self.extract([alert])))
