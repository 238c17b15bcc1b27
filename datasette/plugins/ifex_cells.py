"""Table and query cells people can read: alert and case ids link to their pages, and
codes show their names (countries, categories, victim types, languages, stages).

Only the HTML pages change: JSON and CSV keep the codes."""

from __future__ import annotations

from html import escape

from markupsafe import Markup

from datasette import hookimpl
from warehouse.site.display import STAGE_COLUMNS, label, list_labels, names_of

ALERT_LINKS = frozenset({"alert_id", "duplicate_of"})
CASE_LINKS = frozenset({"case_id"})
LIST_COLUMNS = frozenset({"countries", "categories", "victim_types"})
CODE_TABLES = frozenset({"countries", "categories", "victim_types"})
"""Dimension tables: their own code column stays a code."""


def link(path: str, text: str) -> Markup:
    return Markup(f'<a href="{escape(path)}">{escape(text)}</a>')


def named(column: str, value) -> Markup | None:
    """A code cell as its name (the code in the tooltip), or None to leave it alone."""
    if column in LIST_COLUMNS and isinstance(value, str) and value.startswith("["):
        names = list_labels(column, value)
        return Markup(f'<span title="{escape(value)}">{escape(", ".join(names))}</span>')
    if column in STAGE_COLUMNS or names_of(column) is not None:
        text = label(column, value)
        if text and text != value:
            return Markup(f'<span title="{escape(str(value))}">{escape(text)}</span>')
    return None


@hookimpl
def render_cell(value, column, table, database, datasette):
    if not isinstance(value, str) or not value or table in CODE_TABLES:
        return None
    if column in ALERT_LINKS:
        return link(datasette.urls.path(f"/alert/{value}"), value)
    if column in CASE_LINKS:
        return link(datasette.urls.path(f"/case/{value}"), value)
    return named(column, value)
