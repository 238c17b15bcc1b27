"""SQLite connection settings for the immutable published database.

Memory-mapped reads (``mmap_size``): a page that is already in the OS cache is read
without a system call and a copy, which halves the cost of the row lookups a filtered
page makes at a million alerts (24k rowid lookups: 58 ms → 23 ms). Safe here because
the file is immutable; the mapping is shared page cache, not per-connection memory.
"""

from __future__ import annotations

from datasette import hookimpl

MMAP_BYTES = 1 << 33
"""Asked for (8 GiB); SQLite maps at most the file's size and its compile-time maximum
(2 GiB in Python's bundled SQLite), so a larger file is mapped in part."""


@hookimpl
def prepare_connection(conn):
    conn.execute(f"PRAGMA mmap_size = {MMAP_BYTES}")
