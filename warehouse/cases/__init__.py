"""Cases: alerts about the same incident, linked across members, languages and years.

Several members report one incident within days, and follow-ups (charges, a sentence, an
acquittal, a pardon, anniversaries of an unsolved killing) come months or years later, in
other languages. ``build_cases`` reads each alert's people (found by the extractor, keyed
across scripts), its countries, stage and cities, and puts each alert, in date order, into
the open case that accepts it or into a new one (``warehouse.cases.link``). Each case gets
an id that survives rebuilds: a case keeps the id it had in the previous warehouse, a merge
keeps the older id and redirects the other (``case_redirects``), and a new case gets an id
derived from its earliest alert (``warehouse.cases.ids``).

Measured figures and the command that produced them are in ``warehouse/CASES.md``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import lru_cache
from pathlib import Path

import duckdb
import pyarrow as pa

from models.names import name_key, name_skeleton, romanise  # noqa: F401 (re-exported)
from warehouse.cases.ids import (  # noqa: F401 (re-exported: the public API of cases)
    PreviousCases,
    assign_case_ids,
    load_previous,
    make_case_id,
)
from warehouse.cases.link import LinkSettings, Report, link_reports, linking_people
from warehouse.cases.report import evaluate_linking  # noqa: F401 (re-exported)
from warehouse.cases.stages import STAGE_RULES
from warehouse.ddl import run_script, sql_file

FETCH_ROWS = 20_000


def no_city(place: str) -> bool:
    """The default when no gazetteer is given: no place is known to be a city."""
    return False


def component_members(roots) -> list[list[int]]:
    """Members of each case in index order, cases ordered by their first member."""
    members: dict[int, list[int]] = {}
    for i, root in enumerate(roots):
        members.setdefault(root, []).append(i)
    return list(members.values())


DEFAULT_SETTINGS = LinkSettings()

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
    run_script(con, sql_file("prepare_cases"), {
        "min_df": settings.min_df, "max_df_share": settings.max_df_share,
        "max_name_countries": settings.max_name_countries})
    n_alerts = con.execute("SELECT count(*) FROM case_docs").fetchone()[0]
    roots = link_reports(_reports(con, is_city, settings), n_alerts, settings)
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


def _reports(con: duckdb.DuckDBPyConnection, is_city: Callable[[str], bool],
             settings: LinkSettings) -> Iterator[Report]:
    """The alerts in date order as the linker reads them, fetched in chunks."""
    common = {(c, y, f) for c, y, f in con.execute(
        "SELECT primary_country, year, family FROM case_common_names").fetchall()}
    shared = frozenset(key for (key,) in con.execute(
        "SELECT key FROM case_spread_names").fetchall())
    city = lru_cache(maxsize=100_000)(is_city)
    result = con.execute("SELECT idx, day, language, stage, categories, countries, "
                         "primary_country, year, persons, places, years FROM case_docs "
                         "ORDER BY idx")
    sets: dict[frozenset, frozenset] = {}

    def one(values) -> frozenset:
        found = frozenset(values)
        return sets.setdefault(found, found)

    while rows := result.fetchmany(FETCH_ROWS):
        for (idx, day, language, stage, categories, countries, primary, year, persons,
             places, years) in rows:
            # one object per distinct set: open cases hold hundreds of thousands of them
            yield Report(idx, day, language, stage, one(categories), one(countries),
                         primary, linking_people(persons, primary, year, common,
                                                 settings.near_chars, shared=shared),
                         one(p for p in places or () if city(p)), one(years or ()))


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
    run_script(con, sql_file("cases_tables"))


def _stage_rules(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("CREATE OR REPLACE TEMP TABLE case_stage_rules "
                "(priority INTEGER, category VARCHAR, stage VARCHAR)")
    con.executemany("INSERT INTO case_stage_rules VALUES (?, ?, ?)",
                    [(i, c, s) for i, (c, s) in enumerate(STAGE_RULES)])


WORK_TABLES: tuple[str, ...] = (
    "case_docs", "case_common_names", "case_spread_names", "case_assignment",
    "case_redirect_rows",
    "case_stage_rules", "case_alert_stages")


def _drop_work_tables(con: duckdb.DuckDBPyConnection) -> None:
    for table in WORK_TABLES:
        con.execute(f"DROP TABLE IF EXISTS temp.main.{table}")


CASE_TABLES: tuple[str, ...] = ("cases", "case_alerts", "case_events", "case_redirects")

