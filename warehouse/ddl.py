"""DuckDB DDL and SQL files generated from / kept beside the table definitions."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pyarrow as pa

from models.schemas import Table

SQL_DIR = Path(__file__).with_name("sql")


def duckdb_type(arrow_type: pa.DataType) -> str:
    """The DuckDB type of an Arrow type used in our schemas."""
    if pa.types.is_list(arrow_type):
        return f"{duckdb_type(arrow_type.value_type)}[]"
    if pa.types.is_timestamp(arrow_type):
        return "TIMESTAMPTZ" if arrow_type.tz else "TIMESTAMP"
    simple = {
        pa.string(): "VARCHAR", pa.large_string(): "VARCHAR", pa.binary(): "BLOB",
        pa.date32(): "DATE", pa.int8(): "TINYINT", pa.int16(): "SMALLINT",
        pa.int32(): "INTEGER", pa.int64(): "BIGINT", pa.float32(): "FLOAT",
        pa.float64(): "DOUBLE", pa.bool_(): "BOOLEAN",
    }
    return simple[arrow_type]


def create_table_sql(table: Table) -> str:
    """CREATE TABLE statement for a table definition (no constraints: built once, read-only)."""
    columns = ",\n    ".join(f'"{c.name}" {duckdb_type(c.type)}' for c in table.columns)
    return f'CREATE TABLE "{table.name}" (\n    {columns}\n)'


def column_list(table: Table) -> str:
    """Quoted, comma-separated column names of a table."""
    return ", ".join(f'"{name}"' for name in table.column_names)


def run_script(con, script: str, params: dict[str, object] | None = None) -> None:
    """Run a ``;``-separated SQL script; bound parameters go to statements that use them."""
    for statement in script.split(";\n"):
        body = "\n".join(line for line in statement.splitlines()
                         if not line.lstrip().startswith("--")).strip()
        if not body:
            continue
        used = {k: v for k, v in (params or {}).items() if f"${k}" in body}
        con.execute(body, used or None)


@cache
def sql_file(name: str) -> str:
    """Text of warehouse/sql/<name>.sql."""
    return (SQL_DIR / f"{name}.sql").read_text()


DUCKDB_MEMORY_LIMIT = "1GB"
"""Memory DuckDB may use when sorting a million alerts for publishing; beyond it, it spills."""


def limit_memory(con, spill_dir: Path, limit: str = DUCKDB_MEMORY_LIMIT) -> None:
    """Bound DuckDB's memory on ``con`` (sorts spill to ``spill_dir`` instead)."""
    spill_dir.mkdir(parents=True, exist_ok=True)
    con.execute("SET memory_limit = $limit", {"limit": limit})
    con.execute("SET temp_directory = $dir", {"dir": str(spill_dir)})
