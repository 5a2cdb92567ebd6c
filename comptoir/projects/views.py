from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from comptoir.actions.views import denied_as_403
from comptoir.core.charts import line_chart
from comptoir.core.htmx import is_htmx
from comptoir.core.pagination import InvalidCursor
from comptoir.core.typing import AuthedRequest
from comptoir.projects import access, selectors, services
from comptoir.projects.forms import CommentForm, LinkForm, MilestoneForm, ProjectForm
from comptoir.projects.models import Milestone, Project


def _add_errors(form: Any, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            for error in errors:
                form.add_error(field if field in form.fields else None, error)
    else:
        form.add_error(None, exc)


def project_list(request: AuthedRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    if status and status not in Project.Status.values:
        return HttpResponseBadRequest(_("Unknown status."))
    try:
        page = selectors.projects_for(
            viewer=request.user, status=status, cursor=request.GET.get("after") or None
        )
    except InvalidCursor as exc:
        return HttpResponseBadRequest(str(exc))
    context = {"page": page, "status": status, "statuses": Project.Status.choices}
    return render(request, "projects/_rows.html" if is_htmx(request) else "projects/list.html", context)


@denied_as_403
def new(request: AuthedRequest) -> HttpResponse:
    form = ProjectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            project = services.project_create(
                author=request.user,
                title=data["title"],
                problem=data["problem"],
                status=data["status"],
                started_on=data["started_on"],
                ended_on=data["ended_on"],
                baseline_days=data["baseline_days"],
                facilitator=data["facilitator"],
                members=data["members"],
                steps=data["steps"],
                segments=data["segments"],
                regions=data["regions"],
                units=data["units"],
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The project is started."))
            return redirect("projects:detail", pk=project.pk)
    return render(request, "projects/form.html", {"form": form}, status=400 if form.errors else 200)


@denied_as_403
def edit(request: AuthedRequest, pk: int) -> HttpResponse:
    project = access.project_for(request.user, pk)
    if not access.can_edit(request.user, project):
        raise PermissionDenied
    initial = {
        "facilitator": project.facilitator,
        "members": list(project.members.all()),
        "steps": list(project.steps.all()),
        "segments": list(project.segments.all()),
        "regions": list(project.regions.all()),
        "units": list(project.units.all()),
    }
    # The form edits a copy, so a refused change leaves the project as it was.
    form = ProjectForm(request.POST or None, instance=Project.objects.get(pk=project.pk), initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = {
            k: data[k]
            for k in ("title", "problem", "status", "started_on", "ended_on", "baseline_days", "facilitator")
        }
        relations = {k: data[k] for k in ("members", "steps", "segments", "regions", "units")}
        try:
            services.project_update(project=project, actor=request.user, **fields, **relations)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The project is saved."))
            return redirect("projects:detail", pk=project.pk)
    return render(
        request, "projects/form.html", {"form": form, "project": project}, status=400 if form.errors else 200
    )


def detail(request: AuthedRequest, pk: int) -> HttpResponse:
    project = access.project_for(request.user, pk)
    context = selectors.project_page(viewer=request.user, project=project)
    context["chart"] = (
        line_chart(
            context["series"],
            title=_("NPS per month: targeted responses and the others"),
            y_min=-100,
            y_max=100,
        )
        if context["series"]
        else ""
    )
    context.setdefault("milestone_form", MilestoneForm())
    context.setdefault("link_form", LinkForm())
    context.setdefault("comment_form", CommentForm())
    return render(request, "projects/detail.html", context)


def _detail_400(request: AuthedRequest, pk: int, **forms: Any) -> HttpResponse:
    project = access.project_for(request.user, pk)
    context = selectors.project_page(viewer=request.user, project=project)
    context["chart"] = ""
    context.update(
        {"milestone_form": MilestoneForm(), "link_form": LinkForm(), "comment_form": CommentForm(), **forms}
    )
    return render(request, "projects/detail.html", context, status=400)


@denied_as_403
@require_POST
def milestone_add(request: AuthedRequest, pk: int) -> HttpResponse:
    project = access.project_for(request.user, pk)
    form = MilestoneForm(request.POST)
    if form.is_valid():
        try:
            services.milestone_add(project=project, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            return redirect("projects:detail", pk=pk)
    return _detail_400(request, pk, milestone_form=form)


@denied_as_403
@require_POST
def milestone_done(request: AuthedRequest, pk: int, milestone_id: int) -> HttpResponse:
    project = access.project_for(request.user, pk)
    milestone = get_object_or_404(
        Milestone.objects.select_related("project"), pk=milestone_id, project=project
    )
    services.milestone_done(milestone=milestone, actor=request.user)
    return redirect("projects:detail", pk=pk)


@denied_as_403
@require_POST
def link_add(request: AuthedRequest, pk: int) -> HttpResponse:
    project = access.project_for(request.user, pk)
    form = LinkForm(request.POST)
    if form.is_valid():
        try:
            services.link_add(project=project, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            return redirect("projects:detail", pk=pk)
    return _detail_400(request, pk, link_form=form)


@denied_as_403
@require_POST
def comment(request: AuthedRequest, pk: int) -> HttpResponse:
    project = access.project_for(request.user, pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.project_comment(project=project, author=request.user, body=form.cleaned_data["body"])
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            return redirect("projects:detail", pk=pk)
    return _detail_400(request, pk, comment_form=form)
