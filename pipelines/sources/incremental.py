"""Keeping sources up to date between backfills: stored cursors and pending months.

Plain Python used by the Dagster schedules in ``pipelines.sensors``. State lives in
a small JSON file under the data directory (``<data>/state/cursors.json``), keyed
by source and location, because Dagster schedules have no cursor of their own.

Per source the state is the source's change cursor and the *pending* months: a
month seen changed stays pending, with the time it was last seen changed, until an
ingest run of that month created after that time succeeds. A failed or missing run
is requested again at the next tick, so advancing the change cursor loses nothing.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from models.records import RawRecord

SUCCEEDED, RUNNING, NEEDS_RUN = "succeeded", "running", "needs_run"
"""What the runs of a pending month say: done, wait for them, or request one."""

RunOutcome = Callable[[str, datetime], str]
"""(month, changed at) → SUCCEEDED, RUNNING or NEEDS_RUN for runs created since then."""


class IncrementalSource(Protocol):
    """A source that can say what changed since a cursor (``changed_months`` optional)."""

    def fetch_modified_since(self, cursor: str | None) -> tuple[list[RawRecord], str | None]: ...


class CursorStore:
    """Named JSON values in one file, replaced atomically on every write."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def get(self, key: str) -> Any:
        return self._read().get(key)

    def set(self, key: str, value: Any) -> None:
        values = self._read()
        values[key] = value
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_suffix(".tmp")
        temporary.write_text(json.dumps(values, indent=1, sort_keys=True), encoding="utf-8")
        os.replace(temporary, self.path)

    def _read(self) -> dict[str, Any]:
        if not self.path.exists():
            return {}
        return json.loads(self.path.read_text(encoding="utf-8"))


@dataclass
class IncrementalState:
    """A source's change cursor and its pending months (month → ISO time seen changed)."""

    cursor: str | None = None
    pending: dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls, value: Any) -> IncrementalState:
        """From the stored value; a plain string is a cursor stored without pending months."""
        if isinstance(value, dict):
            return cls(value.get("cursor"), dict(value.get("pending") or {}))
        return cls(cursor=value)

    def dump(self) -> dict[str, Any]:
        return {"cursor": self.cursor, "pending": dict(sorted(self.pending.items()))}


@dataclass
class TickPlan:
    """What one tick does with the pending months."""

    request: list[str] = field(default_factory=list)
    waiting: list[str] = field(default_factory=list)
    done: list[str] = field(default_factory=list)
    out_of_range: list[str] = field(default_factory=list)

    def summary(self) -> str:
        parts = [f"{name}: {', '.join(months)}" for name, months in (
            ("runs succeeded", self.done), ("runs in progress", self.waiting),
            ("skipped, not a partition", self.out_of_range)) if months]
        return "; ".join(parts) or "nothing changed"


def plan_tick(state: IncrementalState, changed: Iterable[str], outcome: RunOutcome,
              is_partition: Callable[[str], bool], now: datetime) -> TickPlan:
    """Add the changed months to the pending ones and decide, per pending month, whether
    it is done, waits for its run, or needs a run. Months that are not partitions are
    never pending; they are reported in ``out_of_range``."""
    plan = TickPlan()
    for month in sorted(set(changed)):
        if is_partition(month):
            state.pending[month] = now.isoformat()
        else:
            plan.out_of_range.append(month)
    for month, since in sorted(state.pending.items()):
        verdict = outcome(month, datetime.fromisoformat(since))
        if verdict == SUCCEEDED:
            plan.done.append(month)
        elif verdict == RUNNING:
            plan.waiting.append(month)
        else:
            plan.request.append(month)
    for month in plan.done:
        del state.pending[month]
    return plan


def months_of(records: Iterable[RawRecord]) -> list[str]:
    """The partition months a batch of records touches, in order."""
    return sorted({record.partition_month for record in records})


def months_changed_since(
    source: IncrementalSource, cursor: str | None
) -> tuple[list[str], str | None]:
    """Months with records changed after ``cursor``, and the cursor to store next; through
    the source's light ``changed_months`` scan when it has one."""
    if hasattr(source, "changed_months"):
        return source.changed_months(cursor)
    records, new_cursor = source.fetch_modified_since(cursor)
    return months_of(records), new_cursor
