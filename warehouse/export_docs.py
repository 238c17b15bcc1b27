"""Documentation files of a release: schema.json, SCHEMA.md and README.md."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import duckdb

from models.taxonomy import CATEGORIES, VICTIM_TYPES
from warehouse.ddl import duckdb_type
from warehouse.tables import by_name

REPO = Path(__file__).resolve().parents[1]
MODEL_CARD = REPO / "nlp" / "MODEL_CARD.md"
EVALUATION_GLOBS = ("nlp/evaluation*.json", "nlp/eval/*.json", "nlp/*eval*.json")
LICENCE = "CC BY 4.0"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
TEMPLATE = Path(__file__).with_name("export_readme.md")


def table_names(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Tables and views of the warehouse's main schema, alerts first."""
    rows = con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' "
        "AND table_catalog = current_database() ORDER BY table_name = 'alerts' DESC, table_name"
    ).fetchall()
    return [name for (name,) in rows]


def nlp_evaluation() -> dict | None:
    """The newest NLP evaluation JSON in the repo (accuracy figures), if there is one."""
    found = sorted({p for pattern in EVALUATION_GLOBS for p in REPO.glob(pattern)})
    if not found:
        return None
    return {"file": found[-1].relative_to(REPO).as_posix(),
            "results": json.loads(found[-1].read_text())}


def schema_document(con: duckdb.DuckDBPyConnection, release: date,
                    counts: dict[str, int]) -> dict:
    """Everything schema.json says: tables, columns, taxonomy, NLP version and accuracy."""
    versions = [v for (v,) in con.execute(
        "SELECT DISTINCT nlp_version FROM alerts ORDER BY 1").fetchall()]
    return {
        "release": release.isoformat(), "licence": LICENCE, "licence_url": LICENCE_URL,
        "nlp_versions": versions, "nlp_evaluation": nlp_evaluation(),
        "model_card": "MODEL_CARD.md" if MODEL_CARD.exists() else None,
        "tables": [_table_doc(con, name, counts.get(name, 0)) for name in table_names(con)],
        "taxonomy": {
            "categories": [vars(label) for label in CATEGORIES],
            "victim_types": [vars(label) for label in VICTIM_TYPES],
        },
    }


def _table_doc(con: duckdb.DuckDBPyConnection, name: str, rows: int) -> dict:
    definition = by_name().get(name)
    docs = {c.name: c for c in definition.columns} if definition else {}
    columns = []
    for column, dtype, nullable, *_ in con.execute(f'DESCRIBE "{name}"').fetchall():
        doc = docs.get(column)
        columns.append({
            "name": column,
            "type": duckdb_type(doc.type) if doc else dtype,
            "nullable": doc.nullable if doc else nullable == "YES",
            "description": doc.description if doc else "",
        })
    files = ["alerts/year=YYYY/*.parquet", "alerts.parquet", "alerts.csv.gz"] \
        if name == "alerts" else [f"{name}.parquet"]
    return {"name": name, "description": definition.description if definition else "",
            "rows": rows, "files": files, "columns": columns}


def schema_markdown(doc: dict) -> str:
    """SCHEMA.md: the schema document for people."""
    lines = [f"# Schema of release {doc['release']}", "",
             f"Licence: {doc['licence']} ({doc['licence_url']}).",
             f"NLP version(s) that labelled the alerts: {', '.join(doc['nlp_versions']) or '-'}.",
             _accuracy_line(doc), ""]
    for table in doc["tables"]:
        lines += [f"## {table['name']} ({table['rows']} rows)", "", table["description"], "",
                  f"Files: {', '.join(table['files'])}", "",
                  "| column | type | nullable | meaning |", "|---|---|---|---|"]
        lines += [f"| {c['name']} | {c['type']} | {'yes' if c['nullable'] else 'no'} | "
                  f"{c['description']} |" for c in table["columns"]]
        lines.append("")
    for kind, labels in doc["taxonomy"].items():
        lines += [f"## Taxonomy: {kind}", "", "| code | label | covers |", "|---|---|---|"]
        lines += [f"| {x['code']} | {x['label']} | {x['description']} |" for x in labels]
        lines.append("")
    return "\n".join(lines)


def _accuracy_line(doc: dict) -> str:
    evaluation = doc["nlp_evaluation"]
    if evaluation:
        return (f"Measured accuracy: see `nlp_evaluation` in schema.json "
                f"(from {evaluation['file']}).")
    if doc["model_card"]:
        return "Measured accuracy: see MODEL_CARD.md."
    return "Measured accuracy: no evaluation was available when this release was built."


def write_docs(con: duckdb.DuckDBPyConnection, out: Path, release: date,
               counts: dict[str, int]) -> None:
    """Write schema.json, SCHEMA.md, README.md (and MODEL_CARD.md if the NLP has one)."""
    doc = schema_document(con, release, counts)
    (out / "schema.json").write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
    (out / "SCHEMA.md").write_text(schema_markdown(doc))
    readme = TEMPLATE.read_text().replace("{release}", release.isoformat())
    (out / "README.md").write_text(readme.replace("{alerts}", str(counts.get("alerts", 0))))
    if MODEL_CARD.exists():
        shutil.copyfile(MODEL_CARD, out / "MODEL_CARD.md")
