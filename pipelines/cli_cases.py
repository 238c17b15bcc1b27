"""``ifex-alerts cases-report``: case linking measured on the real case set and the sample.

The real set (``warehouse/cases_gold/records``) goes through the product's path: written as a
drop folder, ingested by the ``files`` source with ``incident_ref`` mapped from the case
key, enriched, built into a warehouse, linked. The sample figures come from a sample
warehouse (built here, or the one given). Writes ``warehouse/CASES.md`` and
``warehouse/cases_gold/README.md``.
"""

from __future__ import annotations

import json
import tempfile
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

REPO = Path(__file__).resolve().parents[1]
GOLD_DIR = REPO / "warehouse" / "cases_gold"
CASES_MD = REPO / "warehouse" / "CASES.md"
COMMAND = "ifex-alerts cases-report"
console = Console(stderr=True)

METHOD = """\
1. **People, from the extractor.** Each alert's `persons` (nlp/persons.py): capitalised
   runs in Latin and Cyrillic script, the words after a role word or a common given name in
   Arabic, with the role stated next to the name. Each person is keyed by the consonant
   skeleton of the given name and of each family word, after Russian lemmatisation and
   Arabic clitic removal (`models/names.py`): "Ivan Golunov", «Ивана Голунова» → given
   `vn`, family `klnv`. Two people are the same when they share a family key and their
   given names do not contradict; with the same given name, family keys one letter apart
   also match (Khashoggi / خاشقجي). Officials (a title before the name) never link, nor do
   family names common in a country that year, nor a lone word with no stated role, nor a
   role word, a region or a place after "in" read as a name ("Columnist X", "Southeast
   Asian", "in Port Said").
2. **Subjects.** The people of the title; else the first person of the text and those named
   right after; and anyone the lead names with a victim's role who is not a relative of a
   title subject (a shared family name). An alert joins a case only through a subject of
   both, so a victim cited for context ("like Politkovskaya, killed in 2006") links nothing.
3. **Date order, one pass.** Each alert joins the open case it shares the most subjects
   with, in a country they share, if the case accepts it, else it starts a case; cases
   never merge (one wrong match cannot chain two incidents).
4. **What a case accepts** (`warehouse/cases/stages.py`): another report within a week
   (unless it names another city); a later step of the story — for a killing or a
   disappearance, anything (trials, acquittals, anniversaries of impunity); for a custody
   story, anything that does not start it over (a new arrest after the release, new charges
   after the sentence, months later, are new cases). A year or more after the case's last
   report, a report joins only if it moves the story on and names one of the case's years
   ("killed in 2006", "held since 2019"), or is itself about the killing or the
   disappearance. A follow-up filed under another country joins when it names the person in
   full and a year of the case, unless that full name is filed under more than three
   countries in the archive (several people share it). A report naming only a family name
   joins a case of that family name, but adds no one to it, so the case does not take in
   the next person of that family.
5. **Alerts that name no one** (shutdowns, laws, bans) join a nameless case of their country
   within a week if they share a category, or as its restoration, repeal or lifting within
   three months.
6. **Stable ids** (`warehouse/cases/ids.py`): a case keeps the id it had in the previous
   warehouse; a merge keeps the older id and redirects the other (`case_redirects`).

Memory and time: one small state per open case; named cases close 30 years after their last
report, nameless ones after three months. An alert is compared only with the 64 most
recently active cases filed under each of its name keys, so the cost per alert stays flat
as the archive grows. The time of the ×15 case build is measured by
`python -m bench.bench_cases data/warehouse.duckdb --replicas 15 --shift-days 400`."""


