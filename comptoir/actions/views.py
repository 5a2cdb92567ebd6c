from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from comptoir.actions import access, from_voice, selectors, services
from comptoir.actions.forms import ActionForm, CommentForm, DispatchForm, FilterForm, TransitionForm
from comptoir.actions.models import ActionComment, ClosedLoopSettings
from comptoir.actions.rows import row_page
from comptoir.core import clock
from comptoir.core.charts import Point, Series, line_chart
from comptoir.core.htmx import is_htmx
from comptoir.core.pagination import InvalidCursor
from comptoir.core.permissions import Cap, PermissionDenied403, has_cap
from comptoir.core.typing import AuthedRequest
from comptoir.customers.models import Account
from comptoir.voice.models import Response

TABS = ("mine", "team", "written", "all")


def denied_as_403[F: Callable[..., Any]](view: F) -> F:
    """Services refuse with PermissionDenied403; a page answers that with Django's 403."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return view(*args, **kwargs)
        except PermissionDenied403 as exc:
            raise PermissionDenied(str(exc)) from exc

    return wrapper  # type: ignore[return-value]


def inbox(request: AuthedRequest) -> HttpResponse:
    """One page, four views: my actions, my teams' actions, those I wrote, all (with filters)."""
    viewer = request.user
    sees_all = has_cap(viewer, Cap.SEE_ALL_ACTIONS)
    team_ids = access.managed_team_ids(viewer)
    tab = request.GET.get("tab") or "mine"
    if tab not in TABS or (tab == "team" and not team_ids):
        tab = "mine"
    form = FilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return render(request, "actions/inbox.html", {"form": form, "page": None, "tab": tab}, status=400)
    data = form.cleaned_data if form.is_bound else {}
    cursor = data.get("after") or None
    if tab == "mine":
        listing = selectors.mine(viewer)
    elif tab == "team":
        listing = selectors.teams(viewer, team_ids)
    elif tab == "written":
        listing = selectors.written(viewer)
    else:
        age = data.get("age") or ""
        filters = selectors.ActionFilters(
            status=data.get("status") or "",
            kind=data.get("kind"),
            unit=data.get("unit"),
            region=data.get("region"),
            older_than_days=int(age[1:]) if age.startswith("-") else None,
            newer_than_days=int(age) if age and not age.startswith("-") else None,
            overdue=bool(data.get("overdue")),
        )
        listing = selectors.filtered(viewer, filters)
    try:
        page = row_page(listing, cursor=cursor, today=clock.today())
    except InvalidCursor as exc:
        return HttpResponseBadRequest(str(exc))
    query = request.GET.copy()
    query.pop("after", None)
    query["tab"] = tab
    context = {
        "form": form,
        "page": page,
        "rows": page.items,
        "tab": tab,
        "query": query.urlencode(),
        "has_team": bool(team_ids),
        "sees_all": sees_all,
        "can_read_metrics": sees_all or has_cap(viewer, Cap.READ_LOVE_SCORE),
    }
    template = "actions/_rows.html" if is_htmx(request) else "actions/inbox.html"
    return render(request, template, context)


