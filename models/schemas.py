"""Every stored table's columns, types and meanings, defined once.

The Parquet lake, the DuckDB warehouse, the export ``SCHEMA.md`` and Datasette's
column descriptions are all generated from these definitions.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa

STRING_LIST = pa.list_(pa.string())


@dataclass(frozen=True)
class Column:
    """One column: name, Arrow type and a description for people reading the data."""

    name: str
    type: pa.DataType
    description: str
    nullable: bool = True


@dataclass(frozen=True)
class Table:
    """A stored table: name (the same in the lake, DuckDB, Parquet and Datasette)."""

    name: str
    description: str
    columns: tuple[Column, ...]

    @property
    def schema(self) -> pa.Schema:
        return pa.schema([pa.field(c.name, c.type, nullable=c.nullable) for c in self.columns])

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]


RAW_ALERTS = Table(
    "raw_alerts",
    "Every record exactly as a source delivered it, kept so history can be reprocessed.",
    (
        Column(
            "raw_id",
            pa.string(),
            "Key of the raw record: hash of source, source id and content hash.",
            False,
        ),
        Column(
            "source",
            pa.string(),
            "Source connector name (sample, wordpress, mbox, files, feed).",
            False,
        ),
        Column("source_id", pa.string(), "The record's id within its source.", False),
        Column(
            "partition_month",
            pa.string(),
            "Month partition (YYYY-MM) the record was fetched for.",
            False,
        ),
        Column("url", pa.string(), "Where the record was fetched from."),
        Column("fetched_at", pa.timestamp("us", tz="UTC"), "When the record was fetched.", False),
        Column(
            "published_hint", pa.string(), "The publication date as the source states it, unparsed."
        ),
        Column("content_type", pa.string(), "Media type of the payload.", False),
        Column("content_hash", pa.string(), "SHA-256 of the payload bytes.", False),
        Column("payload", pa.binary(), "The record's bytes as they arrived.", False),
    ),
)

ALERT_COLUMNS: tuple[Column, ...] = (
    Column(
        "alert_id",
        pa.string(),
        "Stable id of the alert (source + hash of its source id); cite this.",
        False,
    ),
    Column("published", pa.date32(), "Date the alert was published.", False),
    Column("year", pa.int16(), "Year of publication.", False),
    Column("month", pa.int8(), "Month of publication (1-12).", False),
    Column("source", pa.string(), "Source connector the alert came from.", False),
    Column("source_id", pa.string(), "The alert's id within its source.", False),
    Column("source_url", pa.string(), "Link to the alert as published."),
    Column("organisation", pa.string(), "Member organisation that issued the alert, if known."),
    Column(
        "language",
        pa.string(),
        "ISO 639-1 language of the alert (given by the source or detected).",
        False,
    ),
    Column("title", pa.string(), "Headline of the alert.", False),
    Column("text", pa.string(), "Body of the alert as clean text.", False),
    Column(
        "primary_country",
        pa.string(),
        "ISO 3166-1 alpha-2 code of the country the alert "
        "is mainly about (null for global alerts).",
    ),
    Column(
        "countries",
        STRING_LIST,
        "Every country where the violation happened (ISO alpha-2 codes; XK Kosovo, PS Palestine).",
    ),
    Column("categories", STRING_LIST, "Violation categories (taxonomy codes), multi-label."),
    Column("victim_types", STRING_LIST, "Victim types (taxonomy codes), multi-label."),
    Column(
        "evidence",
        pa.string(),
        "JSON: for each label, the text spans that support it (field, start, end, text).",
    ),
    Column(
        "confidence",
        pa.float32(),
        "Overall confidence of the extracted labels (0-1): how clearly one country leads and "
        "the mean calibrated probability of the chosen labels.",
    ),
    Column(
        "label_confidence",
        pa.string(),
        "JSON: each chosen label's calibrated probability (0-1), e.g. "
        '{"categories:killing": 0.97}; calibrated on held-out folds of the labelled corpus '
        "(see the model card).",
    ),
    Column(
        "persons",
        pa.string(),
        "JSON: the people named in the alert: name (as first written in full), role stated "
        "next to it (a victim-type code, or official), key (the same across scripts and "
        "inflections), part and character offsets of the first mention.",
    ),
    Column("nlp_version", pa.string(), "Version of the extractor that produced the labels.", False),
    Column(
        "incident_ref",
        pa.string(),
        "Incident reference given by the source, if any (the sample archive's true incident id).",
    ),
    Column("raw_id", pa.string(), "Pointer to the raw record this alert was parsed from.", False),
    Column("content_hash", pa.string(), "SHA-256 of the raw payload.", False),
    Column("fetched_at", pa.timestamp("us", tz="UTC"), "When the raw record was fetched.", False),
    Column(
        "source_terms",
        STRING_LIST,
        "The source's own category, tag and country terms, as it gave them (empty if none): "
        "WordPress terms, feed categories, a file's mapped terms column. Not taxonomy codes.",
    ),
    Column(
        "licence",
        pa.string(),
        "Licence of the alert (SPDX id, e.g. CC-BY-4.0): the source's own licence when it "
        "states one, else CC-BY-4.0. In the lake, null means the source stated none.",
    ),
)
DEFAULT_LICENCE = "CC-BY-4.0"
"""Licence of every alert whose source states none (SPDX id of CC BY 4.0)."""

ENRICHED_ALERTS = Table(
    "enriched_alerts",
    "Parsed, cleaned and labelled alerts, one row per alert, partitioned by month.",
    ALERT_COLUMNS,
)

QUARANTINE = Table(
    "quarantine",
    "Raw records that could not become alerts, with the reason; each points at its raw record.",
    (
        Column("raw_id", pa.string(), "Pointer to the raw record.", False),
        Column("source", pa.string(), "Source connector.", False),
        Column("source_id", pa.string(), "The record's id within its source.", False),
        Column("partition_month", pa.string(), "Month partition (YYYY-MM).", False),
        Column(
            "reason",
            pa.string(),
            "Reason code (empty_text, no_title, bad_date, "
            "undecodable, malformed, oversized, wrong_type, duplicate).",
            False,
        ),
        Column("detail", pa.string(), "What exactly was wrong, for a person.", False),
        Column("url", pa.string(), "Where the record was fetched from."),
        Column("content_hash", pa.string(), "SHA-256 of the raw payload.", False),
        Column(
            "fetched_at", pa.timestamp("us", tz="UTC"), "When the raw record was fetched.", False
        ),
    ),
)

RAW_HISTORY = Table(
    "raw_history",
    "Earlier versions of raw records that a later fetch of the same month replaced (edited, "
    "withdrawn or re-fetched records), kept so that nothing fetched is ever lost.",
    RAW_ALERTS.columns,
)

LAKE_TABLES: tuple[Table, ...] = (RAW_ALERTS, RAW_HISTORY, ENRICHED_ALERTS, QUARANTINE)
