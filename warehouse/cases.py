"""Cases: alerts about the same incident, linked across members and months, with stable ids.

Several members report one incident within days, and follow-ups (charged → sentenced →
released) come months later. ``build_cases`` links alerts that share the primary country and
rare words of their title and lead (names of people, outlets, places) within a time window,
takes connected components as cases, and gives each case an id that survives rebuilds: a case
keeps the id it had in the previous warehouse, a merge keeps the older id and redirects the
other (``case_redirects``), and a new case gets an id derived from its earliest alert.

Measured figures and the command that produced them are in ``warehouse/CASES.md``.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa

from models.records import sha256_hex

SQL_DIR = Path(__file__).parent / "sql"

STAGE_RULES: tuple[tuple[str, str], ...] = (
    ("killing", "killed"),
    ("release", "released"),
    ("imprisonment", "sentenced"),
    ("legal_action", "charged"),
    ("arrest_detention", "detained"),
    ("abduction_disappearance", "disappeared"),
    ("expulsion_entry_denial", "expelled"),
    ("physical_attack", "attacked"),
    ("threat_harassment", "threatened"),
    ("censorship", "censored"),
)
"""(category, stage) in priority order: an alert's stage is that of its first matching
category; alerts with none of these categories are at stage "reported"."""


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


@dataclass
class PreviousCases:
    """What the previous warehouse said: each alert's case, case first dates, redirects."""

    case_of: dict[str, str] = field(default_factory=dict)
    first_date: dict[str, str] = field(default_factory=dict)
    redirects: dict[str, str] = field(default_factory=dict)


def build_cases(
    con: duckdb.DuckDBPyConnection,
    previous_db: Path | None,
    settings: LinkSettings = LinkSettings(),
) -> dict[str, int]:
    """Create ``cases``, ``case_alerts``, ``case_events`` and ``case_redirects`` from ``alerts``.

    ``previous_db`` is the warehouse of the previous build (``None`` or a missing file on the
    first build): its cases, memberships and redirects carry the ids forward.
    """
    previous = load_previous(con, previous_db)
    _run_sql(con, "prepare_cases.sql", {})
    n_alerts = con.execute("SELECT count(*) FROM case_docs").fetchone()[0]
    roots = _components(n_alerts, _best_links(_slab_links(con, settings), settings))
    alert_ids = [r[0] for r in con.execute(
        "SELECT alert_id FROM case_docs ORDER BY idx").fetchall()]
    clusters = _clusters(roots)
    ids, redirects = assign_case_ids([[alert_ids[i] for i in c] for c in clusters], previous)
    del alert_ids, roots
    _write_tables(con, clusters, ids, redirects)
    counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in CASE_TABLES}
    counts["linked_alerts"] = con.execute(
        "SELECT coalesce(sum(n_alerts), 0) FROM cases WHERE n_alerts > 1").fetchone()[0]
    _drop_work_tables(con)
    return counts


def evaluate_linking(con: duckdb.DuckDBPyConnection) -> dict[str, float]:
    """Pairwise precision, recall and F1 of ``case_alerts`` against ``alerts.incident_ref``.

    Only alerts with an ``incident_ref`` count: a pair of them is a true pair when they share
    the incident, a predicted pair when they share the case.
    """
    alerts, true_pairs, predicted, correct = con.execute("""
        WITH labelled AS (
            SELECT c.case_id, a.incident_ref
            FROM case_alerts AS c JOIN alerts AS a USING (alert_id)
            WHERE a.incident_ref IS NOT NULL
        ), groups AS (
            SELECT 'incident' AS kind, count(*) AS n FROM labelled GROUP BY incident_ref
            UNION ALL SELECT 'case', count(*) FROM labelled GROUP BY case_id
            UNION ALL SELECT 'both', count(*) FROM labelled GROUP BY case_id, incident_ref
        )
        SELECT (SELECT count(*) FROM labelled),
            coalesce(sum(n * (n - 1) // 2) FILTER (WHERE kind = 'incident'), 0),
            coalesce(sum(n * (n - 1) // 2) FILTER (WHERE kind = 'case'), 0),
            coalesce(sum(n * (n - 1) // 2) FILTER (WHERE kind = 'both'), 0)
        FROM groups""").fetchone()
    precision = correct / predicted if predicted else 1.0
    recall = correct / true_pairs if true_pairs else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"alerts": float(alerts), "true_pairs": float(true_pairs),
            "predicted_pairs": float(predicted), "correct_pairs": float(correct),
            "precision": precision, "recall": recall, "f1": f1}


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


def _slab_links(con: duckdb.DuckDBPyConnection, s: LinkSettings) -> list[tuple[float, int, int]]:
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
        _run_sql(con, "link_cases.sql", params)
        skeletons = [(w, k) for (w,) in con.execute("SELECT word FROM case_name_words").fetchall()
                     if len(k := name_skeleton(w)) >= 2]
        con.register("case_skeleton_arrow", pa.table(
            {"word": pa.array([w for w, _ in skeletons], pa.string()),
             "skeleton": pa.array([k for _, k in skeletons], pa.string())}))
        con.execute("CREATE OR REPLACE TEMP TABLE case_skeletons AS "
                    "SELECT * FROM case_skeleton_arrow")
        con.unregister("case_skeleton_arrow")
        _run_sql(con, "score_cases.sql", params)
        links.extend(_select_links(con, s))
    return links


