#!/usr/bin/env python3
"""The second reading of the corpus: blind relabelling, agreement, adjudication.

    python3 nlp/corpus/review.py show FILE START COUNT
        prints records START..START+COUNT-1 (0-based) of a records file: id, language,
        date, title, text — never the labels (the second reader labels blind)
    python3 nlp/corpus/review.py put REVIEW_FILE < labels.jsonl
        appends {"id", "labels": {countries, primary_country, categories, victim_types}}
        lines (validated) to a review file
    python3 nlp/corpus/review.py agreement RECORDS_FILE REVIEW_FILE [...pairs]
        micro-F1 between the two readings, per field and per language
    python3 nlp/corpus/review.py disagreements RECORDS_FILE REVIEW_FILE
        each record where the readings differ, with both label sets (for adjudication)
    python3 nlp/corpus/review.py settle RECORDS_FILE < decisions.jsonl
        applies {"id", "labels": {...}, "note": "..."} decisions to the records file
        (atomically), keeping the first reading under "first_labels"

Standard library only.
"""

from __future__ import annotations

import collections
import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from check import CATEGORIES, VICTIM_TYPES

FIELDS = ("countries", "categories", "victim_types")


def _read(path: str) -> list[dict]:
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def show(path: str, start: int, count: int) -> None:
    for record in _read(path)[start:start + count]:
        sys.stdout.write(json.dumps({k: record.get(k) for k in (
            "id", "language", "published", "title", "text")}, ensure_ascii=False) + "\n\n")


def _valid(labels: dict) -> list[str]:
    problems = [f"missing {k}" for k in (*FIELDS, "primary_country") if k not in labels]
    if problems:
        return problems
    problems += [f"category {c}" for c in labels["categories"] if c not in CATEGORIES]
    problems += [f"victim type {v}" for v in labels["victim_types"] if v not in VICTIM_TYPES]
    if labels["primary_country"] is not None and labels["primary_country"] not in labels[
            "countries"]:
        problems.append("primary_country not among countries")
    return problems


def put(path: str) -> int:
    bad = 0
    with open(path, "a", encoding="utf-8") as out:
        for line in sys.stdin:
            if not line.strip():
                continue
            entry = json.loads(line)
            problems = _valid(entry.get("labels", {}))
            if problems or "id" not in entry:
                sys.stdout.write(f"{entry.get('id')}: {'; '.join(problems) or 'no id'}\n")
                bad += 1
                continue
            out.write(json.dumps({"id": entry["id"], "labels": entry["labels"]},
                                 ensure_ascii=False) + "\n")
    return 1 if bad else 0


def _pairs(records_path: str, review_path: str) -> list[tuple[dict, dict]]:
    second = {r["id"]: r["labels"] for r in _read(review_path)}
    return [(r, second[r["id"]]) for r in _read(records_path) if r["id"] in second]


def agreement(paths: list[str]) -> None:
    counts: dict[tuple[str, str], list[int]] = collections.defaultdict(lambda: [0, 0, 0])
    primary: dict[str, list[int]] = collections.defaultdict(lambda: [0, 0])
    for records_path, review_path in zip(paths[::2], paths[1::2], strict=True):
        for record, second in _pairs(records_path, review_path):
            first = record["labels"]
            for lang in (record["language"], "all"):
                primary[lang][0] += first["primary_country"] == second["primary_country"]
                primary[lang][1] += 1
                for field in FIELDS:
                    a, b = set(first[field]), set(second[field])
                    tally = counts[(lang, field)]
                    tally[0] += len(a & b)
                    tally[1] += len(b - a)
                    tally[2] += len(a - b)
    for (lang, field), (tp, fp, fn) in sorted(counts.items()):
        f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
        sys.stdout.write(f"{lang}\t{field}\tF1 {f1:.3f}\t(records {primary[lang][1]})\n")
    for lang, (same, n) in sorted(primary.items()):
        sys.stdout.write(f"{lang}\tprimary_country\tagreement {same / n:.3f}\n")


def disagreements(records_path: str, review_path: str) -> None:
    for record, second in _pairs(records_path, review_path):
        first = record["labels"]
        if any(set(first[f]) != set(second[f]) for f in FIELDS) or (
                first["primary_country"] != second["primary_country"]):
            sys.stdout.write(json.dumps({
                "id": record["id"], "language": record["language"], "title": record["title"],
                "text": record["text"], "first": first, "second": second,
                "first_notes": record.get("notes", "")}, ensure_ascii=False) + "\n\n")


def settle(records_path: str) -> int:
    decisions = {}
    for line in sys.stdin:
        if line.strip():
            entry = json.loads(line)
            problems = _valid(entry.get("labels", {}))
            if problems:
                sys.stdout.write(f"{entry.get('id')}: {'; '.join(problems)}\n")
                return 1
            decisions[entry["id"]] = entry
    records = _read(records_path)
    for record in records:
        decision = decisions.pop(record["id"], None)
        if decision is None:
            continue
        if decision["labels"] != record["labels"]:
            record.setdefault("first_labels", record["labels"])
            record["labels"] = decision["labels"]
        if decision.get("note"):
            record["review_note"] = decision["note"]
    if decisions:
        sys.stdout.write(f"unknown ids: {', '.join(sorted(decisions))}\n")
        return 1
    tmp = f"{records_path}.{os.getpid()}.tmp"
    with open(tmp, "w", encoding="utf-8") as out:
        out.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    os.replace(tmp, records_path)
    return 0


def main(argv: list[str]) -> int:
    command, *args = argv
    if command == "show":
        show(args[0], int(args[1]), int(args[2]))
    elif command == "put":
        return put(args[0])
    elif command == "agreement":
        agreement(args)
    elif command == "disagreements":
        disagreements(args[0], args[1])
    elif command == "settle":
        return settle(args[0])
    else:
        sys.stdout.write(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
