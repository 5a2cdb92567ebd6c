"""The love-score analytics, read from the roll-ups (never from the millions of responses).

RULE (PRODUCT.md, "reps are never given NPS objectives"): nothing here computes a score per
person, and no function sorts people or teams by score. `DIMENSIONS` has no "owner"; the team
breakdown exists for customer relations to see where to help and is always returned in name order.
A test asserts both (tests/test_no_ranking.py). Do not add an owner dimension or a score ordering.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from django.db.models import QuerySet, Sum

from comptoir.core import clock
from comptoir.customers.models import Segment
from comptoir.org.models import OrgUnit, Region, Team
from comptoir.voice.models import JourneyStep, Rollup, VoiceSettings
from comptoir.voice.rollups import SHAPES, shape_of
from comptoir.voice.stats import Effort, Nps, mix_decomposition, significant_change

MEASURES = (
    "responses",
    "promoters",
    "passives",
    "detractors",
    "ces_count",
    "ces_sum",
    "ces_easy",
    "comments",
)
# dimension name -> (roll-up column, model giving the labels)
DIMENSIONS: dict[str, tuple[str, type[Any]]] = {
    "unit": ("unit_key", OrgUnit),
    "region": ("region_key", Region),
    "step": ("step_key", JourneyStep),
    "segment": ("segment_key", Segment),
    "team": ("team_key", Team),
}
GRAINS = ("week", "month", "quarter")


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class Filters:
    """A period (whole months, both included) and optional dimension filters."""

    start: dt.date
    end: dt.date  # first day of the last month included
    unit: int | None = None
    region: int | None = None
    step: int | None = None
    segment: int | None = None
    team: int | None = None

    @classmethod
    def last_months(cls, months: int = 12, **dims: Any) -> Filters:
        end = month_start(clock.today())
        return cls(start=add_months(end, -(months - 1)), end=end, **dims)

    @property
    def months(self) -> int:
        return (self.end.year - self.start.year) * 12 + self.end.month - self.start.month + 1

    def previous(self) -> Filters:
        """The period of the same length just before (for "what changed")."""
        return replace(self, start=add_months(self.start, -self.months), end=add_months(self.start, -1))

    @property
    def last_day(self) -> dt.date:
        return add_months(self.end, 1) - dt.timedelta(days=1)

    def dims(self) -> dict[str, int]:
        return {
            DIMENSIONS[name][0]: value for name in DIMENSIONS if (value := getattr(self, name)) is not None
        }


def _shape_for(dims: set[str]) -> int:
    """The smallest roll-up shape keeping every dimension a query filters or groups on."""
    wanted = shape_of(dims)
    covering = [shape for shape in SHAPES if shape & wanted == wanted]
    return min(covering, key=lambda shape: (bin(shape).count("1"), SHAPES.index(shape)))


def _cells(filters: Filters, grain: str, group: Iterable[str] = ()) -> QuerySet[Rollup]:
    """The roll-up cells of the period for `grain`, from the smallest cube that can answer."""
    dims = filters.dims()
    shape = _shape_for(set(dims) | set(group))
    qs = Rollup.objects.filter(grain=grain, shape=shape, **dims)
    last = filters.end if grain == Rollup.Grain.MONTH else filters.last_day
    # Weeks are counted where they start.
    return qs.filter(start__gte=filters.start, start__lte=last)


def _sums() -> dict[str, Any]:
    return {m: Sum(m) for m in MEASURES}


@dataclass(frozen=True)
class Figures:
    nps: Nps
    effort: Effort
    comments: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {"nps": self.nps.as_dict(), "effort": self.effort.as_dict(), "comments": self.comments}


def _figures(row: dict[str, Any], minimum: int) -> Figures:
    get = lambda k: int(row.get(k) or 0)  # noqa: E731
    return Figures(
        Nps(get("promoters"), get("passives"), get("detractors"), min_responses=minimum),
        Effort(get("ces_count"), get("ces_sum"), get("ces_easy"), min_responses=minimum),
        get("comments"),
    )


def min_responses() -> int:
    return VoiceSettings.current().min_responses


def overall(filters: Filters, *, minimum: int | None = None) -> dict[str, Any]:
    """The period's NPS and effort, the previous period's, and whether the change is significant."""
    minimum = minimum if minimum is not None else min_responses()
    now = _figures(_cells(filters, Rollup.Grain.MONTH).aggregate(**_sums()), minimum)
    before = _figures(_cells(filters.previous(), Rollup.Grain.MONTH).aggregate(**_sums()), minimum)
    change = None
    if now.nps.enough and before.nps.enough and now.nps.score is not None and before.nps.score is not None:
        change = round(now.nps.score - before.nps.score, 1)
    return {
        "current": now,
        "previous": before,
        "change": change,
        "significant": significant_change(now.nps, before.nps),
    }


@dataclass
class TrendPoint:
    start: dt.date
    label: str
    figures: Figures
    significant: bool = False  # vs the point before


def trend(filters: Filters, grain: str = "month", *, minimum: int | None = None) -> list[TrendPoint]:
    """NPS and effort by week, month or quarter over the period, each point with its interval and
    whether it differs significantly from the previous point."""
    minimum = minimum if minimum is not None else min_responses()
    source = Rollup.Grain.WEEK if grain == "week" else Rollup.Grain.MONTH
    rows: Any = _cells(filters, source).values("start").annotate(**_sums()).order_by("start")
    by_start: dict[dt.date, dict[str, int]] = {}
    for row in rows:
        start = row["start"]
        if grain == "quarter":
            start = start.replace(month=(start.month - 1) // 3 * 3 + 1, day=1)
        bucket = by_start.setdefault(start, defaultdict(int))  # type: ignore[arg-type]
        for m in MEASURES:
            bucket[m] += int(row[m] or 0)
    # Every period of the range appears, empty ones as gaps.
    starts: list[dt.date] = []
    if grain == "week":
        day = filters.start - dt.timedelta(days=filters.start.weekday())
        if day < filters.start:
            day += dt.timedelta(days=7)
        while day <= filters.last_day:
            starts.append(day)
            day += dt.timedelta(days=7)
    else:
        step = 3 if grain == "quarter" else 1
        day = filters.start
        if grain == "quarter":
            day = day.replace(month=(day.month - 1) // 3 * 3 + 1)
        while day <= filters.end:
            starts.append(day)
            day = add_months(day, step)
    points: list[TrendPoint] = []
    for start in starts:
        figures = _figures(by_start.get(start, {}), minimum)
        if grain == "week":
            label = f"{start:%d/%m}"
        elif grain == "quarter":
            label = f"T{(start.month - 1) // 3 + 1} {start.year}"
        else:
            label = f"{start:%m/%Y}"
        significant = bool(points) and significant_change(figures.nps, points[-1].figures.nps)
        points.append(TrendPoint(start, label, figures, significant))
    return points


def labels_for(dimension: str, keys: Iterable[int]) -> dict[int, str]:
    model = DIMENSIONS[dimension][1]
    wanted = [k for k in keys if k]
    found = {
        obj.pk: (obj.label if hasattr(obj, "label") else str(obj))
        for obj in model.objects.filter(pk__in=wanted)
    }
    return found


@dataclass
class BreakdownRow:
    key: int
    label: str
    figures: Figures
    previous: Figures | None = None
    change: float | None = None
    significant: bool = False
    share: float = 0.0  # of the period's NPS answers


def _grouped(filters: Filters, dimensions: Iterable[str]) -> dict[str, dict[int, dict[str, int]]]:
    """The month cells of the period summed per key of each dimension, all dimensions in ONE query:
    each dimension reads its own (smallest) roll-up shape, the rows come back tagged by shape and
    are summed here per dimension (a shape shared by two dimensions serves both)."""
    dims = list(dimensions)
    fixed = filters.dims()
    shapes = {name: _shape_for(set(fixed) | {DIMENSIONS[name][0]}) for name in dims}
    last = filters.end
    qs = Rollup.objects.filter(
        grain=Rollup.Grain.MONTH,
        shape__in=set(shapes.values()),
        start__gte=filters.start,
        start__lte=last,
        **fixed,
    )
    columns = sorted({DIMENSIONS[name][0] for name in dims})
    out: dict[str, dict[int, dict[str, int]]] = {name: {} for name in dims}
    rows: Any = qs.values("shape", *columns).annotate(**_sums()).order_by()
    for row in rows:
        for name in dims:
            if shapes[name] != row["shape"]:
                continue
            bucket = out[name].setdefault(row[DIMENSIONS[name][0]], dict.fromkeys(MEASURES, 0))
            for m in MEASURES:
                bucket[m] += int(row[m] or 0)
    return out


def breakdowns(
    filters: Filters,
    dimensions: Iterable[str],
    *,
    minimum: int | None = None,
    labels: dict[str, dict[int, str]] | None = None,
) -> dict[str, list[BreakdownRow]]:
    """NPS and effort per unit / region / step / segment / team, with the change from the previous
    period and its significance, for several dimensions in two queries (this period, the one
    before) plus one per dimension for the labels. Always in label order: never a ranking (see
    the module docstring)."""
    dims = list(dimensions)
    for name in dims:
        if name not in DIMENSIONS:
            raise ValueError(f"unknown dimension {name!r}")
    minimum = minimum if minimum is not None else min_responses()
    now, then = _grouped(filters, dims), _grouped(filters.previous(), dims)
    labels = labels if labels is not None else {}
    result: dict[str, list[BreakdownRow]] = {}
    for name in dims:
        current, before = now[name], then[name]
        if name not in labels:
            labels[name] = labels_for(name, current)
        total = sum(r["promoters"] + r["passives"] + r["detractors"] for r in current.values())
        rows: list[BreakdownRow] = []
        for key, row in current.items():
            figures = _figures(row, minimum)
            prev = _figures(before[key], minimum) if key in before else None
            change = None
            if (
                prev
                and figures.nps.enough
                and prev.nps.enough
                and figures.nps.score is not None
                and prev.nps.score is not None
            ):
                change = round(figures.nps.score - prev.nps.score, 1)
            rows.append(
                BreakdownRow(
                    key=key,
                    label=labels[name].get(key, "—"),
                    figures=figures,
                    previous=prev,
                    change=change,
                    significant=prev is not None and significant_change(figures.nps, prev.nps),
                    share=(100.0 * figures.nps.n / total) if total else 0.0,
                )
            )
        result[name] = sorted(rows, key=lambda r: (r.key == 0, r.label.casefold()))
    return result


def breakdown(filters: Filters, dimension: str, *, minimum: int | None = None) -> list[BreakdownRow]:
    """One dimension's breakdown (see `breakdowns`)."""
    return breakdowns(filters, [dimension], minimum=minimum)[dimension]


