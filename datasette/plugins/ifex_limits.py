"""Hostile SQL meets limits: no memory bombs, no dangerous functions, no server paths.

Anyone may run read-only SQL (``/alerts?sql=…``) within the 3 s time limit, but the time
limit is checked between SQLite instructions, so one heavy call was never cut:
``select length(randomblob(1000000000))`` answered 200 after taking the server to 1 GB,
and a nested ``replace()`` reached 2 GB per request. Every connection therefore gets:

- ``SQLITE_LIMIT_LENGTH`` (``MAX_VALUE_BYTES``): no string or blob, computed or stored,
  may be longer (the longest stored value, an alert's text, has at most 200,000
  characters); a bigger one fails at once with "string or blob too big" (HTTP 400);
- ``SQLITE_LIMIT_COLUMN`` and a process-wide ``hard_heap_limit``: a row of many big values
  cannot add up either (SQLite answers "out of memory", HTTP 400 via ``ifex_readonly``);
- a row factory that counts the bytes of each query's result (``MAX_RESULT_BYTES``): a
  thousand rows of a megabyte each are refused, not held in Python;
- an authorizer: ``fts3_tokenizer()`` (enabled in Debian's SQLite; it hands out and
  accepts raw pointers) and ``load_extension()`` are denied, and the ``file`` column of
  ``pragma_database_list`` reads as NULL (no server path).
"""

from __future__ import annotations

import sqlite3
import threading

from datasette import hookimpl

MAX_VALUE_BYTES = 4 * 2**20
"""Longest string or blob any expression may produce (SQLITE_LIMIT_LENGTH)."""
MAX_COLUMNS = 200
"""Most result columns (and table columns) a statement may have (SQLITE_LIMIT_COLUMN)."""
HEAP_LIMIT_BYTES = 256 * 2**20
"""SQLite's heap, all connections of the process together (mmap'd pages are not heap)."""
MAX_RESULT_BYTES = 64 * 2**20
"""Text and blob bytes one query may return (a page of 1,000 alerts is a few MB)."""
DENIED_FUNCTIONS = frozenset({"fts3_tokenizer", "load_extension"})
HIDDEN_COLUMNS = frozenset({("pragma_database_list", "file")})


class ResultTooLarge(sqlite3.DataError):
    """A query's result exceeded MAX_RESULT_BYTES (a DatabaseError: Datasette's 400)."""


_results = threading.local()


def counted_row(cursor: sqlite3.Cursor, row: tuple) -> sqlite3.Row:
    """``sqlite3.Row``, counting the text and blob bytes of each cursor's rows."""
    if getattr(_results, "cursor", None) is not cursor:
        _results.cursor, _results.spent = cursor, 0
    _results.spent += sum(len(v) for v in row if isinstance(v, str | bytes))
    if _results.spent > MAX_RESULT_BYTES:
        raise ResultTooLarge(f"result larger than {MAX_RESULT_BYTES // 2**20} MB: "
                             "ask for fewer rows (_size) or shorter values")
    return sqlite3.Row(cursor, row)


def authorize(action: int, arg1: str | None, arg2: str | None, _db, _trigger) -> int:
    """Deny dangerous functions, blank the columns that name server files."""
    if action == sqlite3.SQLITE_FUNCTION and (arg2 or "").lower() in DENIED_FUNCTIONS:
        return sqlite3.SQLITE_DENY
    if action == sqlite3.SQLITE_READ and (arg1, arg2) in HIDDEN_COLUMNS:
        return sqlite3.SQLITE_IGNORE
    return sqlite3.SQLITE_OK


@hookimpl
def prepare_connection(conn):
    conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, MAX_VALUE_BYTES)
    conn.setlimit(sqlite3.SQLITE_LIMIT_COLUMN, MAX_COLUMNS)
    conn.execute(f"PRAGMA hard_heap_limit = {HEAP_LIMIT_BYTES}")
    conn.set_authorizer(authorize)
    conn.row_factory = counted_row
