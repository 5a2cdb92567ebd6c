"""The insights' charts, drawn by core.charts from the figures (a text table always sits next to them)."""

from __future__ import annotations

import datetime as dt

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from comptoir.core.charts import Point, Series, line_chart
from comptoir.insights.selectors import GroupRow, PeriodFigure
from comptoir.insights.stats import Share, Spread

MAX_GROUP_LINES = 5


def _point(label: str, share: Share) -> Point:
    interval = share.interval()
    if share.pct is None or interval is None:
        return Point(label, None)
    return Point(label, share.pct, round(100 * interval[0], 1), round(100 * interval[1], 1))


def share_trend(figures: list[PeriodFigure], *, title: str, month: bool = False) -> SafeString:
    fmt = "%m/%Y" if month else "%d/%m"
    series = Series(_("Everyone in scope"), [_point(f.start.strftime(fmt), f.total) for f in figures])
    return line_chart(series, title=title, y_min=0, y_max=100, unit="")


def groups_trend(figures: list[PeriodFigure], rows: list[GroupRow], *, title: str) -> SafeString:
    """One line per group (the largest ones), without bands so that the lines stay readable."""
    biggest = sorted(rows, key=lambda r: (-r.current.whole, r.label))[:MAX_GROUP_LINES]
    series = [
        Series(
            row.label,
            [Point(f.start.strftime("%d/%m"), f.groups.get(row.key, Share(0, 0)).pct) for f in figures],
            css_class=f"line s{i + 1}",
        )
        for i, row in enumerate(biggest)
    ]
    if not series:
        series = [Series(_("Everyone in scope"), [Point(f.start.strftime("%d/%m"), None) for f in figures])]
    return line_chart(series, title=title, y_min=0, y_max=100, unit="")


def lorenz(spreads: dict[str, Spread], labels: dict[str, str], *, title: str) -> SafeString:
    ticks = [f"{10 * i} %" for i in range(11)]
    series = [
        Series(
            _("Equal participation"),
            [Point(t, 10.0 * i) for i, t in enumerate(ticks)],
            css_class="line equality",
        )
    ]
    for i, (kind, s) in enumerate(spreads.items()):
        if s.total:
            series.append(
                Series(
                    labels[kind],
                    [Point(t, round(100 * v, 1)) for t, v in zip(ticks, s.lorenz, strict=True)],
                    css_class=f"line s{i + 1}",
                )
            )
    return line_chart(series, title=title, y_min=0, y_max=100, unit="")


def weekly_share(weekly: list[tuple[dt.date, Share]], *, title: str) -> SafeString:
    series = Series(
        _("Everyone in scope"), [_point(start.strftime("%d/%m"), share) for start, share in weekly]
    )
    return line_chart(series, title=title, y_min=0, y_max=100, unit="")


def monthly_share(monthly: list[tuple[dt.date, Share]], *, title: str) -> SafeString:
    series = Series(
        _("Everyone in scope"), [_point(start.strftime("%m/%Y"), share) for start, share in monthly]
    )
    return line_chart(series, title=title, y_min=0, y_max=100, unit="")