def monthly(
    filters: Filters, dimensions: Iterable[str] = ()
) -> dict[str, dict[tuple[dt.date, int], dict[str, int]]]:
    """The period's measures per month, in ONE query: under "" the whole (key 0), and under each
    dimension per month and key. Each reads its own (smallest) roll-up shape, the rows come back
    tagged by shape (for another app's figures beside these, e.g. the closed loop's per unit and
    region; no score is computed and nothing is ordered here)."""
    dims = list(dimensions)
    for name in dims:
        if name not in DIMENSIONS:
            raise ValueError(f"unknown dimension {name!r}")
    fixed = filters.dims()
    shapes = {"": _shape_for(set(fixed))} | {
        name: _shape_for(set(fixed) | {DIMENSIONS[name][0]}) for name in dims
    }
    qs = Rollup.objects.filter(
        grain=Rollup.Grain.MONTH,
        shape__in=set(shapes.values()),
        start__gte=filters.start,
        start__lte=filters.end,
        **fixed,
    )
    columns = sorted({DIMENSIONS[name][0] for name in dims})
    out: dict[str, dict[tuple[dt.date, int], dict[str, int]]] = {name: {} for name in shapes}
    rows: Any = qs.values("shape", "start", *columns).annotate(**_sums()).order_by()
    for row in rows:
        for name, shape in shapes.items():
            if shape != row["shape"]:
                continue
            key = (row["start"], row[DIMENSIONS[name][0]] if name else 0)
            bucket = out[name].setdefault(key, dict.fromkeys(MEASURES, 0))
            for m in MEASURES:
                bucket[m] += int(row[m] or 0)
    return out


