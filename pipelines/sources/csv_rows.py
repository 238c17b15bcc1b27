"""Reading a CSV export row by row, so that one broken row never takes others with it.

Each row is read from its own first line with a strict CSV reader. A quoted field may
span lines, but a row whose quote is never closed, or whose quoted field would swallow
lines that are rows of their own, is ``malformed`` on its first line alone (the detail
names the line and the column of the quote), and reading goes on with the next line.
A row with more fields than the header is ``malformed`` too, unless the extra fields
are empty (trailing delimiters), which are dropped with a note. Lines are decoded one by
one: UTF-8 where they are UTF-8, the file's legacy charset where they are not, and in a
file that mixes both each legacy line says so in its notes.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass, field

from models.records import ParseError, QuarantineReason
from pipelines.sources.charsets import (
    decode_mixed,
    is_mostly_utf8,
    legacy_charset,
    legacy_part,
    repair_mojibake,
)

MAX_ROW_LINES = 10_000
"""A quoted field is looked for this many lines at most (a broken quote never reads the
whole rest of a large file once per row)."""
BOM = "\ufeff"
"""The byte-order mark that Excel and many exporters put at the start of UTF-8 files."""


@dataclass
class CsvRow:
    """One row: its number (header excluded), its lines, and its values or its problem."""

    number: int
    first_line: int
    last_line: int
    values: dict[str, str | None] | None = None
    problem: str | None = None
    reason: str = QuarantineReason.MALFORMED
    text: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def lines(self) -> str:
        """``line=N`` or ``lines=N-M``: where the row stands in its file."""
        if self.first_line == self.last_line:
            return f"line={self.first_line}"
        return f"lines={self.first_line}-{self.last_line}"


def decode_lines(data: bytes, declared: str | None) -> tuple[list[str], dict[int, str]]:
    """The file's lines (with their endings) and a repair note per line number (1-based)
    that had to be read in a legacy charset among UTF-8 lines; ``undecodable`` when no
    charset reads the bytes that are not UTF-8."""
    raw_lines = data.splitlines(keepends=True)
    try:
        lines = [repair_mojibake(line) for line in data.decode("utf-8").splitlines(True)]
        if len(lines) == len(raw_lines):
            return _without_bom(lines), {}
    except UnicodeDecodeError:
        pass
    legacy = _legacy(data, declared)
    lines, notes, mixed = [], {}, False
    for number, raw in enumerate(raw_lines, start=1):
        try:
            lines.append(raw.decode("utf-8"))
            mixed = mixed or not raw.isascii()
        except UnicodeDecodeError:
            lines.append(decode_mixed(raw, legacy))
            notes[number] = f"line {number}: not UTF-8, read as {legacy}"
    return _without_bom(lines), notes if mixed else {}


def _legacy(data: bytes, declared: str | None) -> str:
    if declared:
        try:
            data.decode(declared)
            return declared
        except (UnicodeDecodeError, LookupError):
            pass
    legacy = legacy_charset(legacy_part(data) if is_mostly_utf8(data) else data)
    if legacy is None:
        raise ParseError(QuarantineReason.UNDECODABLE, "no character set decodes this file")
    return legacy


def _without_bom(lines: list[str]) -> list[str]:
    if lines:
        lines[0] = lines[0].removeprefix(BOM)
    return lines


def read_rows(lines: list[str], delimiter: str = ",") -> Iterator[CsvRow]:
    """Every row after the header, each with its line numbers; blank lines are skipped.

    One strict reader takes the rows that stand on one line each; a row that spans lines or
    that the reader refuses is read again on its own (``read_row``)."""
    index = next((i for i, line in enumerate(lines) if line.strip()), len(lines))
    if index == len(lines):
        return
    header = next(csv.reader([lines[index]], delimiter=delimiter), [])
    index, number = index + 1, 0
    while index < len(lines):
        limit = [index + MAX_ROW_LINES]
        reader = csv.reader(_lines_from(lines, index, limit), delimiter=delimiter, strict=True)
        seen = 0
        for fields in _until_refused(reader):
            if reader.line_num - seen != 1:
                break
            start, seen = index + seen, reader.line_num
            limit[0] = index + seen + MAX_ROW_LINES
            if lines[start].strip():
                number += 1
                yield with_values(CsvRow(number, start + 1, start + 1, text=lines[start]),
                                  header, fields)
        else:
            if reader.line_num == seen:  # the end of the file
                return
        index += seen
        if index < len(lines) and not lines[index].strip():
            index += 1
        elif index < len(lines):
            number += 1
            row = read_row(lines, index, header, delimiter, number)
            index = row.last_line
            yield row


def _lines_from(lines: list[str], index: int, limit: list[int]) -> Iterator[str]:
    """``lines`` from ``index``, up to ``limit[0]`` (moved on as rows are read)."""
    while index < min(limit[0], len(lines)):
        yield lines[index]
        index += 1


def _until_refused(reader: Iterator[list[str]]) -> Iterator[list[str]]:
    """The reader's rows until it ends or refuses one (a ``csv.Error``)."""
    try:
        yield from reader
    except csv.Error:
        return


