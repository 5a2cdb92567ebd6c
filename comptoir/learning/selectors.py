"""Reads of the learning app: lists, the quiz page, the question being answered, results, badges.

Nothing here reads `Choice.is_correct` for a question the viewer has not answered yet.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import OuterRef, Q, QuerySet, Subquery

from comptoir.core import clock
from comptoir.core.pagination import Page, keyset_page
from comptoir.learning import access
from comptoir.learning.attempts import attempts_left, question_deadline, quiz_window_error
from comptoir.learning.models import Attempt, AttemptAnswer, Badge, Choice, Question, Quiz, QuizResult
from comptoir.org.models import User

QUIZ_ORDERING = ("-created_at", "-id")
RESULT_ORDERING = ("-started_at", "-id")


def _with_my_result(quizzes: QuerySet[Quiz], viewer: User) -> QuerySet[Quiz]:
    mine = QuizResult.objects.filter(quiz=OuterRef("pk"), user_id=viewer.pk)
    return quizzes.annotate(
        my_best=Subquery(mine.values("best_score")[:1]), my_passed=Subquery(mine.values("passed")[:1])
    )


def quizzes_for(*, viewer: User, cursor: str | None = None, size: int = 20, mine: bool = False) -> Page[Quiz]:
    """Quizzes to take (published, addressed to the viewer), newest first, with the viewer's best
    score; `mine`: the quizzes the viewer wrote, drafts included."""
    if mine:
        quizzes = Quiz.objects.filter(author_id=viewer.pk)
    else:
        quizzes = Quiz.objects.filter(Q(published=True) & access.audience_q(viewer))
    quizzes = _with_my_result(quizzes.select_related("topic"), viewer)
    return keyset_page(quizzes, ordering=QUIZ_ORDERING, cursor=cursor, size=size)


def quizzes_to_take(*, viewer: User, size: int = 5) -> list[Quiz]:
    """Open quizzes the viewer has not passed yet (the home page)."""
    now = clock.now()
    quizzes = (
        Quiz.objects.filter(Q(published=True) & access.audience_q(viewer))
        .filter(
            Q(opens_at__isnull=True) | Q(opens_at__lte=now), Q(closes_at__isnull=True) | Q(closes_at__gt=now)
        )
        .exclude(pk__in=QuizResult.objects.filter(user_id=viewer.pk, passed=True).values("quiz_id"))
        .select_related("topic")
        .order_by(*QUIZ_ORDERING)
    )
    return list(quizzes[:size])


@dataclass
class QuizPage:
    quiz: Quiz
    attempts: list[Attempt]
    result: QuizResult | None
    in_progress: Attempt | None
    left: int | None
    closed_reason: str
    leaderboard: list[QuizResult]
    can_take: bool
    can_change: bool
    can_read_analytics: bool
    question_count: int


def quiz_page(*, viewer: User, quiz: Quiz) -> QuizPage:
    attempts = list(Attempt.objects.filter(quiz=quiz, user_id=viewer.pk).order_by("-number")[:50])
    result = QuizResult.objects.filter(quiz=quiz, user_id=viewer.pk).first()
    in_progress = next((a for a in attempts if a.is_open), None)
    used = attempts[0].number if attempts else 0
    left = attempts_left(quiz, used)
    closed_reason = quiz_window_error(quiz, clock.now())
    if not quiz.published:
        closed_reason = closed_reason or ""
    board: list[QuizResult] = []
    if quiz.leaderboard:
        board = list(
            QuizResult.objects.filter(quiz=quiz)
            .select_related("user", "team")
            .order_by("-best_score", "passed_at", "id")[:10]
        )
    can_take = quiz.published and access.in_audience(viewer, quiz)
    return QuizPage(
        quiz=quiz,
        attempts=attempts,
        result=result,
        in_progress=in_progress,
        left=left,
        closed_reason=closed_reason,
        leaderboard=board,
        can_take=can_take and (in_progress is not None or (not closed_reason and left != 0)),
        can_change=access.may_change(viewer, quiz),
        can_read_analytics=access.may_read_analytics(viewer, quiz),
        question_count=quiz.questions.count() + quiz.bank_draw,
    )


@dataclass
class ShownQuestion:
    attempt: Attempt
    answer: AttemptAnswer
    question: Question
    choices: list[Choice]  # in the order drawn for this attempt; index = what the form sends
    total: int
    answered: int
    deadline: Any  # when the answer must arrive (server time), or None
    seconds_left: int | None
    ms_left: int | None  # for the countdown, which counts from the page's arrival
    feedback: bool  # the question is answered: its correct answer and explanation may be shown
    correct_ids: set[int]


def attempt_answers(attempt: Attempt) -> list[AttemptAnswer]:
    return list(AttemptAnswer.objects.filter(attempt=attempt).order_by("position"))


def shown_question(
    *, attempt: Attempt, answer: AttemptAnswer, answers: Sequence[AttemptAnswer]
) -> ShownQuestion:
    question = Question.objects.get(pk=answer.question_id)
    by_id = {c.pk: c for c in Choice.objects.filter(question=question)}
    choices = [by_id[i] for i in answer.choice_order if i in by_id]
    feedback = answer.answered_at is not None
    correct_ids: set[int] = set()
    if feedback:
        correct_ids = {c.pk for c in choices if c.is_correct}
    deadline = None if feedback else question_deadline(attempt, answer)
    seconds_left = ms_left = None
    if deadline is not None:
        ms_left = max(0, int((deadline - clock.now()).total_seconds() * 1000))
        seconds_left = -(-ms_left // 1000)
    return ShownQuestion(
        attempt=attempt,
        answer=answer,
        question=question,
        choices=choices,
        total=len(answers),
        answered=sum(1 for a in answers if a.answered_at is not None),
        deadline=deadline,
        seconds_left=seconds_left,
        ms_left=ms_left,
        feedback=feedback,
        correct_ids=correct_ids,
    )


def correct_order(question: Question, choices: Sequence[Choice]) -> list[Choice]:
    return sorted(choices, key=lambda c: (c.position, c.pk))


@dataclass
class ReviewItem:
    position: int
    question: Question
    choices: list[Choice]
    given: list[Choice]
    points: float
    correct: bool
    timed_out: bool


def attempt_review(attempt: Attempt) -> list[ReviewItem]:
    """Every question of a finished attempt with what was answered, the correct answer and the
    explanation (three queries whatever the number of questions)."""
    answers = attempt_answers(attempt)
    questions = {q.pk: q for q in Question.objects.filter(pk__in=[a.question_id for a in answers])}
    choices: dict[int, list[Choice]] = {}
    for choice in Choice.objects.filter(question_id__in=questions).order_by("position", "id"):
        choices.setdefault(choice.question_id, []).append(choice)
    items = []
    for answer in answers:
        question = questions[answer.question_id]
        own = choices.get(question.pk, [])
        by_id = {c.pk: c for c in own}
        items.append(
            ReviewItem(
                position=answer.position,
                question=question,
                choices=own,
                given=[by_id[i] for i in answer.answer if i in by_id],
                points=answer.points,
                correct=answer.correct,
                timed_out=answer.timed_out,
            )
        )
    return items


def my_attempts(*, viewer: User, cursor: str | None = None, size: int = 20) -> Page[Attempt]:
    """Everyone can always see their own results."""
    attempts = Attempt.objects.filter(user_id=viewer.pk).select_related("quiz", "quiz__topic")
    return keyset_page(attempts, ordering=RESULT_ORDERING, cursor=cursor, size=size)


def badges_of(person: User | int) -> list[Badge]:
    person_id = person if isinstance(person, int) else person.pk
    return list(
        Badge.objects.filter(user_id=person_id)
        .select_related("topic")
        .order_by("-level", "topic__order", "id")
    )


def bank_questions(*, topic_id: int, cursor: str | None = None, size: int = 50) -> Page[Question]:
    questions = Question.objects.filter(quiz=None, topic_id=topic_id, retired_at=None).prefetch_related(
        "choices"
    )
    return keyset_page(questions, ordering=("id",), cursor=cursor, size=size)
