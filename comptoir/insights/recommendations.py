"""Recommendations raised to HQ, month by month: how many, how many answered and how fast, how many adopted.

Read straight from the feed's `Recommendation` table (a few thousand rows a year even for a large
company, behind its status/created_at index): the rows of twelve months, counted in Python.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from comptoir.core import clock
from comptoir.feed.models import Recommendation
from comptoir.insights.access import Scope
from comptoir.insights.rollups import month_start, next_month
from comptoir.insights.stats import Share, median

ADOPTED = (Recommendation.Status.ADOPTED, Recommendation.Status.PLANNED)


@dataclass
class RecoMonth:
    month: dt.date
    raised: int
    answered: Share
    adopted: Share  # adopted or planned, out of those answered
    median_days: float | None


@dataclass
class RecoFigures:
    months: list[RecoMonth]
    total: RecoMonth
    open_now: int


def _summary(month: dt.date, rows: list[tuple[dt.datetime, dt.datetime | None, str]]) -> RecoMonth:
    answered = [(c, a, s) for c, a, s in rows if a is not None]
    days = [(a - c).total_seconds() / 86400 for c, a, _s in answered if a is not None]
    adopted = sum(1 for _c, _a, s in answered if s in ADOPTED)
    return RecoMonth(
        month, len(rows), Share(len(answered), len(rows)), Share(adopted, len(answered)), median(days)
    )


def recommendation_figures(scope: Scope, *, months: int = 12) -> RecoFigures:
    first = month_start(clock.today())
    for _i in range(months - 1):
        first = month_start(first - dt.timedelta(days=1))
    since = timezone.make_aware(dt.datetime.combine(first, dt.time.min))
    rows = scope.restrict(
        Recommendation.objects.filter(created_at__gte=since, post__is_deleted=False), "raised_by_id"
    )
    by_month: dict[dt.date, list[tuple[dt.datetime, dt.datetime | None, str]]] = {}
    start = first
    while start <= clock.today():
        by_month[start] = []
        start = next_month(start)
    everything = []
    for created, answered, status in rows.values_list("created_at", "answered_at", "status"):
        item = (created, answered, status)
        by_month.setdefault(month_start(timezone.localdate(created)), []).append(item)
        everything.append(item)
    return RecoFigures(
        months=[_summary(m, items) for m, items in sorted(by_month.items())],
        total=_summary(first, everything),
        open_now=sum(1 for _c, a, _s in everything if a is None),
    )
