"""Months as the command line takes them ("YYYY-MM"), checked before anything runs."""

from __future__ import annotations

import re
from datetime import UTC, datetime

FIRST_MONTH = "1995-01"
"""The first monthly partition (``pipelines/partitions.py``)."""
MONTH = re.compile(r"^(\d{4})-(\d{2})$")


class BadMonth(ValueError):
    """A month argument that is not a valid partition month, or a reversed range."""


def this_month() -> str:
    return datetime.now(UTC).strftime("%Y-%m")


def parse_month(value: str, option: str) -> tuple[int, int]:
    """(year, month) of a "YYYY-MM" argument, or BadMonth naming the option."""
    found = MONTH.match(value.strip())
    if not found or not 1 <= int(found[2]) <= 12:
        raise BadMonth(f"{option} {value!r} is not a month: use YYYY-MM with a month "
                       "from 01 to 12, e.g. 2011-01")
    return int(found[1]), int(found[2])


def month_range(start: str, end: str) -> list[str]:
    """Months "YYYY-MM" from start to end inclusive, within the partitions (1995-01 to
    this month); BadMonth for a malformed month, a reversed range or one outside."""
    first, last = parse_month(start, "--from"), parse_month(end, "--to")
    if first > last:
        raise BadMonth(f"--from {start} is after --to {end}: the range is reversed")
    lowest, highest = parse_month(FIRST_MONTH, "--from"), parse_month(this_month(), "--to")
    if first < lowest or last > highest:
        raise BadMonth(f"months run from {FIRST_MONTH} to {this_month()}: "
                       f"{start}..{end} is outside")
    year, month = first
    months = []
    while (year, month) <= last:
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months
