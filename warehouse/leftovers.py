"""Temporary files a killed process left behind, removed once their process is gone.

Every writer here names its temporary files after its process id: ``.<name>.<pid>.tmp``
(a lake partition ``.part.parquet.<pid>.tmp``, the Datasette database
``.alerts.db.<pid>.tmp``, a release directory, the warehouse and its ``.wal``) and DuckDB's
spill directories ``.duckdb-spill.<pid>/``. A crash (``kill -9``, the OOM killer) leaves
them; ``remove_leftovers`` deletes those whose process no longer exists, never one of a
live process. Process ids are those of this host's (container's) processes: the runs that
write the data directory must run where the next run starts (in production the ``code``
container; a CLI command there is ``docker compose exec code ifex-alerts …``, not a
container of its own, which could not see the runs' processes).
"""

from __future__ import annotations

import logging
import os
import re
import shutil
from collections.abc import Iterable
from pathlib import Path

log = logging.getLogger(__name__)

LEFTOVER = re.compile(r"^\.(?:.+\.(?P<pid>\d+)\.tmp(?:\.wal)?|duckdb-spill\.(?P<spill>\d+))$")
SKIPPED_DIRS = frozenset({"dagster"})
"""Directories not searched: the Dagster instance's own storage."""


def process_alive(pid: int) -> bool:
    """Whether a process with this id exists on this host (one we may not signal counts)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def leftover_pid(name: str) -> int | None:
    """The process id in a temporary file's or spill directory's name (None: not one)."""
    match = LEFTOVER.match(name)
    return None if match is None else int(match["pid"] or match["spill"])


def find_leftovers(roots: Iterable[Path]) -> list[Path]:
    """Temporary files and spill directories under ``roots`` whose process is gone."""
    found = []
    for root in roots:
        for folder, dirs, files in os.walk(root):
            here = Path(folder)
            for name in [*files, *dirs]:
                pid = leftover_pid(name)
                if pid is not None and not process_alive(pid):
                    found.append(here / name)
            dirs[:] = [d for d in dirs if d not in SKIPPED_DIRS and leftover_pid(d) is None]
    return sorted(found)


def remove_leftovers(roots: Iterable[Path]) -> list[Path]:
    """Delete what ``find_leftovers`` finds; returns what was removed."""
    removed = []
    for path in find_leftovers(roots):
        try:
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            else:
                path.unlink()
        except FileNotFoundError:
            continue
        removed.append(path)
    if removed:
        log.warning("removed %d temporary file(s) of processes that are gone: %s",
                    len(removed), ", ".join(str(p) for p in removed))
    return removed
