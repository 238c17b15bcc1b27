"""Input stamps: skip a rebuild whose inputs and code have not changed.

A build writes ``<output>.inputs`` (JSON: the fingerprint of what it read, and the row
counts it returned) after its output is in place. The next build with the same
fingerprint keeps the output as it is: the builds are deterministic, so rebuilding would
write the same rows. The stamp is removed before an output is replaced, so a crash in
between leaves no stamp and the next build runs.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from pathlib import Path

import duckdb

REPO = Path(__file__).resolve().parents[1]
CODE_GLOBS = ("warehouse/*.py", "warehouse/cases/*.py", "warehouse/sql/*.sql", "models/*.py")
"""The code a warehouse build or a publish depends on (a change forces a rebuild);
datasette/metadata.yml is not among it: metadata.json is rewritten on every publish."""
SUFFIX = ".inputs"


def files_digest(paths: Iterable[Path], root: Path) -> str:
    """SHA-256 over the relative paths and contents of files (in path order)."""
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        with open(path, "rb") as handle:
            while chunk := handle.read(1 << 20):
                digest.update(chunk)
        digest.update(b"\0")
    return digest.hexdigest()


def code_fingerprint() -> str:
    """Fingerprint of the build code and the DuckDB version."""
    files = [p for pattern in CODE_GLOBS for p in REPO.glob(pattern)]
    return f"duckdb {duckdb.__version__} code {files_digest(files, REPO)}"


def stamp_path(output: Path) -> Path:
    """Where an output's stamp lives by default: beside it, ``<output>.inputs``."""
    return Path(output).with_name(Path(output).name + SUFFIX)


def unchanged_counts(output: Path, fingerprint: str, stamp: Path | None = None
                     ) -> dict[str, int] | None:
    """The counts recorded for ``output`` if it exists and was built from ``fingerprint``."""
    stamp = stamp or stamp_path(output)
    if not Path(output).exists() or not stamp.exists():
        return None
    try:
        recorded = json.loads(stamp.read_text())
    except ValueError:
        return None
    return recorded["counts"] if recorded.get("inputs") == fingerprint else None


def clear_stamp(output: Path, stamp: Path | None = None) -> None:
    (stamp or stamp_path(output)).unlink(missing_ok=True)


def write_stamp(output: Path, fingerprint: str, counts: dict[str, int],
                stamp: Path | None = None) -> None:
    """Record what ``output`` was built from (atomically)."""
    stamp = stamp or stamp_path(output)
    tmp = stamp.with_name(f".{stamp.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps({"inputs": fingerprint, "counts": counts}, indent=1))
    os.replace(tmp, stamp)


def read_fingerprint(output: Path) -> str | None:
    """The input fingerprint recorded for ``output`` (None without a stamp)."""
    stamp = stamp_path(output)
    try:
        return json.loads(stamp.read_text()).get("inputs") if stamp.exists() else None
    except ValueError:
        return None


def derived_fingerprint(db_path: Path) -> str | None:
    """What an output derived from the warehouse (release, SQLite) reads: the warehouse, by
    its build stamp, and the code; None when the warehouse has no stamp (always rebuild)."""
    built_from = read_fingerprint(db_path)
    return f"{code_fingerprint()} warehouse {built_from}" if built_from else None
