"""The trained label model: one calibrated logistic regression per label.

Stored as one gzipped JSON file (``nlp/data/label_model.json.gz``, written by
``ifex-alerts train``): the word and cue vocabularies, each label's weights (pruned of the
near-zero ones), bias, Platt calibration and decision threshold, and where it came from
(the corpus fingerprint, the settings).
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from nlp.learned.features import AlertFeatures
from nlp.learned.linear import sigmoid

MODEL_PATH = Path(__file__).resolve().parents[1] / "data" / "label_model.json.gz"
PRUNE_BELOW = 2e-3  # weights this small change no decision (checked on dev); dropped


@dataclass
class LabelModel:
    """Weights for every label over the word and cue vocabularies."""

    labels: list[str]  # "categories:killing", "victim_types:journalist", ...
    word_index: dict[str, int]
    cue_index: dict[str, int]
    word_weights: np.ndarray  # (labels, words)
    cue_weights: np.ndarray  # (labels, cues)
    bias: np.ndarray
    calibration: np.ndarray  # (labels, 2): Platt a, b
    thresholds: np.ndarray
    meta: dict

    def logits(self, features: AlertFeatures) -> np.ndarray:
        """Each label's raw score for one alert."""
        if features.word_ids is not None:
            present = features.word_ids
        else:
            index = self.word_index
            present = [index[w] for w in features.words if w in index]
        scores = self.bias + self._word_rows[present].sum(axis=0)
        rows, cols = [], []
        for code, cues in features.cues.items():
            row = self._row_of.get(code)
            if row is None:
                continue
            for cue in cues:
                col = self.cue_index.get(cue)
                if col is not None:
                    rows.append(row)
                    cols.append(col)
        if rows:
            scores += np.bincount(rows, weights=self.cue_weights[rows, cols],
                                  minlength=len(self.labels))
        return scores

    def __post_init__(self) -> None:
        self._word_rows = np.ascontiguousarray(self.word_weights.T)  # (words, labels)
        self._row_of = {label.split(":", 1)[1]: row for row, label in enumerate(self.labels)}

    def probabilities(self, features: AlertFeatures) -> np.ndarray:
        """Calibrated probability of each label."""
        z = self.logits(features)
        return sigmoid(self.calibration[:, 0] * z + self.calibration[:, 1])

    def decide(self, features: AlertFeatures) -> dict[str, float]:
        """The labels at or above their threshold, with their calibrated probability."""
        probs = self.probabilities(features)
        return {label: round(float(p), 3) for label, p, t in
                zip(self.labels, probs, self.thresholds, strict=True) if p >= t}

    def strongest_word(self, label: str, features: AlertFeatures) -> str | None:
        """The present word feature that adds most to a label (its evidence when no rule
        trigger supports it)."""
        row = self.labels.index(label)
        if features.word_ids is not None:
            ids = features.word_ids
        else:
            ids = [self.word_index[w] for w in features.words if w in self.word_index]
        names = self._names()
        best, best_weight = None, 0.0
        for index in ids:
            word = names[index]
            if word[:2] in ("w:", "b:", "T:"):
                weight = float(self.word_weights[row, index])
                if weight > best_weight:
                    best, best_weight = word, weight
        return best

    def _names(self) -> list[str]:
        if getattr(self, "_word_names", None) is None:
            self._word_names = sorted(self.word_index, key=self.word_index.__getitem__)
        return self._word_names

    def to_payload(self) -> dict:
        words = sorted(self.word_index, key=self.word_index.__getitem__)
        cues = sorted(self.cue_index, key=self.cue_index.__getitem__)
        rows = []
        for row, label in enumerate(self.labels):
            rows.append({
                "label": label,
                "bias": round(float(self.bias[row]), 6),
                "platt": [round(float(v), 6) for v in self.calibration[row]],
                "threshold": round(float(self.thresholds[row]), 4),
                "words": _sparse(self.word_weights[row]),
                "cues": _sparse(self.cue_weights[row]),
            })
        return {"meta": self.meta, "words": words, "cues": cues, "labels": rows}

    @classmethod
    def from_payload(cls, payload: dict) -> LabelModel:
        words, cues, rows = payload["words"], payload["cues"], payload["labels"]
        word_weights = np.zeros((len(rows), len(words)), dtype=np.float32)
        cue_weights = np.zeros((len(rows), len(cues)), dtype=np.float32)
        for row, entry in enumerate(rows):
            for block, matrix in (("words", word_weights), ("cues", cue_weights)):
                indices, values = entry[block]
                matrix[row, indices] = values
        return cls(
            labels=[entry["label"] for entry in rows],
            word_index={w: i for i, w in enumerate(words)},
            cue_index={c: i for i, c in enumerate(cues)},
            word_weights=word_weights, cue_weights=cue_weights,
            bias=np.array([entry["bias"] for entry in rows]),
            calibration=np.array([entry["platt"] for entry in rows]),
            thresholds=np.array([entry["threshold"] for entry in rows]),
            meta=payload["meta"])


