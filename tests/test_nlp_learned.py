"""The trained layer: a training round trip, grouped folds, calibrated confidences."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nlp.extractor import AlertText, Extractor
from nlp.learned.corpus import corpus_files, grouped_folds, load_records
from nlp.learned.model import MODEL_PATH, default_model, read_model, save_model
from nlp.learned.train import TrainSettings, featurise, train

SLICE = 90


@pytest.fixture(scope="module")
def corpus_slice(tmp_path_factory) -> Path:
    """The first records of each corpus file, as one small labelled file."""
    records = []
    for path in corpus_files()[:4]:
        records += load_records([path])[:SLICE // 4]
    path = tmp_path_factory.mktemp("corpus") / "slice.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records),
                    encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def trained(corpus_slice: Path):
    return train([corpus_slice], TrainSettings(folds=2, min_df=2))


def test_training_round_trip_gives_the_same_predictions(trained, corpus_slice, tmp_path):
    saved = save_model(trained.model, tmp_path / "model.json.gz")
    loaded = read_model(saved)
    examples = featurise(load_records([corpus_slice])[:20])
    for example in examples:
        before, after = trained.model.decide(example.features), loaded.decide(example.features)
        assert set(after) == set(before)  # the file keeps weights to 3 decimals
        assert all(abs(after[label] - before[label]) < 0.02 for label in after)
    again = read_model(save_model(loaded, tmp_path / "again.json.gz"))
    for example in examples:
        assert again.decide(example.features) == loaded.decide(example.features)
    assert loaded.meta["corpus"]["records"] == len(load_records([corpus_slice]))


def test_training_is_deterministic(trained, corpus_slice, tmp_path):
    again = train([corpus_slice], TrainSettings(folds=2, min_df=2))
    first = save_model(trained.model, tmp_path / "a.json.gz").read_bytes()
    second = save_model(again.model, tmp_path / "b.json.gz").read_bytes()
    assert first == second


def test_held_out_probabilities_are_calibrated_probabilities(trained):
    assert trained.probabilities.shape[0] == len(trained.examples)
    assert (trained.probabilities >= 0).all() and (trained.probabilities <= 1).all()
    assert all(0.2 <= t <= 0.8 for t in trained.thresholds)


def test_folds_keep_a_story_on_one_side():
    records = [{"id": "a", "url": "https://x.org/1", "story": "s1"},
               {"id": "b", "url": "https://y.org/2", "story": "s1"},
               {"id": "c", "url": "https://x.org/1#2", "story": "s2"},
               {"id": "d", "url": "https://z.org/3", "story": "s3"},
               {"id": "e", "url": "https://w.org/4", "story": "s4", "case_key": "s3"}]
    folds = grouped_folds(records, 3)
    assert folds[0] == folds[1] == folds[2]  # a story, and the same page retold
    assert folds[3] == folds[4]  # a case key joins its story


@pytest.mark.skipif(not MODEL_PATH.exists(), reason="no trained model committed")
def test_the_committed_model_labels_with_calibrated_confidence():
    extractor = Extractor()
    assert extractor.model is default_model()
    got = extractor.extract_one(AlertText(
        "t", "Journalist shot dead in Honduras",
        "Gunmen shot dead the radio journalist Carlos Mejía outside his home in San Pedro "
        "Sula on Tuesday, colleagues said.", "en"))
    assert "killing" in got.categories and "journalist" in got.victim_types
    assert 0.5 <= got.label_confidence["categories:killing"] <= 1.0
    assert any(e.label == "killing" for e in got.evidence)
