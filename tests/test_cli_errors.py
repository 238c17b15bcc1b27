"""Bad arguments are one clear line and exit code 2, before anything runs; ``--help``
loads neither Dagster nor spaCy; SIGTERM to ``ifex-alerts serve`` frees its port."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipelines.cli import app
from tests.lake_fixtures import build_all
from tests.test_datasette_api import free_port, wait_for

CLI = Path(sys.executable).with_name("ifex-alerts")


def run(*argv: str):
    return CliRunner().invoke(app, list(argv), env={"COLUMNS": "200"})


@pytest.mark.parametrize(("argv", "reason"), [
    (["--from", "2024-13"], "'2024-13' is not a month"),
    (["--from", "2024-1"], "is not a month"),
    (["--from", "2012-05", "--to", "2012-01"], "after --to 2012-01: the range is reversed"),
    (["--from", "1990-01", "--to", "1990-02"], "months run from 1995-01"),
    (["--source", "nope"], "unknown source 'nope'"),
    (["--source", "wordpress"], "needs a url"),
    (["-o", "scale"], "is not KEY=VALUE"),
])
def test_backfill_checks_its_arguments_before_anything_runs(tmp_path, argv, reason):
    result = run("backfill", "--data-dir", str(tmp_path / "data"), *argv)
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert result.exit_code == 2, result.output
    assert len(lines) == 1 and lines[0].startswith("error: ") and reason in lines[0], lines
    assert not (tmp_path / "data").exists(), "nothing ran: no lake, no Dagster instance"


def test_evaluate_on_a_file_that_is_not_gold_says_so(tmp_path):
    alerts = tmp_path / "alerts.jsonl"
    alerts.write_text(json.dumps({"id": "a", "title": "t", "text": "x"}) + "\n")
    not_json = tmp_path / "notes.txt"
    not_json.write_text("hello\n")
    for path, reason in ((alerts, "is not a labelled (gold) file: record 1 has no labels"),
                         (not_json, "is not JSON lines"),
                         (tmp_path / "absent.jsonl", "not found")):
        result = run("evaluate", "--gold", str(path))
        lines = [line for line in result.output.splitlines() if line.strip()]
        assert result.exit_code == 2 and len(lines) == 1 and reason in lines[0], result.output


def test_help_and_argument_errors_load_neither_dagster_nor_spacy():
    code = ("import sys\nfrom typer.testing import CliRunner\nfrom pipelines.cli import app\n"
            "for argv in (['--help'], ['backfill', '--help'], ['backfill', '--from', 'x']):\n"
            "    CliRunner().invoke(app, argv)\n"
            "print(sorted(m for m in ('dagster', 'spacy', 'duckdb', 'datasette', 'pyarrow')"
            " if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=Path(__file__).resolve().parents[1]).stdout
    assert out.strip() == "[]"


def port_is_free(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def test_sigterm_to_serve_stops_datasette_and_frees_the_port(tmp_path):
    paths = build_all(tmp_path / "data")
    port = free_port()
    process = subprocess.Popen([str(CLI), "serve", "--data-dir", str(paths["data"]),
                                "--port", str(port)], stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, env=dict(os.environ))
    try:
        assert wait_for(f"http://127.0.0.1:{port}/alerts.json").status_code == 200
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=15) is not None
    finally:
        if process.poll() is None:
            process.kill()
    assert port_is_free(port), "nothing is left holding the port"