@dataclass
class PriorityRow:
    step: str
    segment: str
    figures: Figures
    share: float  # % of the period's NPS answers
    impact: float  # points of overall NPS this cell costs (negative) or brings vs the overall


def priorities(filters: Filters, *, minimum: int | None = None) -> dict[str, Any]:
    """For each journey step × segment: score, volume and weight in the overall score. `impact` =
    share × (cell NPS − overall NPS): how many points the overall would move if the cell scored
    like the rest. Most negative first: where customer relations should work first."""
    minimum = minimum if minimum is not None else min_responses()
    rows: list[Any] = list(
        _cells(filters, Rollup.Grain.MONTH, ["step_key", "segment_key"])
        .values("step_key", "segment_key")
        .annotate(**_sums())
    )
    all_figures = _figures({m: sum(int(r[m] or 0) for r in rows) for m in MEASURES}, minimum)
    total = all_figures.nps.n
    overall_score = all_figures.nps.score or 0.0
    steps = labels_for("step", {r["step_key"] for r in rows})
    segments = labels_for("segment", {r["segment_key"] for r in rows})
    out: list[PriorityRow] = []
    for r in rows:
        figures = _figures(r, minimum)
        share = figures.nps.n / total if total else 0.0
        impact = share * ((figures.nps.score or 0.0) - overall_score) if figures.nps.n else 0.0
        out.append(
            PriorityRow(
                steps.get(r["step_key"], "—"),
                segments.get(r["segment_key"], "—"),
                figures,
                100 * share,
                round(impact, 2),
            )
        )
    out.sort(key=lambda p: (not p.figures.nps.enough, p.impact))
    return {"overall": all_figures, "rows": out}


