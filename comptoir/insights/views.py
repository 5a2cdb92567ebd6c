"""The insights pages: thin views over the selectors, each through `insights_scope_for`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from comptoir.core.permissions import PermissionDenied403
from comptoir.core.typing import AuthedRequest
from comptoir.insights import attention, charts, exports, practices, recommendations, selectors
from comptoir.insights.access import Scope, insights_scope_for, recommendations_scope_for, sees_everyone
from comptoir.insights.forms import BY_CHOICES, FilterForm
from comptoir.insights.paging import TABLE_SIZE, rows_page
from comptoir.org.models import User


def _scope(request: AuthedRequest, fetcher: Callable[[User], Scope] = insights_scope_for) -> Scope:
    try:
        return fetcher(request.user)
    except PermissionDenied403 as exc:
        raise PermissionDenied(str(exc)) from exc


def _filtering(form: FilterForm, scope: Scope) -> dict[str, Any]:
    teams = None
    if not scope.everyone:
        teams = sorted(
            set(
                User.objects.filter(pk__in=sorted(scope.people))
                .exclude(team=None)
                .values_list("team_id", "team__name")
            ),
            key=lambda t: t[1],
        )
    return {"form": form, "choices": form.choices(teams=teams), "chosen": form.chosen()}


def _without_after(request: AuthedRequest) -> str:
    query = request.GET.copy()
    query.pop("after", None)
    return query.urlencode()


def kind_labels() -> dict[str, str]:
    return {
        "posts": _("Posts"),
        "comments": _("Comments"),
        "reactions": _("Reactions"),
        "quizzes": _("Quizzes"),
    }


def overview(request: AuthedRequest) -> HttpResponse:
    """Weekly and monthly active people as a share of account holders, by unit, region, team or role."""
    scope = _scope(request)
    form = FilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return render(
            request, "insights/overview.html", {**_filtering(form, scope), "tab": "activity"}, status=400
        )
    data = selectors.activity_overview(
        scope, by=form.breakdown(), filters=form.filters(), every_group=request.GET.get("format") == "csv"
    )
    if request.GET.get("format") == "csv":
        header, rows = exports.activity_table(data)
        return exports.csv_response("insights-activity.csv", header, rows)
    context = {
        **_filtering(form, scope),
        "tab": "activity",
        "data": data,
        "everyone": sees_everyone(request.user),
        "wau_chart": charts.share_trend(
            data.weeks, title=_("Weekly active people, share of account holders (%)")
        ),
        "mau_chart": charts.share_trend(
            data.months, title=_("Monthly active people, share of account holders (%)"), month=True
        ),
        "groups_chart": charts.groups_trend(
            data.weeks, data.rows, title=_("Weekly active share by group (%)")
        ),
        "legend": sorted(data.rows, key=lambda r: (-r.current.whole, r.label))[: charts.MAX_GROUP_LINES],
        "by_label": dict(BY_CHOICES)[data.by],
        "table": rows_page(data.rows, request.GET.get("after")),
        "query_without_after": _without_after(request),
        "query": request.GET.urlencode(),
    }
    return render(request, "insights/overview.html", context)


def participation(request: AuthedRequest) -> HttpResponse:
    """Who took part over the last four weeks, and how concentrated it is (deciles, Lorenz, Gini)."""
    scope = _scope(request)
    form = FilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return render(
            request,
            "insights/participation.html",
            {**_filtering(form, scope), "tab": "participation"},
            status=400,
        )
    data = selectors.participation(scope, filters=form.filters())
    if request.GET.get("format") == "csv":
        header, rows = exports.participation_table(data)
        return exports.csv_response("insights-participation.csv", header, rows)
    labels = kind_labels()
    context = {
        **_filtering(form, scope),
        "tab": "participation",
        "data": data,
        "kinds": [(labels[k], s) for k, s in data.by_kind.items()],
        "lorenz_chart": charts.lorenz(
            data.by_kind, labels, title=_("Share of the total held by the least active people (%)")
        ),
        "legend": [(f"s{i + 1}", labels[k]) for i, (k, s) in enumerate(data.by_kind.items()) if s.total],
        "query": request.GET.urlencode(),
    }
    return render(request, "insights/participation.html", context)


def attention_page(request: AuthedRequest) -> HttpResponse:
    """The share of posts that get a reaction from above, how fast, by team; and my to-do list."""
    scope = _scope(request)
    form = FilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return render(
            request, "insights/attention.html", {**_filtering(form, scope), "tab": "attention"}, status=400
        )
    filters = form.filters()
    csv = request.GET.get("format") == "csv"
    data = attention.attention_overview(
        scope,
        team=filters.team,
        unit=filters.unit,
        page_after=request.GET.get("after"),
        page_size=None if csv else TABLE_SIZE,
    )
    if csv:
        header, rows = exports.attention_table(data)
        return exports.csv_response("insights-attention.csv", header, rows)
    todo, todo_total = attention.awaiting_reaction(request.user)
    context = {
        **_filtering(form, scope),
        "tab": "attention",
        "data": data,
        "todo": todo,
        "todo_total": todo_total,
        "table": data.table or rows_page(data.teams, request.GET.get("after")),
        "query_without_after": _without_after(request),
        "chart": charts.weekly_share(
            data.weekly, title=_("Posts reached by the hierarchy, week by week (%)")
        ),
        "query": request.GET.urlencode(),
    }
    return render(request, "insights/attention.html", context)


def recommendations_page(request: AuthedRequest) -> HttpResponse:
    """Recommendations raised to HQ: volume, share answered, median time to answer, share adopted."""
    scope = _scope(request, recommendations_scope_for)
    data = recommendations.recommendation_figures(scope)
    if request.GET.get("format") == "csv":
        header, rows = exports.recommendations_table(data)
        return exports.csv_response("insights-recommendations.csv", header, rows)
    context = {
        "tab": "recommendations",
        "data": data,
        "chart": charts.monthly_share(
            [(m.month, m.answered) for m in data.months],
            title=_("Recommendations answered, by month raised (%)"),
        ),
    }
    return render(request, "insights/recommendations.html", context)


def practices_page(request: AuthedRequest) -> HttpResponse:
    """Which practices crossed units: reads and reactions by unit, per topic, the strongest links."""
    scope = _scope(request)
    data = practices.practices_overview(scope)
    if request.GET.get("format") == "csv":
        header, rows = exports.practices_table(data)
        return exports.csv_response("insights-practices.csv", header, rows)
    return render(request, "insights/practices.html", {"tab": "practices", "data": data})
