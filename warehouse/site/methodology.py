"""The measured accuracy the methodology page shows, read from ``nlp/evaluation.json``
(written by ``ifex-alerts model-card``), never copied: per field, per label and — when the
evaluation has them — per language."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from warehouse.site.display import label, language_names

EVALUATION = Path(__file__).resolve().parents[2] / "nlp" / "evaluation.json"
LANGUAGE_KEYS = ("languages", "by_language", "per_language")
"""Where an evaluation may hold its per-language reports (language → report)."""
LABELLED_FIELDS = ("categories", "victim_types")


@dataclass
class Accuracy:
    """What the page shows: the evaluation's facts and one table per field."""

    nlp_version: str | None = None
    generated: str | None = None
    gold: dict = field(default_factory=dict)
    primary_country_accuracy: float | None = None
    languages: list[tuple[str, str, int | None]] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    """Headings of the score columns: all languages, then each measured language."""
    fields: list[dict] = field(default_factory=list)
    tables: list[dict] = field(default_factory=list)


def load_evaluation(path: Path = EVALUATION) -> dict | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def per_language(evaluation: dict) -> dict[str, dict]:
    """language code → that language's report (same shape as the whole evaluation)."""
    for key in LANGUAGE_KEYS:
        found = evaluation.get(key)
        if isinstance(found, dict):
            return {str(k): v for k, v in sorted(found.items()) if isinstance(v, dict)}
    return {}


def gold_facts(evaluation: dict) -> dict:
    gold = evaluation.get("gold")
    gold = gold if isinstance(gold, dict) else {"path": gold}
    return {"path": gold.get("path") or gold.get("file"), "sha256": gold.get("sha256"),
            "records": gold.get("records", evaluation.get("records"))}


def score(report: dict, field_name: str, code: str | None = None) -> dict | None:
    """A report's micro scores of a field, or one label's scores; None when absent."""
    scores = (report.get("fields") or {}).get(field_name) or {}
    found = scores.get("micro") if code is None else (scores.get("labels") or {}).get(code)
    return found if isinstance(found, dict) and "f1" in found else None


def label_table(field_name: str, reports: dict[str, dict]) -> dict:
    """Rows = the field's labels, columns = all languages then each language: P/R/F1."""
    codes = sorted({code for report in reports.values()
                    for code in ((report.get("fields") or {}).get(field_name) or {})
                    .get("labels", {})})
    rows = [{"name": label(field_name, code), "code": code,
             "cells": [score(report, field_name, code) for report in reports.values()]}
            for code in codes]
    return {"field": field_name, "name": field_name.replace("_", " ").capitalize(),
            "columns": list(reports), "rows": rows}


def accuracy(evaluation: dict | None) -> Accuracy | None:
    """The page's accuracy section, or None when there is no evaluation."""
    if not evaluation:
        return None
    languages = per_language(evaluation)
    reports = {"all": evaluation, **languages}
    names = language_names()
    return Accuracy(
        nlp_version=evaluation.get("nlp_version"), generated=evaluation.get("generated"),
        gold=gold_facts(evaluation),
        primary_country_accuracy=evaluation.get("primary_country_accuracy"),
        languages=[(code, names.get(code, code), report.get("records"))
                   for code, report in languages.items()],
        columns=["All languages", *(names.get(code, code) for code in languages)],
        fields=[{"name": name.replace("_", " ").capitalize(),
                 "cells": [score(report, name) for report in reports.values()]}
                for name in (evaluation.get("fields") or {})],
        tables=[label_table(name, reports) for name in LABELLED_FIELDS
                if name in (evaluation.get("fields") or {})],
    )
