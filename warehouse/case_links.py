"""Scoring of candidate links between alerts, slab by slab, and their components.

See ``warehouse/CASES.md`` for the algorithm and the SQL files it runs
(``link_cases.sql``, ``score_cases.sql``).
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from pathlib import Path

import duckdb
import pyarrow as pa

from warehouse.case_names import name_skeleton

SQL_DIR = Path(__file__).parent / "sql"


@dataclass(frozen=True)
class LinkSettings:
    """Knobs of the linking; the defaults are tuned on the sample archive (see CASES.md)."""

    max_chars: int = 1200  # characters of the body read after the title
    min_word_length: int = 3
    max_df: int = 40  # terms in more alerts of a slab than this (or than max_df_share
    max_df_share: float = 0.01  # of them) are phrasing, not evidence
    window_days: int = 365  # links span at most this; a slab is two such buckets
    min_shared: int = 2  # rare words two alerts must share for a link on words
    near_days: int = 31
    near_score: float = 0.3  # word score needed within near_days
    far_score: float = 0.5  # word score needed for follow-ups further apart
    min_names: int = 2  # rare name skeletons (or pairs) two alerts must share
    min_weight: float = 2.0  # and the IDF weight the shared words (or names) must reach
    near_name_score: float = 0.35  # name score needed within near_days
    far_name_score: float = 0.5  # name score needed further apart
    category_bonus: float = 0.1  # taken off the needed score when a category is shared
    links_per_alert: int = 1  # an alert links to at most this many earlier alerts



def slab_links(con: duckdb.DuckDBPyConnection, s: LinkSettings) -> list[tuple[float, int, int]]:
    """Scored links of every slab (two window-long buckets), streamed one slab at a time.

    A pair is scored in the slab of its earlier alert's bucket, so each pair once; memory
    is bounded by the alerts of a slab, not of the archive.
    """
    first, last = con.execute(
        "SELECT min(day), max(day) FROM case_docs").fetchone()
    links: list[tuple[float, int, int]] = []
    if first is None:
        return links
    params = asdict(s)
    for bucket in range(first // s.window_days, last // s.window_days + 1):
        params["bucket"] = bucket
        run_sql(con, "link_cases.sql", params)
        skeletons = [(w, k) for (w,) in con.execute("SELECT word FROM case_name_words").fetchall()
                     if len(k := name_skeleton(w)) >= 2]
        con.register("case_skeleton_arrow", pa.table(
            {"word": pa.array([w for w, _ in skeletons], pa.string()),
             "skeleton": pa.array([k for _, k in skeletons], pa.string())}))
        con.execute("CREATE OR REPLACE TEMP TABLE case_skeletons AS "
                    "SELECT * FROM case_skeleton_arrow")
        con.unregister("case_skeleton_arrow")
        run_sql(con, "score_cases.sql", params)
        links.extend(select_links(con, s))
    return links


def select_links(con: duckdb.DuckDBPyConnection, s: LinkSettings) -> list[tuple[float, int, int]]:
    """The slab's links: compatible victims, word or name score above the threshold for the gap."""
    return con.execute("""
        SELECT greatest(word_score, name_score), a, b FROM case_pairs
        WHERE victims_compatible AND (
            (n_words >= $min_shared AND shared_words >= $min_weight
                AND word_score >= CASE WHEN gap_days <= $near_days
                    THEN $near_score ELSE $far_score END
                - CASE WHEN same_category THEN $bonus ELSE 0 END)
            OR (n_names >= $min_names AND shared_names >= $min_weight
                AND name_score >= CASE WHEN gap_days <= $near_days
                    THEN $near_name ELSE $far_name END
                - CASE WHEN same_category THEN $bonus ELSE 0 END))
        """, {"near_days": s.near_days, "near_score": s.near_score, "far_score": s.far_score,
              "bonus": s.category_bonus, "min_shared": s.min_shared, "min_names": s.min_names,
              "min_weight": s.min_weight,
              "near_name": s.near_name_score, "far_name": s.far_name_score}).fetchall()


def best_links(links: list[tuple[float, int, int]], s: LinkSettings) -> list[tuple[int, int]]:
    """Each alert keeps its ``links_per_alert`` best links to earlier alerts."""
    links.sort(key=lambda link: (link[2], -link[0], link[1]))
    kept: list[tuple[int, int]] = []
    previous, count = -1, 0
    for _, a, b in links:
        count = count + 1 if b == previous else 1
        previous = b
        if count <= s.links_per_alert:
            kept.append((a, b))
    return kept


def components(n: int, links: list[tuple[int, int]]) -> list[int]:
    """Union-find over alert indexes; each alert's root is the smallest index of its case."""
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for a, b in links:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return [find(i) for i in range(n)]


def component_members(roots: list[int]) -> list[list[int]]:
    """Members of each component in index order, components ordered by their first member."""
    members: dict[int, list[int]] = {}
    for i, root in enumerate(roots):
        members.setdefault(root, []).append(i)
    return list(members.values())


def run_sql(con: duckdb.DuckDBPyConnection, name: str, params: dict[str, object]) -> None:
    """Run a file of statements, binding to each the named parameters it uses."""
    for statement in (SQL_DIR / name).read_text().split(";\n"):
        body = re.sub(r"--[^\n]*", "", statement).strip()
        if body:
            used = set(re.findall(r"\$(\w+)", body))
            con.execute(body, {k: v for k, v in params.items() if k in used})


