"""Taking a quiz: start (or resume), show a question, answer it once, finish.

The server is the only judge of time: an attempt has a deadline (the quiz's time limit, or its
closing date if sooner) and each question may have its own limit from the moment it was first shown.
An answer that arrives later is refused, whatever the browser displayed. `GRACE` absorbs the network
delay of an answer sent in the last second.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q
from django.utils.translation import gettext as _

from comptoir.core import clock
from comptoir.learning import access, scoring
from comptoir.learning.models import AnswerStat, Attempt, AttemptAnswer, Choice, Question, Quiz
from comptoir.org.models import User

GRACE = dt.timedelta(seconds=2)
_rng = random.SystemRandom()


class QuizClosed(ValidationError):
    pass


@dataclass(frozen=True)
class AnswerOutcome:
    answer: AttemptAnswer
    accepted: bool  # False: the time for this question (or the quiz) had run out
    finished: bool  # the attempt is over (last question, or time ran out)


def quiz_window_error(quiz: Quiz, now: dt.datetime) -> str:
    if quiz.opens_at and now < quiz.opens_at:
        return _("This quiz opens on %(date)s.") % {"date": quiz.opens_at.strftime("%d/%m/%Y %H:%M")}
    if quiz.closes_at and now >= quiz.closes_at:
        return _("This quiz is closed.")
    return ""


def attempts_left(quiz: Quiz, used: int) -> int | None:
    return None if quiz.max_attempts is None else max(0, quiz.max_attempts - used)


def attempt_start(*, quiz: Quiz, user: User) -> Attempt:
    """Resume the attempt in progress, or start the next one if the quiz is open and attempts remain.

    Safe under concurrent submissions: two starts cannot take the same attempt number (unique
    constraint), and at most one attempt per person and quiz is in progress (partial unique index).
    """
    if not quiz.published or not access.in_audience(user, quiz):
        raise QuizClosed(_("This quiz is not open to you."))
    now = clock.now()
    latest = Attempt.objects.filter(quiz=quiz, user=user).order_by("-number").first()
    if latest is not None and latest.is_open and not expire_if_due(latest, now=now):
        return latest
    error = quiz_window_error(quiz, now)
    if error:
        raise QuizClosed(error)
    number = (latest.number if latest else 0) + 1
    if quiz.max_attempts is not None and number > quiz.max_attempts:
        raise QuizClosed(_("You have used all the attempts allowed for this quiz."))
    drawn = _draw_questions(quiz)
    if not drawn:
        raise QuizClosed(_("This quiz has no questions yet."))
    choices: dict[int, list[int]] = {}
    for question_id, choice_id in Choice.objects.filter(question_id__in=drawn).values_list(
        "question_id", "id"
    ):
        choices.setdefault(question_id, []).append(choice_id)
    deadline = now + dt.timedelta(seconds=quiz.time_limit_seconds) if quiz.time_limit_seconds else None
    if quiz.closes_at and (deadline is None or quiz.closes_at < deadline):
        deadline = quiz.closes_at
    try:
        with transaction.atomic():
            attempt = Attempt.objects.create(
                quiz=quiz,
                user=user,
                number=number,
                started_at=now,
                deadline=deadline,
                question_count=len(drawn),
                team_id=user.team_id,
                region_id=user.region_id,
            )
            AttemptAnswer.objects.bulk_create(
                [
                    AttemptAnswer(
                        attempt=attempt,
                        question_id=question_id,
                        position=position,
                        choice_order=_rng.sample(
                            choices.get(question_id, []), len(choices.get(question_id, []))
                        ),
                    )
                    for position, question_id in enumerate(drawn, start=1)
                ]
            )
    except IntegrityError:
        # Another request started an attempt at the same moment: use that one, never a second.
        concurrent = Attempt.objects.filter(quiz=quiz, user=user, status=Attempt.Status.IN_PROGRESS).first()
        if concurrent is None:
            raise QuizClosed(_("You have used all the attempts allowed for this quiz.")) from None
        return concurrent
    return attempt


def _draw_questions(quiz: Quiz) -> list[int]:
    """The quiz's own questions in their order, then N drawn at random from its topic's bank (one
    query for both, whatever the size of the bank)."""
    scope = Q(quiz=quiz)
    if quiz.bank_draw and quiz.topic_id:
        scope |= Q(quiz=None, topic_id=quiz.topic_id)
    scope &= Q(retired_at=None)  # a retired question (or an edited one's old version) is not drawn
    own: list[int] = []
    bank: list[int] = []
    for question_id, quiz_id in (
        Question.objects.filter(scope).order_by("position", "id").values_list("id", "quiz_id")
    ):
        (own if quiz_id else bank).append(question_id)
    return own + _rng.sample(bank, min(quiz.bank_draw, len(bank)))


def expire_if_due(attempt: Attempt, *, now: dt.datetime | None = None) -> bool:
    """Finish the attempt as timed out when its deadline has passed. True if it is (now) over."""
    if not attempt.is_open:
        return True
    now = now or clock.now()
    if attempt.deadline is not None and now > attempt.deadline + GRACE:
        attempt_finish(attempt=attempt, timed_out=True)
        return True
    return False


def current_position(answers: Sequence[AttemptAnswer]) -> int | None:
    for answer in answers:
        if answer.answered_at is None:
            return answer.position
    return None


def question_deadline(attempt: Attempt, answer: AttemptAnswer) -> dt.datetime | None:
    """When the answer to this question must arrive: its own limit from when it was first shown, or
    the attempt's deadline, whichever comes first."""
    limits = [attempt.deadline] if attempt.deadline else []
    per_question = attempt.quiz.question_time_limit_seconds
    if per_question and answer.shown_at:
        limits.append(answer.shown_at + dt.timedelta(seconds=per_question))
    return min(limits) if limits else None


