"""Cases: alerts about the same incident, linked across members and months, with stable ids.

Several members report one incident within days, and follow-ups (charged → sentenced →
released) come months later. ``build_cases`` finds the names in each alert's title and lead
(runs of capitalised words, Arabic words matching such names, keyed across scripts), pairs
alerts of one country that share a rare name (or that name no one) within a time window, and
puts each alert, in date order, into the open case that accepts it (another report of the
same event, or a follow-up stage of its story, in the same city, naming no other person) or
into a new case. Each case gets an id that survives rebuilds: a case keeps the id it had in
the previous warehouse, a merge keeps the older id and redirects the other
(``case_redirects``), and a new case gets an id derived from its earliest alert.

Measured figures and the command that produced them are in ``warehouse/CASES.md``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import duckdb
import pyarrow as pa

from warehouse.case_ids import (  # noqa: F401 (re-exported: the public API of cases)
    PreviousCases,
    assign_case_ids,
    load_previous,
    make_case_id,
)
from warehouse.case_links import WORK_TABLES as LINK_TABLES
from warehouse.case_links import (  # noqa: F401 (LinkSettings, name_key: public API)
    LinkSettings,
    assign_cases,
    component_members,
    no_city,
    run_sql,
)
from models.names import name_key, name_skeleton, romanise  # noqa: F401 (re-exported)

DEFAULT_SETTINGS = LinkSettings()

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


def build_cases(
    con: duckdb.DuckDBPyConnection,
    previous_db: Path | None,
    settings: LinkSettings = DEFAULT_SETTINGS,
    is_city: Callable[[str], bool] = no_city,
) -> dict[str, int]:
    """Create ``cases``, ``case_alerts``, ``case_events`` and ``case_redirects`` from ``alerts``.

    ``previous_db`` is the warehouse of the previous build (``None`` or a missing file on the
    first build): its cases, memberships and redirects carry the ids forward. ``is_city``
    tells which place names are cities (the caller passes the NLP gazetteer's), so a report
    from another city is not linked; without it that rule is off.
    """
    previous = load_previous(con, previous_db)
    _stage_rules(con)
    run_sql(con, "prepare_cases.sql", {})
    roots = assign_cases(con, settings, is_city)
    alert_ids = [r[0] for r in con.execute(
        "SELECT alert_id FROM case_docs ORDER BY idx").fetchall()]
    clusters = component_members(roots)
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
    con.unregister("case_assignment_arrow")
    con.unregister("case_redirect_arrow")
    run_sql(con, "cases_tables.sql", {})


def _stage_rules(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("CREATE OR REPLACE TEMP TABLE case_stage_rules "
                "(priority INTEGER, category VARCHAR, stage VARCHAR)")
    con.executemany("INSERT INTO case_stage_rules VALUES (?, ?, ?)",
                    [(i, c, s) for i, (c, s) in enumerate(STAGE_RULES)])


WORK_TABLES: tuple[str, ...] = (
    *LINK_TABLES, "case_docs", "case_assignment", "case_redirect_rows", "case_stage_rules",
    "case_alert_stages")


def _drop_work_tables(con: duckdb.DuckDBPyConnection) -> None:
    for table in WORK_TABLES:
        con.execute(f"DROP TABLE IF EXISTS temp.main.{table}")


CASE_TABLES: tuple[str, ...] = ("cases", "case_alerts", "case_events", "case_redirects")

