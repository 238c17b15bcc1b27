"""The cross-validated figures of a training run, as the model card reports them.

Every figure comes from held-out predictions: each record is labelled by the model trained
on the folds it was not in. Written beside the model (``nlp/data/label_model_cv.json``) by
``ifex-alerts train``; ``ifex-alerts model-card`` reads it.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import numpy as np

from nlp.evaluate import score_field
from nlp.learned.train import LABELS, Example, TrainResult, held_out_labels

CV_PATH = Path(__file__).resolve().parents[1] / "data" / "label_model_cv.json"
FIELDS = ("categories", "victim_types")
RELIABILITY_BINS = 10


def _field_scores(pairs: list[tuple[set[str], set[str]]], field: str) -> dict:
    prefix = field + ":"
    return score_field([({label[len(prefix):] for label in gold if label.startswith(prefix)},
                         {label[len(prefix):] for label in got if label.startswith(prefix)})
                        for gold, got in pairs], ())


def _scores(examples: list[Example], predicted: list[set[str]]) -> dict:
    """Per field (micro, macro, per label) and primary-country accuracy of some records."""
    pairs = [(set(e.gold), p) for e, p in zip(examples, predicted, strict=True)]
    out = {field: _field_scores(pairs, field) for field in FIELDS}
    hits = sum(e.gold_primary == e.rules_primary for e in examples)
    out["primary_country_accuracy"] = round(hits / len(examples), 4) if examples else 0.0
    out["records"] = len(examples)
    return out


def by_language(examples: list[Example], predicted: list[set[str]]) -> dict:
    """Scores overall ("all") and per language."""
    groups: dict[str, list[int]] = defaultdict(list)
    for i, example in enumerate(examples):
        groups[example.language].append(i)
        groups["all"].append(i)
    return {lang: _scores([examples[i] for i in idx], [predicted[i] for i in idx])
            for lang, idx in sorted(groups.items())}


def reliability(result: TrainResult) -> list[dict]:
    """How often a label holds at each level of its held-out calibrated probability (every
    label of every record that has a rule candidate or a probability above 0.05)."""
    probs, truth = [], []
    for example, row in zip(result.examples, result.probabilities, strict=True):
        for label, p in zip(LABELS, row, strict=True):
            if p >= 0.05 or label.split(":", 1)[1] in example.features.cues:
                probs.append(p)
                truth.append(label in example.gold)
    probs_a, truth_a = np.array(probs), np.array(truth, dtype=float)
    bins = []
    for k in range(RELIABILITY_BINS):
        low, high = k / RELIABILITY_BINS, (k + 1) / RELIABILITY_BINS
        mask = (probs_a >= low) & ((probs_a < high) if k < RELIABILITY_BINS - 1 else True)
        if mask.any():
            bins.append({"low": low, "high": high, "count": int(mask.sum()),
                         "mean_predicted": round(float(probs_a[mask].mean()), 4),
                         "observed": round(float(truth_a[mask].mean()), 4)})
    return bins


def cv_report(result: TrainResult) -> dict:
    """Everything the model card shows of a training run."""
    model_labels = held_out_labels(result)
    rule_labels = [set(e.rules) for e in result.examples]
    return {
        "corpus": result.model.meta["corpus"],
        "settings": result.model.meta["settings"],
        "folds": "grouped by story (records of one incident, or one page, share a fold)",
        "model": by_language(result.examples, model_labels),
        "rules_only": by_language(result.examples, rule_labels),
        "reliability": reliability(result),
        "thresholds": {label: round(float(t), 2)
                       for label, t in zip(LABELS, result.thresholds, strict=True)},
    }


def write_cv_report(report: dict, path: Path = CV_PATH) -> Path:
    path.write_text(json.dumps(report, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return path


def read_cv_report(path: Path = CV_PATH) -> dict | None:
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None
