"""Stable case ids: carried over from the previous warehouse, merged ids redirected.

A case keeps the id it had in the previous build (the previous case whose alerts it holds
most of); when two previous cases merge, the older id stays and the other gets a redirect;
a new case gets an id derived from its earliest alert that was never used before.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from models.records import sha256_hex


@dataclass
class PreviousCases:
    """What the previous warehouse said: each alert's case, case first dates, redirects."""

    case_of: dict[str, str] = field(default_factory=dict)
    first_date: dict[str, str] = field(default_factory=dict)
    redirects: dict[str, str] = field(default_factory=dict)



def load_previous(con: duckdb.DuckDBPyConnection, previous_db: Path | None) -> PreviousCases:
    """Read the previous build's case tables (attached read-only); empty when there are none."""
    if previous_db is None or not Path(previous_db).exists():
        return PreviousCases()
    path = str(Path(previous_db).resolve())
    attached = {p: name for name, p in con.execute(
        "SELECT database_name, path FROM duckdb_databases() WHERE path IS NOT NULL").fetchall()}
    alias = next((n for p, n in attached.items() if Path(p).resolve() == Path(path)), None)
    if alias is None:
        con.execute("ATTACH ? AS cases_previous (READ_ONLY)", [path])
    try:
        return _read_previous(con, alias or "cases_previous")
    finally:
        if alias is None:
            con.execute("DETACH cases_previous")


def _read_previous(con: duckdb.DuckDBPyConnection, db: str) -> PreviousCases:
    present = {r[0] for r in con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = ? AND schema_name = 'main'",
        [db]).fetchall()}
    previous = PreviousCases()
    if {"cases", "case_alerts"} <= present:
        previous.case_of = dict(con.execute(
            f'SELECT alert_id, case_id FROM "{db}".case_alerts').fetchall())
        previous.first_date = {c: str(d) for c, d in con.execute(
            f'SELECT case_id, first_date FROM "{db}".cases').fetchall()}
    if "case_redirects" in present:
        previous.redirects = dict(con.execute(
            f'SELECT old_case_id, case_id FROM "{db}".case_redirects').fetchall())
    return previous


def make_case_id(alert_id: str) -> str:
    """The id a new case gets from its earliest alert."""
    return f"case-{sha256_hex(alert_id.encode())[:12]}"


def assign_case_ids(
    clusters: list[list[str]], previous: PreviousCases
) -> tuple[list[str], dict[str, str]]:
    """Ids for clusters (alert ids, earliest first) and the redirects {old id: live id}.

    Each previous case goes to the cluster holding most of its alerts; a cluster that
    receives several keeps the one that started first and redirects the others; a cluster
    that receives none gets a new id from its earliest alert whose id was never used.
    """
    winners = _previous_case_winners(clusters, previous.case_of)
    inherited: dict[int, list[str]] = {}
    for old_id, cluster in winners.items():
        inherited.setdefault(cluster, []).append(old_id)
    used = set(previous.first_date) | set(previous.redirects) | set(previous.case_of.values())
    ids: list[str] = []
    redirects: dict[str, str] = {}
    for i, members in enumerate(clusters):
        olds = sorted(inherited.get(i, []), key=lambda c: (previous.first_date.get(c, ""), c))
        if olds:
            ids.append(olds[0])
            redirects.update({old: olds[0] for old in olds[1:]})
        else:
            ids.append(_fresh_id(members, used))
        used.add(ids[-1])
    live = set(ids)
    for old, target in previous.redirects.items():
        target = redirects.get(target, target)
        if target in live and old not in live:
            redirects[old] = target
    return ids, redirects


def _previous_case_winners(clusters: list[list[str]], case_of: dict[str, str]) -> dict[str, int]:
    """For each previous case still present: the cluster with most of its alerts (first wins)."""
    shares: dict[str, Counter[int]] = {}
    for i, members in enumerate(clusters):
        for alert_id in members:
            old = case_of.get(alert_id)
            if old is not None:
                shares.setdefault(old, Counter())[i] += 1
    return {old: min(c, key=lambda i: (-c[i], i)) for old, c in shares.items()}


def _fresh_id(members: list[str], used: set[str]) -> str:
    for alert_id in members:
        if (candidate := make_case_id(alert_id)) not in used:
            return candidate
    n = 1
    while (candidate := make_case_id(f"{members[0]}#{n}")) in used:
        n += 1
    return candidate
