"""The ``ifex-alerts`` command line: backfill, extract, evaluate, serve, generate-sample.

Imports are lazy: Dagster, spaCy and the warehouse load inside the command that needs
them, so ``--help`` and argument errors answer at once. Arguments are checked before
anything runs; a bad one is one line on stderr and exit code 2.
"""

from __future__ import annotations

import json
import os
import sys
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from pipelines import cli_cases, cli_nlp
from pipelines.months import BadMonth, month_range, this_month

DATA_DIR_ENV = "IFEX_ALERTS_DATA"
"""The data directory's environment variable (also read by pipelines.resources)."""
LAKE_URL_ENV = "IFEX_LAKE_URL"
RELEASES_URL_ENV = "IFEX_RELEASES_URL"
"""The object-storage locations' environment variables (also read by pipelines.resources)."""

app = typer.Typer(help="ifex-alerts: the open-data pipeline for IFEX free-expression alerts.",
                  no_args_is_help=True, add_completion=False)
console = Console(stderr=True)

DataDir = Annotated[Path, typer.Option("--data-dir", envvar=DATA_DIR_ENV,
                                       help="Where all data is read and written.")]


def fail(message: str) -> typer.Exit:
    """Print one error line; the caller raises the returned exit (code 2: bad usage)."""
    console.print(f"[red]error:[/red] {message}", highlight=False, soft_wrap=True)
    return typer.Exit(code=2)


def parse_options(items: list[str] | None) -> dict[str, str]:
    """``-o KEY=VALUE`` items as a dict; ValueError naming an item without ``=``."""
    options = {}
    for item in items or []:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise ValueError(f"-o {item!r} is not KEY=VALUE (e.g. -o scale=0.1)")
        options[key.strip()] = value
    return options


def checked_source(source: str, url: str | None, path: str | None,
                   options: dict[str, str]) -> None:
    """Build the connector once, so an unknown source or a missing --url/--path is an
    error here and not a failed Dagster run."""
    from pipelines.sources.registry import build_source

    build_source(source, url, path, options)


@app.command()
def backfill(
    data_dir: DataDir = Path("data"),
    start: Annotated[str, typer.Option("--from", help="First month, YYYY-MM.")] = "1995-01",
    end: Annotated[str | None, typer.Option("--to", help="Last month, YYYY-MM "
                                            "(default: this month).")] = None,
    source: Annotated[str, typer.Option(help="sample, wordpress, mbox, files or feed.")] = "sample",
    url: Annotated[str | None, typer.Option(help="Base URL (wordpress, feed).")] = None,
    path: Annotated[str | None, typer.Option(help="File or folder (mbox, files, feed).")] = None,
    option: Annotated[list[str] | None, typer.Option(
        "--option", "-o", help="Connector option KEY=VALUE, repeatable (e.g. scale=0.1).")] = None,
    chunk: Annotated[int, typer.Option(min=1, help="Months per Dagster run.")] = 24,
    publish: Annotated[bool, typer.Option(help="Rebuild warehouse, release and Datasette "
                                          "after ingesting.")] = True,
    rebuild: Annotated[bool, typer.Option(help="Rebuild warehouse, release and Datasette even "
                                          "if their inputs are unchanged.")] = False,
    enrich_only: Annotated[bool, typer.Option(
        "--enrich-only", "--reprocess", help="Re-enrich the months from the raw zone without "
        "fetching (after an extractor upgrade), then publish.")] = False,
    lake_url: Annotated[str | None, typer.Option(envvar=LAKE_URL_ENV, help="The lake in object "
                                                 "storage, e.g. s3://bucket/lake.")] = None,
    releases_url: Annotated[str | None, typer.Option(envvar=RELEASES_URL_ENV, help="Also "
                            "publish each release there, e.g. s3://bucket/releases.")] = None,
) -> None:
    """Materialize raw → enriched for a month range, then the warehouse, the Parquet release
    and the Datasette database: the same Dagster assets the UI runs, in this process."""
    if str(data_dir).split("/", 1)[0].endswith(":"):
        raise fail("--data-dir is a local directory; put the lake and the releases in a "
                   "bucket with --lake-url and --releases-url")
    try:
        months = month_range(start, end or this_month())
        options = parse_options(option)
        checked_source(source, url, path, options)
    except (BadMonth, ValueError) as error:
        raise fail(str(error)) from None
    _run_backfill(data_dir, months, source, url, path, options, chunk, publish, rebuild,
                  enrich_only, lake_url, releases_url)


