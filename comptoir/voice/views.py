"""The love-score pages (customer relations, HQ, directors), verbatims (everyone, on their own
accounts) and survey management (customer relations). Thin: every read goes through
analytics/selectors, every write through services, every permission through access."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from comptoir.core.charts import Point, Series, line_chart
from comptoir.core.htmx import is_htmx
from comptoir.core.pagination import InvalidCursor
from comptoir.core.typing import AuthedRequest
from comptoir.customers.models import Contact
from comptoir.voice import access, analytics, selectors, services
from comptoir.voice.analytics import Filters
from comptoir.voice.forms import (
    AccountPeriodForm,
    AnalyticsFilterForm,
    CampaignForm,
    SurveyForm,
    VerbatimFilterForm,
)
from comptoir.voice.models import Invitation, Response, Survey


def _csv(filename: str, header: Sequence[Any], rows: Iterable[Sequence[Any]]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # Excel opens UTF-8 with accents correctly
    writer = csv.writer(response, delimiter=";")
    writer.writerow([str(h) for h in header])
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return response


def _fmt(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"


def _filter_form(request: AuthedRequest) -> tuple[AnalyticsFilterForm, Filters] | HttpResponse:
    form = AnalyticsFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return render(request, "voice/dashboard.html", {"form": form, "invalid": True}, status=400)
    return form, form.filters()


def nps_chart(points: list[analytics.TrendPoint], title: str) -> Any:
    series = Series(
        name="NPS",
        points=[
            Point(
                p.label,
                p.figures.nps.score if p.figures.nps.enough else None,
                p.figures.nps.low if p.figures.nps.enough else None,
                p.figures.nps.high if p.figures.nps.enough else None,
            )
            for p in points
        ],
    )
    return line_chart(series, title=title, y_min=-100, y_max=100)


def effort_chart(points: list[analytics.TrendPoint], title: str) -> Any:
    series = Series(
        name="CES",
        points=[
            Point(p.label, p.figures.effort.easy_pct if p.figures.effort.enough else None) for p in points
        ],
    )
    return line_chart(series, title=title, y_min=0, y_max=100, unit="%")


def dashboard(request: AuthedRequest) -> HttpResponse:
    access.require_love_score(request.user)
    parsed = _filter_form(request)
    if isinstance(parsed, HttpResponse):
        return parsed
    form, filters = parsed
    data = analytics.dashboard(filters, form.trend_grain())
    if request.GET.get("format") == "csv":
        return _csv(
            "love-score-trend.csv",
            [
                _("Period"),
                _("Answers"),
                "NPS",
                _("Low"),
                _("High"),
                _("Promoters"),
                _("Passives"),
                _("Detractors"),
                _("Effort mean"),
                _("% easy"),
            ],
            (
                [
                    p.label,
                    p.figures.nps.n,
                    _fmt(p.figures.nps.score if p.figures.nps.enough else None),
                    _fmt(p.figures.nps.low if p.figures.nps.enough else None),
                    _fmt(p.figures.nps.high if p.figures.nps.enough else None),
                    p.figures.nps.promoters,
                    p.figures.nps.passives,
                    p.figures.nps.detractors,
                    _fmt(p.figures.effort.mean if p.figures.effort.enough else None),
                    _fmt(p.figures.effort.easy_pct if p.figures.effort.enough else None),
                ]
                for p in data["trend"]
            ),
        )
    context = {
        "form": form,
        "filters": filters,
        "query": request.GET.urlencode(),
        **data,
        "nps_chart": nps_chart(data["trend"], _("NPS by period, with its confidence band (95 %)")),
        "effort_chart": effort_chart(data["trend"], _("Share of easy experiences (effort 5-7) by period")),
        "dimensions": [
            ("unit", _("Business unit")),
            ("region", _("Region")),
            ("step", _("Journey step")),
            ("segment", _("Segment")),
        ],
    }
    return render(request, "voice/dashboard.html", context)


def breakdown(request: AuthedRequest, dimension: str) -> HttpResponse:
    """One breakdown in full (team included), in name order: never a ranking of people or teams."""
    access.require_love_score(request.user)
    if dimension not in analytics.DIMENSIONS:
        return HttpResponseBadRequest(_("Unknown breakdown."))
    parsed = _filter_form(request)
    if isinstance(parsed, HttpResponse):
        return parsed
    form, filters = parsed
    rows = analytics.breakdown(filters, dimension)
    if request.GET.get("format") == "csv":
        return _csv(
            f"love-score-{dimension}.csv",
            [
                dimension,
                _("Answers"),
                "NPS",
                _("Low"),
                _("High"),
                _("Change"),
                _("Significant"),
                _("Effort mean"),
                _("% easy"),
            ],
            (
                [
                    r.label,
                    r.figures.nps.n,
                    _fmt(r.figures.nps.score if r.figures.nps.enough else None),
                    _fmt(r.figures.nps.low if r.figures.nps.enough else None),
                    _fmt(r.figures.nps.high if r.figures.nps.enough else None),
                    _fmt(r.change),
                    int(r.significant),
                    _fmt(r.figures.effort.mean if r.figures.effort.enough else None),
                    _fmt(r.figures.effort.easy_pct if r.figures.effort.enough else None),
                ]
                for r in rows
            ),
        )
    labels = {
        "unit": _("Business unit"),
        "region": _("Region"),
        "step": _("Journey step"),
        "segment": _("Segment"),
        "team": _("Account owner's team"),
    }
    return render(
        request,
        "voice/breakdown.html",
        {
            "form": form,
            "rows": rows,
            "dimension": dimension,
            "title": labels[dimension],
            "query": request.GET.urlencode(),
        },
    )


def agreements(request: AuthedRequest) -> HttpResponse:
    access.require_love_score(request.user)
    parsed = _filter_form(request)
    if isinstance(parsed, HttpResponse):
        return parsed
    form, filters = parsed
    rows = selectors.agreement_breakdown(
        access.responses_for(request.user), start=filters.start, end=filters.last_day
    )
    if request.GET.get("format") == "csv":
        return _csv(
            "love-score-agreements.csv",
            [_("Agreement"), _("Answers"), "NPS"],
            ([r["label"], r["nps"].n, _fmt(r["nps"].score if r["nps"].enough else None)] for r in rows),
        )
    return render(
        request, "voice/agreements.html", {"form": form, "rows": rows, "query": request.GET.urlencode()}
    )


def priorities(request: AuthedRequest) -> HttpResponse:
    access.require_love_score(request.user)
    parsed = _filter_form(request)
    if isinstance(parsed, HttpResponse):
        return parsed
    form, filters = parsed
    data = analytics.priorities(filters)
    by = request.GET.get("by", "unit")
    if by not in ("unit", "step", "region", "segment"):
        by = "unit"
    sources = analytics.change_sources(filters, by)
    if request.GET.get("format") == "csv":
        return _csv(
            "love-score-priorities.csv",
            [
                _("Journey step"),
                _("Segment"),
                _("Answers"),
                _("Share %"),
                "NPS",
                _("Impact (points)"),
                _("Effort mean"),
            ],
            (
                [
                    r.step,
                    r.segment,
                    r.figures.nps.n,
                    _fmt(r.share),
                    _fmt(r.figures.nps.score if r.figures.nps.enough else None),
                    _fmt(r.impact if r.figures.nps.enough else None),
                    _fmt(r.figures.effort.mean if r.figures.effort.enough else None),
                ]
                for r in data["rows"]
            ),
        )
    return render(
        request,
        "voice/priorities.html",
        {"form": form, **data, "sources": sources, "by": by, "query": request.GET.urlencode()},
    )


def effort(request: AuthedRequest) -> HttpResponse:
    access.require_love_score(request.user)
    parsed = _filter_form(request)
    if isinstance(parsed, HttpResponse):
        return parsed
    form, filters = parsed
    heat = analytics.effort_map(filters)
    points = analytics.trend(filters, form.trend_grain())
    if request.GET.get("format") == "csv":
        rows = []
        for table in heat.tables:
            for step_label, cells, total in table.rows:
                for (_key, region_label), cell in [
                    *zip(table.regions, cells, strict=True),
                    ((0, _("All regions")), total),
                ]:
                    if cell:
                        e = cell.effort
                        rows.append(
                            [
                                step_label,
                                table.label,
                                region_label,
                                e.count,
                                _fmt(e.mean if e.enough else None),
                                _fmt(e.easy_pct if e.enough else None),
                            ]
                        )
        return _csv(
            "effort-map.csv",
            [_("Journey step"), _("Business unit"), _("Region"), _("Answers"), _("Effort mean"), _("% easy")],
            rows,
        )
    return render(
        request,
        "voice/effort.html",
        {
            "form": form,
            "heat": heat,
            "effort_chart": effort_chart(points, _("Share of easy experiences (effort 5-7) by period")),
            "query": request.GET.urlencode(),
        },
    )


def accounts(request: AuthedRequest) -> HttpResponse:
    access.require_love_score(request.user)
    form = AccountPeriodForm(request.GET or None)
    months = (form.cleaned_data.get("months") if form.is_valid() else None) or 6
    end = dt.date.today()
    middle = analytics.add_months(analytics.month_start(end), -(months - 1))
    start = analytics.add_months(middle, -months)
    rows = selectors.account_scores(access.responses_for(request.user), start=start, middle=middle, end=end)
    if request.GET.get("format") == "csv":
        return _csv(
            "accounts-love-score.csv",
            [_("Account"), _("Answers"), _("Before"), _("After"), _("Change")],
            ([r["account"], r["responses"], r["before"], r["after"], r["change"]] for r in rows),
        )
    return render(
        request, "voice/accounts.html", {"form": form, "rows": rows, "middle": middle, "start": start}
    )


def verbatims(request: AuthedRequest) -> HttpResponse:
    """Comments, newest first, with filters. Reps and managers see their own accounts' only."""
    form = VerbatimFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return render(request, "voice/verbatims.html", {"form": form, "page": None}, status=400)
    params = form.params() if form.is_bound else {"band": ""}
    responses = selectors.verbatims_filter(access.responses_for(request.user), **params)
    if request.GET.get("format") == "csv":
        rows = responses.select_related("account", "step", "unit", "region").order_by(
            *selectors.VERBATIM_ORDERING
        )[:20000]
        return _csv(
            "verbatims.csv",
            [
                _("Answered"),
                _("Account"),
                _("Journey step"),
                _("Business unit"),
                _("Region"),
                "NPS",
                _("Effort"),
                _("Comment"),
            ],
            (
                [
                    r.answered_at.date().isoformat(),
                    r.account.name if r.account else "",
                    r.step.label if r.step else "",
                    r.unit.label if r.unit else "",
                    r.region.label if r.region else "",
                    r.nps,
                    r.ces,
                    r.comment,
                ]
                for r in rows
            ),
        )
    try:
        page = selectors.verbatims_page(
            responses, cursor=(form.cleaned_data.get("after") if form.is_bound else None) or None
        )
    except InvalidCursor as exc:
        return HttpResponseBadRequest(str(exc))
    query = request.GET.copy()
    query.pop("after", None)
    themes = (
        selectors.theme_counts(responses)
        if access.can_read_love_score(request.user) and not is_htmx(request)
        else []
    )
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "themes": themes,
        "perms_love": access.can_read_love_score(request.user),
    }
    template = "voice/_verbatim_rows.html" if is_htmx(request) else "voice/verbatims.html"
    return render(request, template, context)


