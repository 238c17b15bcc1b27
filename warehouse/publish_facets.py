"""Datasette-only helper tables that keep facet pages fast at a million alerts.

- ``facet_counts``: whole-table facet counts (unfiltered pages);
- ``filtered_facet_counts``: the default facets' counts among the alerts that have one
  facet value (the page a click on a facet value opens: ``?language=ar``,
  ``?categories__arraycontains=internet_shutdown``);
- ``alert_array_items``: each list item with the alert's year and rowid, which the array
  filter of ``datasette/plugins/ifex_arrays.py`` reads instead of every row's JSON.
Counted in DuckDB; list columns count each distinct item once per alert.
"""

from __future__ import annotations

import sqlite3

import duckdb

from warehouse import sqlite_layout as layout
from warehouse.ddl import sql_file
from warehouse.sqlite_tables import ALERT_ARRAY_ITEMS, FACET_COUNTS, FILTERED_FACET_COUNTS


def _values(column: str, kinds: dict[str, tuple[str, ...]]) -> str:
    """DuckDB expression for a facet's values: the column, or its distinct list items."""
    quoted = f'"{column}"'
    return f"unnest(list_distinct({quoted}))" if column in kinds["array"] else quoted


def write_facet_counts(duck: duckdb.DuckDBPyConnection, lite: sqlite3.Connection) -> int:
    """``facet_counts(table_name, facet, value, count)``: whole-table facet counts."""
    lite.execute(f'CREATE TABLE "{FACET_COUNTS.name}" (table_name TEXT, facet TEXT, value, '
                 "count INTEGER)")
    rows = 0
    for table, kinds in layout.PRECOMPUTED_FACETS.items():
        for column in (*kinds["column"], *kinds["array"]):
            counted = duck.execute(
                f'SELECT v, count(*) AS n FROM (SELECT {_values(column, kinds)} AS v '
                f'FROM "{table}") WHERE v IS NOT NULL GROUP BY v ORDER BY n DESC, v'
            ).fetchall()
            lite.executemany(f'INSERT INTO "{FACET_COUNTS.name}" VALUES (?, ?, ?, ?)',
                             [(table, column, v, n) for v, n in counted])
            rows += len(counted)
    lite.execute(f'CREATE INDEX "idx_{FACET_COUNTS.name}" ON "{FACET_COUNTS.name}" '
                 "(table_name, facet, count)")
    return rows


def write_filtered_facet_counts(duck: duckdb.DuckDBPyConnection,
                                lite: sqlite3.Connection) -> int:
    """``filtered_facet_counts``: for every facet value, the default facets' counts."""
    name = FILTERED_FACET_COUNTS.name
    lite.execute(f'CREATE TABLE "{name}" (table_name TEXT, filter_facet TEXT, '
                 "filter_value TEXT, facet TEXT, value, count INTEGER)")
    rows = 0
    for table, kinds in layout.PRECOMPUTED_FACETS.items():
        for filter_column in (*kinds["column"], *kinds["array"]):
            for facet in layout.FILTERED_FACETS:
                counted = duck.execute(sql_file("count_filtered_facets").format(
                    filter_values=_values(filter_column, kinds), filter_column=f'"{filter_column}"',
                    facet_values=_values(facet, kinds), facet_column=f'"{facet}"')).fetchall()
                lite.executemany(f'INSERT INTO "{name}" VALUES (?, ?, ?, ?, ?, ?)',
                                 [(table, filter_column, f, facet, v, n) for f, v, n in counted])
                rows += len(counted)
    lite.execute(f'CREATE INDEX "idx_{name}" ON "{name}" '
                 "(table_name, filter_facet, filter_value, facet, count)")
    return rows


def write_array_items(lite: sqlite3.Connection) -> int:
    """``alert_array_items``: (column_name, value, year, alert_rowid) of every list item,
    keyed by (column_name, value, alert_rowid) and indexed by (column_name, value, year)."""
    name = ALERT_ARRAY_ITEMS.name
    lite.execute(f'CREATE TABLE "{name}" (column_name TEXT, value TEXT, year INTEGER, '
                 "alert_rowid INTEGER, PRIMARY KEY (column_name, value, alert_rowid)) "
                 "WITHOUT ROWID")
    for column in layout.PRECOMPUTED_FACETS["alerts"]["array"]:
        lite.execute(sql_file("insert_array_items").format(column=column))
    lite.execute(f'CREATE INDEX "idx_{name}_year" ON "{name}" (column_name, value, year)')
    return lite.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]
