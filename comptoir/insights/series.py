"""The activity trend a page of groups at a time (the API): every period's total, and for `size` groups
(by increasing key, after a cursor) their share in every period.

For head office the whole company costs five grouped reads of `GroupPeriod` whatever the number of
groups: the totals of the weeks and of the months, the page's keys, the page's groups in the weeks and
in the months. A manager's or director's
figures are small and come from `selectors.activity_trend`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Sum

from comptoir.core import clock
from comptoir.core.pagination import decode_cursor, encode_cursor
from comptoir.insights.access import Scope
from comptoir.insights.models import GroupPeriod
from comptoir.insights.selectors import (
    DIMENSIONS,
    Filters,
    PeriodFigure,
    _periods,
    activity_trend,
    dimension_labels,
)
from comptoir.insights.stats import Share

WEEKS = 12
MONTHS = 12


@dataclass
class GroupSeries:
    key: int
    label: str
    weeks: list[Share]  # one per period of `ActivityPage.weeks`, in the same order
    months: list[Share]


@dataclass
class ActivityPage:
    by: str
    weeks: list[PeriodFigure]  # the totals only (`groups` left empty)
    months: list[PeriodFigure]
    groups: list[GroupSeries]
    next_cursor: str | None


def cursor_after(cursor: str | None, by: str) -> int | None:
    """The key the cursor points after; `InvalidCursor` when it was not made for this list."""
    if not cursor:
        return None
    (key,) = decode_cursor(cursor, GroupPeriod, [DIMENSIONS[by]])
    return int(key)


def activity_page(
    scope: Scope,
    *,
    by: str,
    filters: Filters,
    cursor: str | None = None,
    size: int = 50,
    today: dt.date | None = None,
) -> ActivityPage:
    today = today or clock.today()
    after = cursor_after(cursor, by)
    weeks, months = _periods("w", WEEKS, today), _periods("m", MONTHS, today)
    if scope.everyone:
        week_figs, month_figs, series = _company(by, filters, weeks, months, after, size)
    else:
        week_figs, month_figs, series = _scoped(scope, by, filters, after, size, today)
    shown = series[:size]
    labels = dimension_labels(by, {s.key for s in shown})
    for s in shown:
        s.label = labels.get(s.key, "—")
    next_cursor = encode_cursor([shown[-1].key]) if len(series) > size else None
    return ActivityPage(by=by, weeks=week_figs, months=month_figs, groups=shown, next_cursor=next_cursor)


def _company(
    by: str, filters: Filters, weeks: list[dt.date], months: list[dt.date], after: int | None, size: int
) -> tuple[list[PeriodFigure], list[PeriodFigure], list[GroupSeries]]:
    """Weeks and months read apart: each read then walks the (kind, start, ...) index of its periods."""
    key = DIMENSIONS[by]
    sums = {"accounts": Sum("accounts"), "active": Sum("active")}
    periods = {"w": weeks, "m": months}
    rows: dict[str, Any] = {
        kind: filters.apply(GroupPeriod.objects.filter(kind=kind, start__in=starts))  # type: ignore[arg-type]
        for kind, starts in periods.items()
    }
    figures = {kind: {s: PeriodFigure(s, Share(0, 0)) for s in starts} for kind, starts in periods.items()}
    for kind in periods:
        for start, accounts, active in rows[kind].values_list("start").annotate(**sums).order_by():
            figures[kind][start].total = Share(active, accounts)
    later = {k: qs.filter(**{f"{key}__gt": after}) if after is not None else qs for k, qs in rows.items()}
    both = later["w"].values_list(key).union(later["m"].values_list(key))  # union: each key once
    keys = [k for (k,) in both.order_by(key)[: size + 1]]
    series = {k: GroupSeries(k, "", [Share(0, 0)] * len(weeks), [Share(0, 0)] * len(months)) for k in keys}
    for kind, starts in periods.items():
        place = {s: i for i, s in enumerate(starts)}
        page = rows[kind].filter(**{f"{key}__in": keys[:size]}).values_list("start", key)
        for start, group, accounts, active in page.annotate(**sums).order_by():
            target = series[group].weeks if kind == "w" else series[group].months
            target[place[start]] = Share(active, accounts)
    return list(figures["w"].values()), list(figures["m"].values()), [series[k] for k in keys]


def _scoped(
    scope: Scope, by: str, filters: Filters, after: int | None, size: int, today: dt.date
) -> tuple[list[PeriodFigure], list[PeriodFigure], list[GroupSeries]]:
    week_figs = activity_trend(scope, kind="w", count=WEEKS, by=by, filters=filters, today=today)
    month_figs = activity_trend(scope, kind="m", count=MONTHS, by=by, filters=filters, today=today)
    keys = sorted({k for fig in [*week_figs, *month_figs] for k in fig.groups if after is None or k > after})
    empty = Share(0, 0)
    series = [
        GroupSeries(
            k, "", [f.groups.get(k, empty) for f in week_figs], [f.groups.get(k, empty) for f in month_figs]
        )
        for k in keys[: size + 1]
    ]
    for fig in [*week_figs, *month_figs]:
        fig.groups = {}
    return week_figs, month_figs, series