# --- Survey management -----------------------------------------------------------------------------


def surveys(request: AuthedRequest) -> HttpResponse:
    access.require_run_surveys(request.user)
    items = list(access.surveys_for(request.user).select_related("step")[:200])
    return render(request, "voice/surveys.html", {"surveys": items})


def survey_new(request: AuthedRequest) -> HttpResponse:
    access.require_run_surveys(request.user)
    form = SurveyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        values = {k: v for k, v in form.cleaned_data.items()}
        try:
            survey = services.survey_create(by=request.user, **values)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Survey created. Activate it to send invitations."))
            return redirect("voice:survey", pk=survey.pk)
    return render(request, "voice/survey_form.html", {"form": form}, status=400 if form.errors else 200)


def survey_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    survey = access.survey_for(request.user, pk, manage=True)
    counts = {
        s: n
        for s, n in Invitation.objects.filter(survey=survey)
        .values_list("status")
        .annotate(n=Count("pk"))
        .order_by()
    }
    context = {
        "survey": survey,
        "counts": counts,
        "responses": Response.objects.filter(survey=survey).count(),
        "questions": list(survey.questions.all()),
        "campaign_form": CampaignForm(),
        "statuses": Survey.Status.choices,
    }
    return render(request, "voice/survey_detail.html", context)


