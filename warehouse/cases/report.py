"""How well case linking does against true incidents: pairwise figures, and by kind of pair.

``evaluate_linking`` scores ``case_alerts`` against ``alerts.incident_ref``: a true pair is
two alerts of one incident, a predicted pair two alerts of one case. ``pair_breakdown``
splits the true pairs by what makes them hard (days apart, languages, organisations), and
``render_cases_md`` writes ``warehouse/CASES.md`` from the figures of the real case set and
the sample (``ifex-alerts cases-report`` runs both).
"""

from __future__ import annotations

import duckdb
import pyarrow as pa

PAIR_KINDS = (
    ("same week, two organisations", "gap <= 7 AND org_a IS DISTINCT FROM org_b"),
    ("two languages", "lang_a <> lang_b"),
    ("a month to a year apart", "gap > 30 AND gap <= 365"),
    ("more than a year apart", "gap > 365"),
)


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
        FROM groups""").fetchall()[0]
    precision = correct / predicted if predicted else 1.0
    recall = correct / true_pairs if true_pairs else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"alerts": float(alerts), "true_pairs": float(true_pairs),
            "predicted_pairs": float(predicted), "correct_pairs": float(correct),
            "precision": precision, "recall": recall, "f1": f1}


def pair_breakdown(con: duckdb.DuckDBPyConnection) -> list[dict]:
    """Recall of the true pairs by kind (same week by two organisations, two languages,
    months or years apart)."""
    con.execute("""
        CREATE OR REPLACE TEMP TABLE case_true_pairs AS
        SELECT a.alert_id AS id_a, b.alert_id AS id_b, ca.case_id = cb.case_id AS linked,
            abs(date_diff('day', a.published, b.published)) AS gap,
            a.language AS lang_a, b.language AS lang_b,
            a.organisation AS org_a, b.organisation AS org_b
        FROM alerts AS a JOIN alerts AS b
            ON a.incident_ref = b.incident_ref AND a.alert_id < b.alert_id
        JOIN case_alerts AS ca ON ca.alert_id = a.alert_id
        JOIN case_alerts AS cb ON cb.alert_id = b.alert_id""")
    rows = []
    for name, condition in PAIR_KINDS:
        total, linked = con.execute(
            f"SELECT count(*), count(*) FILTER (WHERE linked) FROM case_true_pairs "
            f"WHERE {condition}").fetchall()[0]
        rows.append({"kind": name, "pairs": total,
                     "recall": linked / total if total else None})
    con.execute("DROP TABLE case_true_pairs")
    return rows


def negatives_merged(con: duckdb.DuckDBPyConnection, negative_of: dict[str, str]) -> dict:
    """Hard negatives (incident -> the incident it must stay apart from) that share a case
    with a report of that incident."""
    if not negative_of:
        return {"incidents": 0, "merged": 0}
    con.register("case_negatives_arrow", pa.table({"neg": list(negative_of),
                                                   "pos": list(negative_of.values())}))
    merged = con.execute("""
        SELECT count(DISTINCT n.neg)
        FROM case_negatives_arrow AS n
        JOIN alerts AS an ON an.incident_ref = n.neg
        JOIN case_alerts AS cn ON cn.alert_id = an.alert_id
        JOIN alerts AS ap ON ap.incident_ref = n.pos
        JOIN case_alerts AS cp ON cp.alert_id = ap.alert_id
        WHERE cn.case_id = cp.case_id""").fetchall()[0][0]
    con.unregister("case_negatives_arrow")
    return {"incidents": len(negative_of), "merged": merged}


def _figures_row(name: str, scores: dict) -> str:
    return (f"| {name} | {int(scores['alerts'])} | {int(scores['true_pairs'])} | "
            f"{int(scores['predicted_pairs'])} | {scores['precision']:.3f} | "
            f"{scores['recall']:.3f} | {scores['f1']:.3f} |")


def render_cases_md(real: dict, sample: dict | None, method: str, command: str) -> str:
    """``warehouse/CASES.md`` from the figures of the real set (``real``: scores, breakdown,
    negatives, counts) and of the sample."""
    rows = [_figures_row("real case set (warehouse/cases_gold)", real["scores"])]
    if sample:
        rows.append(_figures_row(f"sample archive ({sample['label']})", sample["scores"]))
    kinds = "\n".join(
        f"| {row['kind']} | {row['pairs']} | "
        f"{'–' if row['recall'] is None else format(row['recall'], '.3f')} |"
        for row in real["breakdown"])
    negatives = real["negatives"]
    return f"""# Case linking: method and measured figures

Generated by `{command}`; do not edit by hand.

## Pairwise precision and recall
A true pair is two alerts of one incident; a predicted pair, two alerts put in one case.

| set | alerts | true pairs | predicted pairs | precision | recall | F1 |
|---|---|---|---|---|---|---|
{chr(10).join(rows)}

The real set went through the product's own path: the `files` source (its records as a
drop folder, `incident_ref` mapped from the case key), the extractor, the warehouse build
and `build_cases`. It has {real['counts']['cases']} cases with 2 or more reports
({real['counts']['case_reports']} reports) and {negatives['incidents']} hard-negative
incidents ({real['counts']['negative_reports']} reports): other incidents of the same
country and years sharing an outlet, a surname, or the person (a separate arrest years
later). {negatives['merged']} of the {negatives['incidents']} negatives share a case with the
incident they must stay apart from.

### Recall by kind of true pair (real set)
| kind | true pairs | recall |
|---|---|---|
{kinds}

## Method
{method}
"""
