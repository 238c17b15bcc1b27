"""Documentation files of a release: schema.json, SCHEMA.md and README.md."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb

from models.taxonomy import CATEGORIES, VICTIM_TYPES
from warehouse import stamps
from warehouse.ddl import duckdb_type
from warehouse.tables import by_name

REPO = Path(__file__).resolve().parents[1]
MODEL_CARD = REPO / "nlp" / "MODEL_CARD.md"
EVALUATION = REPO / "nlp" / "evaluation.json"
"""Written by ``ifex-alerts model-card`` (nlp/model_card.py) beside MODEL_CARD.md."""
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


def nlp_evaluation(path: Path = EVALUATION) -> dict | None:
    """The NLP evaluation (version, P/R/F1 per field, primary-country accuracy), if any."""
    if not path.exists():
        return None
    return {"file": path.relative_to(REPO).as_posix() if path.is_relative_to(REPO)
            else path.name, **json.loads(path.read_text(encoding="utf-8"))}


def docs_fingerprint() -> str:
    """Digest of the NLP files a release embeds (a new evaluation means new docs)."""
    return stamps.files_digest([p for p in (EVALUATION, MODEL_CARD) if p.exists()], REPO)


def licences(con: duckdb.DuckDBPyConnection) -> list[dict]:
    """Licences of the alerts, per source: [{licence, source, alerts}]."""
    rows = con.execute("SELECT licence, source, count(*) FROM alerts GROUP BY ALL "
                       "ORDER BY licence, source").fetchall()
    return [{"licence": lic, "source": src, "alerts": n} for lic, src, n in rows]


def measured_on(evaluation: dict | None) -> dict | None:
    """Which labelled file the published accuracy was measured on: its path, SHA-256 and
    record count as ``nlp/evaluation.json`` records them (``gold`` as an object, or a
    file name with ``records`` beside it); a key it lacks is null."""
    if not evaluation:
        return None
    gold = evaluation.get("gold")
    gold = gold if isinstance(gold, dict) else {"path": gold}
    return {"path": gold.get("path") or gold.get("file"), "sha256": gold.get("sha256"),
            "records": gold.get("records", evaluation.get("records")),
            "nlp_version": evaluation.get("nlp_version"),
            "generated": evaluation.get("generated")}


def schema_document(con: duckdb.DuckDBPyConnection, release: str,
                    counts: dict[str, int]) -> dict:
    """Everything schema.json says: tables, columns, taxonomy, NLP version and accuracy."""
    versions = [v for (v,) in con.execute(
        "SELECT DISTINCT nlp_version FROM alerts ORDER BY 1").fetchall()]
    evaluation = nlp_evaluation()
    return {
        "release": release, "licence": LICENCE, "licence_url": LICENCE_URL,
        "licences": licences(con),
        "nlp_versions": versions, "nlp_evaluation": evaluation,
        "accuracy_measured_on": measured_on(evaluation),
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
    files = ["alerts/year=YYYY/*.parquet", "alerts.parquet", "alerts.csv", "alerts.csv.gz"] \
        if name == "alerts" else [f"{name}.parquet"]
    return {"name": name, "description": definition.description if definition else "",
            "rows": rows, "files": files, "columns": columns}


def schema_markdown(doc: dict) -> str:
    """SCHEMA.md: the schema document for people."""
    lines = [f"# Schema of release {doc['release']}", "",
             f"Licence: {doc['licence']} ({doc['licence_url']}) unless a source says "
             "otherwise (column `licence`).", *licence_lines(doc["licences"]),
             f"NLP version(s) that labelled the alerts: {', '.join(doc['nlp_versions']) or '-'}.",
             "", *accuracy_lines(doc), ""]
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


def licence_lines(rows: list[dict]) -> list[str]:
    """A per-source licence table when the alerts carry more than one licence."""
    if len({r["licence"] for r in rows}) < 2:
        return []
    return ["", "Licences by source:", "", "| source | licence | alerts |", "|---|---|---|",
            *(f"| {r['source']} | {r['licence']} | {r['alerts']} |" for r in rows), ""]


def accuracy_lines(doc: dict) -> list[str]:
    """The measured accuracy: per-field micro/macro P/R/F1 and primary-country accuracy."""
    ev = doc["nlp_evaluation"]
    if not ev:
        return ["Measured accuracy: no evaluation was available when this release was built."]
    gold = doc.get("accuracy_measured_on") or {}
    digest = f", SHA-256 `{gold['sha256']}`" if gold.get("sha256") else ""
    lines = [f"Measured accuracy of NLP {ev['nlp_version']} on `{gold.get('path')}` "
             f"({gold.get('records')} hand-labelled alerts{digest}, {ev.get('generated')}; "
             "`nlp_evaluation` and `accuracy_measured_on` in schema.json, details in "
             f"MODEL_CARD.md): primary-country accuracy {ev['primary_country_accuracy']:.3f}.",
             "",
             "| field | micro P | micro R | micro F1 | macro P | macro R | macro F1 |",
             "|---|---|---|---|---|---|---|"]
    for name, scores in ev["fields"].items():
        micro, macro = scores["micro"], scores["macro"]
        lines.append(f"| {name} | " + " | ".join(
            f"{s[k]:.3f}" for s in (micro, macro) for k in ("precision", "recall", "f1"))
            + " |")
    return lines


def write_docs(con: duckdb.DuckDBPyConnection, out: Path, release: str,
               counts: dict[str, int]) -> None:
    """Write schema.json, SCHEMA.md, README.md (and MODEL_CARD.md if the NLP has one)."""
    doc = schema_document(con, release, counts)
    (out / "schema.json").write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
    (out / "SCHEMA.md").write_text(schema_markdown(doc))
    readme = TEMPLATE.read_text().replace("{release}", release)
    readme = readme.replace("{licences}", "\n".join(licence_lines(doc["licences"])))
    (out / "README.md").write_text(readme.replace("{alerts}", str(counts.get("alerts", 0))))
    if MODEL_CARD.exists():
        shutil.copyfile(MODEL_CARD, out / "MODEL_CARD.md")
