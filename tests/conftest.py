"""Shared fixtures: an isolated Dagster home and data dir for every test session."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
EVAL_DIR = REPO.parent / "shared" / "eval"


@pytest.fixture(scope="session", autouse=True)
def isolated_dagster_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Tests never write into the developer's data/dagster instance."""
    home = tmp_path_factory.mktemp("dagster_home")
    (home / "dagster.yaml").touch()
    previous = os.environ.get("DAGSTER_HOME")
    os.environ["DAGSTER_HOME"] = str(home)
    yield home
    if previous is None:
        os.environ.pop("DAGSTER_HOME", None)
    else:
        os.environ["DAGSTER_HOME"] = previous


@pytest.fixture(scope="session")
def dev_gold() -> Path:
    """The labelled dev alerts; tests that need them skip cleanly where absent."""
    path = EVAL_DIR / "dev.jsonl"
    if not path.exists():
        pytest.skip("../shared/eval/dev.jsonl is not present")
    return path


@pytest.fixture(scope="session")
def extractor():
    """The rules alone (no trained layer), for the tests of the candidate generators: the
    spaCy pipelines load once per session. The trained extractor is ``trained_extractor``."""
    from nlp.extractor import Extractor

    return Extractor(model=None)


@pytest.fixture(scope="session")
def trained_extractor():
    """The product's extractor: the rules decided by the committed trained model."""
    from nlp.extractor import Extractor

    return Extractor()
