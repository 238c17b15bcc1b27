"""Columns of the warehouse tables that are not lake tables, defined once.

The DuckDB DDL, the export ``SCHEMA.md``/``schema.json`` and Datasette's column
descriptions are generated from these definitions (lake tables come from
``models.schemas``).
"""

from __future__ import annotations

from dataclasses import replace

import pyarrow as pa

from models.schemas import (
    ALERT_COLUMNS,
    DEFAULT_LICENCE,
    QUARANTINE,
    STRING_LIST,
    Column,
    Table,
)
from warehouse.sqlite_tables import SQLITE_TABLES

OPTIONAL_LAKE_COLUMNS: dict[str, str] = {"source_terms": "[]::VARCHAR[]",
                                         "licence": f"'{DEFAULT_LICENCE}'",
                                         "persons": "'[]'", "label_confidence": "'{}'",
                                         "confidence": "0.0"}
"""Lake columns newer than the oldest lake files → the DuckDB default when absent or null."""

ALERTS = Table(
    "alerts",
    "One row per alert: the enriched alerts of every source; an alert delivered by several "
    "sources appears once (its newest version; the others are in alert_duplicates).",
    (
        *(replace(c, nullable=False) if c.name in OPTIONAL_LAKE_COLUMNS else c
          for c in ALERT_COLUMNS),
        Column("regions", STRING_LIST, "IFEX regions of the alert's countries (derived from "
               "countries)."),
        Column("case_id", pa.string(), "The case (incident) this alert reports: see the cases "
               "table and case_events for its other reports and stages."),
    ),
)

ALERT_DUPLICATES = Table(
    "alert_duplicates",
    "Alerts delivered again by another source (same link, or same title, date and text), and "
    "earlier versions of an alert id delivered again in another month: kept here, pointing "
    "at the alerts row that represents them. alerts + alert_duplicates = every alert of the "
    "lake.",
    (
        Column("alert_id", pa.string(), "Id of the duplicate as its source delivered it.",
               False),
        Column("duplicate_of", pa.string(), "The alert kept in alerts (alerts.alert_id): "
               "the newest version (latest published date, then latest fetch).", False),
        Column("source", pa.string(), "Source connector of the duplicate.", False),
        Column("source_id", pa.string(), "The duplicate's id within its source.", False),
        Column("source_url", pa.string(), "Link to the duplicate as its source gave it."),
        Column("title", pa.string(), "Headline of the duplicate.", False),
        Column("published", pa.date32(), "Publication date of the duplicate.", False),
        Column("fetched_at", pa.timestamp("us", tz="UTC"), "When the duplicate was fetched.",
               False),
        Column("reason", pa.string(), "same_url: the same link once normalised (scheme and "
               "host case, trailing slash, utm_* parameters and fragment ignored); "
               "same_title_date_text: the same title, date and text; same_id: an earlier "
               "fetch of the same alert id, filed under another month.", False),
    ),
)

ALERT_COUNTRIES = Table(
    "alert_countries",
    "Bridge: one row per alert and country it is about.",
    (
        Column("alert_id", pa.string(), "The alert (alerts.alert_id).", False),
        Column("country", pa.string(), "ISO 3166-1 alpha-2 code (countries.code).", False),
    ),
)

ALERT_CATEGORIES = Table(
    "alert_categories",
    "Bridge: one row per alert and violation category.",
    (
        Column("alert_id", pa.string(), "The alert (alerts.alert_id).", False),
        Column("category", pa.string(), "Taxonomy code (categories.code).", False),
    ),
)

ALERT_VICTIM_TYPES = Table(
    "alert_victim_types",
    "Bridge: one row per alert and victim type.",
    (
        Column("alert_id", pa.string(), "The alert (alerts.alert_id).", False),
        Column("victim_type", pa.string(), "Taxonomy code (victim_types.code).", False),
    ),
)

COUNTRIES = Table(
    "countries",
    "Countries (ISO 3166-1, plus XK Kosovo) with the IFEX region they belong to.",
    (
        Column("code", pa.string(), "ISO 3166-1 alpha-2 code.", False),
        Column("name", pa.string(), "Common English name.", False),
        Column("region", pa.string(), "IFEX region: Africa, Americas, Asia & Pacific, "
               "Europe & Central Asia, Middle East & North Africa.", False),
    ),
)


def _label_table(name: str, what: str) -> Table:
    return Table(
        name,
        f"The {what} taxonomy: every code used in the data, with its label and scope.",
        (
            Column("code", pa.string(), "Taxonomy code as stored in the alerts.", False),
            Column("label", pa.string(), "Human-readable label.", False),
            Column("description", pa.string(), "What the code covers.", False),
        ),
    )


CATEGORIES = _label_table("categories", "violation category")
VICTIM_TYPES = _label_table("victim_types", "victim type")

MONTHLY_COUNTS = Table(
    "monthly_counts",
    "Alerts per month, country and category (an alert counts once in each of its "
    "countries and categories; country/category null when the alert has none).",
    (
        Column("month", pa.string(), "Month (YYYY-MM).", False),
        Column("year", pa.int16(), "Year.", False),
        Column("country", pa.string(), "ISO alpha-2 code, null for alerts without a country."),
        Column("region", pa.string(), "IFEX region of the country."),
        Column("category", pa.string(), "Taxonomy code, null for alerts without a category."),
        Column("alerts", pa.int64(), "Number of alerts.", False),
    ),
)

