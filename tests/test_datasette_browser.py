"""Pages in headless Chromium: the rendered DOM and the screenshot's pixels (read with a
small stdlib PNG decoder: zlib + struct). The trend page shows the charts' series colours;
the alert page (Arabic, right to left, evidence highlighted), the case page and the
methodology page show their key elements and the demo-data banner."""

from __future__ import annotations

import json
import shutil
import sqlite3
import struct
import subprocess
import zlib
from collections import Counter
from contextlib import closing
from pathlib import Path

import pytest

from tests.lake_fixtures import alert_row, build_all
from tests.test_datasette_api import free_port, wait_for
from tests.test_datasette_pages import ARABIC_TITLE, arabic_alert
from warehouse.serve import datasette_command
from warehouse.site.charts import PALETTE

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed")]

FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--window-size=1280,1600")


CHANNELS = {2: 3, 6: 4}  # colour type → bytes per pixel (8-bit RGB, RGBA)


def _chunks(data: bytes):
    pos = 8
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        yield kind, data[pos + 8:pos + 8 + length]
        pos += 12 + length


def _paeth(a: int, b: int, c: int) -> int:
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    return a if pa <= pb and pa <= pc else b if pb <= pc else c


def _unfilter(kind: int, line: bytearray, prev: bytearray, bpp: int) -> bytearray:
    if kind == 0:
        return line
    if kind == 2:
        return bytearray((x + b) & 255 for x, b in zip(line, prev, strict=True))
    out = bytearray(len(line))
    for i, x in enumerate(line):
        a = out[i - bpp] if i >= bpp else 0
        b, c = prev[i], prev[i - bpp] if i >= bpp else 0
        out[i] = (x + (a if kind == 1 else (a + b) // 2 if kind == 3
                       else _paeth(a, b, c))) & 255
    return out


def pixel_rows(data: bytes):
    """Each row of an 8-bit RGB/RGBA PNG as a list of (r, g, b)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    chunks = list(_chunks(data))
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", chunks[0][1])
    assert depth == 8 and colour in CHANNELS and not interlace, "unsupported PNG"
    bpp = CHANNELS[colour]
    raw = zlib.decompress(b"".join(body for kind, body in chunks if kind == b"IDAT"))
    stride, prev = width * bpp, bytearray(width * bpp)
    for row in range(height):
        start = row * (stride + 1)
        prev = _unfilter(raw[start], bytearray(raw[start + 1:start + 1 + stride]), prev, bpp)
        yield list(zip(prev[0::bpp], prev[1::bpp], prev[2::bpp], strict=True))


def rgb_counts(data: bytes) -> Counter:
    """How many pixels of each (r, g, b) colour an 8-bit RGB/RGBA PNG has."""
    counts: Counter = Counter()
    for row in pixel_rows(data):
        counts.update(row)
    return counts


def colour_positions(data: bytes, colour: tuple[int, int, int]) -> list[tuple[int, int]]:
    """(x, y) of every pixel of one colour."""
    return [(x, y) for y, row in enumerate(pixel_rows(data))
            for x, pixel in enumerate(row) if pixel == colour]


def hex_rgb(colour: str) -> tuple[int, int, int]:
    return tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))


def chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={tmp_path / 'profile'}", *args],
                          capture_output=True, text=True, timeout=60, check=True)


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """The fixture lake plus an Arabic alert and one sample-archive alert (demo data),
    served by a real Datasette process."""
    root = tmp_path_factory.mktemp("browser")
    sample = dict(alert_row(70), source="sample", source_id="s-1", alert_id="sample-s-1")
    paths = build_all(root / "data", others=[arabic_alert(), sample])
    port = free_port()
    process = subprocess.Popen(datasette_command(paths["data"], port=port),
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        assert wait_for(f"{base}/-/trends").status_code == 200
        yield base, paths
    finally:
        process.terminate()
        process.wait(timeout=10)


def render(tmp_path: Path, url: str, name: str) -> tuple[str, bytes]:
    """The DOM after Chromium ran the page, and its screenshot (PNG bytes)."""
    dom = chromium(tmp_path, "--dump-dom", url).stdout
    shot = tmp_path / f"{name}.png"
    chromium(tmp_path, f"--screenshot={shot}", url)
    return dom, shot.read_bytes()


def test_trend_page_renders_charts(served, tmp_path):
    base, _ = served
    dom, png = render(tmp_path, f"{base}/-/trends?country=ET", "trends")
    assert 'id="chart-shutdowns"' in dom and 'class="ifex-chart"' in dom
    assert dom.count("<rect") > 10 and "<polyline" in dom
    pixels = rgb_counts(png)
    series = {colour: pixels[hex_rgb(colour)] for colour in PALETTE[:3]}
    assert series[PALETTE[0]] > 20_000, f"bars of the first series and 'All alerts': {series}"
    assert min(series.values()) > 1_000, f"the second and third series are drawn: {series}"


BANNER = hex_rgb("#fff3cd")
MARKS = {"categories": hex_rgb("#ffd6a5"), "victim_types": hex_rgb("#caffbf"),
         "countries": hex_rgb("#bde0fe")}


def test_the_alert_page_in_arabic_reads_right_to_left(served, tmp_path):
    base, _ = served
    dom, png = render(tmp_path, f"{base}/alert/partner-ar-1", "alert")
    assert '<h1 dir="rtl">' in dom and '<div class="ifex-text" dir="rtl">' in dom
    assert ARABIC_TITLE.split()[0] in dom and "ifex-demo-banner" in dom
    assert '<mark class="ifex-ev ifex-ev-categories" title="Category: Internet shutdown">' in dom
    assert 'class="ifex-case-link" href="/case/case-' in dom and "Cite this:" in dom
    assert rgb_counts(png)[BANNER] > 5_000, "the demo banner is drawn"
    width = struct.unpack(">I", png[16:20])[0]
    for field, colour in MARKS.items():
        xs = [x for x, _ in colour_positions(png, colour)]
        assert len(xs) > 100, f"{field} evidence is highlighted"
    marks = colour_positions(png, MARKS["categories"])  # the legend's, then the text's
    lowest = max(y for _, y in marks)
    in_text = [x for x, y in marks if y > lowest - 15]
    assert min(in_text) > width * 0.4, "the Arabic sentence runs from the right"
    heading = [x for x, y in colour_positions(png, MARKS["countries"]) if y < 200]
    assert heading and min(heading) > width * 0.5, "the Arabic title starts at the right"


def test_the_case_page_and_the_methodology_page(served, tmp_path):
    base, paths = served
    with closing(sqlite3.connect(paths["sqlite"])) as db:
        case_id, n = db.execute("select case_id, n_alerts from cases order by n_alerts desc, "
                                "case_id limit 1").fetchone()
    dom, png = render(tmp_path, f"{base}/case/{case_id}", "case")
    assert "Outcome so far" in dom and dom.count('href="/alert/') == n
    assert "Reports in date order" in dom and rgb_counts(png)[BANNER] > 5_000
    dom, png = render(tmp_path, f"{base}/-/methodology", "methodology")
    evaluation = json.loads((REPO / "nlp" / "evaluation.json").read_text())
    micro = evaluation["fields"]["categories"]["micro"]["f1"]
    assert f"<td>Categories</td><td>{micro:.2f}" in dom
    assert 'id="accuracy-categories"' in dom and "How cases are linked" in dom
    assert "ifex-demo-banner" in dom and rgb_counts(png)[BANNER] > 5_000