def gold_records() -> list[dict]:
    return [json.loads(line) for path in sorted((GOLD_DIR / "records").glob("*.jsonl"))
            for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def write_drop(records: list[dict], folder: Path) -> Path:
    """The case set as a files-source drop: one JSON line per report."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "cases_gold.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for r in records:
            out.write(json.dumps({"id": r["id"], "title": r["title"], "text": r["text"],
                                  "published": r["published"], "url": r["url"],
                                  "language": r["language"], "organisation": r.get("org"),
                                  "incident_ref": r["case_key"]}, ensure_ascii=False) + "\n")
    return path


def ingest(drop: Path, data_dir: Path, months: list[str]) -> Path:
    """Backfill the drop folder through the files source and publish; the warehouse path."""
    from pipelines.backfill import BackfillRequest, run_backfill

    request = BackfillRequest(data_dir=data_dir, source="files", path=str(drop.parent))
    summary = run_backfill(request, months, 120, True)
    if not summary.ok:
        raise RuntimeError(summary.render())
    return data_dir / "warehouse.duckdb"


def real_set_figures(records: list[dict], warehouse: Path) -> dict:
    import duckdb

    from warehouse.cases.report import evaluate_linking, negatives_merged, pair_breakdown

    negative_of = {r["case_key"]: r["negative_for"] for r in records if r.get("negative_for")}
    with duckdb.connect(str(warehouse), read_only=True) as con:
        scores = evaluate_linking(con)
        breakdown = pair_breakdown(con)
        negatives = negatives_merged(con, negative_of)
    reports = Counter(r["case_key"] for r in records if not r.get("negative_for"))
    counts = {"cases": sum(1 for n in reports.values() if n >= 2),
              "case_reports": sum(n for n in reports.values() if n >= 2),
              "negative_reports": sum(1 for r in records if r.get("negative_for"))}
    return {"scores": scores, "breakdown": breakdown, "negatives": negatives,
            "counts": counts}


def sample_figures(warehouse: Path, label: str) -> dict:
    import duckdb

    from warehouse.cases.report import evaluate_linking

    with duckdb.connect(str(warehouse), read_only=True) as con:
        return {"scores": evaluate_linking(con), "label": label}


def cases_report(
    sample_warehouse: Annotated[Path | None, typer.Option(
        help="A sample warehouse to score (default: build the sample archive here, ~3 min)")]
    = None,
    skip_sample: Annotated[bool, typer.Option(help="Only the real case set")] = False,
    work_dir: Annotated[Path | None, typer.Option(
        help="Keep the real set's drop folder and data here (default: a temporary folder)")]
    = None,
) -> None:
    """Measure case linking on the real case set (through the files source) and on the
    sample archive; write warehouse/CASES.md and warehouse/cases_gold/README.md."""
    from pipelines.backfill import BackfillRequest, run_backfill
    from pipelines.months import month_range
    from warehouse.cases.report import render_cases_md

    records = gold_records()
    first = min(r["published"] for r in records)[:7]
    last = max(r["published"] for r in records)[:7]
    with tempfile.TemporaryDirectory(prefix="ifex-cases-") as scratch:
        tmp = str(work_dir or scratch)
        with console.status("ingesting the real case set through the files source..."):
            warehouse = ingest(write_drop(records, Path(tmp) / "drop"), Path(tmp) / "data",
                               month_range(first, last))
        real = real_set_figures(records, warehouse)
        sample = None
        if sample_warehouse is not None:
            sample = sample_figures(sample_warehouse, sample_warehouse.name)
        elif not skip_sample:
            with console.status("building the sample archive..."):
                request = BackfillRequest(data_dir=Path(tmp) / "sample")
                run_backfill(request, month_range("1995-01", date.today().strftime("%Y-%m")),
                             24, True)
            sample = sample_figures(Path(tmp) / "sample" / "warehouse.duckdb", "scale 1")
    CASES_MD.write_text(render_cases_md(real, sample, METHOD, COMMAND), encoding="utf-8")
    (GOLD_DIR / "README.md").write_text(gold_readme(records), encoding="utf-8")
    console.print(f"wrote {CASES_MD}: real set P {real['scores']['precision']:.3f} "
                  f"R {real['scores']['recall']:.3f}" + (
                      f"; sample P {sample['scores']['precision']:.3f} "
                      f"R {sample['scores']['recall']:.3f}" if sample else ""))


def gold_readme(records: list[dict]) -> str:
    """The case set's README, with its counts computed from the records."""
    cases = Counter(r["case_key"] for r in records if not r.get("negative_for"))
    negatives = {r["case_key"] for r in records if r.get("negative_for")}
    spans = {}
    for r in records:
        low, high = spans.get(r["case_key"], (r["published"], r["published"]))
        spans[r["case_key"]] = (min(low, r["published"]), max(high, r["published"]))
    long_cases = sum(1 for k in cases if int(spans[k][1][:4]) - int(spans[k][0][:4]) >= 1
                     and cases[k] >= 2)
    languages = Counter(r["language"] for r in records)
    multilingual = sum(1 for k in cases if len({r["language"] for r in records
                                                 if r["case_key"] == k}) > 1)
    stages = Counter(r.get("stage") for r in records)
    return f"""# The real case set

Generated by `{COMMAND}`; do not edit by hand. Real incidents reported by several
organisations, in several languages and over years, and hard negatives that a linker could
confuse with them; used to build and measure case linking (`warehouse/CASES.md`).

Each record is kept like the extraction corpus (`nlp/corpus/README.md`): the page's `url`,
`published`, `language`, `kind`, `org`; the alert retold in our own words in its own
language; the labels of `shared/eval/GUIDE.md` (read twice, blind, and adjudicated); the
`persons` named. Besides: `case_key` (one incident; equal to `story`), `stage` (what this
report brings: arrest, charge, trial, sentence, release, killing, suspects convicted or
acquitted, anniversary...) and `negative_for` (the case a hard negative must stay apart
from). Every page was checked with `shared/eval/heldback.py` before use; none it flagged
was kept. The records also train the extractor.

## Counts
- {len(records)} records; languages: {", ".join(f"{k} {v}" for k, v in sorted(languages.items()))}
- {sum(1 for n in cases.values() if n >= 2)} cases with 2 or more reports
  ({sum(n for n in cases.values() if n >= 2)} reports, up to {max(cases.values())} for one case);
  {long_cases} of them span more than a calendar year, {multilingual} have reports in two or
  more languages
- {len(negatives)} hard-negative incidents ({sum(1 for r in records if r.get('negative_for'))}
  reports): another journalist of the same outlet, a relative or another person with the
  same surname, another attack in the same city and month, the same outlet or person in a
  separate incident years later
- stages: {", ".join(f"{k} {v}" for k, v in stages.most_common())}

Files: `records/cases_a.jsonl` (Europe and Central Asia, the Middle East and North Africa),
`records/cases_b.jsonl` (the Americas, Africa, Asia-Pacific).
"""


def register(app: typer.Typer) -> None:
    app.command("cases-report")(cases_report)
