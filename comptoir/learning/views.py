"""Taking quizzes: the list, the quiz page, one question per screen, the result, one's own results."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from comptoir.core.htmx import is_htmx
from comptoir.core.pagination import InvalidCursor
from comptoir.core.permissions import Cap, has_cap
from comptoir.core.typing import AuthedRequest
from comptoir.learning import access, attempts, recognition, selectors
from comptoir.learning.forms import MessageForm
from comptoir.learning.models import Attempt, Question
from comptoir.learning.views_common import denied_as_403

TABS = ("take", "mine")


def quiz_list(request: AuthedRequest) -> HttpResponse:
    viewer = request.user
    builds = has_cap(viewer, Cap.BUILD_QUIZZES)
    tab = request.GET.get("tab") or "take"
    if tab not in TABS or (tab == "mine" and not builds):
        tab = "take"
    try:
        page = selectors.quizzes_for(
            viewer=viewer, cursor=request.GET.get("after") or None, mine=tab == "mine"
        )
    except InvalidCursor as exc:
        return HttpResponseBadRequest(str(exc))
    context = {"page": page, "tab": tab, "builds": builds}
    template = "learning/_quiz_rows.html" if is_htmx(request) else "learning/list.html"
    return render(request, template, context)


def quiz_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    quiz = access.quiz_for(request.user, pk)
    return render(request, "learning/detail.html", {"p": selectors.quiz_page(viewer=request.user, quiz=quiz)})


@denied_as_403
@require_POST
def start(request: AuthedRequest, pk: int) -> HttpResponse:
    quiz = access.quiz_for(request.user, pk)
    try:
        attempt = attempts.attempt_start(quiz=quiz, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("learning:detail", pk=pk)
    return redirect("learning:attempt", pk=attempt.pk)


def attempt(request: AuthedRequest, pk: int) -> HttpResponse:
    """Where a person lands after a lost connection or a closed tab: the question they were on."""
    found = access.attempt_for(request.user, pk)
    if attempts.expire_if_due(found):
        return redirect("learning:result", pk=pk)
    position = attempts.current_position(selectors.attempt_answers(found))
    if position is None:
        return redirect("learning:result", pk=pk)
    return redirect("learning:question", pk=pk, position=position)


def question(request: AuthedRequest, pk: int, position: int) -> HttpResponse:
    """One question per screen. Before it is answered the page holds the choices in an order drawn
    for this attempt, referred to by their index: never which one is correct."""
    found = access.attempt_for(request.user, pk)
    if found.is_open and attempts.expire_if_due(found):
        messages.info(request, _("The time for this quiz ran out: here is your result."))
        return redirect("learning:result", pk=pk)
    answers = selectors.attempt_answers(found)
    current = attempts.current_position(answers) if found.is_open else None
    answer = next((a for a in answers if a.position == position), None)
    if answer is None or (answer.answered_at is None and position != current):
        # A later question is not shown before its turn; a finished attempt shows answered ones only.
        return redirect("learning:attempt", pk=pk)
    errors: list[str] = []
    if request.method == "POST" and answer.answered_at is None and request.POST.get("expired"):
        return _time_up(request, found, position, answer.question_id, len(answer.choice_order))
    if request.method == "POST" and answer.answered_at is None:
        picks = _picks(request, answer.question_id, len(answer.choice_order))
        if picks is None:
            errors.append(_("Choose among the answers shown."))
        else:
            try:
                outcome = attempts.attempt_answer(attempt=found, position=position, picks=picks)
            except ValidationError as exc:
                errors.extend(exc.messages)
            else:
                if not outcome.accepted:
                    messages.error(
                        request, _("The time for this question ran out: the answer was not counted.")
                    )
                return redirect("learning:question", pk=pk, position=position)
    elif request.method == "POST":
        errors.append(_("This question is already answered: answers cannot be changed."))
    if answer.answered_at is None:
        attempts.attempt_show(attempt=found, answer=answer)
    shown = selectors.shown_question(attempt=found, answer=answer, answers=answers)
    next_position = current if current is not None and current != position else None
    return render(
        request,
        "learning/question.html",
        {
            "s": shown,
            "errors": errors,
            "next_position": next_position,
            "percent": round(100 * shown.answered / max(1, shown.total)),
        },
        status=400 if errors else 200,
    )


def _time_up(
    request: AuthedRequest, found: Attempt, position: int, question_id: int, size: int
) -> HttpResponse:
    """The countdown reached zero: the server checks the time, records what was chosen (if anything),
    and the person moves on: to the question's feedback, or to the result when the quiz is over."""
    picks = _picks(request, question_id, size)
    try:
        outcome = attempts.attempt_time_up(attempt=found, position=position, picks=picks)
    except ValidationError:  # a half-made choice when the time ran out counts as none
        outcome = attempts.attempt_time_up(attempt=found, position=position, picks=None)
    if outcome is None:  # by the server's clock there is time left: the page shows it again
        return redirect("learning:question", pk=found.pk, position=position)
    if not outcome.accepted:
        messages.info(request, _("The time for this question ran out."))
    if outcome.finished:
        return redirect("learning:result", pk=found.pk)
    return redirect("learning:question", pk=found.pk, position=position)


