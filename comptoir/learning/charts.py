"""The analytics' charts: percentages per team or region as horizontal bars, and the score
distribution as columns, both server-drawn SVG in the manner of `comptoir.core.charts` (title,
role="img", classes styled by CSS, no inline style), with a table next to them for screen readers."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from comptoir.core.charts import Point, Series, line_chart


def bar_chart(rows: Sequence[tuple[str, float, float]], *, title: str, width: int = 640) -> SafeString:
    """One row per (label, participation %, pass rate %): two bars each, on a 0-100 % scale."""
    label_w, right, row_h, top = 190, 40, 30, 22
    plot_w = width - label_w - right
    height = top + row_h * max(1, len(rows)) + 8
    parts = [
        f'<svg class="chart bars" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>',
        f'<rect class="legend-a" x="{label_w}" y="4" width="10" height="10"/>',
        f'<rect class="legend-b" x="{label_w + plot_w // 2}" y="4" width="10" height="10"/>',
    ]
    for i, (label, first, second) in enumerate(rows):
        y = top + i * row_h
        short = label if len(label) <= 28 else label[:27] + "…"
        parts.append(f'<text x="{label_w - 6}" y="{y + 15}" text-anchor="end">{escape(short)}</text>')
        for j, (value, css) in enumerate(((first, "bar-a"), (second, "bar-b"))):
            w = max(0.0, min(100.0, value)) * plot_w / 100
            by = y + 2 + j * 12
            parts.append(
                f'<rect class="{css}" x="{label_w}" y="{by}" width="{w:.1f}" height="11">'
                f"<title>{escape(label)}: {value:.0f} %</title></rect>"
            )
            parts.append(f'<text x="{label_w + w + 4:.1f}" y="{by + 10}">{value:.0f} %</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))


def distribution_chart(counts: Sequence[int], *, title: str, series_name: str) -> SafeString:
    """People per score band (0-9 %, ..., 90-100 %), drawn with the product's line chart."""
    labels = [f"{10 * i}–{10 * i + 9 if i < len(counts) - 1 else 100}" for i in range(len(counts))]
    points = [Point(label, float(n)) for label, n in zip(labels, counts, strict=True)]
    return line_chart(Series(series_name, points), title=title, y_min=0)
