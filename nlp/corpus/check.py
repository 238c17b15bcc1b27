#!/usr/bin/env python3
"""Checks for the real-alert corpus and the real case set (standard library only).

    python3 nlp/corpus/check.py page --url U --title T --text "first sentences of the page"
        OK, or FLAGGED with the reason (held back, in dev.jsonl, already used)
    python3 nlp/corpus/check.py file RECORDS.jsonl [...]
        validates every record: fields, codes, held-back and dev overlap, repeated URLs
    python3 nlp/corpus/check.py stats [RECORDS.jsonl ...]
        counts per language, region, decade, category and victim type

Run `page` on every page before retelling it; run `file` on what you wrote.
"""

from __future__ import annotations

import argparse
import collections
import glob
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EVAL = ROOT.parent / "shared" / "eval"
sys.path.insert(0, str(EVAL))

from heldback import is_heldback, norm_title, norm_url, shingles  # noqa: E402

CATEGORIES = {
    "killing", "physical_attack", "threat_harassment", "arrest_detention", "imprisonment",
    "abduction_disappearance", "legal_action", "censorship", "internet_shutdown",
    "surveillance", "expulsion_entry_denial", "restrictive_law", "impunity", "release",
}
VICTIM_TYPES = {
    "journalist", "media_worker", "media_outlet", "blogger", "writer", "artist",
    "human_rights_defender", "lawyer", "academic", "protester", "politician", "general_public",
}
LANGUAGES = {"en", "fr", "es", "ar", "ru"}
KINDS = {"alert", "news", "digest_item", "listing_teaser", "report", "statement"}
REQUIRED = ("id", "url", "published", "language", "kind", "org", "story",
            "title", "text", "labels", "persons", "annotator")
CORPUS_GLOBS = ("nlp/corpus/records/*.jsonl", "warehouse/cases_gold/records/*.jsonl")


def _dev() -> tuple[set[str], set[str], set[str]]:
    urls, titles, grams = set(), set(), set()
    path = EVAL / "dev.jsonl"
    if path.exists():
        for line in path.open(encoding="utf-8"):
            if line.strip():
                r = json.loads(line)
                urls.add(norm_url(r["url"]))
                titles.add(norm_title(r["title"]))
                grams |= shingles(r["text"])
    return urls, titles, grams


def _used_urls(skip: str | None = None) -> dict[str, str]:
    used: dict[str, str] = {}
    for pattern in CORPUS_GLOBS:
        for name in glob.glob(str(ROOT / pattern)):
            if skip and Path(name).resolve() == Path(skip).resolve():
                continue
            for line in Path(name).read_text(encoding="utf-8").splitlines():
                if line.strip():
                    try:
                        r = json.loads(line)
                    except json.JSONDecodeError:
                        continue
                    used.setdefault(norm_url(r.get("url", "")), f"{name}:{r.get('id')}")
    return used


def page_problems(url: str, title: str, text: str) -> list[str]:
    """Why a page may not be used (empty when it may)."""
    problems = []
    if is_heldback(url, title, text):
        problems.append("held back (heldback.py)")
    urls, titles, grams = _dev()
    if norm_url(url) in urls or (title and norm_title(title) in titles):
        problems.append("in dev.jsonl")
    own = shingles(text)
    if len(own) >= 5 and sum(g in grams for g in own) >= 0.2 * len(own):
        problems.append("shares text with dev.jsonl")
    return problems


