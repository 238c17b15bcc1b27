"""The ``ifex-alerts`` command line: backfill, extract, evaluate, serve, generate-sample."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import Progress

from pipelines import cli_cases, cli_nlp
from pipelines.backfill import BackfillRequest, month_range, run_backfill
from pipelines.resources import DATA_DIR_ENV, LAKE_URL_ENV, RELEASES_URL_ENV

app = typer.Typer(help="ifex-alerts: the open-data pipeline for IFEX free-expression alerts.",
                  no_args_is_help=True, add_completion=False)
console = Console(stderr=True)

DataDir = Annotated[Path, typer.Option("--data-dir", envvar=DATA_DIR_ENV,
                                       help="Where all data is read and written.")]


def _this_month() -> str:
    return datetime.now(UTC).strftime("%Y-%m")


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
    chunk: Annotated[int, typer.Option(help="Months per Dagster run.")] = 24,
    publish: Annotated[bool, typer.Option(help="Rebuild warehouse, release and Datasette "
                                          "after ingesting.")] = True,
    rebuild: Annotated[bool, typer.Option(help="Rebuild warehouse, release and Datasette even "
                                          "if their inputs are unchanged.")] = False,
    lake_url: Annotated[str | None, typer.Option(envvar=LAKE_URL_ENV, help="The lake in object "
                                                 "storage, e.g. s3://bucket/lake.")] = None,
    releases_url: Annotated[str | None, typer.Option(envvar=RELEASES_URL_ENV, help="Also "
                            "publish each release there, e.g. s3://bucket/releases.")] = None,
) -> None:
    """Materialize raw → enriched for a month range, then the warehouse, the Parquet release
    and the Datasette database: the same Dagster assets the UI runs, in this process."""
    if str(data_dir).split("/", 1)[0].endswith(":"):
        console.print("[red]--data-dir is a local directory; put the lake and the releases in "
                      "a bucket with --lake-url and --releases-url.[/red]")
        raise typer.Exit(2)
    options = dict(item.split("=", 1) for item in option or [])
    request = BackfillRequest(data_dir=data_dir, source=source, url=url, path=path,
                              options=options, rebuild=rebuild, lake_url=lake_url,
                              releases_url=releases_url)
    months = month_range(start, end or _this_month())
    with Progress(console=console) as progress:
        task = progress.add_task(f"ingesting {len(months)} months from {source}",
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
    """Serve the published database read-only with Datasette."""
    from warehouse.serve import datasette_command

    database = data_dir / "datasette" / "alerts.db"
    if not database.exists():
        console.print(f"[red]{database} does not exist: run `ifex-alerts backfill` first.[/red]")
        raise typer.Exit(1)
    base = f"http://{host}:{port}"
    console.print(f"Datasette: {base}/\n  alerts (JSON): {base}/alerts/alerts.json\n"
                  f"  trends: {base}/-/trends\n  downloads: {base}/-/downloads\n"
                  "Ctrl-C stops it.")
    with contextlib.suppress(KeyboardInterrupt):
        subprocess.run(datasette_command(data_dir, host=host, port=port), check=True)


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
    from pipelines.sources.sample import SampleSource, raw_record_to_json

    months = month_range(start, end or _this_month())
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
