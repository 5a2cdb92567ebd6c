"""Survey editing for customer relations: the texts in French and English, and the extra questions.

Every write goes through the services (which check the capability again and validate), every
fetch through `access` (404 for a question of another survey, 403 for those who do not run surveys).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from comptoir.core.typing import AuthedRequest
from comptoir.voice import access, services
from comptoir.voice.forms import QuestionForm, SurveyForm, VoiceSettingsForm
from comptoir.voice.models import SurveyQuestion, VoiceSettings


def _form_errors(form: QuestionForm | SurveyForm, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def survey_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    survey = access.survey_for(request.user, pk, manage=True)
    fields = SurveyForm.Meta.fields
    form = SurveyForm(
        request.POST or None,
        initial={f: getattr(survey, f) for f in fields if f != "step"} | {"step": survey.step_id},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.survey_update(by=request.user, survey=survey, **form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Survey saved."))
            return redirect("voice:survey", pk=survey.pk)
    return render(
        request,
        "voice/survey_form.html",
        {"form": form, "survey": survey},
        status=400 if form.errors else 200,
    )


def _question_values(form: QuestionForm) -> dict[str, object]:
    data = form.cleaned_data
    return {
        "kind": data["kind"],
        "text": data["text"],
        "text_en": data.get("text_en") or "",
        "choices": services.choices_parse(data.get("choices") or ""),
        "required": bool(data.get("required")),
    }


def questions(request: AuthedRequest, pk: int) -> HttpResponse:
    """The survey's extra questions, each editable in place, and a form to add one."""
    survey = access.survey_for(request.user, pk, manage=True)
    new_form = QuestionForm(request.POST or None, prefix="new")
    if request.method == "POST" and new_form.is_valid():
        try:
            services.question_create(by=request.user, survey=survey, **_question_values(new_form))  # type: ignore[arg-type]
        except ValidationError as exc:
            _form_errors(new_form, exc)
        else:
            messages.success(request, _("Question added."))
            return redirect("voice:questions", pk=survey.pk)
    return _questions_page(request, survey.pk, new_form=new_form)


def _questions_page(
    request: AuthedRequest,
    survey_pk: int,
    *,
    new_form: QuestionForm | None = None,
    failed: tuple[int, QuestionForm] | None = None,
) -> HttpResponse:
    survey = access.survey_for(request.user, survey_pk, manage=True)
    items = list(SurveyQuestion.objects.filter(survey=survey).order_by("rank", "id"))
    rows = [
        (
            q,
            failed[1]
            if failed and failed[0] == q.pk
            else QuestionForm(initial=QuestionForm.initial_of(q), prefix=f"q{q.pk}"),
        )
        for q in items
    ]
    bad = bool((new_form and new_form.errors) or failed)
    return render(
        request,
        "voice/questions.html",
        {
            "survey": survey,
            "rows": rows,
            "new_form": new_form or QuestionForm(prefix="new"),
            "max_questions": services.MAX_QUESTIONS,
        },
        status=400 if bad else 200,
    )


@require_POST
def question_save(request: AuthedRequest, pk: int, question_pk: int) -> HttpResponse:
    question = access.question_for(request.user, pk, question_pk)
    form = QuestionForm(request.POST, prefix=f"q{question.pk}")
    if form.is_valid():
        try:
            services.question_update(by=request.user, question=question, **_question_values(form))  # type: ignore[arg-type]
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Question saved."))
            return redirect("voice:questions", pk=pk)
    return _questions_page(request, pk, failed=(question.pk, form))


@require_POST
def question_delete(request: AuthedRequest, pk: int, question_pk: int) -> HttpResponse:
    question = access.question_for(request.user, pk, question_pk)
    services.question_delete(by=request.user, question=question)
    messages.success(request, _("Question removed. The answers already given keep it."))
    return redirect("voice:questions", pk=pk)


@require_POST
def question_move(request: AuthedRequest, pk: int, question_pk: int) -> HttpResponse:
    question = access.question_for(request.user, pk, question_pk)
    services.question_move(by=request.user, question=question, up=request.POST.get("direction") == "up")
    return redirect("voice:questions", pk=pk)


@require_GET
def survey_preview(request: AuthedRequest, pk: int) -> HttpResponse:
    """The survey page as customers see it (in French, or ?lang=en), with sending disabled."""
    from comptoir.voice.views_public import _language, _page

    survey = access.survey_for(request.user, pk, manage=True)
    return _page(request, survey=survey, language=_language(request, "fr"), action="", preview=True)


def voice_settings(request: AuthedRequest) -> HttpResponse:
    """Throttling, reminder delay, link validity, minimum answers and the anonymous limit."""
    access.require_run_surveys(request.user)
    current = VoiceSettings.current()
    form = VoiceSettingsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Settings saved."))
        return redirect("voice:settings")
    return render(request, "voice/settings.html", {"form": form}, status=400 if form.errors else 200)
