"""Release names: ``<YYYY-MM-DD>`` for a day's first release, then ``<YYYY-MM-DD>.2``, ``.3``…

Every publish that changes anything is a new directory beside the earlier ones, which are
never rewritten, so a release name cited once always means the same files.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

RELEASE_NAME = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:\.([1-9]\d*))?$")


def release_key(name: str) -> tuple[str, int] | None:
    """Sort key of a release name (day, number on that day), None if not a release name."""
    found = RELEASE_NAME.match(name)
    return (found[1], int(found[2] or 1)) if found else None


def releases(exports_dir: Path) -> list[Path]:
    """The release directories with an alerts.parquet, oldest first."""
    root = Path(exports_dir)
    found = [p for p in root.iterdir() if release_key(p.name) and p.is_dir()
             and not p.is_symlink() and (p / "alerts.parquet").exists()] if root.exists() else []
    return sorted(found, key=lambda p: release_key(p.name))


def next_release_name(exports_dir: Path, day: date) -> str:
    """The first unused name of the day: ``2024-03-01``, then ``2024-03-01.2``, …"""
    taken = {key[1] for p in Path(exports_dir).iterdir()
             if (key := release_key(p.name)) and key[0] == day.isoformat()} \
        if Path(exports_dir).exists() else set()
    number = max(taken, default=0) + 1
    return day.isoformat() if number == 1 else f"{day.isoformat()}.{number}"


def previous_release(exports_dir: Path, name: str) -> Path | None:
    """The newest release before ``name`` (by day, then number), if any."""
    key = release_key(name)
    earlier = [p for p in releases(exports_dir) if release_key(p.name) < key]
    return earlier[-1] if earlier else None


def latest_release(exports_dir: Path) -> Path | None:
    found = releases(exports_dir)
    return found[-1] if found else None
