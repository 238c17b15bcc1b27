"""Facets that stay fast at a million alerts.

Replaces Datasette's built-in facet classes (same types: column, array, date) with:
- whole-table facets read from the ``facet_counts`` table precomputed at publish time,
  when a table page has no filter and no search, and the default facets of a page
  whose only filter is one facet value (a click on a facet value) from
  ``filtered_facet_counts``;
- on other filtered pages, every column and array facet counted from one read of the
  matching rows' facet columns (shared by both facet classes of the request), instead
  of one query per facet that each finds the rows again (the built-in array facet also
  de-duplicates whole rows, text included); that read stops at ``facet_time_limit_ms``.
Search API requests (``.json``) skip the total count and facets unless the URL asks for
them (``search_without_facets``); HTML search pages count their matches (on the FTS index,
``ifex_search.py``) and keep their facets.
"""

from __future__ import annotations

import asyncio
import json
import re
from urllib.parse import parse_qsl, urlencode

from datasette.database import QueryInterrupted
from datasette.utils import escape_sqlite, path_with_added_args, path_with_removed_args

from datasette import facets as builtin
from datasette import hookimpl
from datasette.plugins import pm
from warehouse.site.asgi import scope_rewriter
from warehouse.site.display import label
from warehouse.sqlite_layout import FILTERED_FACETS, PRECOMPUTED_FACETS

if pm.get_plugin("datasette.facets") is not None:
    pm.unregister(name="datasette.facets")


FILTERING_ARGS = ("_search", "_where", "_through", "_next")
FORMAT = re.compile(r"\.\w+$")
"""A path with a format (``.json``, ``.csv``): the API, not a page."""
"""Special arguments that narrow the rows (so a page with them is not a single filter)."""


def single_filter(request, table: str) -> tuple[str, str] | None:
    """(column, value) when the page's only filter is one facet value of a precomputed
    facet (``col=v``, ``col__exact=v``, or ``col__arraycontains=v`` on a list column)."""
    kinds = PRECOMPUTED_FACETS.get(table)
    pairs = [(k, v) for k, v in parse_qsl(request.query_string, keep_blank_values=True)
             if not k.startswith("_") or "__" in k or k.startswith(FILTERING_ARGS)]
    if kinds is None or len(pairs) != 1:
        return None
    key, value = pairs[0]
    column, _, lookup = key.partition("__")
    if column in kinds["column"] and lookup in ("", "exact"):
        return column, value
    if column in kinds["array"] and lookup == "arraycontains":
        return column, value
    return None


class PrecomputedMixin:
    """Answer facets from counts precomputed at publish time: ``facet_counts`` when the
    page is unfiltered, ``filtered_facet_counts`` when its only filter is a facet value."""

    arg_suffix = ""
    toggle_arg = "_facet"
    kind = "column"

    async def precomputed(self, column: str, limit: int):
        """The facet's (value, count) rows, or None when they must be counted live."""
        if column not in PRECOMPUTED_FACETS.get(self.table or "", {}).get(self.kind, ()):
            return None
        db = self.ds.get_database(self.database)
        if "filtered_facet_counts" not in await db.table_names():
            return None
        if not self.params and " where " not in self.sql.lower():
            return list(await db.execute(
                "select value, count from facet_counts where table_name = :table "
                "and facet = :facet order by count desc, value limit :limit",
                {"table": self.table, "facet": column, "limit": limit + 1}))
        single = single_filter(self.request, self.table)
        if single is None or column not in FILTERED_FACETS:
            return None
        return await self.filtered(db, column, limit, *single)

    async def filtered(self, db, column: str, limit: int, by: str, value: str):
        """Counts among the rows with one facet value; None if that value is unknown."""
        params = {"table": self.table, "by": by, "value": value, "facet": column,
                  "limit": limit + 1}
        known = await db.execute(
            "select 1 from filtered_facet_counts where table_name = :table "
            "and filter_facet = :by and filter_value = :value limit 1", params)
        if not list(known):
            return None
        return list(await db.execute(
            "select value, count from filtered_facet_counts where table_name = :table "
            "and filter_facet = :by and filter_value = :value and facet = :facet "
            "order by count desc, value limit :limit", params))

    def result(self, column: str, source: str, rows, size: int) -> dict:
        pairs = self.get_querystring_pairs()
        arg = f"{column}{self.arg_suffix}"
        values = []
        for row in rows[:size]:
            selected = (arg, str(row["value"])) in pairs
            change = path_with_removed_args if selected else path_with_added_args
            path = change(self.request, {arg: str(row["value"])})
            values.append({"value": row["value"], "label": label(column, row["value"]),
                           "count": row["count"], "selected": selected,
                           "toggle_url": self.ds.absolute_url(self.request,
                                                              self.ds.urls.path(path))})
        return {"name": column, "type": self.type, "hideable": source != "metadata",
                "toggle_url": self.ds.urls.path(
                    path_with_removed_args(self.request, {self.toggle_arg: column})),
                "results": values, "truncated": len(rows) > size}

    async def facet_results(self):
        results, timed_out = [], []
        size = self.get_facet_size()
        seen: set[str] = set()
        for source_and_config in self.get_configs():
            config, source = source_and_config["config"], source_and_config["source"]
            column = config.get("column") or config["simple"]
            if column in seen:  # ?_facet=year on a page whose metadata facets year: once
                continue
            seen.add(column)
            try:
                rows = await self.precomputed(column, size)
                if rows is None:
                    rows = (await live_counts(self)).get((self.kind, column), [])[:size + 1]
            except QueryInterrupted:
                timed_out.append(column)
                continue
            results.append(self.result(column, source, list(rows), size))
        return results, timed_out


