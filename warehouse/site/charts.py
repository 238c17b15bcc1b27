"""Small, dependency-free SVG charts for the Datasette trend pages (no JS, no CDN).

Axes have round ticks (1, 2 or 5 times a power of ten), year labels at round years that
never overlap, and every chart can carry a note drawn inside it (the demo-data warning),
so that a downloaded or screenshot chart keeps it."""

from __future__ import annotations

import math
from html import escape

PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
           "#7f7f7f", "#bcbd22", "#17becf", "#393b79", "#ad494a", "#637939", "#843c39")
LEFT, RIGHT, TOP, BOTTOM = 52, 12, 28, 36
MAX_TICKS = 5
MAX_YEAR_LABELS = 10


def nice_ticks(value: float) -> tuple[float, float]:
    """(axis maximum, tick step) for data up to ``value``: the step is 1, 2 or 5 times a
    power of ten, with at most MAX_TICKS steps; the maximum is a whole number of steps."""
    if value <= 0:
        return 5, 1
    raw = value / MAX_TICKS
    power = 10 ** math.floor(math.log10(raw))
    step = next(f * power for f in (1, 2, 5, 10) if f * power >= raw)
    if value >= 1:
        step = max(step, 1)
    return step * math.ceil(value / step - 1e-9), step


def tick_label(value: float) -> str:
    return f"{value:,.0f}" if value == int(value) else f"{value:g}"


def year_step(count: int) -> int:
    """Label every 1, 2, 5, 10 or 20 years, so at most MAX_YEAR_LABELS labels show."""
    return next(s for s in (1, 2, 5, 10, 20, 50) if math.ceil(count / s) <= MAX_YEAR_LABELS)


def _frame(width: int, height: int, title: str, top: float, step: float, body: list[str],
           extra: int = 0, note: str | None = None) -> str:
    plot_h = height - TOP - BOTTOM
    grid = []
    for i in range(round(top / step) + 1):
        y = TOP + plot_h - plot_h * (i * step) / top
        grid.append(f'<line x1="{LEFT}" x2="{width - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" '
                    f'stroke="#ddd"/><text x="{LEFT - 4}" y="{y + 4:.1f}" '
                    f'text-anchor="end" font-size="10">{tick_label(i * step)}</text>')
    marked = [] if not note else [
        f'<text class="ifex-chart-note" x="{width - RIGHT}" y="16" text-anchor="end" '
        f'font-size="11" font-weight="bold" fill="#b45309">{escape(note)}</text>']
    return (f'<svg class="ifex-chart" xmlns="http://www.w3.org/2000/svg" role="img" '
            f'width="{width}" height="{height + extra}" viewBox="0 0 {width} {height + extra}" '
            f'font-family="sans-serif"><title>{escape(title)}</title>'
            f'<rect width="100%" height="100%" fill="#fff"/>'
            f'<text x="{LEFT}" y="16" font-size="13" font-weight="bold">{escape(title)}</text>'
            + "".join(grid) + "".join(body) + "".join(marked) + "</svg>")


def _year_labels(years: list[int], x_of, height: int) -> list[str]:
    step = year_step(len(years))
    return [f'<text x="{x_of(i):.1f}" y="{height - BOTTOM + 14}" font-size="10" '
            f'text-anchor="middle">{year}</text>'
            for i, year in enumerate(years) if year % step == 0]


def stacked_bars(years: list[int], series: dict[str, dict[int, float]], title: str,
                 width: int = 760, height: int = 280, note: str | None = None) -> str:
    """Bars per year, stacked by series (e.g. regions); a legend under the plot."""
    totals = [sum(s.get(y, 0) for s in series.values()) for y in years]
    top, step = nice_ticks(max(totals, default=0))
    plot_w, plot_h = width - LEFT - RIGHT, height - TOP - BOTTOM
    slot = plot_w / max(len(years), 1)
    body: list[str] = []
    for i, year in enumerate(years):
        y = TOP + plot_h
        for k, (name, values) in enumerate(series.items()):
            h = plot_h * values.get(year, 0) / top
            y -= h
            if h > 0:
                body.append(f'<rect x="{LEFT + i * slot + 1:.1f}" y="{y:.1f}" '
                            f'width="{max(slot - 2, 1):.1f}" height="{h:.1f}" '
                            f'fill="{PALETTE[k % len(PALETTE)]}"><title>{year} '
                            f'{escape(name)}: {tick_label(values.get(year, 0))}</title></rect>')
    body += _year_labels(years, lambda i: LEFT + (i + 0.5) * slot, height)
    legend, extra = _legend(list(series), width, height)
    return _frame(width, height, title, top, step, body + legend, extra, note)


def lines(years: list[int], series: dict[str, dict[int, float]], title: str,
          width: int = 760, height: int = 280, note: str | None = None) -> str:
    """One line per series over the years, with a legend."""
    top, step = nice_ticks(max((v for s in series.values() for v in s.values()), default=0))
    plot_w, plot_h = width - LEFT - RIGHT, height - TOP - BOTTOM
    gap = plot_w / max(len(years) - 1, 1)
    body: list[str] = []
    for k, (name, values) in enumerate(series.items()):
        points = " ".join(
            f"{LEFT + i * gap:.1f},{TOP + plot_h - plot_h * values.get(y, 0) / top:.1f}"
            for i, y in enumerate(years))
        body.append(f'<polyline fill="none" stroke-width="2" '
                    f'stroke="{PALETTE[k % len(PALETTE)]}" points="{points}">'
                    f"<title>{escape(name)}</title></polyline>")
    body += _year_labels(years, lambda i: LEFT + i * gap, height)
    legend, extra = _legend(list(series), width, height)
    return _frame(width, height, title, top, step, body + legend, extra, note)


def _legend(names: list[str], width: int, height: int) -> tuple[list[str], int]:
    """Legend rows under the plot (none for a single series); returns items and height."""
    if len(names) < 2:
        return [], 0
    items, x, y = [], LEFT, height
    for k, name in enumerate(names):
        item_width = 22 + 6 * len(name)
        if x + item_width > width - RIGHT:
            x, y = LEFT, y + 14
        items.append(f'<rect x="{x}" y="{y - 9}" width="9" height="9" '
                     f'fill="{PALETTE[k % len(PALETTE)]}"/>'
                     f'<text x="{x + 12}" y="{y}" font-size="10">{escape(name)}</text>')
        x += item_width
    return items, y - height + 8
