"""The labelled real-alert corpus (``nlp/corpus/records``) as training data.

Records also come from the real case set (``warehouse/cases_gold/records``): the same
label format, a case key for a story. Folds are grouped by story: every record of one
incident (its story or case key, or the same page retold twice) is on one side.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CORPUS_DIRS = (REPO / "nlp" / "corpus" / "records", REPO / "warehouse" / "cases_gold" / "records")


def corpus_files(dirs: tuple[Path, ...] = CORPUS_DIRS) -> list[Path]:
    return sorted(path for folder in dirs if folder.exists() for path in folder.glob("*.jsonl"))


def load_records(paths: list[Path]) -> list[dict]:
    """Every labelled record of the files, in file and line order."""
    records = []
    for path in paths:
        with path.open(encoding="utf-8") as handle:
            records += [json.loads(line) for line in handle if line.strip()]
    return records


def fingerprint(paths: list[Path]) -> dict:
    """What a model or a report was made from: files, record count and a SHA-256."""
    digest = hashlib.sha256()
    count = 0
    for path in paths:
        data = path.read_bytes()
        digest.update(path.name.encode() + b"\0" + data)
        count += sum(1 for line in data.splitlines() if line.strip())
    return {"files": [str(p.relative_to(REPO)) if p.is_relative_to(REPO) else str(p)
                      for p in paths],
            "records": count, "sha256": digest.hexdigest()}


def _page(url: str) -> str:
    return re.sub(r"#.*$", "", re.sub(r"^https?://(www\.)?", "", url.lower())).rstrip("/")


def story_groups(records: list[dict]) -> list[int]:
    """A group number per record: records sharing a story, a case key or a page are one."""
    parent = list(range(len(records)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[str, int] = {}
    for i, record in enumerate(records):
        keys = [f"page:{_page(record.get('url', ''))}"]
        keys += [f"story:{record[k]}" for k in ("story", "case_key") if record.get(k)]
        for key in keys:
            if key in owner:
                parent[find(i)] = find(owner[key])
            else:
                owner[key] = i
    roots = [find(i) for i in range(len(records))]
    numbers: dict[int, int] = {}
    return [numbers.setdefault(root, len(numbers)) for root in roots]


def grouped_folds(records: list[dict], k: int) -> list[int]:
    """A fold number (0..k-1) per record; a story's records share a fold. Groups are dealt,
    largest first (ties by a hash of their first record's id), to the smallest fold."""
    groups = story_groups(records)
    members: dict[int, list[int]] = {}
    for i, group in enumerate(groups):
        members.setdefault(group, []).append(i)
    order = sorted(members.values(), key=lambda m: (
        -len(m), hashlib.sha1(str(records[m[0]].get("id")).encode()).hexdigest()))
    sizes = [0] * k
    folds = [0] * len(records)
    for group in order:
        target = min(range(k), key=lambda f: (sizes[f], f))
        sizes[target] += len(group)
        for i in group:
            folds[i] = target
    return folds
