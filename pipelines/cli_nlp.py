"""CLI commands for the extractor: extract, evaluate, model-card."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

if TYPE_CHECKING:
    from nlp.extractor import AlertText, Extraction

console = Console(stderr=True)
DEFAULT_GOLD = Path(__file__).resolve().parents[2] / "shared" / "eval" / "dev.jsonl"
"""The labelled dev set (``nlp.evaluate.DEFAULT_GOLD``; named here so that ``--help``
does not load spaCy)."""


class NotGold(ValueError):
    """A file that is not a labelled (gold) set."""


class BadLine(ValueError):
    """An input line that is not a JSON object with id, title and text."""


def parse_line(number: int, line: str) -> AlertText:
    """One JSON line -> AlertText, or BadLine naming the line number."""
    from nlp.extractor import AlertText

    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        raise BadLine(f"line {number}: not valid JSON ({error.msg})") from error
    if not isinstance(record, dict):
        raise BadLine(f"line {number}: expected a JSON object")
    missing = [key for key in ("id", "title", "text") if not isinstance(record.get(key), str)]
    if missing:
        raise BadLine(f"line {number}: missing or non-string field(s): {', '.join(missing)}")
    return AlertText(record["id"], record["title"], record["text"],
                     record.get("language"), record.get("published"))


def read_alerts(lines: Iterable[str]) -> Iterator[AlertText]:
    for number, line in enumerate(lines, start=1):
        if line.strip():
            yield parse_line(number, line)


def extraction_json(result: Extraction) -> str:
    payload = asdict(result)
    return json.dumps(payload, ensure_ascii=False)


INPUT_HELP = "JSON lines with id, title, text (optional language, published); default stdin"
OUTPUT_HELP = "Where to write JSON lines; default stdout"


def extract(
    input: Annotated[Path | None, typer.Option(help=INPUT_HELP)] = None,
    output: Annotated[Path | None, typer.Option(help=OUTPUT_HELP)] = None,
) -> None:
    """Label alerts: one JSON line out per JSON line in. A bad input line stops the run
    with an error naming the line number (exit code 2)."""
    from nlp.extractor import Extractor

    source = input.open(encoding="utf-8") if input else sys.stdin
    sink = output.open("w", encoding="utf-8") if output else sys.stdout
    try:
        for result in Extractor().extract(read_alerts(source)):
            sink.write(extraction_json(result) + "\n")
    except BadLine as error:
        console.print(f"[red]error:[/red] {error}")
        raise typer.Exit(code=2) from error
    finally:
        if input:
            source.close()
        if output:
            sink.close()


def print_report(report: dict) -> None:
    from rich.table import Table

    console.print(f"records: {report['records']}  primary-country accuracy: "
                  f"{report['primary_country_accuracy']:.3f}")
    for name, scores in report["fields"].items():
        table = Table(title=f"{name}  micro F1 {scores['micro']['f1']:.3f}  "
                      f"macro F1 {scores['macro']['f1']:.3f}")
        for column in ("label", "P", "R", "F1", "support", "predicted"):
            table.add_column(column)
        for label, row in scores["labels"].items():
            table.add_row(label, f"{row['precision']:.2f}", f"{row['recall']:.2f}",
                          f"{row['f1']:.2f}", str(row["support"]), str(row["predicted"]))
        Console().print(table)
    Console().print("[bold]worst errors[/bold]")
    for error in report["worst_errors"]:
        Console().print(error)


def load_checked_gold(path: Path) -> list[dict]:
    """The records of a gold file; NotGold naming why it is not one (missing, not JSON
    lines, a record without labels: ``nlp.evaluate.load_gold`` checks every line)."""
    from nlp import evaluate

    if not path.exists():
        raise NotGold(f"gold file {path} not found")
    try:
        return evaluate.load_gold(path)
    except evaluate.NotGold as error:
        raise NotGold(str(error)) from None
    except UnicodeDecodeError as error:
        raise NotGold(f"{path} is not UTF-8 JSON lines ({error})") from None


GoldOption = Annotated[Path | None, typer.Option(
    help="Labelled JSON lines (default ../shared/eval/dev.jsonl)")]


def evaluate_command(
    gold: GoldOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON")] = False,
) -> None:
    """Score the extractor on a labelled set: per-field micro/macro and per-label
    P/R/F1, primary-country accuracy and the worst errors."""
    from nlp.evaluate import evaluate

    try:
        records = load_checked_gold(gold or DEFAULT_GOLD)
    except NotGold as error:
        console.print(f"[red]error:[/red] {error}", highlight=False, soft_wrap=True)
        raise typer.Exit(code=2) from None
    with console.status("extracting and scoring..."):
        report = evaluate(records).to_dict()
    if as_json:
        typer.echo(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        print_report(report)


def model_card(
    gold: Annotated[Path, typer.Option(help="Labelled JSON lines")] = DEFAULT_GOLD,
) -> None:
    """Regenerate nlp/MODEL_CARD.md and nlp/evaluation.json (what releases embed) from the
    evaluation and a speed measurement."""
    from nlp.model_card import write_model_card

    with console.status("evaluating and measuring speed..."):
        path = write_model_card(gold)
    console.print(f"wrote {path}")


def train(
    corpus: Annotated[list[Path] | None, typer.Option(
        help="Labelled JSON-lines files (default: nlp/corpus/records and "
             "warehouse/cases_gold/records)")] = None,
    folds: Annotated[int, typer.Option(help="Cross-validation folds, grouped by story")] = 5,
) -> None:
    """Rebuild the trained label model from the labelled real-alert corpus: grouped
    cross-validation, calibration on the held-out folds, final fit. Writes
    nlp/data/label_model.json.gz and its cross-validated figures (label_model_cv.json);
    deterministic, so the same corpus gives the same files."""
    from rich.progress import Progress

    from nlp.learned.model import MODEL_PATH, save_model
    from nlp.learned.report import CV_PATH, cv_report, write_cv_report
    from nlp.learned.train import TrainSettings, fits_to_run
    from nlp.learned.train import train as run_training

    settings = TrainSettings(folds=folds)
    missing = [str(p) for p in corpus or [] if not p.exists()]
    if missing:
        console.print(f"[red]error:[/red] corpus file(s) not found: {', '.join(missing)}")
        raise typer.Exit(code=2)
    with Progress(console=console) as progress:
        task = progress.add_task("training", total=fits_to_run(settings))
        result = run_training(corpus, settings, step=lambda n: progress.advance(task, n))
    save_model(result.model)
    write_cv_report(cv_report(result))
    meta = result.model.meta
    console.print(f"trained on {meta['corpus']['records']} records "
                  f"(sha256 {meta['corpus']['sha256'][:12]}): wrote {MODEL_PATH} and {CV_PATH}")


def corpus_card() -> None:
    """Regenerate nlp/corpus/README.md (counts per label and language, provenance and the
    agreement of the two readings) from the corpus records."""
    from nlp.corpus_card import write_corpus_card

    console.print(f"wrote {write_corpus_card()}")


def gazetteer_cache() -> None:
    """Rebuild nlp/data/gazetteer_cache.json.gz (the gazetteers read at start-up)."""
    from nlp.gazetteer_cache import write_cache

    console.print(f"wrote {write_cache()}")


def register(app: typer.Typer) -> None:
    """Add the NLP commands to the main CLI."""
    app.command("extract")(extract)
    app.command("train")(train)
    app.command("corpus-card")(corpus_card)
    app.command("gazetteer-cache")(gazetteer_cache)
    app.command("evaluate")(evaluate_command)
    app.command("model-card")(model_card)