@require_POST
def survey_status(request: AuthedRequest, pk: int) -> HttpResponse:
    survey = access.survey_for(request.user, pk, manage=True)
    anonymous = request.POST.get("anonymous")
    try:
        services.survey_set_status(
            by=request.user,
            survey=survey,
            status=request.POST.get("status", survey.status),
            anonymous_link=None if anonymous is None else anonymous == "1",
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("voice:survey", pk=survey.pk)


@require_POST
def survey_campaign(request: AuthedRequest, pk: int) -> HttpResponse:
    survey = access.survey_for(request.user, pk, manage=True)
    form = CampaignForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the wave a name."))
        return redirect("voice:survey", pk=survey.pk)
    contacts = Contact.objects.filter(account__status="active")
    for name in ("unit", "region", "segment"):
        if form.cleaned_data.get(name):
            contacts = contacts.filter(**{f"account__{name}": form.cleaned_data[name]})
    try:
        _campaign, result = services.campaign_launch(
            by=request.user, survey=survey, name=form.cleaned_data["name"], contacts=contacts
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _(
                "%(invited)s invitations queued; %(skipped)s contacts skipped (no consent, unsubscribed, no e-mail or asked recently)."
            )
            % {"invited": len(result.invitations), "skipped": result.skipped},
        )
    return redirect("voice:survey", pk=survey.pk)
