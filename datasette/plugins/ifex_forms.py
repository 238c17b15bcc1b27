"""Canned-query forms offer choices: a country, region, category or year is picked from a
list of names instead of typed (typing "Iran" where a code was expected gave 0 rows).

The choices come from the database (once per published version) and a few lines of
JavaScript turn each known text field into a select; without JavaScript the text field
stays, and the queries accept a name as well as a code (datasette/metadata.yml)."""

from __future__ import annotations

import json

from datasette import hookimpl
from warehouse.site.display import category_labels

DATABASE = "alerts"
_CHOICES: dict[str | None, dict] = {}
SCRIPT = """(function () {
  const choices = %s, empty = %s;
  for (const [name, options] of Object.entries(choices)) {
    const input = document.querySelector('form.sql input[type="text"][name="' + name + '"]');
    if (!input) continue;
    const select = document.createElement("select");
    select.name = name; select.id = input.id;
    const all = empty[name] ? [["", empty[name]]] : [];
    const known = all.concat(options);
    if (input.value && !known.some(([v, l]) => v === input.value || l === input.value))
      known.unshift([input.value, input.value]);
    for (const [value, label] of known) {
      const option = new Option(label, value, false,
                                value === input.value || label === input.value);
      select.add(option);
    }
    input.replaceWith(select);
  }
})();"""


async def choices(db) -> dict[str, list[tuple[str, str]]]:
    """(value, label) per parameter name, read once per published version."""
    if db.hash is not None and db.hash in _CHOICES:
        return _CHOICES[db.hash]
    countries = [(r["code"], r["name"]) for r in await db.execute(
        "select code, name from countries where code in (select distinct area from "
        "yearly_counts where level = 'country') order by name")]
    regions = [(r[0], r[0]) for r in await db.execute(
        "select distinct area from yearly_counts where level = 'region' order by area")]
    years = [(str(r[0]), str(r[0])) for r in await db.execute(
        "select distinct year from yearly_counts order by year desc")]
    found = {"country": countries, "region": regions, "year": years, "since": years,
             "category": sorted(category_labels().items(), key=lambda item: item[1])}
    _CHOICES[db.hash] = found
    return found


def empty_labels(sql: str) -> dict[str, str]:
    """The parameters a query treats as "all" when left empty, with what empty means."""
    labels = {"country": "(all countries)", "year": "(every year)",
              "category": "(all alerts)", "region": "(all regions)"}
    return {name: text for name, text in labels.items()
            if f":{name} = ''" in sql or f"nullif(:{name}, '')" in sql}


@hookimpl
def extra_body_script(template, database, view_name, request, datasette):
    if database != DATABASE or not template.startswith("query") or request is None:
        return None

    async def inner():
        name = request.path.rstrip("/").rsplit("/", 1)[-1]
        query = await datasette.get_canned_query(DATABASE, name, None)
        if not query:
            return ""
        params = await choices(datasette.get_database(DATABASE))
        wanted = {k: v for k, v in params.items() if f":{k}" in query["sql"]}
        return SCRIPT % (json.dumps(wanted, ensure_ascii=False),
                         json.dumps(empty_labels(query["sql"])))
    return inner
