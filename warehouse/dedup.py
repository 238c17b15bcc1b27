"""One alert however many sources delivered it.

Within a source the lake already keeps the newest version per ``source_id``. Across
sources (the WordPress API and the RSS feed, a partner CSV drop) the same alert has
different ids; it is recognised by its link (normalised: scheme and host case, trailing
slash, ``utm_*`` parameters and fragment ignored) or, failing that, by the same title,
publication date and text. Matching alerts form a group (transitively); the newest version
(latest published date, then latest fetch, then smallest id) stays in ``alerts`` and the
others go to ``alert_duplicates`` with the id they are a duplicate of. The same alert id in
several partitions (a source that moved a record to another month) is staged once, its
latest fetch; the earlier versions go to ``alert_duplicates`` too (``same_id``). So nothing
is lost: ``alerts`` + ``alert_duplicates`` = every alert row of the lake
(``lake_alerts_accounted_for``). SQL: ``sql/stage_alerts.sql``, ``sql/key_alerts.sql``,
``sql/dedup_alerts.sql``, ``sql/load_superseded.sql``.
"""

from __future__ import annotations

from collections.abc import Iterable

import duckdb
import pyarrow as pa

from warehouse.ddl import run_script, sql_file


def deduplicate_alerts(con: duckdb.DuckDBPyConnection) -> int:
    """Move duplicates out of the temp table ``lake_alerts`` into ``alert_duplicates``.

    Returns the number of duplicates moved.
    """
    run_script(con, sql_file("dedup_macros"))
    run_script(con, sql_file("key_alerts"))
    links = con.execute(
        "SELECT alert_id, kind || ':' || key FROM alert_shared_keys ORDER BY 2, 1").fetchall()
    groups = alert_groups(links)
    if groups:
        con.register("alert_groups_arrow", pa.table({
            "alert_id": pa.array(list(groups), pa.string()),
            "group_id": pa.array(list(groups.values()), pa.string())}))
        con.execute("CREATE OR REPLACE TEMP TABLE alert_groups AS "
                    "SELECT * FROM alert_groups_arrow")
        con.unregister("alert_groups_arrow")
        run_script(con, sql_file("dedup_alerts"))
        con.execute("DROP TABLE alert_groups")
    con.execute("DROP TABLE alert_shared_keys")
    return len(groups) - len(set(groups.values()))


def file_superseded_versions(con: duckdb.DuckDBPyConnection) -> int:
    """Move the earlier versions of alert ids (temp ``superseded_alerts``) into
    ``alert_duplicates``; run after ``deduplicate_alerts``. Returns how many."""
    count = con.execute("SELECT count(*) FROM superseded_alerts").fetchone()[0]
    run_script(con, sql_file("load_superseded"))
    return count


def lake_alerts_accounted_for(con: duckdb.DuckDBPyConnection, lake_rows: int
                              ) -> dict[str, int]:
    """The identity alerts + alert_duplicates = the lake's alert rows, as counts (with
    ``missing`` = lake rows neither table holds; 0 when it holds)."""
    alerts, duplicates = con.execute(
        "SELECT (SELECT count(*) FROM alerts), (SELECT count(*) FROM alert_duplicates)"
    ).fetchone()
    return {"lake_alerts": lake_rows, "alerts": alerts, "alert_duplicates": duplicates,
            "missing": lake_rows - alerts - duplicates}


def alert_groups(links: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Alerts linked by shared keys → their group id (the smallest alert id of the group).

    ``links`` are (alert_id, key) pairs; alerts sharing a key are one group, transitively.
    """
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    first_of_key: dict[str, str] = {}
    for alert_id, key in links:
        other = first_of_key.setdefault(key, alert_id)
        a, b = find(alert_id), find(other)
        if a != b:
            parent[max(a, b)] = min(a, b)
    return {alert_id: find(alert_id) for alert_id in sorted(parent)}
