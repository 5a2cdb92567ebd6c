"""Quizzes in the API: read and build quizzes, take them (start, answer, finish), results, badges,
analytics. Same services and fetchers as the pages: before a question is answered, nothing in an
answer says which choice is correct; choices are referred to by their index in the attempt's order."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Router, Schema

from comptoir.api.errors import ApiError
from comptoir.api.schemas import PageOut
from comptoir.core.models import PracticeTopic
from comptoir.learning import access, analytics, api_bank, attempts, recognition, selectors, services
from comptoir.learning.api_questions import QuestionIn
from comptoir.learning.models import Attempt, Quiz
from comptoir.org.models import OrgUnit, Region, Team, User

PREFIX = "quizzes"
router = Router(tags=["quizzes"])
router.add_router("/bank", api_bank.router)


class QuizOut(Schema):
    id: int
    title: str
    title_en: str
    description: str
    description_en: str
    author_id: int
    topic_id: int | None
    audience: str
    unit_id: int | None
    region_id: int | None
    team_id: int | None
    opens_at: dt.datetime | None
    closes_at: dt.datetime | None
    pass_mark: int
    max_attempts: int | None
    time_limit_seconds: int | None
    question_time_limit_seconds: int | None
    bank_draw: int
    leaderboard: bool
    published: bool
    created_at: dt.datetime


class QuizIn(Schema):
    title: str
    title_en: str = ""
    description: str = ""
    description_en: str = ""
    topic_id: int | None = None
    audience: str
    unit_id: int | None = None
    region_id: int | None = None
    team_id: int | None = None
    opens_at: dt.datetime | None = None
    closes_at: dt.datetime | None = None
    pass_mark: int = 70
    max_attempts: int | None = None
    time_limit_seconds: int | None = None
    question_time_limit_seconds: int | None = None
    bank_draw: int = 0
    leaderboard: bool = False
    questions: list[QuestionIn] = []
    publish: bool = False


class PublishIn(Schema):
    published: bool = True


class ShownChoiceOut(Schema):
    index: int
    text: str


class ShownQuestionOut(Schema):
    position: int
    kind: str
    text: str
    image_url: str | None
    choices: list[ShownChoiceOut]  # in the attempt's order: answer with their indices
    deadline: dt.datetime | None
    seconds_left: int | None


class AttemptOut(Schema):
    id: int
    quiz_id: int
    number: int
    status: str
    started_at: dt.datetime
    deadline: dt.datetime | None
    finished_at: dt.datetime | None
    question_count: int
    answered: int
    score: float | None
    passed: bool
    shared_post_id: int | None
    current: ShownQuestionOut | None


class AnswerIn(Schema):
    position: int
    picks: list[int]  # indices of the chosen choices; for ordering, all indices in the order given


class AnswerOut(Schema):
    position: int
    accepted: bool
    points: float
    correct: bool
    correct_picks: list[int]  # now that it is answered: the right choices (or order), as indices
    explanation: str
    finished: bool


class ReviewOut(Schema):
    position: int
    question: str
    kind: str
    given: list[str]
    correct_answer: list[str]
    points: float
    correct: bool
    timed_out: bool
    explanation: str


class ResultOut(Schema):
    attempt: AttemptOut
    pass_mark: int
    review: list[ReviewOut]


class BadgeOut(Schema):
    topic_id: int
    topic: str
    level: int
    quizzes_passed: int
    average_score: float
    earned_at: dt.datetime


class MessageIn(Schema):
    message: str = ""


class ShareOut(Schema):
    post_id: int


class GroupOut(Schema):
    id: int | None
    label: str
    audience: int
    takers: int
    passed: int
    participation: float
    pass_rate: float


class HardOut(Schema):
    question_id: int
    question: str
    answered: int
    success_rate: float
    most_common_wrong_answer: str
    wrong_count: int


class AnalyticsOut(Schema):
    audience: int
    takers: int
    passed: int
    participation: float
    pass_rate: float
    by_team: list[GroupOut]
    by_region: list[GroupOut]
    hardest: list[HardOut]
    distribution: list[int]
    not_taken_in_my_team: list[int]


def _viewer(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _size(size: int) -> None:
    if not 1 <= size <= 100:
        raise ApiError(
            422, "invalid_input", "size must be between 1 and 100.", [{"field": "size", "message": "1..100"}]
        )


def _ref[T](model: type[T], pk: int | None, field: str) -> T | None:
    if pk is None:
        return None
    found = model.objects.filter(pk=pk).first()  # type: ignore[attr-defined]
    if found is None:
        raise ApiError(422, "invalid_input", f"Unknown {field}.", [{"field": field, "message": "unknown"}])
    return found  # type: ignore[no-any-return]


def _closed(exc: ValidationError) -> ApiError:
    return ApiError(409, "not_allowed_now", " ".join(exc.messages))


@router.get("", response=PageOut[QuizOut])
def list_quizzes(
    request: HttpRequest, view: str = "take", cursor: str | None = None, size: int = 20
) -> dict[str, Any]:
    """`view`: take (published quizzes addressed to me) or mine (those I wrote, drafts included)."""
    _size(size)
    if view not in ("take", "mine"):
        raise ApiError(
            422, "invalid_input", "view is take or mine.", [{"field": "view", "message": "unknown"}]
        )
    page = selectors.quizzes_for(viewer=_viewer(request), cursor=cursor, size=size, mine=view == "mine")
    return {"items": page.items, "next_cursor": page.next_cursor}


@router.post("", response={201: QuizOut})
def create_quiz(request: HttpRequest, payload: QuizIn) -> tuple[int, Quiz]:
    viewer = _viewer(request)
    settings = services.QuizSettings(
        title=payload.title,
        title_en=payload.title_en,
        description=payload.description,
        description_en=payload.description_en,
        topic=_ref(PracticeTopic, payload.topic_id, "topic_id"),
        audience=payload.audience,
        unit=_ref(OrgUnit, payload.unit_id, "unit_id"),
        region=_ref(Region, payload.region_id, "region_id"),
        team=_ref(Team, payload.team_id, "team_id"),
        opens_at=payload.opens_at,
        closes_at=payload.closes_at,
        pass_mark=payload.pass_mark,
        max_attempts=payload.max_attempts,
        time_limit_seconds=payload.time_limit_seconds,
        question_time_limit_seconds=payload.question_time_limit_seconds,
        bank_draw=payload.bank_draw,
        leaderboard=payload.leaderboard,
    )
    specs = [q.to_spec() for q in payload.questions]
    quiz = services.quiz_create(author=viewer, settings=settings, questions=specs)
    if payload.publish:
        services.quiz_publish(quiz=quiz, actor=viewer)
    return 201, access.quiz_for(viewer, quiz.pk)


@router.get("/badges", response=list[BadgeOut])
def badges(request: HttpRequest, user_id: int | None = None) -> list[dict[str, Any]]:
    """A person's expertise badges (everyone's badges are public in the company, like the profile)."""
    person = user_id or _viewer(request).pk
    return [
        {
            "topic_id": b.topic_id,
            "topic": b.topic.label,
            "level": b.level,
            "quizzes_passed": b.quizzes_passed,
            "average_score": b.average_score,
            "earned_at": b.earned_at,
        }
        for b in selectors.badges_of(person)
    ]


@router.get("/attempts", response=PageOut[AttemptOut])
def my_attempts(request: HttpRequest, cursor: str | None = None, size: int = 20) -> dict[str, Any]:
    """My own attempts and results, newest first (always visible to their taker)."""
    _size(size)
    page = selectors.my_attempts(viewer=_viewer(request), cursor=cursor, size=size)
    return {
        "items": [_attempt_out(a, with_current=False) for a in page.items],
        "next_cursor": page.next_cursor,
    }


@router.get("/attempts/{attempt_id}", response=AttemptOut)
def get_attempt(request: HttpRequest, attempt_id: int) -> dict[str, Any]:
    """The attempt and, while it is in progress, the question to answer now (never its answer)."""
    attempt = access.attempt_for(_viewer(request), attempt_id)
    attempts.expire_if_due(attempt)
    return _attempt_out(attempt)


@router.post("/attempts/{attempt_id}/answer", response=AnswerOut)
def answer(request: HttpRequest, attempt_id: int, payload: AnswerIn) -> dict[str, Any]:
    attempt = access.attempt_for(_viewer(request), attempt_id)
    try:
        outcome = attempts.attempt_answer(attempt=attempt, position=payload.position, picks=payload.picks)
    except attempts.QuizClosed as exc:
        raise _closed(exc) from exc
    shown = selectors.shown_question(
        attempt=attempt, answer=outcome.answer, answers=selectors.attempt_answers(attempt)
    )
    if shown.question.kind == "ordering":
        correct_picks = [
            shown.choices.index(c) for c in selectors.correct_order(shown.question, shown.choices)
        ]
    else:
        correct_picks = [i for i, c in enumerate(shown.choices) if c.pk in shown.correct_ids]
    return {
        "position": outcome.answer.position,
        "accepted": outcome.accepted,
        "points": outcome.answer.points,
        "correct": outcome.answer.correct,
        "correct_picks": correct_picks,
        "explanation": shown.question.why,
        "finished": outcome.finished,
    }


@router.post("/attempts/{attempt_id}/finish", response=AttemptOut)
def finish(request: HttpRequest, attempt_id: int) -> dict[str, Any]:
    """Stop now: unanswered questions score zero."""
    attempt = access.attempt_for(_viewer(request), attempt_id)
    if not attempts.expire_if_due(attempt):
        attempts.attempt_finish(attempt=attempt)
    attempt.refresh_from_db()
    return _attempt_out(attempt)


@router.get("/attempts/{attempt_id}/result", response=ResultOut)
def result(request: HttpRequest, attempt_id: int) -> dict[str, Any]:
    attempt = access.attempt_for(_viewer(request), attempt_id)
    attempts.expire_if_due(attempt)
    attempt.refresh_from_db()
    if attempt.is_open:
        raise ApiError(
            409, "not_finished", "The attempt is in progress: its result comes once it is finished."
        )
    review = [
        {
            "position": item.position,
            "question": item.question.label,
            "kind": item.question.kind,
            "given": [c.label for c in item.given],
            "correct_answer": [
                c.label for c in item.choices if item.question.kind == "ordering" or c.is_correct
            ],
            "points": item.points,
            "correct": item.correct,
            "timed_out": item.timed_out,
            "explanation": item.question.why,
        }
        for item in selectors.attempt_review(attempt)
    ]
    return {
        "attempt": _attempt_out(attempt, with_current=False),
        "pass_mark": attempt.quiz.pass_mark,
        "review": review,
    }


@router.post("/attempts/{attempt_id}/share", response={201: ShareOut})
def share(request: HttpRequest, attempt_id: int, payload: MessageIn) -> tuple[int, dict[str, int]]:
    viewer = _viewer(request)
    attempt = access.attempt_for(viewer, attempt_id)
    post_id = recognition.attempt_share(attempt=attempt, by=viewer, message=payload.message)
    return 201, {"post_id": post_id}


@router.post("/attempts/{attempt_id}/congratulate", response={201: None})
def congratulate(request: HttpRequest, attempt_id: int, payload: MessageIn) -> tuple[int, None]:
    """For the taker's manager (or their team's manager) only."""
    viewer = _viewer(request)
    attempt = access.congratulable_attempt_for(viewer, attempt_id)
    recognition.attempt_congratulate(attempt=attempt, by=viewer, message=payload.message)
    return 201, None


@router.get("/{quiz_id}", response=QuizOut)
def get_quiz(request: HttpRequest, quiz_id: int) -> Quiz:
    return access.quiz_for(_viewer(request), quiz_id)


@router.post("/{quiz_id}/publish", response=QuizOut)
def publish(request: HttpRequest, quiz_id: int, payload: PublishIn) -> Quiz:
    viewer = _viewer(request)
    quiz = access.quiz_for(viewer, quiz_id, for_change=True)
    return services.quiz_publish(quiz=quiz, actor=viewer, published=payload.published)


@router.post("/{quiz_id}/duplicate", response={201: QuizOut})
def duplicate(request: HttpRequest, quiz_id: int) -> tuple[int, Quiz]:
    viewer = _viewer(request)
    return 201, services.quiz_duplicate(quiz=access.quiz_for(viewer, quiz_id), actor=viewer)


@router.post("/{quiz_id}/attempts", response={201: AttemptOut})
def start(request: HttpRequest, quiz_id: int) -> tuple[int, dict[str, Any]]:
    """Start an attempt, or resume the one in progress (after a lost connection)."""
    viewer = _viewer(request)
    quiz = access.quiz_for(viewer, quiz_id)
    try:
        attempt = attempts.attempt_start(quiz=quiz, user=viewer)
    except attempts.QuizClosed as exc:
        raise _closed(exc) from exc
    attempt.quiz = quiz
    return 201, _attempt_out(attempt)


@router.get("/{quiz_id}/analytics", response=AnalyticsOut)
def quiz_analytics(request: HttpRequest, quiz_id: int) -> dict[str, Any]:
    viewer = _viewer(request)
    quiz = access.analytics_quiz_for(viewer, quiz_id)
    figures = analytics.quiz_analytics(quiz=quiz, viewer=viewer)

    def group(rows: list[analytics.GroupRow]) -> list[dict[str, Any]]:
        return [
            {"id": r.key, "label": r.label, "audience": r.audience, "takers": r.takers, "passed": r.passed,
             "participation": r.participation, "pass_rate": r.pass_rate}
            for r in rows
        ]  # fmt: skip

    return {
        "audience": figures.audience,
        "takers": figures.takers,
        "passed": figures.passed,
        "participation": figures.participation,
        "pass_rate": figures.pass_rate,
        "by_team": group(figures.by_team),
        "by_region": group(figures.by_region),
        "hardest": [
            {
                "question_id": h.question.pk,
                "question": h.question.label,
                "answered": h.answered,
                "success_rate": h.success_rate,
                "most_common_wrong_answer": h.wrong_answer,
                "wrong_count": h.wrong_count,
            }
            for h in figures.hardest
        ],
        "distribution": figures.distribution,
        "not_taken_in_my_team": [p.pk for p in figures.not_taken],
    }


def _attempt_out(attempt: Attempt, *, with_current: bool = True) -> dict[str, Any]:
    current = None
    answered = 0
    if with_current:
        answers = selectors.attempt_answers(attempt)
        answered = sum(1 for a in answers if a.answered_at is not None)
        position = attempts.current_position(answers) if attempt.is_open else None
        if position is not None:
            answer = next(a for a in answers if a.position == position)
            attempts.attempt_show(attempt=attempt, answer=answer)
            shown = selectors.shown_question(attempt=attempt, answer=answer, answers=answers)
            current = {
                "position": position,
                "kind": shown.question.kind,
                "text": shown.question.label,
                "image_url": shown.question.image.url if shown.question.image else None,
                "choices": [{"index": i, "text": c.label} for i, c in enumerate(shown.choices)],
                "deadline": shown.deadline,
                "seconds_left": shown.seconds_left,
            }
    return {
        "id": attempt.pk,
        "quiz_id": attempt.quiz_id,
        "number": attempt.number,
        "status": attempt.status,
        "started_at": attempt.started_at,
        "deadline": attempt.deadline,
        "finished_at": attempt.finished_at,
        "question_count": attempt.question_count,
        "answered": answered if with_current else (attempt.question_count if not attempt.is_open else 0),
        "score": attempt.score,
        "passed": attempt.passed,
        "shared_post_id": attempt.shared_post_id,
        "current": current,
    }
