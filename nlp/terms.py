"""Term lists kept as data (``nlp/data/*.yaml``) and the alternation syntax they use."""

from __future__ import annotations

import itertools
import re
from functools import cache
from pathlib import Path
from typing import Any

import yaml

DATA_DIR = Path(__file__).parent / "data"
_GROUP = re.compile(r"\(([^()]*)\)")


def expand(pattern: str) -> list[str]:
    """Expand alternation groups: ``"arrest(|s|ed)"`` -> arrest, arrests, arrested."""
    pieces = _GROUP.split(pattern)
    choices = [
        piece.split("|") if index % 2 else [piece] for index, piece in enumerate(pieces)
    ]
    return ["".join(combo).strip() for combo in itertools.product(*choices)]


def expand_all(patterns: list[str]) -> list[str]:
    """Expand every pattern of a list, keeping order and dropping duplicates."""
    seen: dict[str, None] = {}
    for pattern in patterns:
        for form in expand(str(pattern)):
            if form:
                seen.setdefault(form, None)
    return list(seen)


@cache
def load_yaml(name: str) -> dict[str, Any]:
    """Read one data file from ``nlp/data`` (cached per process)."""
    with (DATA_DIR / name).open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def language_terms(lang: str) -> dict[str, Any]:
    """The trigger vocabulary of one language (categories, victim types, pairs, cues)."""
    return load_yaml(f"terms_{lang}.yaml")


def cue_set(lang: str, name: str) -> frozenset[str]:
    """A set of lower-cased single-token cues (negation, hedge, call...); alternation
    groups expand as in the term lists."""
    return _cue_set(lang, name)


@cache
def _cue_set(lang: str, name: str) -> frozenset[str]:
    cues = language_terms(lang)["cues"].get(name) or []
    return frozenset(form.lower() for form in expand_all([str(cue) for cue in cues]))
