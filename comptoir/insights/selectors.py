"""Reads of the engagement figures, all from the `PeriodActivity` roll-up, each within a `Scope`.

A page costs a fixed number of queries whatever the size of the company: one grouped count for the
weekly trend, one for the monthly trend, one for the participation spread, and the labels.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from comptoir.core import clock
from comptoir.insights.access import Scope
from comptoir.insights.models import GroupPeriod, PeriodActivity
from comptoir.insights.rollups import month_start, week_start
from comptoir.insights.stats import Share, Spread, spread
from comptoir.org.models import OrgUnit, Region, Role, Team

DIMENSIONS = {"unit": "unit_key", "region": "region_key", "team": "team_key", "role": "role_key"}
PARTICIPATION_KINDS = ("posts", "comments", "reactions", "quizzes")


@dataclass(frozen=True)
class Filters:
    unit: int | None = None
    region: int | None = None
    team: int | None = None
    role: int | None = None

    def apply(self, qs: QuerySet[Any]) -> QuerySet[Any]:
        exact = {f"{name}_key": value for name, value in vars(self).items() if value}
        return qs.filter(**exact)

    def as_query(self) -> dict[str, int]:
        return {name: value for name, value in vars(self).items() if value}


def _periods(kind: str, count: int, today: dt.date) -> list[dt.date]:
    """The `count` most recent period starts of `kind`, oldest first, the current (partial) one last."""
    if kind == PeriodActivity.Kind.WEEK:
        current = week_start(today)
        return [current - dt.timedelta(weeks=i) for i in range(count - 1, -1, -1)]
    starts = [month_start(today)]
    while len(starts) < count:
        starts.append(month_start(starts[-1] - dt.timedelta(days=1)))
    return list(reversed(starts))


def _rows(scope: Scope, filters: Filters, kind: str, starts: list[dt.date]) -> QuerySet[PeriodActivity]:
    qs = PeriodActivity.objects.filter(kind=kind, start__in=starts)
    return filters.apply(scope.restrict(qs))


@dataclass
class PeriodFigure:
    start: dt.date
    total: Share
    groups: dict[int, Share] = field(default_factory=dict)


def activity_trend(
    scope: Scope,
    *,
    kind: str = "w",
    count: int = 12,
    by: str = "unit",
    filters: Filters | None = None,
    today: dt.date | None = None,
) -> list[PeriodFigure]:
    """Active people as a share of account holders, per period (oldest first) and per group of `by`."""
    key = DIMENSIONS[by]
    starts = _periods(kind, count, today or clock.today())
    figures = {start: PeriodFigure(start, Share(0, 0)) for start in starts}
    grouped: Any
    if scope.everyone:
        # The whole company: the per-group sums, as many rows as there are teams x roles.
        groups = (filters or Filters()).apply(GroupPeriod.objects.filter(kind=kind, start__in=starts))  # type: ignore[arg-type]
        grouped = (
            groups.values_list("start", key)
            .annotate(accounts=Sum("accounts"), active=Sum("active"))
            .order_by()
        )
    else:
        grouped = _scoped_groups(scope, filters or Filters(), kind, starts, key)
    for start, group, accounts, active in grouped:
        figure = figures[start]
        figure.groups[group] = Share(active, accounts)
        figure.total = Share(figure.total.part + active, figure.total.whole + accounts)
    return [figures[s] for s in starts]


def _scoped_groups(
    scope: Scope, filters: Filters, kind: str, starts: list[dt.date], key: str
) -> list[tuple[dt.date, int, int, int]]:
    """A manager's or director's figures, three grouped reads whose cost follows their teams:
    their whole teams from the per-group sums, less the viewer's own rows in them, plus the people
    outside those teams (`scope.loose`) for the periods they spent outside them."""
    teams = sorted(scope.teams)
    sums: dict[tuple[dt.date, int], list[int]] = defaultdict(lambda: [0, 0])

    def add(rows: Any, sign: int) -> None:
        for start, group, accounts, active in rows:
            sums[(start, group)][0] += sign * accounts
            sums[(start, group)][1] += sign * active

    def per_person(qs: QuerySet[PeriodActivity]) -> Any:
        counted = qs.values_list("start", key).annotate(
            accounts=Count("id"), active=Count("id", filter=Q(active_days__gt=0))
        )
        return counted.order_by()

    if teams:
        whole = filters.apply(GroupPeriod.objects.filter(kind=kind, start__in=starts, team_key__in=teams))  # type: ignore[arg-type]
        add(
            whole.values_list("start", key)
            .annotate(accounts=Sum("accounts"), active=Sum("active"))
            .order_by(),
            1,
        )
        own = PeriodActivity.objects.filter(
            kind=kind, start__in=starts, user_id=scope.viewer_id, team_key__in=teams
        )
        add(per_person(filters.apply(own)), -1)
    if scope.loose:
        loose = PeriodActivity.objects.filter(kind=kind, start__in=starts, user_id__in=sorted(scope.loose))
        add(per_person(filters.apply(loose.exclude(team_key__in=teams))), 1)
    return [
        (start, group, accounts, active) for (start, group), (accounts, active) in sums.items() if accounts
    ]


def dimension_labels(by: str, keys: set[int]) -> dict[int, str]:
    model: Any = {"unit": OrgUnit, "region": Region, "team": Team, "role": Role}[by]
    labels = {0: str(_("(none)"))}
    if by == "team":  # a thousand of them for head office: their names, not their objects
        labels.update(Team.objects.filter(pk__in=[k for k in keys if k]).values_list("id", "name"))
        return labels
    for obj in model.objects.filter(pk__in=[k for k in keys if k]):
        labels[obj.pk] = str(obj)
    return labels


@dataclass
class GroupRow:
    key: int
    label: str
    current: Share
    previous: list[Share]  # the four weeks before the current one, oldest first
    month: Share

    @property
    def previous_total(self) -> Share:
        return Share(sum(s.part for s in self.previous), sum(s.whole for s in self.previous))

    @property
    def change_points(self) -> float | None:
        now, before = self.current.pct, self.previous_total.pct
        return None if now is None or before is None else round(now - before, 1)


@dataclass
class ActivityOverview:
    by: str
    weeks: list[PeriodFigure]
    months: list[PeriodFigure]
    rows: list[GroupRow]
    total: GroupRow


def activity_overview(
    scope: Scope,
    *,
    by: str = "unit",
    filters: Filters | None = None,
    weeks: int = 12,
    months: int = 12,
    every_group: bool = True,
) -> ActivityOverview:
    """WAU and MAU trends, and per group this week against each of the previous four.

    `every_group=False` (the page, which shows a few lines per chart): for the whole company, the
    groups are read only for the periods of the table and for the chart's largest groups, so a thousand
    teams cost what the page shows of them; the API (every group of every period) keeps the default.
    """
    if scope.everyone and not every_group:
        week_figs, month_figs = _company_figures(by, filters or Filters(), weeks, months)
    else:
        week_figs = activity_trend(scope, kind="w", count=max(weeks, 5), by=by, filters=filters)
        month_figs = activity_trend(scope, kind="m", count=months, by=by, filters=filters)
    current, previous = week_figs[-1], week_figs[-5:-1]
    keys = set(current.groups) | {k for fig in previous for k in fig.groups}
    labels = dimension_labels(by, keys)
    empty = Share(0, 0)
    rows = [
        GroupRow(
            key=key,
            label=labels.get(key, "—"),
            current=current.groups.get(key, empty),
            previous=[fig.groups.get(key, empty) for fig in previous],
            month=month_figs[-1].groups.get(key, empty),
        )
        for key in keys
    ]
    rows.sort(key=lambda r: (r.label.casefold(), r.key))
    if scope.everyone and not every_group:
        _chart_lines(week_figs, rows, by, filters or Filters())
    total = GroupRow(0, "", current.total, [fig.total for fig in previous], month_figs[-1].total)
    return ActivityOverview(by=by, weeks=week_figs[-weeks:], months=month_figs, rows=rows, total=total)


def _company_figures(
    by: str, filters: Filters, weeks: int, months: int
) -> tuple[list[PeriodFigure], list[PeriodFigure]]:
    """Every period's total, and the groups of the last five weeks and of this month only."""
    today = clock.today()
    week_starts, month_starts = _periods("w", max(weeks, 5), today), _periods("m", months, today)
    return (
        _company_trend("w", week_starts, by, filters, group_starts=week_starts[-5:]),
        _company_trend("m", month_starts, by, filters, group_starts=month_starts[-1:]),
    )