def read_row(lines: list[str], index: int, header: list[str], delimiter: str,
             number: int) -> CsvRow:
    """The row starting at ``lines[index]`` (0-based; its line numbers are 1-based)."""
    ahead = (lines[i] for i in range(index, min(index + MAX_ROW_LINES, len(lines))))
    reader = csv.reader(ahead, delimiter=delimiter, strict=True)
    first = index + 1
    try:
        fields = next(reader)
        error = None
    except csv.Error as caught:
        fields, error = [], str(caught)
    used = max(reader.line_num, 1)
    broken = error or (used > 1 and swallows_rows(lines[index + 1 : index + used], header,
                                                   delimiter))
    if broken:
        return CsvRow(number, first, first, problem=quote_problem(lines[index], first, error,
                                                                  delimiter, used > 1),
                      reason=_reason(error), text=lines[index])
    return with_values(CsvRow(number, first, first + used - 1,
                              text="".join(lines[index : index + used])), header, fields)


def swallows_rows(continuation: list[str], header: list[str], delimiter: str) -> bool:
    """Whether lines taken into a quoted field read, on their own, as rows of the header's
    width: then the quote was never meant to span them."""
    for line in continuation[:-1]:
        try:
            fields = next(csv.reader([line], delimiter=delimiter, strict=True))
        except (csv.Error, StopIteration):
            continue
        if len(fields) == len(header) > 1:
            return True
    return False


def quote_problem(line: str, number: int, error: str | None, delimiter: str,
                  spans: bool) -> str:
    """What is wrong with a row's first line, naming the line and the quote's column."""
    column = opening_quote(line, delimiter)
    where = f"line {number}" + (f", the quote at column {column}" if column else "")
    if error and "field larger than field limit" in error:
        return f"{where}: a field exceeds the CSV field limit ({error})"
    if error == "unexpected end of data" or (spans and not error):
        return f"{where}: the quoted field is never closed on its line (it would swallow the " \
               "rows after it)"
    return f"{where}: {error}"


def _reason(error: str | None) -> str:
    if error and "field larger than field limit" in error:
        return QuarantineReason.OVERSIZED
    return QuarantineReason.MALFORMED


def opening_quote(line: str, delimiter: str) -> int | None:
    """The 1-based column of the first quote that opens a field, else of the first quote."""
    for column, char in enumerate(line):
        if char == '"' and (column == 0 or line[column - 1] == delimiter):
            return column + 1
    found = line.find('"')
    return found + 1 if found >= 0 else None


def with_values(row: CsvRow, header: list[str], fields: list[str]) -> CsvRow:
    """The row's values keyed by the header; fields beyond it: empty ones dropped with a
    note, others make the row ``malformed``."""
    extra = fields[len(header):]
    if any(value.strip() for value in extra):
        shown = ", ".join(repr(value[:40]) for value in extra[:3])
        row.problem = (f"line {row.first_line}: {len(fields)} fields but the header has "
                       f"{len(header)} (beyond it: {shown})")
        return row
    if extra:
        noun = "fields" if len(extra) > 1 else "field"
        row.notes.append(f"line {row.first_line}: {len(extra)} empty {noun} beyond the "
                         "header dropped")
    values: dict[str, str | None] = dict.fromkeys(header)
    values.update(zip(header, fields, strict=False))
    row.values = values
    return row
