"""Scores extractions against a labelled set (``shared/eval/*.jsonl``)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from models.taxonomy import CATEGORY_CODES, VICTIM_TYPE_CODES
from nlp.extractor import AlertText, Extraction, Extractor

FIELDS = ("countries", "categories", "victim_types")
DEFAULT_GOLD = Path(__file__).resolve().parents[2] / "shared" / "eval" / "dev.jsonl"


@dataclass
class LabelScore:
    """Counts and P/R/F1 for one label."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def support(self) -> int:
        return self.tp + self.fn

    def prf(self) -> dict[str, float]:
        return prf(self.tp, self.fp, self.fn)


def prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}


@dataclass
class Report:
    """The evaluation of one gold set."""

    records: int = 0
    fields: dict[str, dict] = field(default_factory=dict)
    primary_country_accuracy: float = 0.0
    worst_errors: list[dict] = field(default_factory=list)
    languages: dict[str, dict] = field(default_factory=dict)

    def to_dict(self) -> dict:
        return asdict(self)


class NotGold(ValueError):
    """A file that is not a labelled set: not JSON lines with title, text and labels."""


def load_gold(path: Path) -> list[dict]:
    """The labelled records of a gold file, or NotGold naming the first bad line."""
    records = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as error:
                raise NotGold(f"{path} is not JSON lines (line {number}: {error.msg})") from error
            labels = record.get("labels") if isinstance(record, dict) else None
            if not isinstance(labels, dict) or not all(
                    key in labels for key in ("countries", "categories", "victim_types")):
                raise NotGold(f"{path} is not a labelled (gold) file: record {number} has no "
                              "labels (countries, categories, victim_types)")
            records.append(record)
    if not records:
        raise NotGold(f"{path} holds no labelled records")
    return records


def score_field(pairs: Iterable[tuple[set[str], set[str]]], labels: Iterable[str]) -> dict:
    """Micro/macro P/R/F1 and per-label scores for one multi-label field."""
    per_label = {label: LabelScore() for label in labels}
    for gold, got in pairs:
        for label in gold | got:
            score = per_label.setdefault(label, LabelScore())
            score.tp += label in gold and label in got
            score.fp += label in got and label not in gold
            score.fn += label in gold and label not in got
    tp, fp, fn = (sum(getattr(s, name) for s in per_label.values()) for name in ("tp", "fp", "fn"))
    scored = [s.prf() for s in per_label.values() if s.support]
    macro = {key: round(sum(s[key] for s in scored) / len(scored), 4) if scored else 0.0
             for key in ("precision", "recall", "f1")}
    labels_out = {label: {**s.prf(), "support": s.support, "predicted": s.tp + s.fp}
                  for label, s in sorted(per_label.items()) if s.support or s.fp}
    return {"micro": prf(tp, fp, fn), "macro": macro, "labels": labels_out}


def error_weight(gold: dict, got: Extraction) -> int:
    """How wrong one record is: symmetric differences, a wrong primary counts 3."""
    weight = 3 * (gold.get("primary_country") != got.primary_country)
    for name in FIELDS:
        weight += len(set(gold.get(name) or []) ^ set(getattr(got, name)))
    return weight


def describe_error(record: dict, got: Extraction) -> dict:
    gold = record["labels"]
    return {
        "id": record["id"],
        "weight": error_weight(gold, got),
        "expected": {name: gold.get(name) for name in (*FIELDS, "primary_country")},
        "got": {name: getattr(got, name) for name in (*FIELDS, "primary_country")},
        "evidence": [f"{e.field}:{e.label}={e.text!r}@{e.part}" for e in got.evidence][:12],
    }


def evaluate(records: list[dict], extractor: Extractor | None = None, worst: int = 10) -> Report:
    """Run the extractor over gold records and score every field."""
    extractor = extractor or Extractor()
    alerts = (AlertText(r["id"], r.get("title") or "", r.get("text") or "", r.get("language"),
                        r.get("published")) for r in records)
    results = list(extractor.extract(alerts))
    report = Report(records=len(records))
    label_sets = {"countries": (), "categories": CATEGORY_CODES,
                  "victim_types": VICTIM_TYPE_CODES}
    for name in FIELDS:
        pairs = [(set(r["labels"].get(name) or []), set(getattr(got, name)))
                 for r, got in zip(records, results, strict=True)]
        report.fields[name] = score_field(pairs, label_sets[name])
    hits = sum(r["labels"].get("primary_country") == got.primary_country
               for r, got in zip(records, results, strict=True))
    report.primary_country_accuracy = round(hits / len(records), 4) if records else 0.0
    report.languages = _by_language(records, results, label_sets)
    errors = [describe_error(r, got) for r, got in zip(records, results, strict=True)]
    report.worst_errors = sorted((e for e in errors if e["weight"]),
                                 key=lambda e: -e["weight"])[:worst]
    return report


def _by_language(records: list[dict], results: list[Extraction], label_sets: dict) -> dict:
    """Micro P/R/F1 of each field and primary-country accuracy, per language."""
    out: dict[str, dict] = {}
    for lang in sorted({got.language for got in results}):
        pairs = [(r, got) for r, got in zip(records, results, strict=True) if got.language == lang]
        row: dict = {"records": len(pairs)}
        for name in FIELDS:
            row[name] = score_field([(set(r["labels"].get(name) or []), set(getattr(got, name)))
                                     for r, got in pairs], label_sets[name])["micro"]
        hits = sum(r["labels"].get("primary_country") == got.primary_country for r, got in pairs)
        row["primary_country_accuracy"] = round(hits / len(pairs), 4)
        out[lang] = row
    return out