def _company_trend(
    kind: str, starts: list[dt.date], by: str, filters: Filters, *, group_starts: list[dt.date]
) -> list[PeriodFigure]:
    rows: Any = filters.apply(GroupPeriod.objects.filter(kind=kind, start__in=starts))  # type: ignore[arg-type]
    figures = {start: PeriodFigure(start, Share(0, 0)) for start in starts}
    sums = {"accounts": Sum("accounts"), "active": Sum("active")}
    for start, accounts, active in rows.values_list("start").annotate(**sums).order_by():
        figures[start].total = Share(active, accounts)
    recent = rows.filter(start__in=group_starts).values_list("start", DIMENSIONS[by])
    for start, group, accounts, active in recent.annotate(**sums).order_by():
        figures[start].groups[group] = Share(active, accounts)
    return [figures[s] for s in starts]


def _chart_lines(week_figs: list[PeriodFigure], rows: list[GroupRow], by: str, filters: Filters) -> None:
    """Fill, over every week, the groups the chart draws (`charts.groups_trend` picks the same)."""
    from comptoir.insights.charts import MAX_GROUP_LINES

    drawn = [r.key for r in sorted(rows, key=lambda r: (-r.current.whole, r.label))[:MAX_GROUP_LINES]]
    if not drawn:
        return
    key = DIMENSIONS[by]
    figures = {fig.start: fig for fig in week_figs}
    lines = filters.apply(
        GroupPeriod.objects.filter(kind="w", start__in=list(figures), **{f"{key}__in": drawn})
    )  # type: ignore[arg-type]
    sums = {"accounts": Sum("accounts"), "active": Sum("active")}
    for start, group, accounts, active in lines.values_list("start", key).annotate(**sums).order_by():
        figures[start].groups[group] = Share(active, accounts)


