"""Building quizzes: settings, questions, the topic banks, publishing, duplication, import, analytics."""

from __future__ import annotations

import csv
import io

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from comptoir.core.htmx import is_htmx
from comptoir.core.models import PracticeTopic
from comptoir.core.pagination import InvalidCursor
from comptoir.core.permissions import Cap, PermissionDenied403, has_cap
from comptoir.core.typing import AuthedRequest
from comptoir.learning import access, analytics, selectors, services
from comptoir.learning.charts import bar_chart, distribution_chart
from comptoir.learning.forms import ImportForm, QuestionForm, QuizForm
from comptoir.learning.models import Question, Quiz
from comptoir.learning.quiz_import import TEMPLATE_HEADER, import_quizzes
from comptoir.learning.views_common import add_errors, denied_as_403


def _builder(request: AuthedRequest) -> None:
    if not has_cap(request.user, Cap.BUILD_QUIZZES):
        raise PermissionDenied403


@denied_as_403
def new(request: AuthedRequest) -> HttpResponse:
    _builder(request)
    form = QuizForm(request.POST or None, viewer=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            quiz = services.quiz_create(author=request.user, settings=form.settings())
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(
                request, _("The quiz is created as a draft: add its questions, then publish it.")
            )
            return redirect("learning:manage", pk=quiz.pk)
    return render(
        request, "learning/quiz_form.html", {"form": form, "quiz": None}, status=400 if form.errors else 200
    )


@denied_as_403
def edit(request: AuthedRequest, pk: int) -> HttpResponse:
    quiz = access.quiz_for(request.user, pk, for_change=True)
    form = QuizForm(request.POST or None, viewer=request.user, initial=QuizForm.initial_from(quiz))
    if request.method == "POST" and form.is_valid():
        try:
            services.quiz_update(quiz=quiz, actor=request.user, settings=form.settings())
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The quiz is saved."))
            return redirect("learning:manage", pk=quiz.pk)
    return render(
        request, "learning/quiz_form.html", {"form": form, "quiz": quiz}, status=400 if form.errors else 200
    )


@denied_as_403
def manage(request: AuthedRequest, pk: int) -> HttpResponse:
    """The author's view of a quiz: its questions with their correct answers, publishing, duplication."""
    quiz = access.quiz_for(request.user, pk, for_change=True)
    questions = list(quiz.questions.prefetch_related("choices").order_by("position", "id"))
    bank = (
        Question.objects.filter(quiz=None, topic_id=quiz.topic_id, retired_at=None).count()
        if quiz.topic_id
        else 0
    )
    return render(
        request,
        "learning/manage.html",
        {"quiz": quiz, "questions": questions, "bank": bank, "locked": quiz.attempts.exists()},
    )


@denied_as_403
def question_new(request: AuthedRequest, pk: int) -> HttpResponse:
    quiz = access.quiz_for(request.user, pk, for_change=True)
    return _question_form(request, quiz=quiz, topic=None, question=None)


@denied_as_403
def question_edit(request: AuthedRequest, pk: int, qid: int) -> HttpResponse:
    quiz = access.quiz_for(request.user, pk, for_change=True)
    question = get_object_or_404(Question.objects.prefetch_related("choices"), pk=qid, quiz=quiz)
    return _question_form(request, quiz=quiz, topic=None, question=question)


def _question_form(
    request: AuthedRequest, *, quiz: Quiz | None, topic: PracticeTopic | None, question: Question | None
) -> HttpResponse:
    initial = QuestionForm.initial_from(question) if question else {}
    form = QuestionForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        spec, image = form.cleaned_data["spec"], form.cleaned_data.get("image")
        try:
            if question is not None:
                saved = services.question_update(
                    actor=request.user, question=question, spec=spec, image=image
                )
                if saved.pk != question.pk:
                    messages.info(
                        request,
                        _(
                            "People have answered this question: it is saved as version %(n)s, the answers given keep the previous one."
                        )
                        % {"n": saved.version},
                    )
            else:
                services.question_add(actor=request.user, spec=spec, quiz=quiz, topic=topic, image=image)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The question is saved."))
            if quiz is not None:
                return redirect("learning:manage", pk=quiz.pk)
            assert topic is not None
            return redirect("learning:bank", topic_id=topic.pk)
    return render(
        request,
        "learning/question_form.html",
        {"form": form, "quiz": quiz, "topic": topic, "question": question},
        status=400 if form.errors else 200,
    )


@denied_as_403
@require_POST
def question_delete(request: AuthedRequest, pk: int, qid: int) -> HttpResponse:
    quiz = access.quiz_for(request.user, pk, for_change=True)
    question = get_object_or_404(Question, pk=qid, quiz=quiz)
    try:
        services.question_delete(actor=request.user, question=question)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("learning:manage", pk=pk)


@denied_as_403
@require_POST
def publish(request: AuthedRequest, pk: int) -> HttpResponse:
    quiz = access.quiz_for(request.user, pk, for_change=True)
    try:
        services.quiz_publish(quiz=quiz, actor=request.user, published=request.POST.get("published") != "0")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("The quiz is published.") if quiz.published else _("The quiz is back to draft.")
        )
    return redirect("learning:manage", pk=pk)


