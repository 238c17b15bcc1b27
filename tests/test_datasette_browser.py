"""The trend page in headless Chromium: the rendered DOM has the SVG charts, and the
screenshot's pixels (read with a small stdlib PNG decoder: zlib + struct) show the
charts' series colours."""

from __future__ import annotations

import shutil
import struct
import subprocess
import zlib
from collections import Counter
from pathlib import Path

import pytest

from tests.lake_fixtures import build_all
from tests.test_datasette_api import free_port, wait_for
from warehouse.site.charts import PALETTE
from warehouse.serve import datasette_command

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


def rgb_counts(data: bytes) -> Counter:
    """How many pixels of each (r, g, b) colour an 8-bit RGB/RGBA PNG has."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    chunks = list(_chunks(data))
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", chunks[0][1])
    assert depth == 8 and colour in CHANNELS and not interlace, "unsupported PNG"
    bpp = CHANNELS[colour]
    raw = zlib.decompress(b"".join(body for kind, body in chunks if kind == b"IDAT"))
    stride, prev, counts = width * bpp, bytearray(width * bpp), Counter()
    for row in range(height):
        start = row * (stride + 1)
        prev = _unfilter(raw[start], bytearray(raw[start + 1:start + 1 + stride]), prev, bpp)
        counts.update(zip(prev[0::bpp], prev[1::bpp], prev[2::bpp], strict=True))
    return counts


def hex_rgb(colour: str) -> tuple[int, int, int]:
    return tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))


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
    pixels = rgb_counts(shot.read_bytes())
    series = {colour: pixels[hex_rgb(colour)] for colour in PALETTE[:3]}
    assert series[PALETTE[0]] > 20_000, f"bars of the first series and 'All alerts': {series}"
    assert min(series.values()) > 1_000, f"the second and third series are drawn: {series}"