@dataclass
class Participation:
    first_day: dt.date
    last_day: dt.date
    population: int
    by_kind: dict[str, Spread]


def participation(
    scope: Scope, *, filters: Filters | None = None, weeks: int = 4, today: dt.date | None = None
) -> Participation:
    """Over the last four weeks (the current one included): who posted, commented, reacted, took a quiz,
    and how concentrated each is (deciles, Lorenz curve, Gini) over everyone holding an account.

    Read from the roll-up's histograms (`comptoir.insights.participation`), a few rows per team, of the
    latest four weeks rolled up (this one's once the roll-up has run this week). Before any roll-up (just
    after an upgrade), or for another number of weeks, the figures are recounted from the weekly rows.
    """
    from comptoir.insights import participation as rollup

    today = today or clock.today()
    if weeks == rollup.WINDOW_WEEKS:
        week = rollup.latest_window(week_start(today))
        if week is None:
            return rollup.participation_recomputed(scope, filters or Filters(), week_start(today), today)
        return rollup.participation_from_rollup(scope, filters or Filters(), week, today)
    starts = _periods("w", weeks, today)
    per_person = (
        _rows(scope, filters or Filters(), "w", starts)
        .values("user_id")
        .annotate(**{k: Sum(k) for k in PARTICIPATION_KINDS})
        .order_by()
    )
    values: dict[str, list[int]] = {k: [] for k in PARTICIPATION_KINDS}
    population = 0
    for row in per_person:
        population += 1
        sums: dict[str, Any] = dict(row)
        for k in PARTICIPATION_KINDS:
            values[k].append(sums[k] or 0)
    return Participation(
        first_day=starts[0],
        last_day=today,
        population=population,
        by_kind={k: spread(v) for k, v in values.items()},
    )