@denied_as_403
def new(request: AuthedRequest) -> HttpResponse:
    if not has_cap(request.user, Cap.POST_ACTIONS):
        raise PermissionDenied403
    initial: dict[str, object] = {
        "due_on": clock.today() + dt.timedelta(days=ClosedLoopSettings.current().default_due_days)
    }
    account = None
    account_id = request.GET.get("account", "")
    if account_id.isdigit():
        account = Account.objects.select_related("owner").filter(pk=int(account_id)).first()
        if account is not None:
            initial["account"] = account.pk
            if account.owner_id:
                initial["assignee"] = account.owner_id
    source_response = None
    response_id = request.GET.get("response", "") or request.POST.get("response", "")
    if response_id.isdigit():
        source_response = (
            Response.objects.select_related("account", "step", "owner", "contact")
            .filter(pk=int(response_id))
            .first()
        )
        if source_response is None or not from_voice.may_raise_from(request.user, source_response):
            raise Http404
        initial.update(from_voice.proposal_for(source_response))
        account = source_response.account
    form = ActionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            action = services.action_create(
                author=request.user,
                assignee=data["assignee"],
                team=data["team"],
                account=data["account"],
                kind=data["kind"],
                title=data["title"],
                description=data["description"],
                due_on=data["due_on"],
                priority=data["priority"],
                response=data["response"],
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The action is posted."))
            return redirect("actions:detail", pk=action.pk)
    if form.is_bound and form.cleaned_data.get("account"):
        account = form.cleaned_data["account"]
    return render(
        request,
        "actions/new.html",
        {"form": form, "account": account, "source_response": source_response},
        status=400 if form.errors else 200,
    )


def _add_errors(form: object, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            target = field if field in form.fields else None  # type: ignore[attr-defined]
            for error in errors:
                form.add_error(target, error)  # type: ignore[attr-defined]
    else:
        form.add_error(None, exc)  # type: ignore[attr-defined]


def detail(request: AuthedRequest, pk: int) -> HttpResponse:
    action = access.action_for(request.user, pk)
    context = selectors.action_page(viewer=request.user, action=action)
    context["comment_form"] = CommentForm()
    return render(request, "actions/detail.html", context)


def _detail_with_errors(
    request: AuthedRequest, pk: int, exc: ValidationError, **forms: object
) -> HttpResponse:
    action = access.action_for(request.user, pk)
    context = selectors.action_page(viewer=request.user, action=action)
    context["comment_form"] = forms.get("comment_form") or CommentForm()
    context["errors"] = exc.messages
    return render(request, "actions/detail.html", context, status=400)


@denied_as_403
@require_POST
def transition(request: AuthedRequest, pk: int) -> HttpResponse:
    action = access.action_for(request.user, pk)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        return _detail_with_errors(
            request, pk, ValidationError(_("Choose a state; the note is 5000 characters at most."))
        )
    try:
        services.action_transition(
            action=action, actor=request.user, to=form.cleaned_data["to"], note=form.cleaned_data["note"]
        )
    except ValidationError as exc:
        return _detail_with_errors(request, pk, exc)
    messages.success(request, _("The action is updated."))
    return redirect("actions:detail", pk=pk)


@denied_as_403
@require_POST
def comment(request: AuthedRequest, pk: int) -> HttpResponse:
    action = access.action_for(request.user, pk)
    form = CommentForm(request.POST, request.FILES)
    if not form.is_valid():
        return _detail_with_errors(request, pk, ValidationError(_("Write a comment.")), comment_form=form)
    try:
        services.action_comment(
            action=action,
            author=request.user,
            body=form.cleaned_data["body"],
            attachment=form.cleaned_data["attachment"],
        )
    except ValidationError as exc:
        return _detail_with_errors(request, pk, exc, comment_form=form)
    return redirect("actions:detail", pk=pk)


@denied_as_403
@require_POST
def dispatch(request: AuthedRequest, pk: int) -> HttpResponse:
    action = access.action_for(request.user, pk)
    form = DispatchForm(request.POST)
    if not form.is_valid():
        return _detail_with_errors(request, pk, ValidationError(_("Choose a person.")))
    try:
        services.action_dispatch(action=action, actor=request.user, assignee=form.cleaned_data["assignee"])
    except ValidationError as exc:
        return _detail_with_errors(request, pk, exc)
    messages.success(request, _("The action is dispatched."))
    return redirect("actions:detail", pk=pk)


def attachment(request: AuthedRequest, pk: int) -> FileResponse:
    """Attachments are served through the action's permission check, never by a guessable URL."""
    comment = get_object_or_404(
        ActionComment.objects.only("id", "action_id", "attachment", "attachment_name"), pk=pk
    )
    access.action_for(request.user, comment.action_id)
    if not comment.attachment:
        raise Http404
    return FileResponse(comment.attachment.open("rb"), as_attachment=True, filename=comment.attachment_name)


@denied_as_403
def metrics(request: AuthedRequest) -> HttpResponse:
    form = FilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return HttpResponseBadRequest(_("Unknown unit or region."))
    data = form.cleaned_data if form.is_bound else {}
    unit = data.get("unit")
    region = data.get("region")
    loop = selectors.closed_loop(viewer=request.user, unit=unit, region=region)
    figures = loop.months
    labels = [f"{m.month:%m/%y}" for m in figures]

    def days(value: float | None) -> float | None:
        return None if value is None else value / 24

    chart = line_chart(
        [
            Series(
                _("First response (days)"),
                [Point(lbl, days(m.median_first_response_h)) for lbl, m in zip(labels, figures, strict=True)],
                "line",
            ),
            Series(
                _("Closure (days)"),
                [Point(lbl, days(m.median_closure_h)) for lbl, m in zip(labels, figures, strict=True)],
                "line alt",
            ),
        ],
        title=_("Median time to first response and to closure, in days"),
        y_min=0,
    )
    volume = line_chart(
        [
            Series(
                _("Posted"), [Point(lbl, m.created) for lbl, m in zip(labels, figures, strict=True)], "line"
            ),
            Series(
                _("Closed"),
                [Point(lbl, m.closed) for lbl, m in zip(labels, figures, strict=True)],
                "line alt",
            ),
        ],
        title=_("Actions posted and closed per month"),
        y_min=0,
    )
    followed = line_chart(
        [
            Series(
                _("Detractors followed (%)"),
                [Point(lbl, m.followed_pct) for lbl, m in zip(labels, figures, strict=True)],
                "line",
            )
        ],
        title=_("Share of the month's detractors followed by an action"),
        y_min=0,
        y_max=100,
    )
    return render(
        request,
        "actions/metrics.html",
        {
            "form": form,
            "figures": figures,
            "chart": chart,
            "volume": volume,
            "followed_chart": followed,
            "coverage": selectors.coverage_of(figures),
            "breakdowns": [
                (_("By business unit, last 12 months"), loop.breakdowns["unit"]),
                (_("By region, last 12 months"), loop.breakdowns["region"]),
            ],
        },
    )
