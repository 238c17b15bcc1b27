"""Tables and views that exist only in the published SQLite (Datasette), defined once.

Their column descriptions go into Datasette's metadata like every warehouse table's
(``tables.all_tables``); the DDL is in ``publish_facets.py`` and
``sql/create_trend_views.sql``.
"""

from __future__ import annotations

import pyarrow as pa

from models.schemas import Column, Table

FACET_COUNTS = Table(
    "facet_counts",
    "Datasette only: facet counts over the whole alerts table, precomputed at publish time "
    "so unfiltered pages don't count a million rows.",
    (
        Column("table_name", pa.string(), "Table the counts describe.", False),
        Column("facet", pa.string(), "Column (for list columns: each list item counts).",
               False),
        Column("value", pa.string(), "Facet value.", False),
        Column("count", pa.int64(), "Rows with that value.", False),
    ),
)

FILTERED_FACET_COUNTS = Table(
    "filtered_facet_counts",
    "Datasette only: facet counts of the alerts that have one facet value (e.g. every "
    "facet of ?language=ar), precomputed so a click on a facet value needs no count.",
    (
        Column("table_name", pa.string(), "Table the counts describe.", False),
        Column("filter_facet", pa.string(), "Column the page is filtered on.", False),
        Column("filter_value", pa.string(), "Value it is filtered to (text).", False),
        Column("facet", pa.string(), "Column counted (list columns: each item).", False),
        Column("value", pa.string(), "Facet value.", False),
        Column("count", pa.int64(), "Filtered rows with that value.", False),
    ),
)

ALERT_ARRAY_ITEMS = Table(
    "alert_array_items",
    "Datasette only: each item of the alerts' list columns (categories, victim_types, "
    "countries, regions) with the alert's year and rowid, so ?categories__arraycontains=… "
    "reads an index instead of every row's JSON.",
    (
        Column("column_name", pa.string(), "List column of alerts.", False),
        Column("value", pa.string(), "One item of the list.", False),
        Column("year", pa.int16(), "The alert's year (a list value in one year is one "
               "index range).", False),
        Column("alert_rowid", pa.int64(), "rowid of the alert in this database's alerts "
               "table.", False),
    ),
)

REGION_SHUTDOWNS = Table(
    "region_shutdowns",
    "View: alerts about internet shutdowns per IFEX region and year (each alert once per "
    "region), from yearly_counts. CSV of all rows: region_shutdowns.csv?_stream=on.",
    (
        Column("region", pa.string(), "IFEX region.", False),
        Column("year", pa.int16(), "Year.", False),
        Column("alerts", pa.int64(), "Distinct alerts about internet shutdowns.", False),
    ),
)

COUNTRY_PROFILES = Table(
    "country_profiles",
    "View: alerts about each country per year and category (category 'all' = every "
    "alert), from yearly_counts; filter with ?country=TR.",
    (
        Column("country", pa.string(), "ISO alpha-2 code.", False),
        Column("country_name", pa.string(), "Country name."),
        Column("year", pa.int16(), "Year.", False),
        Column("category", pa.string(), "Taxonomy code, or 'all'.", False),
        Column("label", pa.string(), "Category label (null for 'all')."),
        Column("alerts", pa.int64(), "Distinct alerts.", False),
    ),
)

CATEGORY_TRENDS = Table(
    "category_trends",
    "View: alerts per year worldwide in each category and their share of all alerts, "
    "from yearly_counts; filter with ?category=internet_shutdown.",
    (
        Column("category", pa.string(), "Taxonomy code.", False),
        Column("label", pa.string(), "Category label."),
        Column("year", pa.int16(), "Year.", False),
        Column("alerts", pa.int64(), "Distinct alerts in the category.", False),
        Column("all_alerts", pa.int64(), "All alerts that year.", False),
        Column("percent_of_all", pa.float64(), "alerts as a percentage of all_alerts.",
               False),
    ),
)

COUNTRY_TRENDS = Table(
    "country_trends",
    "View: a country's alerts per year and category beside its region's and the world's "
    "(category 'all' = every alert), from yearly_counts; filter with ?country=ET.",
    (
        Column("country", pa.string(), "ISO alpha-2 code.", False),
        Column("country_name", pa.string(), "Country name."),
        Column("region", pa.string(), "IFEX region of the country."),
        Column("category", pa.string(), "Taxonomy code, or 'all'.", False),
        Column("year", pa.int16(), "Year.", False),
        Column("country_alerts", pa.int64(), "Alerts about the country (0 if none).", False),
        Column("region_alerts", pa.int64(), "Alerts about the region (0 if none).", False),
        Column("world_alerts", pa.int64(), "All alerts in the category.", False),
        Column("percent_of_region", pa.float64(), "country_alerts as a percentage of "
               "region_alerts."),
        Column("percent_of_world", pa.float64(), "country_alerts as a percentage of "
               "world_alerts."),
    ),
)

TREND_VIEWS: tuple[Table, ...] = (REGION_SHUTDOWNS, COUNTRY_PROFILES, CATEGORY_TRENDS,
                                  COUNTRY_TRENDS)
HELPER_TABLES: tuple[Table, ...] = (FACET_COUNTS, FILTERED_FACET_COUNTS, ALERT_ARRAY_ITEMS)
SQLITE_TABLES: tuple[Table, ...] = (*HELPER_TABLES, *TREND_VIEWS)