def record_problems(r: dict) -> list[str]:
    out = [f"missing {k}" for k in REQUIRED if k not in r]
    if out:
        return out
    if r["language"] not in LANGUAGES:
        out.append(f"language {r['language']!r}")
    if r["kind"] not in KINDS:
        out.append(f"kind {r['kind']!r}")
    if not re.fullmatch(r"(199[5-9]|20[0-2]\d)-\d\d-\d\d", r["published"]):
        out.append(f"published {r['published']!r}")
    labels = r["labels"]
    for key in ("countries", "primary_country", "categories", "victim_types"):
        if key not in labels:
            out.append(f"labels.{key} missing")
    if out:
        return out
    out += [f"category {c!r}" for c in labels["categories"] if c not in CATEGORIES]
    out += [f"victim type {v!r}" for v in labels["victim_types"] if v not in VICTIM_TYPES]
    out += [f"country {c!r}" for c in labels["countries"] if not re.fullmatch(r"[A-Z]{2}", c)]
    pc = labels["primary_country"]
    if pc is not None and pc not in labels["countries"]:
        out.append("primary_country not among countries")
    if not labels["categories"]:
        out.append("no category")
    if len(r["text"]) < 150:
        out.append("text under 150 characters")
    for p in r["persons"]:
        if not isinstance(p, dict) or "name" not in p:
            out.append(f"person {p!r}")
        elif p["name"] not in r["title"] + "\n" + r["text"]:
            out.append(f"person {p['name']!r} not found verbatim in title/text")
    if is_heldback(r["url"], "", r["text"]):
        out.append("held back")
    return out


def check_files(paths: list[str]) -> int:
    urls, _, _ = _dev()
    bad = 0
    seen_ids: set[str] = set()
    for path in paths:
        used = _used_urls(skip=path)
        seen_urls: set[str] = set()
        for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                r = json.loads(line)
            except json.JSONDecodeError as err:
                print(f"{path}:{number}: not JSON ({err})")
                bad += 1
                continue
            problems = record_problems(r)
            u = norm_url(r.get("url", ""))
            if u in urls:
                problems.append("URL is in dev.jsonl")
            if r.get("id") in seen_ids:
                problems.append("repeated id")
            seen_ids.add(r.get("id"))
            if u in seen_urls and path.startswith("nlp/"):
                problems.append("URL repeated in this file")
            seen_urls.add(u)
            if u in used and "cases_gold" not in path and "cases_gold" not in used[u]:
                problems.append(f"URL also used by {used[u]}")
            for p in problems:
                print(f"{path}:{number}: {r.get('id')}: {p}")
            bad += bool(problems)
    print(f"{bad} record(s) with problems")
    return 1 if bad else 0


def stats(paths: list[str]) -> None:
    counts: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    total = 0
    for path in paths:
        for line in Path(path).read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            r = json.loads(line)
            total += 1
            counts["language"][r["language"]] += 1
            counts["primary_country"][r["labels"]["primary_country"] or "none"] += 1
            counts["decade"][r["published"][:3] + "0s"] += 1
            counts["kind"][r["kind"]] += 1
            counts["category"].update(r["labels"]["categories"])
            counts["victim"].update(r["labels"]["victim_types"])
    print(f"records: {total}")
    for name, counter in counts.items():
        print(f"{name}: " + ", ".join(f"{k} {v}" for k, v in sorted(counter.items())))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    page = sub.add_parser("page")
    page.add_argument("--url", required=True)
    page.add_argument("--title", default="")
    page.add_argument("--text", default="")
    files = sub.add_parser("file")
    files.add_argument("paths", nargs="+")
    st = sub.add_parser("stats")
    st.add_argument("paths", nargs="*")
    args = parser.parse_args()
    if args.command == "page":
        problems = page_problems(args.url, args.title, args.text)
        used = _used_urls().get(norm_url(args.url))
        if problems:
            print("FLAGGED: " + "; ".join(problems))
            return 1
        if used:
            print(f"ALREADY USED by {used} (skip it for the extraction corpus; "
                  "the case set may retell it again)")
            return 1
        print("OK")
        return 0
    if args.command == "file":
        return check_files(args.paths)
    paths = args.paths or [p for g in CORPUS_GLOBS for p in glob.glob(str(ROOT / g))]
    stats(paths)
    return 0


if __name__ == "__main__":
    sys.exit(main())
