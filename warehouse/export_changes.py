"""CHANGES of a release: alert ids added, changed and withdrawn since the previous one."""

from __future__ import annotations

from pathlib import Path

import duckdb

from warehouse.releases import previous_release  # noqa: F401 (re-exported)

FINGERPRINT = (
    "md5(concat_ws('|', published::VARCHAR, title, text, source_url, organisation, "
    "language, primary_country, countries::VARCHAR, categories::VARCHAR, "
    "victim_types::VARCHAR, nlp_version, label_confidence::VARCHAR))"
)
"""What makes an alert 'changed': its content, labels or NLP version (not fetch time)."""


def diff_alerts(con: duckdb.DuckDBPyConnection, previous: Path) -> dict[str, list[str]]:
    """Ids added, changed and withdrawn between ``previous/alerts.parquet`` and ``alerts``."""
    query = f"""
        WITH old AS (SELECT alert_id, {FINGERPRINT} AS fp FROM read_parquet($path)),
             new AS (SELECT alert_id, {FINGERPRINT} AS fp FROM alerts)
        SELECT CASE WHEN old.alert_id IS NULL THEN 'added'
                    WHEN new.alert_id IS NULL THEN 'withdrawn'
                    ELSE 'changed' END AS change,
               coalesce(new.alert_id, old.alert_id) AS alert_id
        FROM old FULL OUTER JOIN new ON old.alert_id = new.alert_id
        WHERE old.alert_id IS NULL OR new.alert_id IS NULL OR old.fp <> new.fp
        ORDER BY change, alert_id
    """
    changes: dict[str, list[str]] = {"added": [], "changed": [], "withdrawn": []}
    for change, alert_id in con.execute(query, {"path": str(previous / "alerts.parquet")}
                                        ).fetchall():
        changes[change].append(alert_id)
    return changes


def _duplicate_of(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """Withdrawn ids that live on as a duplicate of another alert (alert_duplicates)."""
    tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables "
                                        "WHERE table_schema = 'main'").fetchall()}
    if "alert_duplicates" not in tables:
        return {}
    return dict(con.execute("SELECT alert_id, duplicate_of FROM alert_duplicates").fetchall())


def write_changes(con: duckdb.DuckDBPyConnection, out: Path, release: str,
                  previous: Path | None) -> Path:
    """Write ``out/CHANGES``: counts, then the ids under added / changed / withdrawn."""
    total = con.execute("SELECT count(*) FROM alerts").fetchone()[0]
    lines = [f"Release {release}: {total} alerts."]
    if previous is None:
        lines.append("First release: every alert is new (no previous release to compare).")
    else:
        changes = diff_alerts(con, previous)
        lines.append(f"Compared with release {previous.name}: "
                     + ", ".join(f"{len(ids)} {kind}" for kind, ids in changes.items()) + ".")
        merged = _duplicate_of(con)
        for kind, ids in changes.items():
            lines += ["", f"## {kind} ({len(ids)})"]
            lines += [f"{i} (duplicate of {merged[i]})" if i in merged else i for i in ids]
    target = out / "CHANGES"
    target.write_text("\n".join(lines) + "\n")
    return target