def _picks(request: AuthedRequest, question_id: int, size: int) -> list[int] | None:
    """The form's answer as indices into the shown order: `pick` (one or several), or for ordering
    `rank_<index>` = the place (1..n) the person gave each item."""
    kind = Question.objects.filter(pk=question_id).values_list("kind", flat=True).first()
    try:
        if kind == Question.Kind.ORDERING:
            ranks = {int(request.POST.get(f"rank_{i}", "")): i for i in range(size)}
            if sorted(ranks) != list(range(1, size + 1)):
                return None
            return [ranks[place] for place in range(1, size + 1)]
        return [int(v) for v in request.POST.getlist("pick")]
    except ValueError:
        return None


def result(request: AuthedRequest, pk: int) -> HttpResponse:
    found = access.attempt_for(request.user, pk)
    if attempts.expire_if_due(found) and found.is_open:
        found.refresh_from_db()
    if found.is_open:
        return redirect("learning:attempt", pk=pk)
    found.refresh_from_db()
    review = selectors.attempt_review(found)
    return render(
        request,
        "learning/result.html",
        {
            "attempt": found,
            "quiz": found.quiz,
            "review": review,
            "to_review": [item for item in review if not item.correct],
            "share_form": MessageForm(),
            "kudos": list(found.kudos.select_related("by")),
        },
    )


@denied_as_403
@require_POST
def share(request: AuthedRequest, pk: int) -> HttpResponse:
    found = access.attempt_for(request.user, pk)
    form = MessageForm(request.POST)
    message = form.cleaned_data["message"] if form.is_valid() else ""
    try:
        recognition.attempt_share(attempt=found, by=request.user, message=message)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Your success is shared on the feed."))
    return redirect("learning:result", pk=pk)


@denied_as_403
def congratulate(request: AuthedRequest, pk: int) -> HttpResponse:
    """The page a manager reaches from the notification: the result and one button. The button in
    the notification list and in the team's results posts here directly (with `next` to return to)."""
    found = access.congratulable_attempt_for(request.user, pk)
    if request.method == "POST":
        form = MessageForm(request.POST)
        message = form.cleaned_data["message"] if form.is_valid() else ""
        try:
            recognition.attempt_congratulate(attempt=found, by=request.user, message=message)
        except ValidationError as exc:
            # A second tap (or a tap racing the first) congratulates once and says so.
            messages.info(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Your congratulations are sent."))
        back = request.POST.get("next", "")
        if url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}) and back.startswith("/"):
            return redirect(back)
        return redirect("learning:congratulate", pk=pk)
    already = found.kudos.filter(by=request.user).exists()
    default = _("Congratulations on passing “%(quiz)s”!") % {"quiz": found.quiz.label}
    return render(
        request,
        "learning/congratulate.html",
        {"attempt": found, "already": already, "form": MessageForm(initial={"message": default})},
    )


def my_results(request: AuthedRequest) -> HttpResponse:
    try:
        page = selectors.my_attempts(viewer=request.user, cursor=request.GET.get("after") or None)
    except InvalidCursor as exc:
        return HttpResponseBadRequest(str(exc))
    template = "learning/_result_rows.html" if is_htmx(request) else "learning/results.html"
    return render(request, template, {"page": page, "badges": selectors.badges_of(request.user)})
