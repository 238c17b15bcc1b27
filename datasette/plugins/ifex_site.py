"""Pages and parts every visitor meets: the demo-data banner, ``/-/methodology`` (what an
alert is, why alert counts are not incident counts, how cases are linked, the measured
accuracy from nlp/evaluation.json, licence and citation), ``/-/schema`` (every table and
column with its full description) and the menu links."""

from __future__ import annotations

from datasette.utils.asgi import Response

from datasette import hookimpl
from warehouse.site.display import served_release
from warehouse.site.methodology import accuracy, load_evaluation
from warehouse.tables import all_tables

DATABASE = "alerts"
SAMPLE_SOURCE = "sample"
_DEMO: dict[str | None, bool] = {}
"""Whether a database (by its hash) holds alerts of the generated sample archive."""


async def is_demo(datasette) -> bool:
    """True while the served alerts include the generated sample archive's."""
    if DATABASE not in datasette.databases:
        return False
    db = datasette.get_database(DATABASE)
    key = db.hash
    if key is None or key not in _DEMO:
        rows = await db.execute("select 1 from alerts where source = :s limit 1",
                                {"s": SAMPLE_SOURCE})
        _DEMO[key] = rows.first() is not None
    return _DEMO[key]


@hookimpl
def extra_template_vars(datasette):
    async def inner():
        return {"ifex_demo": await is_demo(datasette)}
    return inner


async def methodology(datasette, request):
    context = {"accuracy": accuracy(load_evaluation()),
               "release": served_release(datasette.static_mounts),
               "metadata": datasette.metadata()}
    return Response.html(await datasette.render_template("methodology.html", context,
                                                         request=request))


async def schema(datasette, request):
    db = datasette.get_database(DATABASE)
    served = set(await db.table_names()) | set(await db.view_names())
    tables = [t for t in all_tables() if t.name in served]
    return Response.html(await datasette.render_template("schema.html", {"tables": tables},
                                                         request=request))


@hookimpl
def register_routes():
    return [(r"^/-/methodology$", methodology), (r"^/-/schema$", schema)]


@hookimpl
def menu_links(datasette, actor):
    return [{"href": datasette.urls.path("/-/methodology"), "label": "Methodology"},
            {"href": datasette.urls.path("/-/schema"), "label": "Tables and columns"}]