def change_sources(filters: Filters, dimension: str) -> dict[str, Any]:
    """Split the NPS change from the previous period into respondent mix and score movements
    within each group of `dimension` (unit, step, region, segment)."""
    column = DIMENSIONS[dimension][0]

    def groups(f: Filters) -> dict[int, Nps]:
        return {
            r[column]: Nps(int(r["promoters"] or 0), int(r["passives"] or 0), int(r["detractors"] or 0))
            for r in _cells(f, Rollup.Grain.MONTH, [column]).values(column).annotate(**_sums())
        }

    after, before = groups(filters), groups(filters.previous())
    split = mix_decomposition(before, after)
    labels = labels_for(dimension, set(after) | set(before))
    n0 = sum(g.n for g in before.values()) or 1
    n1 = sum(g.n for g in after.values()) or 1
    detail = []
    for key in sorted(set(after) | set(before), key=lambda k: labels.get(k, "").casefold()):
        g0, g1 = before.get(key), after.get(key)
        detail.append(
            {
                "label": labels.get(key, "—"),
                "share_before": round(100 * (g0.n if g0 else 0) / n0, 1),
                "share_after": round(100 * (g1.n if g1 else 0) / n1, 1),
                "nps_before": round(g0.score, 1) if g0 and g0.score is not None else None,
                "nps_after": round(g1.score, 1) if g1 and g1.score is not None else None,
            }
        )
    return {
        "total": round(split.total, 1),
        "mix": round(split.mix, 1),
        "scores": round(split.scores, 1),
        "detail": detail,
    }


@dataclass
class HeatCell:
    effort: Effort
    css: str


@dataclass
class EffortTable:
    """One business unit of the effort map: journey steps × its regions, and all its regions."""

    key: int
    label: str
    regions: list[tuple[int, str]]
    rows: list[tuple[str, list[HeatCell | None], HeatCell]] = field(default_factory=list)