YEARLY_COUNTS = Table(
    "yearly_counts",
    "Distinct alerts per year for the world, each region and each country, per category "
    "and in total: read a country's trend beside its region's and the world's.",
    (
        Column("year", pa.int16(), "Year.", False),
        Column("level", pa.string(), "world, region or country.", False),
        Column("area", pa.string(), "'World', a region name or an ISO alpha-2 code.", False),
        Column("category", pa.string(), "Taxonomy code, or 'all' for every alert.", False),
        Column("alerts", pa.int64(), "Number of distinct alerts.", False),
    ),
)

INTERNET_SHUTDOWNS = Table(
    "internet_shutdowns",
    "Alerts about internet shutdowns per country and year, with year-over-year change: every "
    "year from the country's first such alert to the last year of data (0 in a year "
    "without any).",
    (
        Column("country", pa.string(), "ISO alpha-2 code.", False),
        Column("country_name", pa.string(), "Country name."),
        Column("region", pa.string(), "IFEX region."),
        Column("year", pa.int16(), "Year.", False),
        Column("alerts", pa.int64(), "Alerts about internet shutdowns in that country and "
               "year (0 if none).", False),
        Column("first_date", pa.date32(), "Earliest such alert that year (null if none)."),
        Column("last_date", pa.date32(), "Latest such alert that year (null if none)."),
        Column("previous_year_alerts", pa.int64(), "Alerts the year before (0 if none)."),
        Column("yoy_change", pa.int64(), "alerts minus previous_year_alerts."),
    ),
)

QUARANTINE_TABLE = QUARANTINE
"""Lake quarantine, copied as is (same name in the warehouse)."""

DIMENSIONS: tuple[Table, ...] = (COUNTRIES, CATEGORIES, VICTIM_TYPES)
BRIDGES: tuple[Table, ...] = (ALERT_COUNTRIES, ALERT_CATEGORIES, ALERT_VICTIM_TYPES)
AGGREGATES: tuple[Table, ...] = (MONTHLY_COUNTS, YEARLY_COUNTS, INTERNET_SHUTDOWNS)
WAREHOUSE_TABLES: tuple[Table, ...] = (
    ALERTS, ALERT_DUPLICATES, *BRIDGES, *DIMENSIONS, *AGGREGATES, QUARANTINE_TABLE,
)
"""Every table the warehouse builds itself (cases come from warehouse.cases)."""


CASES = Table(
    "cases",
    "Incidents: alerts by several members and follow-ups linked into one case with a stable "
    "id (built by warehouse/cases.py).",
    (
        Column("case_id", pa.string(), "Stable id of the case; survives rebuilds (a merged "
               "case's old id is in case_redirects).", False),
        Column("primary_country", pa.string(), "Country of the case's first alert."),
        Column("title", pa.string(), "Headline of the case's first alert."),
        Column("first_date", pa.date32(), "Date of the first alert.", False),
        Column("last_date", pa.date32(), "Date of the latest alert.", False),
        Column("status", pa.string(), "Outcome so far (reported, detained, charged, "
               "sentenced, released, killed, ...).", False),
        Column("n_alerts", pa.int32(), "Alerts in the case.", False),
        Column("n_members", pa.int32(), "Distinct member organisations that reported it.",
               False),
    ),
)

CASE_ALERTS = Table(
    "case_alerts",
    "Bridge: which case each alert belongs to.",
    (
        Column("case_id", pa.string(), "The case (cases.case_id).", False),
        Column("alert_id", pa.string(), "The alert (alerts.alert_id).", False),
    ),
)

CASE_EVENTS = Table(
    "case_events",
    "Case timeline: each alert of a case in date order with the stage it reports.",
    (
        Column("case_id", pa.string(), "The case (cases.case_id).", False),
        Column("published", pa.date32(), "Date of the alert.", False),
        Column("alert_id", pa.string(), "The alert (alerts.alert_id).", False),
        Column("organisation", pa.string(), "Member that issued the alert."),
        Column("stage", pa.string(), "Stage the alert reports (detained, charged, sentenced, "
               "released, ... or reported).", False),
        Column("title", pa.string(), "Headline of the alert."),
    ),
)

CASE_REDIRECTS = Table(
    "case_redirects",
    "Old case ids merged into another case: follow old_case_id to case_id.",
    (
        Column("old_case_id", pa.string(), "A case id that no longer exists.", False),
        Column("case_id", pa.string(), "The case it was merged into.", False),
    ),
)

CASE_TABLES: tuple[Table, ...] = (CASES, CASE_ALERTS, CASE_EVENTS, CASE_REDIRECTS)
"""Columns of the tables warehouse/cases.py creates (documented here, defined once)."""


def all_tables() -> tuple[Table, ...]:
    """Warehouse tables, case tables and the SQLite-only tables and views, for docs."""
    return (*WAREHOUSE_TABLES, *CASE_TABLES, *SQLITE_TABLES)


def by_name() -> dict[str, Table]:
    return {table.name: table for table in all_tables()}
