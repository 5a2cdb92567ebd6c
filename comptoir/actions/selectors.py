"""Reads of actions: the inboxes (mine, my teams', customer relations'), an action's page, the metrics."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import DateField, F, Q, QuerySet, Sum, Value

from comptoir.actions import access, from_voice, menus, rollups
from comptoir.actions.models import Action, ActionKind, ActionStat, IsOpen
from comptoir.core import clock
from comptoir.core.pagination import Page, keyset_page
from comptoir.core.permissions import Cap, PermissionDenied403, has_cap
from comptoir.org.models import User
from comptoir.voice import analytics

BY_DUE = ("due_on", "id")
NEWEST = ("-created_at", "-id")
LIST_RELATED = ("assignee", "author", "kind", "account", "team")


# What a list row (page, API, account and response sections) reads of the related rows: the rest of
# a person or an account (some thirty columns) would only cost time to build the objects.
LIST_ONLY = (
    *(f.name for f in Action._meta.concrete_fields),
    *(
        f"{person}__{field}"
        for person in ("assignee", "author")
        for field in ("first_name", "last_name", "email")
    ),
    "kind__code",
    "kind__name",
    "kind__name_en",
    "account__name",
    "team__name",
    "team__manager",
)


def _listing(qs: QuerySet[Action]) -> QuerySet[Action]:
    return qs.select_related(*LIST_RELATED).only(*LIST_ONLY)


@dataclass(frozen=True)
class Listing:
    """One list of actions: the rows it may show and their order (read a page of it with `_page`,
    or `rows.row_page` for the pages, which need no model objects)."""

    qs: QuerySet[Action]
    ordering: tuple[str, ...]


def page_keys(listing: Listing, *, cursor: str | None, size: int) -> Page[int]:
    """The ids of one keyset page, from the index that matches the filters and the order alone (the
    joins of `select_related` let a planner start from a small table, such as the kinds, and sort the
    whole table: hundreds of milliseconds at a million actions)."""
    fields = [name.lstrip("-") for name in listing.ordering]
    ids = keyset_page(listing.qs.values(*fields), ordering=listing.ordering, cursor=cursor, size=size)
    return Page(items=[row["id"] for row in ids.items], next_cursor=ids.next_cursor)


def _page(listing: Listing, *, cursor: str | None, size: int) -> Page[Action]:
    """A keyset page read in two queries whatever the size of the table: the ids, then those rows
    with their related objects."""
    keys = page_keys(listing, cursor=cursor, size=size)
    rows = _listing(Action.objects.filter(pk__in=keys.items)).in_bulk() if keys.items else {}
    return Page(items=[rows[k] for k in keys.items if k in rows], next_cursor=keys.next_cursor)


def mine(viewer: User) -> Listing:
    """What `viewer` must do: open actions addressed to them, by due date (overdue ones first)."""
    return Listing(Action.objects.filter(IsOpen(), assignee=viewer), BY_DUE)


def teams(viewer: User, team_ids: list[int] | None = None) -> Listing:
    """The open actions of the teams `viewer` answers for (a manager's view), by due date."""
    allowed = access.managed_team_ids(viewer) if team_ids is None else team_ids
    return Listing(Action.objects.filter(IsOpen(), team_id__in=allowed), BY_DUE)


def written(viewer: User) -> Listing:
    return Listing(Action.objects.filter(author=viewer), NEWEST)


@dataclass(frozen=True)
class ActionFilters:
    status: str = ""
    kind: int | None = None
    unit: int | None = None
    region: int | None = None
    account: int | None = None
    assignee: int | None = None
    older_than_days: int | None = None
    newer_than_days: int | None = None
    overdue: bool = False


def filtered(viewer: User, filters: ActionFilters | None = None) -> Listing:
    """Every action `viewer` may see, newest first, with customer relations' filters."""
    f = filters or ActionFilters()
    qs = access.actions_visible_to(viewer)
    if f.status == "open_any":
        qs = qs.filter(IsOpen())
    elif f.status:
        qs = qs.filter(status=f.status)
    exact = {
        "kind_id": f.kind,
        "unit_id": f.unit,
        "region_id": f.region,
        "account_id": f.account,
        "assignee_id": f.assignee,
    }
    qs = qs.filter(**{k: v for k, v in exact.items() if v})
    now = clock.now()
    if f.older_than_days is not None:
        qs = qs.filter(created_at__lt=now - dt.timedelta(days=f.older_than_days))
    if f.newer_than_days is not None:
        qs = qs.filter(created_at__gte=now - dt.timedelta(days=f.newer_than_days))
    if f.overdue:
        qs = qs.filter(IsOpen(), due_on__lt=clock.today())
    return Listing(qs, NEWEST)


def my_actions(*, viewer: User, cursor: str | None = None, size: int = 25) -> Page[Action]:
    return _page(mine(viewer), cursor=cursor, size=size)


def team_actions(
    *, viewer: User, team_ids: list[int] | None = None, cursor: str | None = None, size: int = 25
) -> Page[Action]:
    return _page(teams(viewer, team_ids), cursor=cursor, size=size)


def written_actions(*, viewer: User, cursor: str | None = None, size: int = 25) -> Page[Action]:
    return _page(written(viewer), cursor=cursor, size=size)


def filtered_actions(
    *, viewer: User, filters: ActionFilters | None = None, cursor: str | None = None, size: int = 25
) -> Page[Action]:
    return _page(filtered(viewer, filters), cursor=cursor, size=size)


def action_page(*, viewer: User, action: Action) -> dict[str, Any]:
    """Everything the action's page shows, in a fixed number of queries."""
    comments = list(action.comments.select_related("author").order_by("created_at", "id")[:200])
    events = list(action.events.select_related("actor").order_by("at", "id")[:200])
    team_members: list[User] = []
    if access.can_dispatch(viewer, action) and action.team is not None:
        team_members = list(
            User.objects.filter(
                Q(team_id=action.team_id) | Q(pk=action.team.manager_id), is_active=True
            ).order_by("last_name", "first_name", "id")
        )
    return {
        "action": action,
        "comments": comments,
        "events": events,
        "transitions": access.allowed_transitions(viewer, action),
        "can_dispatch": bool(team_members),
        "team_members": team_members,
        "overdue": action.is_open and action.due_on < clock.today(),
        "source_response": action.response,
        "next_response": from_voice.next_response_after(action),
    }


def account_actions(*, viewer: User, account_id: int, size: int = 10) -> list[Action]:
    """The latest actions about one account that `viewer` may see (for the account's page)."""
    qs = access.actions_visible_to(viewer).filter(account_id=account_id)
    return list(_listing(qs).order_by(*NEWEST)[:size])


def action_kinds() -> list[ActionKind]:
    return list(ActionKind.objects.filter(active=True))


def is_overdue(action: Action, today: dt.date | None = None) -> bool:
    return action.is_open and action.due_on < (today or clock.today())


# --- Closed-loop metrics (from the roll-ups) ---------------------------------------------------------


@dataclass(frozen=True)
class MonthFigures:
    month: dt.date
    created: int
    from_response: int
    closed: int
    median_first_response_h: float | None
    median_closure_h: float | None
    detractors: int = 0
    followed: int = 0

    @property
    def followed_pct(self) -> float | None:
        """Share (%) of the month's detractors that an action was raised from; None without any."""
        return 100 * self.followed / self.detractors if self.detractors else None


def _first_month(months: int) -> dt.date:
    first = rollups.month_of(clock.today())
    for _i in range(months - 1):
        first = (first - dt.timedelta(days=1)).replace(day=1)
    return first


def may_read_metrics(viewer: User) -> bool:
    return has_cap(viewer, Cap.SEE_ALL_ACTIONS) or has_cap(viewer, Cap.READ_LOVE_SCORE)


type Sums = dict[tuple[Any, str], int]
type Buckets = dict[tuple[Any, str], dict[int, int]]


def _stat_sums(
    first: dt.date, groupings: tuple[str, ...], *, unit: int | None, region: int | None
) -> dict[str, tuple[Sums, Buckets]]:
    """The closed-loop roll-up from month `first` on, summed per metric and bucket and per value of
    each grouping column ("month", "unit_key", "region_key"): every grouping in ONE query (a UNION
    ALL of one GROUP BY each, tagged), each part a range of the roll-up's covering index."""
    qs = ActionStat.objects.filter(month__gte=first).order_by()
    if unit:
        qs = qs.filter(unit_key=unit)
    if region:
        qs = qs.filter(region_key=region)

    def part(i: int, column: str) -> QuerySet[ActionStat, tuple[Any, ...]]:
        # The same columns in every part (PostgreSQL types a UNION's columns, and Django converts
        # them as the first part's): the month, or the first month where a part groups otherwise,
        # and the unit or region key, or 0.
        if column == "month":
            keyed = {"m": F("month"), "k": Value(0)}
        else:
            keyed = {"m": Value(first, output_field=DateField()), "k": F(column)}
        grouped = qs.annotate(part=Value(i), **keyed).values("part", "m", "k", "metric", "bucket")
        return grouped.annotate(n=Sum("count")).values_list("part", "m", "k", "metric", "bucket", "n")

    parts = [part(i, column) for i, column in enumerate(groupings)]
    rows = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    out: dict[str, tuple[Sums, Buckets]] = {
        column: (defaultdict(int), defaultdict(dict)) for column in groupings
    }
    for index, month, key, metric, bucket, n in rows:
        column = groupings[index]
        value = month if column == "month" else key
        counts, buckets = out[column]
        counts[(value, metric)] += n
        buckets[(value, metric)][bucket] = buckets[(value, metric)].get(bucket, 0) + n
    return out


def _month_figures(
    first: dt.date, months: int, sums: tuple[Sums, Buckets], detractors: dict[dt.date, int]
) -> list[MonthFigures]:
    counts, buckets = sums
    result = []
    month = first
    for _i in range(months):
        result.append(
            MonthFigures(
                month=month,
                created=counts[(month, rollups.CREATED)],
                from_response=counts[(month, rollups.FROM_RESPONSE)],
                closed=counts[(month, rollups.CLOSURE)],
                median_first_response_h=rollups.median_from_buckets(buckets[(month, rollups.FIRST_RESPONSE)]),
                median_closure_h=rollups.median_from_buckets(buckets[(month, rollups.CLOSURE)]),
                detractors=detractors.get(month, 0),
                followed=counts[(month, rollups.FOLLOWED)],
            )
        )
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return result


def _voice_filters(first: dt.date, months: int, *, unit: int | None, region: int | None) -> analytics.Filters:
    last = analytics.add_months(first, months - 1)
    return analytics.Filters(start=first, end=last, unit=unit or None, region=region or None)


def closed_loop_metrics(
    *, viewer: User, months: int = 12, unit: int | None = None, region: int | None = None
) -> list[MonthFigures]:
    """Per month: actions posted, raised from responses, closed, the median times (hours) to first
    response and to closure, and the share of the month's detractors followed by an action.

    Two queries whatever the number of actions: one on the closed-loop roll-up, one on the customer's
    voice roll-up (the detractors per month, snapshotted unit and region)."""
    return closed_loop(viewer=viewer, months=months, unit=unit, region=region, dimensions=()).months


@dataclass(frozen=True)
class GroupFigures:
    """The closed loop of one business unit or region over the whole period."""

    key: int
    label: str
    created: int
    closed: int
    detractors: int
    followed: int
    median_first_response_h: float | None
    median_closure_h: float | None

    @property
    def followed_pct(self) -> float | None:
        return 100 * self.followed / self.detractors if self.detractors else None


BREAKDOWNS = {"unit": "unit_key", "region": "region_key"}


def _groups(dimension: str, sums: tuple[Sums, Buckets], detractors: dict[int, int]) -> list[GroupFigures]:
    counts, buckets = sums
    keys = {k for k, _metric in counts} | set(detractors)
    labels = menus.labels(dimension, keys)
    groups = [
        GroupFigures(
            key=k,
            label=labels.get(k, "—") if k else "—",
            created=counts[(k, rollups.CREATED)],
            closed=counts[(k, rollups.CLOSURE)],
            detractors=detractors.get(k, 0),
            followed=counts[(k, rollups.FOLLOWED)],
            median_first_response_h=rollups.median_from_buckets(buckets[(k, rollups.FIRST_RESPONSE)]),
            median_closure_h=rollups.median_from_buckets(buckets[(k, rollups.CLOSURE)]),
        )
        for k in keys
    ]
    # Label order, never a ranking; "none" last.
    return sorted(groups, key=lambda g: (g.key == 0, g.label.casefold()))


@dataclass(frozen=True)
class ClosedLoop:
    months: list[MonthFigures]
    breakdowns: dict[str, list[GroupFigures]]


def closed_loop(
    *,
    viewer: User,
    months: int = 12,
    unit: int | None = None,
    region: int | None = None,
    dimensions: tuple[str, ...] = ("unit", "region"),
) -> ClosedLoop:
    """The closed-loop metrics page: the months (see `closed_loop_metrics`) and the period's
    figures per business unit and per region side by side (see `closed_loop_breakdown`).

    Two queries whatever the number of actions, units and regions: one on the closed-loop roll-up,
    one on the customer's voice roll-up (detractors per month and per unit and region); the labels
    come from the filter menus."""
    if not may_read_metrics(viewer):
        raise PermissionDenied403("You may not read the closed-loop metrics.")
    for name in dimensions:
        if name not in BREAKDOWNS:
            raise ValueError(f"unknown dimension {name!r}")
    first = _first_month(months)
    sums = _stat_sums(first, ("month", *(BREAKDOWNS[d] for d in dimensions)), unit=unit, region=region)
    voice = analytics.monthly(_voice_filters(first, months, unit=unit, region=region), dimensions)
    by_month = {start: cell["detractors"] for (start, _key), cell in voice[""].items()}
    breakdowns = {}
    for name in dimensions:
        detractors: dict[int, int] = defaultdict(int)
        for (_start, key), cell in voice[name].items():
            detractors[key] += cell["detractors"]
        breakdowns[name] = _groups(name, sums[BREAKDOWNS[name]], detractors)
    return ClosedLoop(months=_month_figures(first, months, sums["month"], by_month), breakdowns=breakdowns)


def closed_loop_breakdown(
    *, viewer: User, dimension: str, months: int = 12, unit: int | None = None, region: int | None = None
) -> list[GroupFigures]:
    """The period's figures side by side per business unit or per region (label order, never a
    ranking): one query on the closed-loop roll-up, one on the customer's voice."""
    page = closed_loop(viewer=viewer, months=months, unit=unit, region=region, dimensions=(dimension,))
    return page.breakdowns[dimension]


@dataclass(frozen=True)
class Coverage:
    detractors: int
    followed: int

    @property
    def share_pct(self) -> int:
        return round(100 * self.followed / self.detractors) if self.detractors else 0


def coverage_of(figures: list[MonthFigures]) -> Coverage:
    """The share of detractors followed by an action over the months given (from the roll-ups)."""
    return Coverage(detractors=sum(m.detractors for m in figures), followed=sum(m.followed for m in figures))


def response_actions(*, viewer: User, response_id: int) -> list[Action]:
    """The actions raised from one response that `viewer` may see, with their outcome (for the
    response's page in the customer's voice)."""
    qs = access.actions_visible_to(viewer).filter(response_id=response_id)
    return list(_listing(qs).order_by(*NEWEST)[:20])
