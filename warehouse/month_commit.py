"""A month of the enriched layer committed whole: its alerts and its quarantine together.

Enriching a month writes two partitions (``enriched_alerts`` and ``quarantine``), each
atomically (``lake.write_partition``) but one after the other. ``write_month`` gives both
files one commit id (``month_commit`` in their metadata), the alerts first. A month is whole
when all its partitions carry the same id. A crash before the first file is in place leaves
the previous commit whole; a crash between the two leaves files that disagree (or one file
alone): ``torn_months`` names such months, the warehouse build leaves them out and the next
enrichment rewrites them (its skip test asks ``is_whole``), so no reader sees half a month.
A month none of whose files has an id (written before commit ids, or by hand) is whole.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

import pyarrow as pa

from models.schemas import ENRICHED_ALERTS, QUARANTINE
from warehouse import lake
from warehouse.lake import LakeDir

COMMIT_KEY = "month_commit"
MONTH_TABLES = (ENRICHED_ALERTS, QUARANTINE)
"""The partitions of one month's commit, in the order they are written."""


def write_month(lake_dir: LakeDir, source: str, month: str,
                alerts: Iterable[pa.RecordBatch], quarantine: Iterable[pa.RecordBatch],
                metadata: dict[str, str]) -> dict[str, int]:
    """Write a month's alerts, then its quarantine, under one commit id; rows per table."""
    meta = {**metadata, COMMIT_KEY: uuid.uuid4().hex}
    counts = {}
    for table, batches in zip(MONTH_TABLES, (alerts, quarantine), strict=True):
        _, counts[table.name] = lake.write_partition(lake_dir, table, source, month,
                                                     batches, meta)
    return counts


def _whole(commits: list[str | None]) -> bool:
    """Commit ids of a month's partitions (None: no file; '': a file without an id)."""
    return not any(commits) or (None not in commits and len(set(commits)) == 1)


def is_whole(lake_dir: LakeDir, source: str, month: str) -> bool:
    """Whether the month's partitions belong to one commit (or none has a commit id)."""
    commits = []
    for table in MONTH_TABLES:
        meta = lake.read_metadata(lake_dir, table, source, month)
        commits.append(None if meta is None else meta.get(COMMIT_KEY, ""))
    return _whole(commits)


def torn_months(lake_dir: LakeDir) -> set[tuple[str, str]]:
    """(source, month) of every month whose partitions belong to different commits."""
    metadata = [lake.partition_metadata(lake_dir, table) for table in MONTH_TABLES]
    keys = set().union(*metadata)
    return {key for key in keys
            if not _whole([None if key not in m else m[key].get(COMMIT_KEY, "")
                           for m in metadata])}
