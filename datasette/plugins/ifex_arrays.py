"""``?categories__arraycontains=…`` through an index instead of every row's JSON.

Datasette 0.65's ``arraycontains`` filter is ``:p in (select value from json_each(col))``:
a facet click on a list column reads and parses the JSON of every alert (7 s at 950k).
For the list columns of ``alerts`` that ``alert_array_items`` indexes (column_name,
value, year, alert_rowid), the filter reads that index instead. It keeps its key, label
and human description, so URLs, facet links and the filter form are unchanged; other
tables and columns (and ``arraynotcontains``) keep the built-in SQL. Three forms, same
rows, chosen from the page's other filters (``Filters.build_where_clauses`` is wrapped
to look at them):

- alone (or with other list filters): ``rowid in (select alert_rowid …)``, an index range;
- beside ``year=Y``: the same range narrowed to that year (``… and year = Y``), instead
  of every alert of, say, Africa (200k rowids) for each of the page's queries;
- beside an equality on another selective indexed column (``primary_country=…``):
  ``exists (…)``, so SQLite walks that column's index and probes the list index per row.

A page whose only filter is one list value runs two queries that would still touch every
matching alert: its row count and its first page (the commonest category has 240k
alerts). ``single_filter_sql`` rewrites exactly those two to read only the index — the
count of index entries, and the page's rowids (``order by alert_rowid limit n``) — which
gives the same rows because every alert_rowid is a row of this immutable database.
"""

from __future__ import annotations

import re

from datasette.filters import Filters, TemplatedFilter

from datasette import hookimpl
from warehouse.sqlite_layout import PRECOMPUTED_FACETS, SELECTIVE_COLUMNS

INDEXED = {"alerts": PRECOMPUTED_FACETS["alerts"]["array"]}
"""Table → list columns that alert_array_items holds (written by warehouse/publish_facets)."""

ITEMS = "select alert_rowid from alert_array_items where column_name = :p{} and value = :p{}"
FORMS = {
    "in": f"rowid in ({ITEMS})",
    "year": f"rowid in ({ITEMS} and year = :p{{}})",
    "exists": ("exists (select 1 from alert_array_items where column_name = :p{} "
               "and value = :p{} and alert_rowid = alerts.rowid)"),
}
SINGLE = (r"rowid in \(select alert_rowid from alert_array_items where column_name = "
          r":(?P<c>p\d+) and value = :(?P<v>p\d+)\) ")
COUNT_SQL = re.compile(r"select count\(\*\) from alerts where " + SINGLE)
PAGE_SQL = re.compile(r"(?P<select>select [^;]+? from alerts where )" + SINGLE
                      + r"(?:and rowid > :(?P<after>p\d+) )?order by rowid limit (?P<n>\d+)")


class IndexedArrayContains(TemplatedFilter):
    """``arraycontains`` that reads alert_array_items for the indexed list columns."""

    form: tuple[str, ...] = ("in",)  # set by build_where_clauses for the page being built

    def where_clause(self, table, column, value, param_counter):
        if column not in INDEXED.get(table, ()):
            return super().where_clause(table, column, value, param_counter)
        params = [column, str(value), *self.form[1:]]
        numbers = range(param_counter, param_counter + len(params))
        return FORMS[self.form[0]].format(*numbers), params


def choose_form(filters: Filters) -> tuple[str, ...]:
    """("year", Y) beside one ``year=Y``, ("exists",) beside another selective equality,
    else ("in",)."""
    exact = [(c, v) for c, lookup, v in filters.selections() if lookup == "exact"]
    years = [v for c, v in exact if c == "year"]
    if len(years) == 1 and years[0].isdigit():
        return ("year", int(years[0]))
    if any(c in SELECTIVE_COLUMNS for c, _ in exact):
        return ("exists",)
    return ("in",)


def install() -> None:
    """Put the indexed filter in place of the built-in one (same key, label, wording)."""
    builtin = Filters._filters_by_key["arraycontains"]
    if isinstance(builtin, IndexedArrayContains):
        return
    indexed = IndexedArrayContains(builtin.key, builtin.display, builtin.sql_template,
                                   builtin.human_template)
    Filters._filters = [indexed if f is builtin else f for f in Filters._filters]
    Filters._filters_by_key = {f.key: f for f in Filters._filters}
    build = Filters.build_where_clauses

    def build_where_clauses(self, table):
        indexed.form = choose_form(self)  # synchronous: no other page interleaves
        try:
            return build(self, table)
        finally:
            indexed.form = ("in",)

    Filters.build_where_clauses = build_where_clauses


def single_filter_sql(sql: str) -> str:
    """The count and first-page queries of a single-list-filter page, on the index only."""
    if found := COUNT_SQL.fullmatch(sql):
        return (f"select count(*) from alert_array_items where column_name = :{found['c']} "
                f"and value = :{found['v']}")
    if found := PAGE_SQL.fullmatch(sql):
        after = f" and alert_rowid > :{found['after']}" if found["after"] else ""
        return (f"{found['select']}rowid in ({ITEMS.format(found['c'][1:], found['v'][1:])}"
                f"{after} order by alert_rowid limit {found['n']}) order by rowid "
                f"limit {found['n']}")
    return sql


@hookimpl
def startup(datasette):
    """Send each database's queries through ``single_filter_sql``."""
    for db in datasette.databases.values():
        if getattr(db.execute, "ifex_arrays", False):
            continue

        async def execute(sql, *args, _execute=db.execute, **kwargs):
            return await _execute(single_filter_sql(sql), *args, **kwargs)

        execute.ifex_arrays = True
        db.execute = execute


install()
