"""The trend page for people who don't write SQL (/-/trends), and the menu links.

Charts are SVG drawn on the server from the precomputed ``yearly_counts`` table
(warehouse/charts.py) — no JavaScript library, no CDN. The downloads page is
``ifex_downloads.py``.
"""

from __future__ import annotations

from datasette.utils.asgi import Response

from datasette import hookimpl
from warehouse.charts import lines, stacked_bars

DATABASE = "alerts"


async def _yearly(db, level: str, category: str | None = None, area: str | None = None):
    sql = ("select year, area, category, alerts from yearly_counts where level = :level"
           " and (:category is null or category = :category)"
           " and (:area is null or area = :area) order by year")
    rows = await db.execute(sql, {"level": level, "category": category, "area": area})
    return [tuple(r) for r in rows]


def _series(rows, key: int) -> tuple[list[int], dict[str, dict[int, int]]]:
    series: dict[str, dict[int, int]] = {}
    for row in rows:
        series.setdefault(row[key], {})[row[0]] = row[3]
    years = sorted({r[0] for r in rows})
    series = dict(sorted(series.items()))
    return (list(range(years[0], years[-1] + 1)) if years else []), series


_CACHE: dict[tuple, object] = {}
"""Chart SVGs per (database hash, page, country): the database is immutable."""


async def _cached(db, key: tuple, make):
    if db.hash is None:
        return await make()
    full_key = (db.hash, *key)
    if full_key not in _CACHE:
        if len(_CACHE) > 1000:
            _CACHE.clear()
        _CACHE[full_key] = await make()
    return _CACHE[full_key]


async def trends(datasette, request):
    db = datasette.get_database(DATABASE)
    country = (request.args.get("country") or "").upper()
    charts = await _cached(db, ("charts",), lambda: _charts(db))
    comparison = await _cached(db, ("comparison", country),
                               lambda: _comparison(db, country)) if country else None
    countries = await _cached(db, ("countries",), lambda: _countries(db))
    html = await datasette.render_template("trends.html", {
        "charts": charts, "country": country, "comparison": comparison,
        "countries": countries}, request=request)
    return Response.html(html)


async def _countries(db) -> list[tuple[str, str]]:
    rows = await db.execute("select distinct c.code, c.name from countries c join "
                            "yearly_counts y on y.level = 'country' and y.area = c.code "
                            "order by c.name")
    return [tuple(r) for r in rows]


async def _charts(db) -> list[tuple[str, str, str]]:
    labels = {r["code"]: r["label"] for r in await db.execute("select code, label from categories")}
    years, by_region = _series(await _yearly(db, "region", "internet_shutdown"), 1)
    charts = [("Internet shutdowns", "shutdowns", stacked_bars(
        years, by_region, "Alerts about internet shutdowns per year, by region"))]
    years, by_category = _series(await _yearly(db, "world"), 2)
    total = by_category.pop("all", {})
    charts.append(("All alerts", "all", stacked_bars(years, {"All alerts": total},
                                                    "Alerts per year")))
    for code, values in sorted(by_category.items(), key=lambda kv: -sum(kv[1].values())):
        charts.append((labels.get(code, code), code, stacked_bars(
            years, {labels.get(code, code): values}, f"{labels.get(code, code)}: alerts per year",
            width=370, height=180)))
    return charts


async def _comparison(db, country: str) -> str | None:
    found = (await db.execute("select name, region from countries where code = :c",
                              {"c": country})).first()
    if found is None:
        return None
    name, region = found
    rows = [r for level, area in (("country", country), ("region", region), ("world", None))
            for r in await _yearly(db, level, "all", area)]
    years, series = _series(rows, 1)
    renamed = {name: series.get(country, {}), region: series.get(region, {}),
               "World": series.get("World", {})}
    totals = {k: max(sum(v.values()), 1) for k, v in renamed.items()}
    shares = {k: {y: round(1000 * n / totals[k]) for y, n in v.items()}
              for k, v in renamed.items()}
    return lines(years, shares, f"{name} beside {region} and the world: share of each "
                 "one's alerts per year (per mille)")


@hookimpl
def register_routes():
    return [(r"^/-/trends$", trends)]


@hookimpl
def menu_links(datasette, actor):
    return [{"href": datasette.urls.path("/-/trends"), "label": "Trend charts"},
            {"href": datasette.urls.path("/-/downloads"), "label": "Downloads"}]
