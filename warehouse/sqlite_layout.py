"""How warehouse tables look in the published SQLite: types, keys, indexes, search."""

from __future__ import annotations

SQLITE_TYPES = {
    "VARCHAR": "TEXT", "DATE": "TEXT", "BLOB": "BLOB", "BOOLEAN": "INTEGER",
    "TINYINT": "INTEGER", "SMALLINT": "INTEGER", "INTEGER": "INTEGER", "BIGINT": "INTEGER",
    "HUGEINT": "INTEGER", "FLOAT": "REAL", "DOUBLE": "REAL",
}

PRIMARY_KEYS: dict[str, str] = {
    "countries": "code", "categories": "code", "victim_types": "code", "cases": "case_id",
}
"""Tables whose rows are addressed by a natural key (Datasette row pages use it).

``alerts`` is deliberately a plain rowid table with rows stored newest first (rowid 1 is
the latest alert) and a unique index on alert_id: Datasette's default order is then the
rowid, so the newest-first table page, filtered pages and search results need no sort
of all matching rows (a sort over every match of a common word costs ~0.6 s at 1M)."""

ROW_ORDER: dict[str, str] = {"alerts": "published DESC, alert_id DESC"}
"""Insertion (rowid) order of tables whose order matters; others follow all columns."""

UNIQUE_INDEXES: dict[str, tuple[str, ...]] = {"alerts": ("alert_id",)}

INDEXES: dict[str, tuple[tuple[str, ...], ...]] = {
    "alerts": (("primary_country", "year"), ("year",), ("language",), ("source",),
               ("published",), ("organisation",), ("nlp_version",), ("licence",)),
    "alert_duplicates": (("alert_id",), ("duplicate_of",), ("source",), ("reason",)),
    "alert_countries": (("country", "alert_id"), ("alert_id",)),
    "alert_categories": (("category", "alert_id"), ("alert_id",)),
    "alert_victim_types": (("victim_type", "alert_id"), ("alert_id",)),
    "countries": (("region",),),
    "monthly_counts": (("month",), ("year",), ("country",), ("region",), ("category",)),
    "yearly_counts": (("level", "area", "category", "year"), ("year",), ("category",)),
    "internet_shutdowns": (("country", "year"), ("region", "year"), ("year",)),
    "quarantine": (("reason",), ("source",), ("partition_month",)),
    "cases": (("primary_country", "last_date"), ("status",), ("last_date", "case_id"),
              ("n_alerts",)),
    "case_events": (("case_id", "published"), ("alert_id",), ("stage",)),
    "case_alerts": (("case_id",), ("alert_id",)),
    "case_redirects": (("old_case_id",), ("case_id",)),
}
"""Indexes on every facet and filter column (and the keys joins use)."""

GENERIC_INDEX_COLUMNS = ("alert_id", "case_id", "country", "primary_country", "year",
                         "category", "status", "stage", "old_case_id")
"""Columns indexed in tables not listed in INDEXES (e.g. the case tables)."""

LARGE_COLUMNS = ("text", "evidence")
"""Stored last in SQLite rows, so scans of the small facet columns skip the long text."""

PRECOMPUTED_FACETS: dict[str, dict[str, tuple[str, ...]]] = {
    "alerts": {
        "column": ("primary_country", "year", "language", "source", "organisation",
                   "nlp_version", "licence"),
        "array": ("categories", "victim_types", "countries", "regions"),
    },
}
"""Facet counts over whole tables, stored in ``facet_counts`` so unfiltered table pages
don't group a million rows; these are also the filters ``filtered_facet_counts`` covers."""

SELECTIVE_COLUMNS = ("primary_country", "year", "published", "organisation", "alert_id")
"""Indexed alerts columns where one value is a small share of the rows: beside one of these,
a list filter probes its index per row (datasette/plugins/ifex_arrays.py)."""

FILTERED_FACETS = ("primary_country", "year", "categories", "victim_types", "language")
"""Facets counted for every single-filter page (``filtered_facet_counts``): the alerts
table's default facets in datasette/metadata.yml (a test checks they agree)."""

SEARCH = {"alerts": ("title", "text")}
"""FTS5 full-text search: table → searchable columns."""


def sqlite_type(duckdb_type: str) -> str:
    """SQLite column type for a DuckDB type; lists become JSON text, times ISO text."""
    if duckdb_type.endswith("[]") or duckdb_type.startswith(("TIMESTAMP", "STRUCT", "MAP")):
        return "TEXT"
    return SQLITE_TYPES.get(duckdb_type, "TEXT")


def select_expression(name: str, duckdb_type: str) -> str:
    """DuckDB expression that yields the SQLite-ready value of a column."""
    quoted = f'"{name}"'
    if duckdb_type.endswith("[]") or duckdb_type.startswith(("STRUCT", "MAP")):
        return f"to_json({quoted})::VARCHAR"
    if duckdb_type.startswith("TIMESTAMP"):
        zone = f"timezone('UTC', {quoted})" if "TIME ZONE" in duckdb_type else quoted
        return f"strftime({zone}, '%Y-%m-%dT%H:%M:%SZ')"
    if duckdb_type == "DATE":
        return f"{quoted}::VARCHAR"
    if duckdb_type == "FLOAT":
        return f"round({quoted}::DOUBLE, 6)"
    return quoted


def index_columns(table: str, columns: list[str]) -> tuple[tuple[str, ...], ...]:
    """Index column tuples for a table (configured, or the generic key/facet columns)."""
    if table in INDEXES:
        return INDEXES[table]
    return tuple((c,) for c in columns if c in GENERIC_INDEX_COLUMNS)


def storage_order(columns: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Columns in SQLite storage order: the large text columns last."""
    return ([c for c in columns if c[0] not in LARGE_COLUMNS]
            + [c for c in columns if c[0] in LARGE_COLUMNS])
