"""The downloads page's list: a release's files in groups people look for, one line each
with what it is and its size in KB or MB."""

from __future__ import annotations

import re

from warehouse.tables import by_name

YEAR_FILE = re.compile(r"^alerts/year=(\d{4})/")
ONE_FILE = {
    "alerts.parquet": "every alert in one Parquet file (DuckDB, pandas, polars, R arrow)",
    "alerts.csv": "every alert as CSV for Excel and other spreadsheets (UTF-8, list "
                  "columns as JSON arrays)",
    "alerts.csv.gz": "the same CSV, gzipped, for scripts",
}
DOCUMENTS = {
    "README.md": "how to read, cite and licence this release",
    "SCHEMA.md": "every table and column, the taxonomy, the measured accuracy",
    "schema.json": "the same, machine-readable",
    "MODEL_CARD.md": "the extractor: what it does, how accurate it is, what it can't do",
    "CHANGES": "alerts added, changed and withdrawn since the previous release",
    "SHA256SUMS": "checksums (sha256sum -c SHA256SUMS)",
}
GROUPS = (
    ("one-file", "Everything in one file"),
    ("years", "One file per year (alerts, Parquet)"),
    ("tables", "Bridge and dimension tables"),
    ("cases", "Cases"),
    ("trends", "Trend tables"),
    ("other", "Other tables"),
    ("docs", "Documentation"),
)
TABLE_GROUPS = {"alert_countries": "tables", "alert_categories": "tables",
                "alert_victim_types": "tables", "countries": "tables", "categories": "tables",
                "victim_types": "tables", "alert_duplicates": "tables",
                "cases": "cases", "case_alerts": "cases", "case_events": "cases",
                "case_redirects": "cases", "monthly_counts": "trends",
                "yearly_counts": "trends", "internet_shutdowns": "trends"}


def human_size(size: int) -> str:
    """1234 → "1.2 KB", 5_400_000 → "5.4 MB" (decimal units, as file managers show)."""
    for unit, factor in (("GB", 10**9), ("MB", 10**6), ("KB", 10**3)):
        if size >= factor:
            return f"{size / factor:.1f} {unit}"
    return f"{size} bytes"


def describe(name: str) -> tuple[str, str, str]:
    """(group, label, what it is) of one file of a release."""
    year = YEAR_FILE.match(name)
    if year:
        return "years", year[1], f"alerts published in {year[1]}"
    if name in ONE_FILE:
        return "one-file", name, ONE_FILE[name]
    if name in DOCUMENTS:
        return "docs", name, DOCUMENTS[name]
    table = by_name().get(name.removesuffix(".parquet"))
    what = table.description.split(". ")[0].rstrip(".") if table else ""
    return TABLE_GROUPS.get(name.removesuffix(".parquet"), "other"), name, what


def grouped_files(files: list[tuple[str, int]]) -> list[dict]:
    """The groups in page order, each with its files: path, label, what, size."""
    groups: dict[str, list[dict]] = {key: [] for key, _ in GROUPS}
    for path, size in files:
        group, label, what = describe(path)
        groups[group].append({"path": path, "label": label, "what": what,
                              "size": human_size(size)})
    groups["years"].sort(key=lambda f: f["label"])
    return [{"key": key, "title": title, "files": groups[key]} for key, title in GROUPS
            if groups[key]]
