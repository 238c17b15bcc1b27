"""Filter summaries in names: "where primary_country = Iran (IR)", not "= "IR"".

Datasette writes a table page's summary line (and its title) from the URL's filters with
the raw values. For the columns whose values are codes (countries, categories, victim
types, languages) this rewrites the summary with each code's name beside it, so a person
reads what they filtered on. Pages with filters it does not rebuild (``_through``,
per-column search) keep Datasette's own line.
"""

from __future__ import annotations

from datasette.filters import Filters

from datasette import hookimpl
from warehouse.site.display import label

UNREBUILT_ARGS = ("_through", "_search_", "_where")


def named_value(column: str, value: str) -> str:
    """``Iran (IR)`` for a code with a name, else the value as it is."""
    name = label(column, value)
    return f"{name} ({value})" if name and name != value else value


def _filter_args(request) -> list[tuple[str, str]]:
    return [(key, value) for key in request.args
            if not (key.startswith("_") and "__" not in key)
            for value in request.args.getlist(key)]


def named_description(request) -> str | None:
    """The summary line with names, or None when nothing in it is a code (or it has
    filters this does not rebuild)."""
    if any(key.startswith(UNREBUILT_ARGS) for key in request.args):
        return None
    pairs = _filter_args(request)
    renamed = [(key, named_value(key.rsplit("__", 1)[0] if "__" in key else key, value))
               for key, value in pairs]
    if renamed == pairs:
        return None
    search = request.args.get("_search")
    extra = [f'search matches "{search}"'] if search else None
    text = Filters(sorted(renamed)).human_description_en(extra=extra)
    sort, sort_desc = request.args.get("_sort"), request.args.get("_sort_desc")
    if sort or sort_desc:
        text = " ".join(b for b in [text, f"sorted by {sort or sort_desc}"
                                    f"{' descending' if sort_desc else ''}"] if b)
    return text


@hookimpl
def extra_template_vars(view_name, request):
    if view_name != "table" or request is None:
        return {}
    text = named_description(request)
    return {"human_description_en": text} if text is not None else {}