def live_columns(facet) -> list[tuple[str, str]]:
    """(kind, column) of every column and array facet the page shows."""
    configs = builtin.load_facet_configs(facet.request, facet.metadata)
    return list(dict.fromkeys((kind, c["config"].get("column") or c["config"]["simple"])
                              for kind in ("column", "array") for c in configs.get(kind, ())))


def live_sql(columns: list[tuple[str, str]], sql: str) -> str:
    """One statement that counts every facet: the page's rows are read once (a
    materialized CTE of just the facet columns), then grouped per facet."""
    names = ", ".join(escape_sqlite(c) for _, c in columns)
    parts = []
    for i, (kind, column) in enumerate(columns):
        col = escape_sqlite(column)
        parts.append(
            f"select {i} as facet, {col} as value, count(*) as count from page "
            f"where {col} is not null group by {col}" if kind == "column" else
            f"select {i}, j.value, count(*) from page, json_each(page.{col}) as j "
            "group by j.value")
    return (f"with page as materialized (select {names} from ({sql})) select * from ("
            + " union all ".join(parts) + ") order by facet, count desc, value")


async def count_live(facet) -> dict[tuple[str, str], list[dict]]:
    """Every live facet of a filtered page, counted in one statement."""
    columns = live_columns(facet)
    rows = await facet.ds.execute(
        facet.database, live_sql(columns, facet.sql), facet.params, truncate=False,
        custom_time_limit=facet.ds.setting("facet_time_limit_ms"))
    counted: dict[tuple[str, str], list[dict]] = {key: [] for key in columns}
    for index, value, count in rows:
        counted[columns[index]].append({"value": value, "count": count})
    return counted


def live_counts(facet) -> asyncio.Future:
    """The page's live facet counts, computed once per request for both facet classes."""
    memo = facet.request.scope.setdefault("ifex_live_facets", {})
    key = (facet.sql, json.dumps(facet.params, sort_keys=True, default=str))
    if key not in memo:
        memo[key] = asyncio.ensure_future(count_live(facet))
    return memo[key]


class FastColumnFacet(PrecomputedMixin, builtin.ColumnFacet):
    """Column facets: precomputed, or counted live with the page's other facets."""


class FastArrayFacet(PrecomputedMixin, builtin.ArrayFacet):
    """Array facets: precomputed, or counted live with the page's other facets."""

    arg_suffix = "__arraycontains"
    toggle_arg = "_facet_array"
    kind = "array"


@hookimpl
def register_facet_classes():
    return [FastColumnFacet, builtin.DateFacet, FastArrayFacet]


def search_without_facets(scope: dict) -> dict:
    """Search pages skip the total count and the facets unless the URL asks for them
    (``_count=1``, ``_facet…=``): counting every match of a common word, and faceting
    them, is what makes search slow at 1M rows (~0.5 s per count)."""
    pairs = parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
    keys = {key for key, _ in pairs}
    if not any(key.startswith("_search") and value for key, value in pairs):
        return scope
    if not FORMAT.search(scope.get("path", "")):
        return scope  # a page for people: it says how many matches and keeps its facets
    added = []
    if not keys & {"_nofacet"} and not any(k.startswith("_facet") for k in keys):
        added.append(("_nofacet", "1"))
    if not keys & {"_nocount", "_count"}:
        added.append(("_nocount", "1"))
    pairs = [(k, v) for k, v in pairs if k != "_count"]
    return dict(scope, query_string=urlencode(pairs + added).encode("latin-1"))


@hookimpl
def asgi_wrapper(datasette):
    return scope_rewriter(search_without_facets)
