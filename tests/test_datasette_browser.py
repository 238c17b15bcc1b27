"""The trend page in headless Chromium: the rendered DOM has the SVG charts; screenshot."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.lake_fixtures import build_all
from tests.test_datasette_api import free_port, wait_for
from warehouse.serve import datasette_command

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed")]

FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--window-size=1280,1600")


def chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={tmp_path / 'profile'}", *args],
                          capture_output=True, text=True, timeout=60, check=True)


def test_trend_page_renders_charts(tmp_path):
    paths = build_all(tmp_path / "data")
    port = free_port()
    process = subprocess.Popen(datasette_command(paths["data"], port=port),
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        url = f"http://127.0.0.1:{port}/-/trends?country=ET"
        assert wait_for(url).status_code == 200
        dom = chromium(tmp_path, "--dump-dom", url).stdout
        shot = tmp_path / "trends.png"
        chromium(tmp_path, f"--screenshot={shot}", url)
    finally:
        process.terminate()
        process.wait(timeout=10)
    assert 'id="chart-shutdowns"' in dom and 'class="ifex-chart"' in dom
    assert dom.count("<rect") > 10 and "<polyline" in dom
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000
