"""Taking a quiz through the services: scoring end to end, the server-side time limit, resuming,
answers given once, attempts limit, and what follows a pass."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from comptoir.core import clock
from comptoir.learning import attempts
from comptoir.learning.models import AnswerStat, Attempt, Badge, QuizResult
from comptoir.learning.tests.conftest import picks_for, take
from comptoir.notifications.models import Notification

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def test_a_perfect_attempt_passes_earns_the_badge_and_tells_the_manager(cast: Any, make_quiz: Any) -> None:
    quiz = make_quiz()
    attempt = take(attempts.attempt_start(quiz=quiz, user=cast.rep), right=4)
    assert (attempt.status, attempt.score, attempt.passed) == ("finished", 100.0, True)
    result = QuizResult.objects.get(quiz=quiz, user=cast.rep)
    assert (result.attempts, result.best_score, result.passed, result.team_id) == (
        1,
        100.0,
        True,
        cast.team.pk,
    )
    badge = Badge.objects.get(user=cast.rep, topic=quiz.topic)
    assert (badge.level, badge.quizzes_passed) == (2, 1)  # a perfect score on a first quiz: level 2
    told = Notification.objects.get(recipient=cast.manager, kind="learning_team_pass")
    assert f"/quizzes/attempts/{attempt.pk}/congratulate/" == told.url


def test_a_failed_attempt_scores_the_share_of_right_answers_and_earns_nothing(
    cast: Any, make_quiz: Any
) -> None:
    quiz = make_quiz(pass_mark=80)
    attempt = take(attempts.attempt_start(quiz=quiz, user=cast.rep), right=2)
    assert (attempt.score, attempt.passed) == (50.0, False)
    assert not Badge.objects.exists()
    assert not Notification.objects.filter(kind="learning_team_pass").exists()


def test_an_answer_is_given_once_and_questions_come_in_order(cast: Any, make_quiz: Any) -> None:
    attempt = attempts.attempt_start(quiz=make_quiz(), user=cast.rep)
    with pytest.raises(ValidationError):
        attempts.attempt_answer(attempt=attempt, position=2, picks=picks_for(attempt, 2))
    attempts.attempt_answer(attempt=attempt, position=1, picks=picks_for(attempt, 1, right=False))
    with pytest.raises(ValidationError, match="cannot be changed"):
        attempts.attempt_answer(attempt=attempt, position=1, picks=picks_for(attempt, 1))
    assert attempt.answers.get(position=1).points == 0


def test_a_bad_answer_changes_nothing(cast: Any, make_quiz: Any) -> None:
    attempt = attempts.attempt_start(quiz=make_quiz(), user=cast.rep)
    for picks in ([9], [0, 1], [], [-1]):
        with pytest.raises(ValidationError):
            attempts.attempt_answer(attempt=attempt, position=1, picks=picks)
    assert not attempt.answers.filter(answered_at__isnull=False).exists()
    assert not AnswerStat.objects.exists()


def test_resuming_returns_the_same_attempt_at_the_question_where_it_stopped(
    cast: Any, make_quiz: Any
) -> None:
    quiz = make_quiz()
    attempt = attempts.attempt_start(quiz=quiz, user=cast.rep)
    attempts.attempt_answer(attempt=attempt, position=1, picks=picks_for(attempt, 1))
    again = attempts.attempt_start(quiz=quiz, user=cast.rep)
    assert again.pk == attempt.pk
    assert attempts.current_position(list(again.answers.order_by("position"))) == 2


def test_the_quiz_time_limit_is_enforced_by_the_server(cast: Any, make_quiz: Any) -> None:
    quiz = make_quiz(time_limit_seconds=60)
    with clock.frozen(T0):
        attempt = attempts.attempt_start(quiz=quiz, user=cast.rep)
        attempts.attempt_answer(attempt=attempt, position=1, picks=picks_for(attempt, 1))
    assert attempt.deadline == T0 + dt.timedelta(seconds=60)
    with clock.frozen(T0 + dt.timedelta(seconds=65)), pytest.raises(ValidationError, match="over"):
        attempts.attempt_answer(attempt=attempt, position=2, picks=picks_for(attempt, 2))
    attempt.refresh_from_db()
    assert (attempt.status, attempt.score) == ("timed_out", 25.0)
    assert QuizResult.objects.get(user=cast.rep).attempts == 1


def test_a_question_answered_after_its_own_limit_is_not_counted(cast: Any, make_quiz: Any) -> None:
    quiz = make_quiz(question_time_limit_seconds=30)
    with clock.frozen(T0):
        attempt = attempts.attempt_start(quiz=quiz, user=cast.rep)
        answer = attempt.answers.get(position=1)
        attempts.attempt_show(attempt=attempt, answer=answer)
    with clock.frozen(T0 + dt.timedelta(seconds=20)):
        attempts.attempt_show(
            attempt=attempt, answer=attempt.answers.get(position=1)
        )  # a reload does not restart it
    with clock.frozen(T0 + dt.timedelta(seconds=40)):
        outcome = attempts.attempt_answer(attempt=attempt, position=1, picks=picks_for(attempt, 1))
    assert not outcome.accepted and outcome.answer.points == 0 and outcome.answer.timed_out
    with clock.frozen(T0 + dt.timedelta(seconds=41)):
        ok = attempts.attempt_answer(attempt=attempt, position=2, picks=picks_for(attempt, 2))
    assert ok.accepted and ok.answer.points == 1


def test_the_closing_date_ends_an_attempt_in_progress(cast: Any, make_quiz: Any) -> None:
    quiz = make_quiz(closes_at=T0 + dt.timedelta(minutes=5))
    with clock.frozen(T0):
        attempt = attempts.attempt_start(quiz=quiz, user=cast.rep)
    with clock.frozen(T0 + dt.timedelta(minutes=6)):
        assert attempts.close_expired() == 1
        with pytest.raises(ValidationError, match="closed"):
            attempts.attempt_start(quiz=quiz, user=cast.rep)
    attempt.refresh_from_db()
    assert attempt.status == "timed_out"


def test_a_quiz_not_yet_open_cannot_be_started(cast: Any, make_quiz: Any) -> None:
    quiz = make_quiz(opens_at=T0 + dt.timedelta(days=1))
    with clock.frozen(T0), pytest.raises(ValidationError, match="opens on"):
        attempts.attempt_start(quiz=quiz, user=cast.rep)


def test_the_attempts_limit_holds(cast: Any, make_quiz: Any) -> None:
    quiz = make_quiz(max_attempts=2)
    for _i in range(2):
        take(attempts.attempt_start(quiz=quiz, user=cast.rep), right=1)
    with pytest.raises(ValidationError, match="all the attempts"):
        attempts.attempt_start(quiz=quiz, user=cast.rep)
    assert Attempt.objects.filter(quiz=quiz, user=cast.rep).count() == 2
    assert QuizResult.objects.get(user=cast.rep).attempts == 2


def test_the_hardest_question_roll_up_counts_each_answer(cast: Any, make_quiz: Any) -> None:
    quiz = make_quiz()
    take(attempts.attempt_start(quiz=quiz, user=cast.rep), right=4)
    take(attempts.attempt_start(quiz=quiz, user=cast.teammate), right=0)
    assert sum(AnswerStat.objects.filter(quiz=quiz).values_list("count", flat=True)) == 8
    assert AnswerStat.objects.filter(quiz=quiz, correct=True).count() == 4


def test_badge_levels_grow_with_quizzes_passed_and_scores(cast: Any, make_quiz: Any) -> None:
    for title in ("Un", "Deux", "Trois"):
        take(attempts.attempt_start(quiz=make_quiz(title=title), user=cast.rep), right=4)
    badge = Badge.objects.get(user=cast.rep)
    assert (badge.level, badge.quizzes_passed, badge.average_score) == (3, 3, 100.0)


def test_questions_drawn_from_the_topic_bank(cast: Any, make_quiz: Any, topic: Any) -> None:
    from comptoir.learning import services
    from comptoir.learning.tests.conftest import coffee_questions

    services.bank_add_many(actor=cast.manager, topic=topic, specs=coffee_questions() * 3)
    quiz = make_quiz(questions=coffee_questions()[:1], bank_draw=5)
    attempt = attempts.attempt_start(quiz=quiz, user=cast.rep)
    drawn = list(attempt.answers.values_list("question__quiz_id", flat=True))
    assert attempt.question_count == 6 and drawn[0] == quiz.pk and drawn[1:] == [None] * 5


def test_the_periodic_job_finishes_attempts_past_their_deadline(cast: Any, make_quiz: Any) -> None:
    import io

    from django.core.management import call_command

    quiz = make_quiz(time_limit_seconds=60)
    with clock.frozen(T0):
        attempt = attempts.attempt_start(quiz=quiz, user=cast.rep)
    out = io.StringIO()
    with clock.frozen(T0 + dt.timedelta(minutes=5)):
        call_command("learning_close_expired", stdout=out)
    attempt.refresh_from_db()
    assert attempt.status == "timed_out" and "1 attempt" in out.getvalue()
