"""Search pages that read one page of matches, not every match.

Datasette 0.65 searches with ``rowid in (select rowid from alerts_fts where alerts_fts match
…)``: SQLite collects every match (hundreds of thousands for a common word at 1M alerts)
before the first page is returned. On a plain search page (no other filter, no sort, no
count, no facets: ``ifex_facets`` adds ``_nocount``/``_nofacet`` to search pages) the
results are ordered by rowid, so the FTS subquery only needs the matches after ``_next``,
in rowid order, up to the page size + 1: ``… match … and rowid > :after order by rowid
limit :n``. Any other page (filters, sort, ``_count``, ``_facet``, CSV streaming) keeps the
built-in query. This replaces the built-in ``search_filters`` hook; the built-in ``_where``
and ``_through`` hooks are re-registered from here unchanged.

``&_count=1`` on a search page counts every match: ``select count(*) from alerts where rowid
in (select rowid from alerts_fts where … match …)`` looks up each matching alert (330k for
"journalists" at 950k: 0.64 s). ``search_count_sql`` answers exactly that query from the
FTS index alone (35 ms), the same number since alerts_fts indexes every alerts row.
"""

from __future__ import annotations

import re

from datasette import filters as builtin
from datasette import hookimpl
from datasette.plugins import pm
from warehouse.sqlite_layout import SEARCH

if pm.get_plugin("datasette.filters") is not None:
    pm.unregister(name="datasette.filters")

where_filters = builtin.where_filters  # the built-in hooks, registered with this plugin
through_filters = builtin.through_filters

SEARCH_COUNT = re.compile(
    r"select count\(\*\) from (?P<table>\w+) where rowid in \(select rowid from "
    r"(?P<fts>\w+) where (?P=fts) match (?P<match>escape_fts\(:search\)|:search)\) ")
"""Datasette's count query of a search page with no other filter."""
COUNTED_FTS = {f"{table}_fts": table for table in SEARCH}
"""FTS tables that index every row of their content table (warehouse/publish.py)."""

FORMAT = re.compile(r"\.\w+$")
LIMITER = re.compile(r"(?: and rowid > :search_after)? order by rowid limit :search_limit\)")
"""What ``search_filters`` adds to the FTS subquery of a plain search page."""
WHOLE_MATCH_SQL = ("select count(*) ", "with page as materialized ")
"""Queries of a search page that need every match: its count and its facets."""

UNLIMITED_ARGS = ("_sort", "_sort_desc", "_where", "_through", "_stream", "_count")
"""Any of these on a search page means the page needs every match."""


def is_html(request) -> bool:
    """A table page for people (no ``.json``/``.csv`` …): it counts and facets its matches
    (``unlimited_sql`` keeps those queries whole)."""
    return not FORMAT.search(request.path)


async def page_limit(request, database: str, table: str, datasette) -> int | None:
    """Rows the FTS subquery may stop at (page size + 1), or None when it must not stop."""
    args = request.args
    keys = set(args)
    plain = (
        args.get("_search") and ({"_nocount", "_nofacet"} <= keys or is_html(request))
        and not keys & set(UNLIMITED_ARGS)
        and not any(k.startswith(("_facet", "_search_")) for k in keys)
        and not any(not k.startswith("_") or "__" in k for k in keys)
        and not request.path.endswith(".csv")
    )
    metadata = datasette.table_metadata(database, table)
    if not plain or metadata.get("sort") or metadata.get("sort_desc"):
        return None
    db = datasette.get_database(database)
    if await db.primary_keys(table) or metadata.get("fts_pk", "rowid") != "rowid":
        return None
    size = args.get("_size") or metadata.get("size") or datasette.page_size
    size = datasette.max_returned_rows if size == "max" else size
    try:
        return min(int(size), datasette.max_returned_rows) + 1
    except ValueError:
        return None


@hookimpl(specname="filters_from_request")
def search_filters(request, database, table, datasette):
    builtin_inner = builtin.search_filters(request, database, table, datasette)

    async def inner():
        arguments = await builtin_inner()
        limit = await page_limit(request, database, table, datasette)
        clauses = arguments.where_clauses if arguments else []
        if limit is None or len(clauses) != 1 or not clauses[0].endswith(")"):
            return arguments
        after = request.args.get("_next", "")
        bound = " and rowid > :search_after" if after.isdigit() else ""
        clauses[0] = f"{clauses[0][:-1]}{bound} order by rowid limit :search_limit)"
        arguments.params["search_limit"] = limit
        if bound:
            arguments.params["search_after"] = int(after)
        return arguments

    return inner


def unlimited_sql(sql: str) -> str:
    """The count and facet queries of a plain search page read every match: the page's
    limit on the FTS subquery is taken out of them (the rows query keeps it)."""
    if ":search_limit" in sql and sql.startswith(WHOLE_MATCH_SQL):
        return LIMITER.sub(")", sql)
    return sql


def search_count_sql(sql: str) -> str:
    """A plain search page's count of matches, on the FTS index alone."""
    sql = unlimited_sql(sql)
    found = SEARCH_COUNT.fullmatch(sql)
    if found is None or COUNTED_FTS.get(found["fts"]) != found["table"]:
        return sql
    return f"select count(*) from {found['fts']} where {found['fts']} match {found['match']}"


@hookimpl
def startup(datasette):
    """Send each database's queries through ``search_count_sql``."""
    for db in datasette.databases.values():
        if getattr(db.execute, "ifex_search", False):
            continue

        async def execute(sql, *args, _execute=db.execute, **kwargs):
            return await _execute(search_count_sql(sql), *args, **kwargs)

        execute.ifex_search = True
        db.execute = execute