def attempt_show(*, attempt: Attempt, answer: AttemptAnswer) -> AttemptAnswer:
    """Record when the question was first shown: its own time limit counts from then, and a reload
    or a resumed connection does not restart it."""
    if answer.shown_at is None and attempt.is_open:
        now = clock.now()
        if AttemptAnswer.objects.filter(pk=answer.pk, shown_at__isnull=True).update(shown_at=now):
            answer.shown_at = now
        else:
            answer.refresh_from_db(fields=["shown_at"])
    return answer


def attempt_answer(*, attempt: Attempt, position: int, picks: Sequence[int]) -> AnswerOutcome:
    """Answer the question at `position` with `picks`: indices into the order the choices were shown
    in (for ordering questions, the indices in the order the person put them). Once only."""
    now = clock.now()
    if expire_if_due(attempt, now=now):
        raise QuizClosed(_("This attempt is over: the time ran out or it was finished."))
    # The next two unanswered questions: the one that may be answered now, and whether it is the last.
    pending = list(
        AttemptAnswer.objects.select_related("question")
        .filter(attempt=attempt, answered_at__isnull=True)
        .order_by("position")[:2]
    )
    if not pending or position < pending[0].position:
        raise ValidationError(_("This question is already answered: answers cannot be changed."))
    if position != pending[0].position:
        raise ValidationError(
            {
                "position": _("Answer the questions in order: question %(n)s comes first.")
                % {"n": pending[0].position}
            }
        )
    answer = pending[0]
    question = answer.question
    order = list(answer.choice_order)
    chosen = _chosen_ids(question.kind, order, picks)
    deadline = question_deadline(attempt, answer)
    late = deadline is not None and now > deadline + GRACE
    key = _key_for(question)
    points = 0.0 if late else scoring.score(key, chosen)
    stored = [] if late else chosen
    updated = AttemptAnswer.objects.filter(pk=answer.pk, answered_at__isnull=True).update(
        answered_at=now,
        answer=stored,
        timed_out=late,
        points=points,
        correct=points >= 1.0,
        shown_at=answer.shown_at or now,
    )
    if not updated:  # a second submission of the same answer, a moment later
        raise ValidationError(_("This question is already answered: answers cannot be changed."))
    answer.answered_at, answer.answer, answer.timed_out, answer.points = now, stored, late, points
    answer.correct = points >= 1.0
    if points:
        Attempt.objects.filter(pk=attempt.pk).update(points=F("points") + points)
    _count_answer(attempt.quiz_id, question.pk, scoring.answer_key(question.kind, stored), answer.correct)
    finished = len(pending) == 1
    if finished:
        attempt_finish(attempt=attempt)
    return AnswerOutcome(answer=answer, accepted=not late, finished=finished)


def attempt_time_up(*, attempt: Attempt, position: int, picks: Sequence[int] | None) -> AnswerOutcome | None:
    """The page's countdown reached zero on the question at `position`, and sent what was chosen.

    Only the server's clock counts: if by its time the question still has time, nothing happens
    (None). Otherwise what was chosen is answered as usual (an answer within the grace counts), or,
    with nothing chosen, the question is closed as "no answer in time"; when the quiz's own time is
    up, the attempt ends.
    """
    now = clock.now()
    answer = (
        AttemptAnswer.objects.select_related("question")
        .filter(attempt=attempt, position=position, answered_at__isnull=True)
        .first()
    )
    if answer is None or not attempt.is_open:
        return None
    if expire_if_due(attempt, now=now):  # past the quiz's time and its grace: it is already over
        return AnswerOutcome(answer=answer, accepted=False, finished=True)
    deadline = question_deadline(attempt, answer)
    if deadline is None or now < deadline:
        return None
    if picks:
        outcome = attempt_answer(attempt=attempt, position=position, picks=picks)
    else:
        closed = AttemptAnswer.objects.filter(pk=answer.pk, answered_at__isnull=True).update(
            answered_at=now,
            answer=[],
            timed_out=True,
            points=0,
            correct=False,
            shown_at=answer.shown_at or now,
        )
        if closed:
            _count_answer(attempt.quiz_id, answer.question_id, "", False)
        answer.answered_at, answer.answer, answer.timed_out, answer.points, answer.correct = (
            now,
            [],
            True,
            0.0,
            False,
        )
        last = not AttemptAnswer.objects.filter(attempt=attempt, answered_at__isnull=True).exists()
        if last:
            attempt_finish(attempt=attempt)
        outcome = AnswerOutcome(answer=answer, accepted=False, finished=last)
    if attempt.deadline is not None and now >= attempt.deadline and not outcome.finished:
        attempt_finish(attempt=attempt, timed_out=True)
        outcome = AnswerOutcome(answer=outcome.answer, accepted=outcome.accepted, finished=True)
    return outcome


