"""The measured effect of an improvement project on the responses it targets.

Method (also shown on the project page):

* Targeted responses: those whose journey step, segment, region and business unit (snapshotted when
  the customer answered) are among the project's targets; a kind of target left empty does not
  narrow. Control responses: all the others, over the same two periods.
* Periods: "before" is the `baseline_days` before the start date, "since" runs from the start date
  to the end date (or today).
* NPS and its 95 % interval come from the customer's voice (`voice.selectors.nps_of`, adjusted Wald
  interval with var = (p + d - (p - d)^2) / n). The change since the start is tested with a
  two-sample z test on those variances: z = (NPS_since - NPS_before) / sqrt(var_before + var_since),
  significant at 95 % when |z| >= 1.96 (the same rule as `voice.stats.significant_change`).
* Against the control group, the difference in differences (targeted change minus control change)
  is tested the same way with the four variances summed, so a company-wide drift (a season, a
  price change) is not credited to the project.
* Effort: the share of "easy" answers (5-7) before and since, with a two-proportion z test (pooled
  standard error for the test, unpooled for the interval).
* Fewer answers than the configured minimum on either side: "not enough answers", no verdict.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from comptoir.core import clock
from comptoir.projects.models import Project
from comptoir.voice.models import Response
from comptoir.voice.selectors import effort_of, nps_of
from comptoir.voice.stats import Z95, Effort, Nps


def p_value(z: float) -> float:
    """Two-sided p-value of a standard normal statistic."""
    return math.erfc(abs(z) / math.sqrt(2))


@dataclass(frozen=True)
class Change:
    """A difference (points) with its 95 % interval, z statistic and verdict."""

    diff: float | None
    low: float | None
    high: float | None
    z: float | None
    enough: bool

    @property
    def p(self) -> float | None:
        return None if self.z is None else p_value(self.z)

    @property
    def significant(self) -> bool:
        return self.enough and self.z is not None and abs(self.z) >= Z95


def nps_change(before: Nps, since: Nps) -> Change:
    """Since minus before, on the -100..100 scale, with the voice app's adjusted variances."""
    if not (before.enough and since.enough) or before.n == 0 or since.n == 0:
        return Change(None, None, None, None, False)
    diff = since.adjusted - before.adjusted
    se = math.sqrt(before.variance + since.variance)
    return Change(100 * diff, 100 * (diff - Z95 * se), 100 * (diff + Z95 * se), diff / se, True)


def did_change(target: tuple[Nps, Nps], control: tuple[Nps, Nps]) -> Change:
    """Difference in differences: (target since - before) - (control since - before)."""
    parts = (*target, *control)
    if not all(n.enough and n.n for n in parts):
        return Change(None, None, None, None, False)
    diff = (target[1].adjusted - target[0].adjusted) - (control[1].adjusted - control[0].adjusted)
    se = math.sqrt(sum(n.variance for n in parts))
    return Change(100 * diff, 100 * (diff - Z95 * se), 100 * (diff + Z95 * se), diff / se, True)


def easy_share_change(before: Effort, since: Effort) -> Change:
    """Change of the % of easy answers, two-proportion z test."""
    if not (before.enough and since.enough) or before.count == 0 or since.count == 0:
        return Change(None, None, None, None, False)
    p0, p1 = before.easy / before.count, since.easy / since.count
    pooled = (before.easy + since.easy) / (before.count + since.count)
    se_test = math.sqrt(pooled * (1 - pooled) * (1 / before.count + 1 / since.count))
    se_ci = math.sqrt(p0 * (1 - p0) / before.count + p1 * (1 - p1) / since.count)
    diff = p1 - p0
    z = diff / se_test if se_test > 0 else 0.0
    return Change(100 * diff, 100 * (diff - Z95 * se_ci), 100 * (diff + Z95 * se_ci), z, True)


@dataclass(frozen=True)
class Periods:
    before: tuple[dt.date, dt.date]
    since: tuple[dt.date, dt.date]


def periods_of(project: Project, today: dt.date | None = None) -> Periods | None:
    if project.started_on is None:
        return None
    start = project.started_on
    end = project.ended_on or (today or clock.today())
    end = max(end, start)
    return Periods(
        before=(start - dt.timedelta(days=project.baseline_days), start - dt.timedelta(days=1)),
        since=(start, end),
    )


def targeting(project: Project) -> Q:
    """The responses a project targets (by the snapshot taken when the customer answered)."""
    condition = Q()
    for field, ids in (
        ("step_id", [s.pk for s in project.steps.all()]),
        ("segment_id", [s.pk for s in project.segments.all()]),
        ("region_id", [r.pk for r in project.regions.all()]),
        ("unit_id", [u.pk for u in project.units.all()]),
    ):
        if ids:
            condition &= Q(**{f"{field}__in": ids})
    return condition


def _in(qs: QuerySet[Response], period: tuple[dt.date, dt.date]) -> QuerySet[Response]:
    return qs.filter(answered_at__date__gte=period[0], answered_at__date__lte=period[1])


@dataclass(frozen=True)
class Effect:
    periods: Periods
    before: Nps
    since: Nps
    change: Change
    control_before: Nps
    control_since: Nps
    control_change: Change
    did: Change
    effort_before: Effort
    effort_since: Effort
    effort_change: Change

    def as_dict(self) -> dict[str, Any]:
        def change(c: Change) -> dict[str, Any]:
            return {
                "diff": None if c.diff is None else round(c.diff, 1),
                "low": None if c.low is None else round(c.low, 1),
                "high": None if c.high is None else round(c.high, 1),
                "z": None if c.z is None else round(c.z, 3),
                "p": None if c.p is None else round(c.p, 4),
                "significant": c.significant,
            }

        return {
            "before": {"from": self.periods.before[0], "to": self.periods.before[1], **self.before.as_dict()},
            "since": {"from": self.periods.since[0], "to": self.periods.since[1], **self.since.as_dict()},
            "change": change(self.change),
            "control_before": self.control_before.as_dict(),
            "control_since": self.control_since.as_dict(),
            "difference_in_differences": change(self.did),
            "effort_before": self.effort_before.as_dict(),
            "effort_since": self.effort_since.as_dict(),
            "effort_easy_share_change": change(self.effort_change),
        }


def effect_of(
    project: Project, *, today: dt.date | None = None, min_responses: int | None = None
) -> Effect | None:
    """The project's measured effect (None before it started): eight indexed aggregates."""
    periods = periods_of(project, today)
    if periods is None:
        return None
    where = targeting(project)
    targeted = Response.objects.filter(where)
    # With no target at all, the control group would be empty: everything is targeted.
    control = Response.objects.exclude(where) if where else Response.objects.none()
    before = nps_of(_in(targeted, periods.before), min_responses=min_responses)
    since = nps_of(_in(targeted, periods.since), min_responses=min_responses)
    control_before = nps_of(_in(control, periods.before), min_responses=min_responses)
    control_since = nps_of(_in(control, periods.since), min_responses=min_responses)
    effort_before = effort_of(_in(targeted, periods.before), min_responses=min_responses)
    effort_since = effort_of(_in(targeted, periods.since), min_responses=min_responses)
    return Effect(
        periods=periods,
        before=before,
        since=since,
        change=nps_change(before, since),
        control_before=control_before,
        control_since=control_since,
        control_change=nps_change(control_before, control_since),
        did=did_change((before, since), (control_before, control_since)),
        effort_before=effort_before,
        effort_since=effort_since,
        effort_change=easy_share_change(effort_before, effort_since),
    )
