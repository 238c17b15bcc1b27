"""Bad table arguments are the client's error: 400, not 500.

Datasette 0.65 raises ``DatasetteError`` (status 500) for ``_sort``/``_sort_desc`` naming a
column that cannot be sorted and for both at once, and lets ``json.loads`` and a
``KeyError`` escape for a ``_through`` that is not ``{"table", "column", "value"}`` (or
names no foreign key to this table). This hook runs before the table view and every other
filter hook, and answers each of those with 400 and a message that says what is wrong.
"""

from __future__ import annotations

import json

from datasette.filters import FilterArguments
from datasette.utils.asgi import BadRequest

from datasette import hookimpl

THROUGH_KEYS = ("table", "column", "value")


def parse_through(value: str) -> dict:
    """A ``_through`` argument as its three fields, or BadRequest."""
    try:
        through = json.loads(value)
    except ValueError:
        through = None
    if not isinstance(through, dict) or not all(
            isinstance(through.get(k), str | int | float) for k in THROUGH_KEYS):
        raise BadRequest('_through must be JSON like {"table": …, "column": …, "value": …}')
    return through


async def check_through(db, table: str, through: dict) -> None:
    if through["table"] not in await db.table_names():
        raise BadRequest(f"_through: no table {through['table']}")
    keys = await db.foreign_keys_for_table(through["table"])
    if not any(fk["other_table"] == table for fk in keys):
        raise BadRequest(f"_through: {through['table']} has no foreign key to {table}")
    if through["column"] not in await db.table_columns(through["table"]):
        raise BadRequest(f"_through: {through['table']} has no column {through['column']}")


async def sortable_columns(datasette, db, database: str, table: str) -> set[str]:
    """What the table view accepts in ``_sort`` (its metadata, else every column)."""
    metadata = datasette.table_metadata(database, table)
    if "sortable_columns" in metadata:
        columns = set(metadata["sortable_columns"])
    else:
        columns = set(await db.table_columns(table))
    if table not in await db.view_names() and not await db.primary_keys(table):
        columns.add("rowid")
    return columns


@hookimpl(tryfirst=True)
def filters_from_request(request, database, table, datasette):
    args = request.args
    throughs = [parse_through(value) for value in args.getlist("_through")]
    sort, sort_desc = args.get("_sort"), args.get("_sort_desc")
    if sort and sort_desc:
        raise BadRequest("Cannot use _sort and _sort_desc at the same time")

    async def inner():
        db = datasette.get_database(database)
        for through in throughs:
            await check_through(db, table, through)
        column = sort or sort_desc
        if column and column not in await sortable_columns(datasette, db, database, table):
            raise BadRequest(f"Cannot sort table by {column}")
        return FilterArguments([])

    return inner