def _sparse(weights: np.ndarray) -> list[list]:
    keep = np.flatnonzero(np.abs(weights) >= PRUNE_BELOW)
    return [keep.tolist(), [round(float(v), 3) for v in weights[keep]]]


def save_model(model: LabelModel, path: Path = MODEL_PATH) -> Path:
    """Write the model deterministically (sorted JSON, gzip without a timestamp)."""
    data = json.dumps(model.to_payload(), ensure_ascii=False, sort_keys=True,
                      separators=(",", ":")).encode("utf-8")
    tmp = path.with_suffix(".tmp")
    tmp.write_bytes(gzip.compress(data, compresslevel=9, mtime=0))
    tmp.replace(path)
    return path


def read_model(path: Path) -> LabelModel:
    return LabelModel.from_payload(json.loads(gzip.decompress(path.read_bytes())))


@cache
def default_model() -> LabelModel | None:
    """The committed model, or None where none has been trained yet."""
    return read_model(MODEL_PATH) if MODEL_PATH.exists() else None


class WordIndexer:
    """The model's word-feature indices of a parsed alert, straight from its token forms
    (the same features as ``features.word_features``, without building their strings):
    lookups are cached per form and per pair of forms."""

    MAX_CACHE = 1_000_000

    def __init__(self, model: LabelModel) -> None:
        self.index = model.word_index
        self.unigrams: dict[str, tuple[int, int]] = {}
        self.bigrams: dict[tuple[str, str], int] = {}

    def _unigram(self, form: str) -> tuple[int, int]:
        found = self.unigrams.get(form)
        if found is None:
            if len(self.unigrams) > self.MAX_CACHE:
                self.unigrams.clear()
            found = (self.index.get("w:" + form, -1), self.index.get("T:" + form, -1))
            self.unigrams[form] = found
        return found

    def _bigram(self, first: str, second: str) -> int:
        key = (first, second)
        found = self.bigrams.get(key)
        if found is None:
            if len(self.bigrams) > self.MAX_CACHE:
                self.bigrams.clear()
            found = self.index.get(f"b:{first}_{second}", -1)
            self.bigrams[key] = found
        return found

    def ids(self, views: list[tuple[str, list, list]], lang: str) -> list[int]:
        """Sorted distinct indices for (part, forms, breaks) of each part of an alert."""
        found: set[int] = set()
        for part, forms, breaks in views:
            previous = None
            for form, is_break in zip(forms, breaks, strict=True):
                if form is None:
                    if is_break:
                        previous = None
                    continue
                word, title = self._unigram(form)
                found.add(word)
                if part == "title":
                    found.add(title)
                if previous is not None:
                    found.add(self._bigram(previous, form))
                previous = form
        found.add(self.index.get("lang:" + lang, -1))
        found.discard(-1)
        return sorted(found)
