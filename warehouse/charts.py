"""Small, dependency-free SVG charts for the Datasette trend pages (no JS, no CDN)."""

from __future__ import annotations

from html import escape

PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
           "#7f7f7f", "#bcbd22", "#17becf", "#393b79", "#ad494a", "#637939", "#843c39")
LEFT, RIGHT, TOP, BOTTOM = 48, 12, 28, 36


def _nice_max(value: int) -> int:
    """A round axis maximum at or above ``value``."""
    if value <= 5:
        return 5
    step = 10 ** (len(str(value)) - 1)
    for factor in (1, 2, 2.5, 5, 10):
        if value <= factor * step:
            return int(factor * step)
    return value


def _frame(width: int, height: int, title: str, top: int, body: list[str],
           extra: int = 0) -> str:
    plot_h = height - TOP - BOTTOM
    grid = []
    for i in range(5):
        value = f"{top * i / 4:g}"
        y = TOP + plot_h - plot_h * i / 4
        grid.append(f'<line x1="{LEFT}" x2="{width - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" '
                    f'stroke="#ddd"/><text x="{LEFT - 4}" y="{y + 4:.1f}" '
                    f'text-anchor="end" font-size="10">{value}</text>')
    return (f'<svg class="ifex-chart" xmlns="http://www.w3.org/2000/svg" role="img" '
            f'width="{width}" height="{height + extra}" viewBox="0 0 {width} {height + extra}" '
            f'font-family="sans-serif"><title>{escape(title)}</title>'
            f'<text x="{LEFT}" y="16" font-size="13" font-weight="bold">{escape(title)}</text>'
            + "".join(grid) + "".join(body) + "</svg>")


def _year_labels(years: list[int], x_of, height: int) -> list[str]:
    every = max(1, len(years) // 10)
    return [f'<text x="{x_of(i):.1f}" y="{height - BOTTOM + 14}" font-size="10" '
            f'text-anchor="middle">{year}</text>'
            for i, year in enumerate(years) if i % every == 0 or i == len(years) - 1]


def stacked_bars(years: list[int], series: dict[str, dict[int, int]], title: str,
                 width: int = 760, height: int = 280) -> str:
    """Bars per year, stacked by series (e.g. regions); a legend under the title."""
    totals = [sum(s.get(y, 0) for s in series.values()) for y in years]
    top = _nice_max(max(totals, default=0))
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
                            f'{escape(name)}: {values.get(year, 0)}</title></rect>')
    body += _year_labels(years, lambda i: LEFT + (i + 0.5) * slot, height)
    legend, extra = _legend(list(series), width, height)
    return _frame(width, height, title, top, body + legend, extra)


def lines(years: list[int], series: dict[str, dict[int, int]], title: str,
          width: int = 760, height: int = 280) -> str:
    """One line per series over the years, with a legend."""
    top = _nice_max(max((v for s in series.values() for v in s.values()), default=0))
    plot_w, plot_h = width - LEFT - RIGHT, height - TOP - BOTTOM
    step = plot_w / max(len(years) - 1, 1)
    body: list[str] = []
    for k, (name, values) in enumerate(series.items()):
        points = " ".join(
            f"{LEFT + i * step:.1f},{TOP + plot_h - plot_h * values.get(y, 0) / top:.1f}"
            for i, y in enumerate(years))
        body.append(f'<polyline fill="none" stroke-width="2" '
                    f'stroke="{PALETTE[k % len(PALETTE)]}" points="{points}">'
                    f"<title>{escape(name)}</title></polyline>")
    body += _year_labels(years, lambda i: LEFT + i * step, height)
    legend, extra = _legend(list(series), width, height)
    return _frame(width, height, title, top, body + legend, extra)


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