def _chosen_ids(kind: str, order: list[int], picks: Sequence[int]) -> list[int]:
    if any(not isinstance(p, int) or p < 0 or p >= len(order) for p in picks) or len(set(picks)) != len(
        picks
    ):
        raise ValidationError({"answer": _("Choose among the answers shown.")})
    if kind in (Question.Kind.SINGLE, Question.Kind.TRUE_FALSE) and len(picks) != 1:
        raise ValidationError({"answer": _("Choose one answer.")})
    if kind == Question.Kind.MULTIPLE and not picks:
        raise ValidationError({"answer": _("Choose at least one answer.")})
    if kind == Question.Kind.ORDERING and len(picks) != len(order):
        raise ValidationError({"answer": _("Give each item its own place.")})
    return [order[p] for p in picks]


def _key_for(question: Question) -> scoring.Key:
    rows = list(
        Choice.objects.filter(question=question).order_by("position", "id").values_list("id", "is_correct")
    )
    if question.kind == Question.Kind.ORDERING:
        return scoring.Key(question.kind, tuple(i for i, _c in rows), question.partial_credit)
    return scoring.Key(question.kind, tuple(i for i, c in rows if c), question.partial_credit)


def _count_answer(quiz_id: int, question_id: int, key: str, correct: bool) -> None:
    """One upsert into the answers roll-up: exact under concurrent answers, on SQLite and PostgreSQL."""
    table = AnswerStat._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (quiz_id, question_id, answer_key, correct, count) VALUES (%s, %s, %s, %s, 1) "  # noqa: S608
            f"ON CONFLICT (quiz_id, question_id, answer_key) DO UPDATE SET count = {table}.count + 1",
            [quiz_id, question_id, key, correct],
        )


def attempt_finish(*, attempt: Attempt, timed_out: bool = False) -> Attempt:
    """Close the attempt (unanswered questions score zero), then update the results and recognition.

    Idempotent: the status moves from "in progress" once, so a double submission or a finish racing
    the deadline counts the attempt once.
    """
    from comptoir.learning import recognition

    now = clock.now()
    with transaction.atomic():
        unanswered = list(
            AttemptAnswer.objects.filter(attempt=attempt, answered_at__isnull=True).values_list(
                "question_id", flat=True
            )
        )
        status = Attempt.Status.TIMED_OUT if timed_out else Attempt.Status.FINISHED
        moved = Attempt.objects.filter(pk=attempt.pk, status=Attempt.Status.IN_PROGRESS).update(
            status=status, finished_at=now
        )
        if not moved:
            attempt.refresh_from_db()
            return attempt
        AttemptAnswer.objects.filter(attempt=attempt, answered_at__isnull=True).update(timed_out=True)
        for question_id in unanswered:
            _count_answer(attempt.quiz_id, question_id, "", False)
        points = Attempt.objects.filter(pk=attempt.pk).values_list("points", flat=True).get()
        score = scoring.percent(points, attempt.question_count)
        passed = score >= attempt.quiz.pass_mark
        Attempt.objects.filter(pk=attempt.pk).update(score=score, passed=passed)
        attempt.status, attempt.finished_at, attempt.points, attempt.score, attempt.passed = (
            status,
            now,
            points,
            score,
            passed,
        )
        recognition.attempt_finished(attempt)
    return attempt


def close_expired(*, limit: int = 10_000) -> int:
    """Finish the attempts whose deadline has passed (a periodic job; pages also do it lazily)."""
    cutoff = clock.now() - GRACE
    due = list(
        Attempt.objects.select_related("quiz", "user", "user__team")
        .filter(status=Attempt.Status.IN_PROGRESS, deadline__lt=cutoff)
        .order_by("deadline")[:limit]
    )
    for attempt in due:
        attempt_finish(attempt=attempt, timed_out=True)
    return len(due)
