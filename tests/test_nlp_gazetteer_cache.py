"""The committed gazetteer cache matches what the data packages build."""

from __future__ import annotations

from pathlib import Path

from nlp.gazetteer import build_gazetteer, gazetteer
from nlp.gazetteer_cache import CACHE_PATH, fingerprint, read_cache, write_cache


def test_committed_cache_is_up_to_date() -> None:
    assert read_cache() is not None, "run `ifex-alerts gazetteer-cache` and commit the file"


def test_cache_round_trip_equals_the_built_tables(tmp_path: Path) -> None:
    path = write_cache(tmp_path / "cache.json.gz")
    rows = read_cache(path)
    assert rows is not None
    for lang in ("en", "ru"):
        built = build_gazetteer(lang)
        assert {name: (code, kind, exact) for name, code, kind, exact in rows[lang]} == {
            name: (p.code, p.kind, p.exact) for name, p in built.items()}
        assert gazetteer(lang) == built


def test_stale_cache_is_ignored(tmp_path: Path) -> None:
    path = tmp_path / "stale.json.gz"
    path.write_bytes(CACHE_PATH.read_bytes())
    assert fingerprint()
    import gzip
    import json
    payload = json.loads(gzip.decompress(path.read_bytes()))
    payload["fingerprint"] = "old"
    path.write_bytes(gzip.compress(json.dumps(payload).encode()))
    assert read_cache(path) is None