@denied_as_403
@require_POST
def duplicate(request: AuthedRequest, pk: int) -> HttpResponse:
    _builder(request)
    quiz = access.quiz_for(request.user, pk)
    try:
        copy = services.quiz_duplicate(quiz=quiz, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("learning:detail", pk=pk)
    messages.success(request, _("Here is your copy, as a draft."))
    return redirect("learning:manage", pk=copy.pk)


@denied_as_403
def bank(request: AuthedRequest, topic_id: int) -> HttpResponse:
    _builder(request)
    topic = get_object_or_404(PracticeTopic, pk=topic_id)
    try:
        page = selectors.bank_questions(topic_id=topic.pk, cursor=request.GET.get("after") or None)
    except InvalidCursor as exc:
        raise Http404 from exc
    topics = PracticeTopic.objects.filter(active=True)
    context = {"topic": topic, "page": page, "topics": topics, "national": access.is_national(request.user)}
    return render(request, "learning/bank.html", context)


@denied_as_403
def bank_question_new(request: AuthedRequest, topic_id: int) -> HttpResponse:
    _builder(request)
    topic = get_object_or_404(PracticeTopic, pk=topic_id)
    return _question_form(request, quiz=None, topic=topic, question=None)


@denied_as_403
def bank_question_edit(request: AuthedRequest, topic_id: int, qid: int) -> HttpResponse:
    question = access.bank_question_for(request.user, topic_id, qid, for_change=True)
    assert question.topic is not None
    return _question_form(request, quiz=None, topic=question.topic, question=question)


@denied_as_403
@require_POST
def bank_question_retire(request: AuthedRequest, topic_id: int, qid: int) -> HttpResponse:
    question = access.bank_question_for(request.user, topic_id, qid, for_change=True)
    services.question_retire(actor=request.user, question=question)
    messages.success(request, _("The question is retired: quizzes no longer draw it."))
    return redirect("learning:bank", topic_id=topic_id)


@denied_as_403
def import_file(request: AuthedRequest) -> HttpResponse:
    _builder(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    created: list[Quiz] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        report, created = import_quizzes(author=request.user, data=upload.read(), filename=upload.name)
    status = 400 if (form.errors or (report and not report.applied)) else 200
    return render(
        request, "learning/import.html", {"form": form, "report": report, "created": created}, status=status
    )


def import_template(request: AuthedRequest) -> HttpResponse:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(TEMPLATE_HEADER)
    writer.writerow(
        ["Les machines à café", "Machines à café", "single", "Quelle pression pour un espresso ?", "",
         "5 bars | 9 bars | 15 bars", "", "2", "Neuf bars donnent la crème.", "", ""]
    )  # fmt: skip
    response = HttpResponse(out.getvalue().encode("utf-8-sig"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="quiz-template.csv"'
    return response


@denied_as_403
def analytics_page(request: AuthedRequest, pk: int) -> HttpResponse:
    quiz = access.analytics_quiz_for(request.user, pk)
    figures = analytics.quiz_analytics(quiz=quiz, viewer=request.user, none_label=_("none"))
    charts = {
        "team": bar_chart(
            [(r.label, r.participation, r.pass_rate) for r in figures.by_team[:30]],
            title=_("Participation and pass rate by team (%)"),
        ),
        "region": bar_chart(
            [(r.label, r.participation, r.pass_rate) for r in figures.by_region],
            title=_("Participation and pass rate by region (%)"),
        ),
        "distribution": distribution_chart(
            figures.distribution, title=_("People per best score (%)"), series_name=_("People")
        ),
    }
    can_export = access.may_change(request.user, quiz)
    return render(
        request,
        "learning/analytics.html",
        {"quiz": quiz, "a": figures, "charts": charts, "can_export": can_export},
    )


@denied_as_403
def team_passes(request: AuthedRequest, pk: int) -> HttpResponse:
    """The viewer's people who passed, page after page, each with a one-tap congratulation."""
    quiz = access.analytics_quiz_for(request.user, pk)
    try:
        page = analytics.passed_in_team(quiz, request.user, cursor=request.GET.get("after") or None)
    except InvalidCursor as exc:
        return HttpResponseBadRequest(str(exc))
    template = "learning/_team_pass_rows.html" if is_htmx(request) else "learning/team_passes.html"
    return render(request, template, {"quiz": quiz, "page": page})


@denied_as_403
def analytics_csv(request: AuthedRequest, pk: int) -> StreamingHttpResponse:
    """Each person's result: for the author and HQ (a manager reads the aggregates only)."""
    quiz = access.quiz_for(request.user, pk, for_change=True)
    response = StreamingHttpResponse(analytics.results_csv_rows(quiz), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="quiz-{quiz.pk}-results.csv"'
    return response
