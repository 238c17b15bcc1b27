"""Train the label model on the corpus: grouped cross-validation, calibration, final fit.

1. Every record is parsed and passed through the rules; its candidates and words become
   features (``nlp.learned.features``).
2. K folds grouped by story: for each, one logistic regression per label is fitted on the
   other folds and scores the held-out one. The held-out scores give the cross-validated
   figures, the Platt calibration of each label and its decision threshold.
3. The final model is fitted on the whole corpus and carries that calibration.

Everything is deterministic: the same corpus gives the same model file, byte for byte.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from models.taxonomy import CATEGORY_CODES, VICTIM_TYPE_CODES
from nlp.countries import choose_countries
from nlp.extractor import AlertText, parse_chunk, rule_labels
from nlp.learned.candidates import rule_candidates
from nlp.learned.corpus import corpus_files, fingerprint, grouped_folds, load_records
from nlp.learned.features import AlertFeatures, alert_features
from nlp.learned.linear import SparseRows, fit_logistic, platt, sigmoid
from nlp.learned.model import LabelModel
from nlp.persons import find_persons

Step = Callable[[int], None] | None

LABELS: tuple[str, ...] = (*(f"categories:{c}" for c in CATEGORY_CODES),
                           *(f"victim_types:{v}" for v in VICTIM_TYPE_CODES))
THRESHOLDS = tuple(round(t, 2) for t in np.arange(0.2, 0.81, 0.05))
MIN_POSITIVES_FOR_THRESHOLD = 8


@dataclass(frozen=True)
class TrainSettings:
    """The knobs of training; the defaults are the ones the model card reports."""

    folds: int = 5
    l2: float = 3e-3
    min_df: int = 3


@dataclass
class Example:
    """One corpus record as the model sees it."""

    id: str
    language: str
    features: AlertFeatures
    gold: frozenset[str]
    rules: frozenset[str]
    gold_primary: str | None
    rules_primary: str | None


def featurise(records: list[dict], chunk: int = 256) -> list[Example]:
    """Parse every record, run the rules and build its features."""
    out: list[Example] = []
    alerts = [AlertText(str(r["id"]), r.get("title") or "", r.get("text") or "",
                        r.get("language"), r.get("published")) for r in records]
    for start in range(0, len(alerts), chunk):
        parsed = parse_chunk(alerts[start:start + chunk])
        for record, (alert, language, docs) in zip(records[start:start + chunk], parsed,
                                                    strict=True):
            rules = rule_labels(docs, language)
            hits = rules.categories + rules.victims
            candidates = rule_candidates(docs, hits, language)
            persons = [p.as_dict() for p in find_persons(docs, language)]
            features = alert_features(docs, language, candidates, {h.code for h in hits},
                                      alert.published, persons)
            labels = record["labels"]
            gold = {f"categories:{c}" for c in labels["categories"]} | {
                f"victim_types:{v}" for v in labels["victim_types"]}
            out.append(Example(alert.id, language, features, frozenset(gold),
                               frozenset(f"{h.field}:{h.code}" for h in hits),
                               labels.get("primary_country"),
                               choose_countries(rules.places)[1]))
    return out


def _vocabulary(examples: list[Example], min_df: int) -> tuple[dict[str, int], dict[str, int]]:
    words = Counter(w for e in examples for w in set(e.features.words))
    cues = Counter(c for e in examples for bag in e.features.cues.values() for c in set(bag))
    keep = lambda counts: {f: i for i, f in enumerate(sorted(  # noqa: E731
        f for f, n in counts.items() if n >= min_df))}
    return keep(words), keep(cues)


def _rows(examples: list[Example], code: str, words: dict[str, int],
          cues: dict[str, int]) -> SparseRows:
    offset = len(words)
    rows = [[words[w] for w in e.features.words if w in words]
            + [offset + cues[c] for c in e.features.cues.get(code, ()) if c in cues]
            for e in examples]
    return SparseRows.from_lists(rows, len(words) + len(cues))


def fit(examples: list[Example], settings: TrainSettings, step: Step = None) -> LabelModel:
    """One logistic regression per label on these examples (no calibration yet)."""
    words, cues = _vocabulary(examples, settings.min_df)
    word_weights = np.zeros((len(LABELS), len(words)), dtype=np.float32)
    cue_weights = np.zeros((len(LABELS), len(cues)), dtype=np.float32)
    bias = np.zeros(len(LABELS))
    for row, label in enumerate(LABELS):
        code = label.split(":", 1)[1]
        y = np.array([label in e.gold for e in examples], dtype=np.float64)
        params = fit_logistic(_rows(examples, code, words, cues), y, settings.l2)
        word_weights[row] = params[:len(words)]
        cue_weights[row] = params[len(words):-1]
        bias[row] = params[-1]
        if step:
            step(1)
    n = len(LABELS)
    return LabelModel(list(LABELS), words, cues, word_weights, cue_weights, bias,
                      np.tile([1.0, 0.0], (n, 1)), np.full(n, 0.5), {})


def cross_validated_logits(examples: list[Example], folds: list[int],
                           settings: TrainSettings, step: Step = None) -> np.ndarray:
    """Held-out raw scores (examples x labels), each from the model of the other folds."""
    logits = np.zeros((len(examples), len(LABELS)))
    for fold in range(settings.folds):
        train = [e for e, f in zip(examples, folds, strict=True) if f != fold]
        model = fit(train, settings, step)
        for i, (example, f) in enumerate(zip(examples, folds, strict=True)):
            if f == fold:
                logits[i] = model.logits(example.features)
    return logits


def calibrate(logits: np.ndarray, examples: list[Example]) -> tuple[np.ndarray, np.ndarray]:
    """Per label, Platt (a, b) on the held-out scores and the threshold that maximises the
    held-out F1 (0.5 for labels with few positives)."""
    calibration = np.zeros((len(LABELS), 2))
    thresholds = np.full(len(LABELS), 0.5)
    for row, label in enumerate(LABELS):
        y = np.array([label in e.gold for e in examples], dtype=np.float64)
        if y.sum() == 0 or y.sum() == len(y):
            calibration[row] = (1.0, 0.0)
            continue
        calibration[row] = platt(logits[:, row], y)
        probs = sigmoid(calibration[row, 0] * logits[:, row] + calibration[row, 1])
        if y.sum() >= MIN_POSITIVES_FOR_THRESHOLD:
            thresholds[row] = max(THRESHOLDS, key=lambda t: (_f1(probs >= t, y), -abs(t - 0.5)))
    return calibration, thresholds


def _f1(predicted: np.ndarray, y: np.ndarray) -> float:
    tp = float((predicted & (y > 0)).sum())
    fp, fn = float((predicted & (y == 0)).sum()), float((~predicted & (y > 0)).sum())
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


@dataclass
class TrainResult:
    """The final model and the held-out predictions the model card reports."""

    model: LabelModel
    examples: list[Example]
    folds: list[int]
    probabilities: np.ndarray  # held-out, calibrated
    thresholds: np.ndarray


def fits_to_run(settings: TrainSettings) -> int:
    """How many label fits a training run makes (for a progress bar)."""
    return (settings.folds + 1) * len(LABELS)


def train(paths: list[Path] | None = None, settings: TrainSettings = TrainSettings(),
          step: Step = None) -> TrainResult:
    """Cross-validate, calibrate and fit the final model on the corpus files; ``step`` is
    called after each label fit."""
    paths = paths if paths is not None else corpus_files()
    records = load_records(paths)
    examples = featurise(records)
    folds = grouped_folds(records, settings.folds)
    logits = cross_validated_logits(examples, folds, settings, step)
    calibration, thresholds = calibrate(logits, examples)
    model = fit(examples, settings, step)
    model.calibration, model.thresholds = calibration, thresholds
    model.meta = {"corpus": fingerprint(paths), "settings": asdict(settings),
                  "labels": len(LABELS), "words": len(model.word_index),
                  "cues": len(model.cue_index)}
    probs = sigmoid(calibration[:, 0] * logits + calibration[:, 1])
    return TrainResult(model, examples, folds, probs, thresholds)


def held_out_labels(result: TrainResult) -> list[set[str]]:
    """The labels each example gets from the model of the folds it was held out of."""
    return [{label for label, p, t in zip(LABELS, row, result.thresholds, strict=True)
             if p >= t} for row in result.probabilities]
