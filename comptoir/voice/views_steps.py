"""The journey steps page for customer relations: add, rename (French and English), reorder, retire
or bring back, and delete a step nobody used. Every write goes through `journey` (which checks the
capability again and validates), every fetch through `access`."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, OuterRef
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from comptoir.core.typing import AuthedRequest
from comptoir.voice import access, journey
from comptoir.voice.forms import StepForm
from comptoir.voice.models import JourneyStep, Response, Survey


def _add_errors(form: StepForm, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _page(
    request: AuthedRequest, *, new_form: StepForm | None = None, failed: tuple[int, StepForm] | None = None
) -> HttpResponse:
    """Every step in journey order with its form, its answer count and whether it may be deleted:
    three queries whatever the number of steps."""
    steps = list(
        JourneyStep.objects.order_by("rank", "name", "pk").annotate(
            surveys_count=Count("surveys", distinct=True),
            has_answers=Exists(Response.objects.filter(step=OuterRef("pk"))),
            active_surveys=Exists(Survey.objects.filter(step=OuterRef("pk"), status=Survey.Status.ACTIVE)),
        )
    )
    rows = [
        (
            step,
            failed[1]
            if failed and failed[0] == step.pk
            else StepForm(initial=StepForm.initial_of(step), prefix=f"s{step.pk}"),
        )
        for step in steps
    ]
    bad = bool((new_form and new_form.errors) or failed)
    return render(
        request,
        "voice/steps.html",
        {"rows": rows, "new_form": new_form or StepForm(prefix="new")},
        status=400 if bad else 200,
    )


def steps(request: AuthedRequest) -> HttpResponse:
    access.require_run_surveys(request.user)
    new_form = StepForm(request.POST or None, prefix="new")
    if request.method == "POST" and new_form.is_valid():
        try:
            step = journey.step_create(by=request.user, **new_form.cleaned_data)
        except ValidationError as exc:
            _add_errors(new_form, exc)
        else:
            messages.success(
                request, _("Step “%(name)s” added at the end of the journey.") % {"name": step.name}
            )
            return redirect("voice:steps")
    return _page(request, new_form=new_form)


@require_POST
def step_save(request: AuthedRequest, pk: int) -> HttpResponse:
    step = access.step_for(request.user, pk)
    form = StepForm(request.POST, prefix=f"s{step.pk}")
    if form.is_valid():
        try:
            journey.step_update(by=request.user, step=step, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Step saved."))
            return redirect("voice:steps")
    return _page(request, failed=(step.pk, form))


@require_POST
def step_move(request: AuthedRequest, pk: int) -> HttpResponse:
    step = access.step_for(request.user, pk)
    journey.step_move(by=request.user, step=step, up=request.POST.get("direction") == "up")
    return redirect("voice:steps")


@require_POST
def step_active(request: AuthedRequest, pk: int) -> HttpResponse:
    step = access.step_for(request.user, pk)
    active = request.POST.get("active") == "1"
    try:
        journey.step_set_active(by=request.user, step=step, active=active)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("voice:steps")
    if active:
        messages.success(request, _("Step back in the journey."))
    else:
        messages.success(request, _("Step retired: its answers and scores are kept."))
    return redirect("voice:steps")


@require_POST
def step_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    step = access.step_for(request.user, pk)
    try:
        journey.step_delete(by=request.user, step=step)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Step deleted."))
    return redirect("voice:steps")