def _run_backfill(data_dir: Path, months: list[str], source: str, url: str | None,
                  path: str | None, options: dict[str, str], chunk: int, publish: bool,
                  rebuild: bool, enrich_only: bool, lake_url: str | None = None,
                  releases_url: str | None = None) -> None:
    from rich.progress import Progress

    from pipelines.backfill import BackfillRequest, run_backfill

    request = BackfillRequest(data_dir=data_dir, source=source, url=url, path=path,
                              options=options, rebuild=rebuild, enrich_only=enrich_only,
                              lake_url=lake_url, releases_url=releases_url)
    verb = "re-enriching" if enrich_only else "ingesting"
    with Progress(console=console) as progress:
        task = progress.add_task(f"{verb} {len(months)} months from {source}",
                                 total=len(months) + (1 if publish else 0))
        summary = run_backfill(request, months, chunk, publish,
                               on_step=lambda n: progress.advance(task, n))
    console.print(summary.render())
    if not summary.ok:
        raise typer.Exit(1)


@app.command()
def serve(
    data_dir: DataDir = Path("data"),
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8001,
    host: Annotated[str, typer.Option(help="Interface to bind.")] = "127.0.0.1",
) -> None:
    """Serve the published database read-only with Datasette (a new publish is served
    without a restart). The process becomes Datasette, so SIGTERM stops the server."""
    from warehouse.serve import datasette_command

    database = data_dir / "datasette" / "alerts.db"
    if not database.exists():
        console.print(f"[red]{database} does not exist: run `ifex-alerts backfill` first.[/red]")
        raise typer.Exit(1)
    base = f"http://{host}:{port}"
    console.print(f"Datasette: {base}/\n  alerts (JSON): {base}/alerts/alerts.json\n"
                  f"  trends: {base}/-/trends\n  downloads: {base}/-/downloads\n"
                  f"  methodology: {base}/-/methodology\nCtrl-C stops it.")
    command = datasette_command(data_dir, host=host, port=port)
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(command[0], command)  # no child left holding the port when we are stopped


@app.command("generate-sample")
def generate_sample(
    scale: Annotated[float, typer.Option(help="Volume factor: 1 ≈ 2,000 alerts a year.")] = 1.0,
    out: Annotated[Path | None, typer.Option(help="Output JSON-lines file (default "
                                             "stdout).")] = None,
    start: Annotated[str, typer.Option("--from", help="First month, YYYY-MM.")] = "1995-01",
    end: Annotated[str | None, typer.Option("--to", help="Last month, YYYY-MM.")] = None,
    seed: Annotated[int, typer.Option(help="Random seed.")] = 1995,
) -> None:
    """Write the deterministic sample archive as JSON lines (demo data)."""
    from rich.progress import Progress

    from pipelines.sources.sample import SampleSource, raw_record_to_json

    try:
        months = month_range(start, end or this_month())
    except BadMonth as error:
        raise fail(str(error)) from None
    sample = SampleSource(scale=scale, seed=seed)
    handle = out.open("w", encoding="utf-8") if out else sys.stdout
    try:
        with Progress(console=console, disable=out is None) as progress:
            for month in progress.track(months, description="generating"):
                year, mm = (int(x) for x in month.split("-"))
                for raw in sample.fetch_month(date(year, mm, 1)):
                    handle.write(json.dumps(raw_record_to_json(raw), ensure_ascii=False) + "\n")
    finally:
        if out:
            handle.close()


cli_nlp.register(app)
cli_cases.register(app)


def main() -> None:
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    app()


if __name__ == "__main__":
    main()
