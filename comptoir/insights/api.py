"""Engagement insights in the API: the same figures as the pages, through the same scope."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from comptoir.api.errors import ApiError
from comptoir.core.pagination import InvalidCursor, decode_cursor, encode_cursor
from comptoir.insights import attention, practices, recommendations, selectors, series
from comptoir.insights.access import insights_scope_for, recommendations_scope_for
from comptoir.insights.digest.sending import preference_for
from comptoir.insights.models import TeamAttention as TeamAttentionRow
from comptoir.insights.paging import rows_page
from comptoir.insights.selectors import Filters
from comptoir.insights.services import digest_preference_set
from comptoir.insights.stats import Share

PREFIX = "insights"
router = Router(tags=["engagement insights"])


class FiltersIn(Schema):
    by: str = "unit"
    unit: int | None = None
    region: int | None = None
    team: int | None = None
    role: int | None = None

    def filters(self) -> Filters:
        return Filters(unit=self.unit, region=self.region, team=self.team, role=self.role)


class ShareOut(Schema):
    accounts: int
    active: int
    share_pct: float | None


def share_out(share: Share) -> dict[str, Any]:
    return {"accounts": share.whole, "active": share.part, "share_pct": share.pct}


class PeriodOut(Schema):
    start: dt.date
    total: ShareOut


class GroupOut(Schema):
    key: int
    label: str
    current: ShareOut
    previous: list[ShareOut]
    month: ShareOut
    weeks: list[ShareOut] = Field(description="this group's share in each period of `weeks`, same order")
    months: list[ShareOut] = Field(description="this group's share in each period of `months`, same order")


class TotalOut(Schema):
    current: ShareOut
    previous: list[ShareOut]
    month: ShareOut


class ActivityOut(Schema):
    by: str
    weeks: list[PeriodOut] = Field(description="the last 12 weeks, oldest first, the current one last")
    months: list[PeriodOut] = Field(description="the last 12 months, oldest first, the current one last")
    total: TotalOut
    groups: list[GroupOut] = Field(description="a page of groups of `by`, by increasing key")
    next_cursor: str | None = Field(
        description="pass as `cursor` for the next page of groups; null on the last"
    )
    next: str | None = Field(description="the address of the next page of groups; null on the last")


def _check_by(by: str) -> None:
    if by not in selectors.DIMENSIONS:
        raise ApiError(
            422,
            "invalid_input",
            "Unknown breakdown.",
            [{"field": "by", "message": f"one of {sorted(selectors.DIMENSIONS)}"}],
        )


class PageIn(FiltersIn):
    cursor: str | None = Field(None, description="`next_cursor` of the previous page")
    size: int = Field(50, description="groups (or teams) per page, 1 to 200")


@router.get(
    "/activity",
    response=ActivityOut,
    summary="Weekly and monthly active people as a share of account holders, a page of groups at a time",
)
def activity(request: HttpRequest, params: Query[PageIn]) -> dict[str, Any]:
    """Every period's company (or scope) total, and `size` groups of `by` with their share in each period,
    by increasing key. Follow `next` (or pass `next_cursor` as `cursor`) for the following groups; each
    page reads the roll-ups only, so a thousand teams cost what one page shows of them."""
    _check_by(params.by)
    _check_size(params.size)
    scope = insights_scope_for(request.user)  # type: ignore[arg-type]
    try:
        data = series.activity_page(
            scope, by=params.by, filters=params.filters(), cursor=params.cursor, size=params.size
        )
    except InvalidCursor as exc:
        raise ApiError(422, "invalid_input", str(exc), [{"field": "cursor", "message": "invalid"}]) from exc
    weeks, months = data.weeks, data.months
    return {
        "by": data.by,
        "weeks": [{"start": f.start, "total": share_out(f.total)} for f in weeks],
        "months": [{"start": f.start, "total": share_out(f.total)} for f in months],
        "total": {
            "current": share_out(weeks[-1].total),
            "previous": [share_out(f.total) for f in weeks[-5:-1]],
            "month": share_out(months[-1].total),
        },
        "groups": [
            {
                "key": g.key,
                "label": g.label,
                "current": share_out(g.weeks[-1]),
                "previous": [share_out(s) for s in g.weeks[-5:-1]],
                "month": share_out(g.months[-1]),
                "weeks": [share_out(s) for s in g.weeks],
                "months": [share_out(s) for s in g.months],
            }
            for g in data.groups
        ],
        "next_cursor": data.next_cursor,
        "next": _next_url(request, data.next_cursor),
    }


class SpreadOut(Schema):
    population: int
    participants: int
    total: int
    deciles: list[float]
    lorenz: list[float]
    gini: float | None


class ParticipationOut(Schema):
    first_day: dt.date
    last_day: dt.date
    population: int
    by_kind: dict[str, SpreadOut]


@router.get(
    "/participation",
    response=ParticipationOut,
    summary="Who took part over four weeks, and how concentrated it is",
)
def participation(request: HttpRequest, params: Query[FiltersIn]) -> dict[str, Any]:
    scope = insights_scope_for(request.user)  # type: ignore[arg-type]
    data = selectors.participation(scope, filters=params.filters())
    return {
        "first_day": data.first_day,
        "last_day": data.last_day,
        "population": data.population,
        "by_kind": {k: vars(s) for k, s in data.by_kind.items()},
    }


class DigestPreferenceIO(Schema):
    weekday: int = 0  # 0 Monday .. 6 Sunday, 7 never
    language: str = ""  # "", "fr" or "en" ("": the language of the person's profile)


@router.get("/digest", response=DigestPreferenceIO, summary="My weekly digest settings")
def digest_get(request: HttpRequest) -> dict[str, Any]:
    pref = preference_for(request.user)  # type: ignore[arg-type]
    return {"weekday": pref.weekday, "language": pref.language}


@router.put("/digest", response=DigestPreferenceIO, summary="Change my weekly digest settings")
def digest_put(request: HttpRequest, payload: DigestPreferenceIO) -> dict[str, Any]:
    pref = digest_preference_set(user=request.user, weekday=payload.weekday, language=payload.language)  # type: ignore[arg-type]
    return {"weekday": pref.weekday, "language": pref.language}


class TeamAttentionOut(Schema):
    team_id: int
    label: str
    posts: int
    reached: int
    share_pct: float | None
    median_hours: float | None


class PendingPostOut(Schema):
    id: int
    author_id: int
    created_at: dt.datetime
    url: str


class AttentionOut(Schema):
    first_day: dt.date
    total: TeamAttentionOut
    teams: list[TeamAttentionOut] = Field(description="a page of teams, by name")
    teams_total: int = Field(description="how many teams in all")
    next_cursor: str | None = Field(
        description="pass as `cursor` for the next page of teams; null on the last"
    )
    next: str | None = Field(description="the address of the next page of teams; null on the last")
    awaiting_my_reaction: list[PendingPostOut]
    awaiting_my_reaction_total: int


def _team(t: Any) -> dict[str, Any]:
    return {
        "team_id": t.key,
        "label": t.label,
        "posts": t.reached.whole,
        "reached": t.reached.part,
        "share_pct": t.reached.pct,
        "median_hours": t.median_hours,
    }


def _next_url(request: HttpRequest, cursor: str | None) -> str | None:
    if not cursor:
        return None
    query = request.GET.copy()
    query["cursor"] = cursor
    return f"{request.path}?{query.urlencode()}"


def _check_size(size: int) -> None:
    if not 1 <= size <= 200:
        raise ApiError(
            422, "invalid_input", "size must be between 1 and 200.", [{"field": "size", "message": "1..200"}]
        )


def _team_after(cursor: str | None) -> str | None:
    if not cursor:
        return None
    try:
        (key,) = decode_cursor(cursor, TeamAttentionRow, ["team_key"])
    except InvalidCursor as exc:
        raise ApiError(422, "invalid_input", str(exc), [{"field": "cursor", "message": "invalid"}]) from exc
    return str(key)


@router.get(
    "/attention", response=AttentionOut, summary="The hierarchy's attention by team, and my posts to react to"
)
def attention_get(request: HttpRequest, params: Query[PageIn]) -> dict[str, Any]:
    """The totals over the last twelve weeks, and `size` teams by name; follow `next` for the others.
    Head office's totals come from the per-unit roll-up and only the page's teams are summed."""
    _check_size(params.size)
    after = _team_after(params.cursor)
    scope = insights_scope_for(request.user)  # type: ignore[arg-type]
    data = attention.attention_overview(
        scope, team=params.team, unit=params.unit, page_after=after, page_size=params.size
    )
    table = data.table or rows_page(data.teams, after, size=params.size)
    cursor = encode_cursor([table.after]) if table.after is not None else None
    todo, total = attention.awaiting_reaction(request.user, limit=100)  # type: ignore[arg-type]
    return {
        "first_day": data.first_day,
        "total": _team(data.total),
        "teams": [_team(t) for t in table.rows],
        "teams_total": table.total,
        "next_cursor": cursor,
        "next": _next_url(request, cursor),
        "awaiting_my_reaction": [
            {"id": p.pk, "author_id": p.author_id, "created_at": p.created_at, "url": p.get_absolute_url()}
            for p in todo
        ],
        "awaiting_my_reaction_total": total,
    }


class RecoMonthOut(Schema):
    month: dt.date
    raised: int
    answered: int
    answered_pct: float | None
    adopted_or_planned: int
    adopted_pct_of_answered: float | None
    median_days_to_answer: float | None


class RecommendationsOut(Schema):
    months: list[RecoMonthOut]
    total: RecoMonthOut
    open_now: int


def _reco(m: Any) -> dict[str, Any]:
    return {
        "month": m.month,
        "raised": m.raised,
        "answered": m.answered.part,
        "answered_pct": m.answered.pct,
        "adopted_or_planned": m.adopted.part,
        "adopted_pct_of_answered": m.adopted.pct,
        "median_days_to_answer": m.median_days,
    }


@router.get(
    "/recommendations",
    response=RecommendationsOut,
    summary="Recommendations to HQ: volume, answered, time to answer, adopted",
)
def recommendations_get(request: HttpRequest) -> dict[str, Any]:
    scope = recommendations_scope_for(request.user)  # type: ignore[arg-type]
    data = recommendations.recommendation_figures(scope)
    return {"months": [_reco(m) for m in data.months], "total": _reco(data.total), "open_now": data.open_now}


class TopicSpreadOut(Schema):
    topic: str
    posts: int
    reads: int
    reads_other_units: int
    reactions_other_units: int
    crossed_posts: int
    units_reached: int


class LinkOut(Schema):
    source: str
    target: str
    reads: int
    reactions: int


class CrossingOut(Schema):
    post_id: int
    reads_other_units: int
    reactions_other_units: int
    units: int


class PracticesOut(Schema):
    first_day: dt.date
    topics: list[TopicSpreadOut]
    links: list[LinkOut]
    crossing: list[CrossingOut]


@router.get("/practices", response=PracticesOut, summary="The spread of practices across units")
def practices_get(request: HttpRequest) -> dict[str, Any]:
    scope = insights_scope_for(request.user)  # type: ignore[arg-type]
    data = practices.practices_overview(scope)
    return {
        "first_day": data.first_day,
        "topics": [
            {
                "topic": t.topic,
                "posts": t.posts,
                "reads": t.reads,
                "reads_other_units": t.reads_elsewhere,
                "reactions_other_units": t.reactions_elsewhere,
                "crossed_posts": t.crossed,
                "units_reached": len(t.units),
            }
            for t in data.topics
        ],
        "links": [vars(link) for link in data.links],
        "crossing": [
            {
                "post_id": c.post.pk,
                "reads_other_units": c.reads_elsewhere,
                "reactions_other_units": c.reactions_elsewhere,
                "units": c.units,
            }
            for c in data.crossing
        ],
    }
