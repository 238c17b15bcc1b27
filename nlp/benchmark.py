"""Extraction speed in words/s against a blank English tokenizer on the same texts."""

from __future__ import annotations

import time

import spacy

from nlp.extractor import AlertText, Extractor


def _rate(words: int, seconds: float) -> float:
    return round(words / seconds, 1) if seconds > 0 else 0.0


def _timed(run) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def measure_speed(texts: list[str], n_process: int = 2, batch_size: int = 64,
                  repeats: int = 3) -> dict:
    """Words/s of a blank ``en`` tokenizer, the extractor (one process) and with
    ``n_process`` processes; the texts are given as English alert bodies. The one-process
    figures are the best of ``repeats`` alternating runs (fresh pipelines' caches are
    warmed first), so a busy machine moves both alike."""
    words = sum(len(text.split()) for text in texts)
    alerts = [AlertText(str(i), "", text, "en") for i, text in enumerate(texts)]
    tokenizer = spacy.blank("en").tokenizer
    one = Extractor(batch_size=batch_size)
    list(tokenizer.pipe(texts[:200]))  # warm both vocabularies before timing
    list(one.extract(alerts[:200]))
    blank_s = one_s = float("inf")
    for _ in range(repeats):
        blank_s = min(blank_s, _timed(lambda: list(tokenizer.pipe(texts, batch_size=batch_size))))
        one_s = min(one_s, _timed(lambda: list(one.extract(alerts))))
    many = Extractor(batch_size=batch_size, n_process=n_process)
    many_s = _timed(lambda: list(many.extract(alerts)))
    blank = _rate(words, blank_s)
    return {
        "texts": len(texts),
        "words": words,
        "blank_tokenizer_words_per_s": blank,
        "extractor_words_per_s": _rate(words, one_s),
        f"extractor_n_process_{n_process}_words_per_s": _rate(words, many_s),
        "ratio_to_blank": round(_rate(words, one_s) / blank, 3) if blank else 0.0,
    }