def _select_links(con: duckdb.DuckDBPyConnection, s: LinkSettings) -> list[tuple[float, int, int]]:
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


def _best_links(links: list[tuple[float, int, int]], s: LinkSettings) -> list[tuple[int, int]]:
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


def _components(n: int, links: list[tuple[int, int]]) -> list[int]:
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


def _clusters(roots: list[int]) -> list[list[int]]:
    """Members of each component in index order, components ordered by their first member."""
    members: dict[int, list[int]] = {}
    for i, root in enumerate(roots):
        members.setdefault(root, []).append(i)
    return list(members.values())


def _write_tables(con: duckdb.DuckDBPyConnection, clusters: list[list[int]], ids: list[str],
                  redirects: dict[str, str]) -> None:
    case_ids = [""] * sum(len(c) for c in clusters)
    for case_id, members in zip(ids, clusters, strict=True):
        for i in members:
            case_ids[i] = case_id
    con.register("case_assignment_arrow", pa.table(
        {"idx": pa.array(range(len(case_ids)), pa.int32()), "case_id": case_ids}))
    con.register("case_redirect_arrow", pa.table(
        {"old_case_id": pa.array(list(redirects), pa.string()),
         "case_id": pa.array(list(redirects.values()), pa.string())}))
    con.execute("CREATE OR REPLACE TEMP TABLE case_assignment AS "
                "SELECT * FROM case_assignment_arrow")
    con.execute("CREATE OR REPLACE TEMP TABLE case_redirect_rows AS "
                "SELECT * FROM case_redirect_arrow")
    con.execute("CREATE OR REPLACE TEMP TABLE case_stage_rules "
                "(priority INTEGER, category VARCHAR, stage VARCHAR)")
    con.executemany("INSERT INTO case_stage_rules VALUES (?, ?, ?)",
                    [(i, c, s) for i, (c, s) in enumerate(STAGE_RULES)])
    con.unregister("case_assignment_arrow")
    con.unregister("case_redirect_arrow")
    _run_sql(con, "cases_tables.sql", {})


def _run_sql(con: duckdb.DuckDBPyConnection, name: str, params: dict[str, object]) -> None:
    """Run a file of statements, binding to each the named parameters it uses."""
    for statement in (SQL_DIR / name).read_text().split(";\n"):
        body = re.sub(r"--[^\n]*", "", statement).strip()
        if body:
            used = set(re.findall(r"\$(\w+)", body))
            con.execute(body, {k: v for k, v in params.items() if k in used})


def _drop_work_tables(con: duckdb.DuckDBPyConnection) -> None:
    for table in ("case_docs", "case_words", "case_name_words", "case_skeletons", "case_terms",
                  "case_rare", "case_norms", "case_pairs",
                  "case_assignment", "case_redirect_rows", "case_stage_rules",
                  "case_alert_stages"):
        con.execute(f"DROP TABLE IF EXISTS temp.main.{table}")


CASE_TABLES: tuple[str, ...] = ("cases", "case_alerts", "case_events", "case_redirects")


def _letter_table(letters: str, latin: str) -> dict[str, str]:
    return dict(zip(letters, latin.split(), strict=True))


CYRILLIC_LATIN = _letter_table(
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюяіїєґў",
    "a b v g d e e zh z i y k l m n o p r s t u f kh ts ch sh shch - y - e yu ya i yi ye g u")
ARABIC_LATIN = _letter_table(
    "اأإآبتثجحخدذرزسشصضطظعغفقكلمنهويىةءئؤپچژگکی",
    "a a i a b t th j h kh d dh r z s sh s d t z - gh f q k l m n h w y a a - - - p ch zh g k y")
"""Letter by letter romanisation of Cyrillic and Arabic ("-" = no letter): enough for names,
whose skeletons (below) ignore the vowels that the two scripts write differently."""
SKELETON_RULES: tuple[tuple[str, str], ...] = (
    ("shch", "s"), ("kh", "h"), ("sh", "s"), ("ch", "c"), ("zh", "j"), ("ts", "s"), ("ph", "f"),
    ("th", "t"), ("dh", "d"), ("gh", "g"), ("x", "ks"), ("q", "k"), ("ck", "k"), ("c", "k"),
)
"""Latin spellings of one sound made one letter, applied in order after romanisation."""
ARABIC_ARTICLE = "ال"


def romanise(word: str) -> str:
    """Lower-case Latin form of a word in Latin, Cyrillic or Arabic script (accents dropped)."""
    if word.startswith(ARABIC_ARTICLE) and len(word) > 3:
        word = word[len(ARABIC_ARTICLE):]
    lowered = word.lower()
    letters = "".join(CYRILLIC_LATIN.get(ch, ARABIC_LATIN.get(ch, ch)) for ch in lowered)
    decomposed = unicodedata.normalize("NFKD", letters.replace("-", "").replace("ı", "i"))
    return "".join(ch for ch in decomposed if "a" <= ch <= "z")


def name_skeleton(word: str) -> str:
    """Consonant skeleton of a name, the same across scripts: Mansour, منصور → "mnsr";
    Ivanov, Иванова → "vnv". Vowels (and w, y) are dropped, doubled letters collapsed."""
    latin = romanise(word)
    for old, new in SKELETON_RULES:
        latin = latin.replace(old, new)
    consonants = re.sub(r"[aeiouwy]", "", latin)
    return re.sub(r"(.)\1+", r"\1", consonants)
