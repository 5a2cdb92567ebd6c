"""Server-drawn SVG charts: numbers people compare over time, with their uncertainty.

No JavaScript and no inline style (the pages run under a strict Content-Security-Policy): the
SVG carries presentation attributes and classes styled by app.css. Every chart has a <title> and a
text table fallback is expected next to it in the page for screen readers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


@dataclass(frozen=True)
class Point:
    label: str
    value: float | None  # None: not enough data for this period (drawn as a gap)
    low: float | None = None
    high: float | None = None


@dataclass(frozen=True)
class Series:
    name: str
    points: Sequence[Point]
    css_class: str = "line"


def _fmt(value: float) -> str:
    return f"{value:.1f}"


def line_chart(
    series: Sequence[Series] | Series,
    *,
    title: str,
    y_min: float | None = None,
    y_max: float | None = None,
    width: int = 640,
    height: int = 240,
    unit: str = "",
) -> SafeString:
    """A line per series over shared x labels, with a shaded band between low and high."""
    all_series = [series] if isinstance(series, Series) else list(series)
    labels = [p.label for p in all_series[0].points] if all_series else []
    values = [
        v
        for s in all_series
        for p in s.points
        for v in (p.value, p.low, p.high)
        if v is not None
    ]
    lo = y_min if y_min is not None else (min(values) if values else 0.0)
    hi = y_max if y_max is not None else (max(values) if values else 1.0)
    if hi <= lo:
        hi = lo + 1
    left, right, top, bottom = 44, 12, 16, 28
    plot_w, plot_h = width - left - right, height - top - bottom
    count = max(len(labels), 1)

    def x(i: int) -> float:
        return left + (plot_w * (i + 0.5) / count)

    def y(v: float) -> float:
        return top + plot_h * (1 - (v - lo) / (hi - lo))

    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>',
        f'<line class="axis" x1="{left}" y1="{top + plot_h}" x2="{width - right}" y2="{top + plot_h}"/>',
        f'<line class="axis" x1="{left}" y1="{top}" x2="{left}" y2="{top + plot_h}"/>',
    ]
    for tick in range(5):
        value = lo + (hi - lo) * tick / 4
        parts.append(f'<text x="{left - 4}" y="{_fmt(y(value) + 4)}" text-anchor="end">{_fmt(value)}{escape(unit)}</text>')
    if lo < 0 < hi:
        parts.append(f'<line class="axis" stroke-dasharray="3 3" x1="{left}" y1="{_fmt(y(0))}" x2="{width - right}" y2="{_fmt(y(0))}"/>')
    step = max(1, count // 8)
    for i, label in enumerate(labels):
        if i % step == 0:
            parts.append(f'<text x="{_fmt(x(i))}" y="{height - 8}" text-anchor="middle">{escape(label)}</text>')
    for s in all_series:
        # The band: contiguous runs of points that have both bounds.
        run: list[tuple[int, Point]] = []
        for i, p in [*enumerate(s.points), (len(s.points), Point("", None))]:
            if p.low is not None and p.high is not None and p.value is not None:
                run.append((i, p))
                continue
            if len(run) >= 1:
                upper = " ".join(f"{_fmt(x(j))},{_fmt(y(q.high))}" for j, q in run)  # type: ignore[arg-type]
                lower = " ".join(f"{_fmt(x(j))},{_fmt(y(q.low))}" for j, q in reversed(run))  # type: ignore[arg-type]
                parts.append(f'<polygon class="band" points="{upper} {lower}"/>')
            run = []
        segment: list[str] = []
        for i, p in [*enumerate(s.points), (len(s.points), Point("", None))]:
            if p.value is not None:
                segment.append(f"{_fmt(x(i))},{_fmt(y(p.value))}")
                continue
            if segment:
                parts.append(f'<polyline class="{escape(s.css_class)}" points="{" ".join(segment)}"/>')
            segment = []
        for i, p in enumerate(s.points):
            if p.value is not None:
                tip = f"{p.label}: {_fmt(p.value)}{unit}"
                if p.low is not None and p.high is not None:
                    tip += f" [{_fmt(p.low)}; {_fmt(p.high)}]"
                parts.append(
                    f'<circle class="{escape(s.css_class)}" cx="{_fmt(x(i))}" cy="{_fmt(y(p.value))}" r="3">'
                    f"<title>{escape(s.name)} {escape(tip)}</title></circle>"
                )
    parts.append("</svg>")
    return mark_safe("".join(parts))


def percent_class(value: float, total: float) -> str:
    """A `w-N` CSS class (0..100) to draw a proportion as a bar without inline styles."""
    if total <= 0:
        return "w-0"
    return f"w-{max(0, min(100, round(100 * value / total)))}"
