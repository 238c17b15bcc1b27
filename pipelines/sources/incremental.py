"""Keeping sources up to date between backfills: stored cursors and months touched.

Plain Python used by the Dagster sensors and schedules in ``pipelines.sensors``.
Cursors live in a small JSON file under the data directory
(``<data>/state/cursors.json``), keyed by source and location, because Dagster
schedules have no cursor of their own.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Protocol

from models.records import RawRecord


class IncrementalSource(Protocol):
    def fetch_modified_since(self, cursor: str | None) -> tuple[list[RawRecord], str | None]: ...


class CursorStore:
    """Named cursors in one JSON file, replaced atomically on every write."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def get(self, key: str) -> str | None:
        return self._read().get(key)

    def set(self, key: str, value: str | None) -> None:
        values = self._read()
        values[key] = value
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_suffix(".tmp")
        temporary.write_text(json.dumps(values, indent=1, sort_keys=True), encoding="utf-8")
        os.replace(temporary, self.path)

    def _read(self) -> dict[str, str | None]:
        if not self.path.exists():
            return {}
        return json.loads(self.path.read_text(encoding="utf-8"))


def months_of(records: Iterable[RawRecord]) -> list[str]:
    """The partition months a batch of records touches, in order."""
    return sorted({record.partition_month for record in records})


def months_changed_since(
    source: IncrementalSource, cursor: str | None
) -> tuple[list[str], str | None]:
    """Months with records changed after ``cursor``, and the cursor to store next."""
    records, new_cursor = source.fetch_modified_since(cursor)
    return months_of(records), new_cursor