@dataclass
class EffortMap:
    """CES per journey step × business unit × region: `cells[(step, unit, region)]`, and the same
    laid out as one step × region table per business unit (`tables`) for the page."""

    cells: dict[tuple[int, int, int], HeatCell] = field(default_factory=dict)
    tables: list[EffortTable] = field(default_factory=list)


def _heat_class(effort: Effort) -> str:
    if not effort.enough or effort.easy_pct is None:
        return "hx"
    pct = effort.easy_pct
    return "h3" if pct >= 80 else "h2" if pct >= 65 else "h1" if pct >= 50 else "h0"


def _heat(row: dict[str, Any], minimum: int) -> HeatCell:
    effort = _figures(row, minimum).effort
    return HeatCell(effort, _heat_class(effort))


def effort_map(
    filters: Filters, *, minimum: int | None = None, labels: dict[str, dict[int, str]] | None = None
) -> EffortMap:
    """CES (mean and % easy) per journey step × business unit × region, as a heat map with the
    same minimum-sample rule as the NPS, in one query on the step × unit × region roll-up (plus the
    labels the breakdowns have not already read). Steps come in journey order, units and regions
    in name order."""
    minimum = minimum if minimum is not None else min_responses()
    rows: list[Any] = list(
        _cells(filters, Rollup.Grain.MONTH, ["step_key", "unit_key", "region_key"])
        .filter(ces_count__gt=0)
        .values("step_key", "unit_key", "region_key")
        .annotate(**_sums())
    )
    known = labels or {}

    def names(dimension: str, keys: set[int]) -> dict[int, str]:
        have = known.get(dimension)
        if have is not None and keys - {0} <= set(have):
            return {k: v for k, v in have.items() if k in keys}
        return labels_for(dimension, keys)

    steps = names("step", {r["step_key"] for r in rows})
    units = names("unit", {r["unit_key"] for r in rows})
    regions = names("region", {r["region_key"] for r in rows})
    step_order = [*steps, *({r["step_key"] for r in rows} - set(steps))]
    result = EffortMap()
    by_unit: dict[int, dict[str, Any]] = defaultdict(lambda: {"regions": set(), "totals": {}})
    for r in rows:
        key = (r["step_key"], r["unit_key"], r["region_key"])
        result.cells[key] = _heat(r, minimum)
        unit = by_unit[r["unit_key"]]
        unit["regions"].add(r["region_key"])
        total = unit["totals"].setdefault(r["step_key"], dict.fromkeys(MEASURES, 0))
        for m in MEASURES:
            total[m] += int(r[m] or 0)
    for unit_key in sorted(by_unit, key=lambda k: (k == 0, units.get(k, "—").casefold())):
        unit = by_unit[unit_key]
        unit_regions = sorted(unit["regions"], key=lambda k: (k == 0, regions.get(k, "—").casefold()))
        table = EffortTable(
            unit_key, units.get(unit_key, "—"), [(k, regions.get(k, "—")) for k in unit_regions]
        )
        for step_key in step_order:
            if step_key not in unit["totals"]:
                continue
            table.rows.append(
                (
                    steps.get(step_key, "—"),
                    [result.cells.get((step_key, unit_key, region)) for region in unit_regions],
                    _heat(unit["totals"][step_key], minimum),
                )
            )
        result.tables.append(table)
    return result


def dashboard(filters: Filters, grain: str = "month") -> dict[str, Any]:
    """Everything the love-score dashboard shows (the benchmark times exactly this): a dozen
    queries on the roll-ups whatever the number of responses."""
    minimum = min_responses()
    labels: dict[str, dict[int, str]] = {}
    parts = breakdowns(filters, ("unit", "region", "step", "segment"), minimum=minimum, labels=labels)
    return {
        "overall": overall(filters, minimum=minimum),
        "trend": trend(filters, grain, minimum=minimum),
        "breakdowns": parts,
        "effort_map": effort_map(filters, minimum=minimum, labels=labels),
    }
