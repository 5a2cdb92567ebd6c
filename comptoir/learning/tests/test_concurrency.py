"""The attempts limit holds when the same person submits several starts at the same moment."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection

from comptoir.learning import attempts
from comptoir.learning.models import Attempt, Quiz
from comptoir.learning.tests.conftest import take


@pytest.mark.django_db(transaction=True)
def test_concurrent_starts_never_exceed_the_attempts_limit(cast: Any, make_quiz: Any) -> None:
    quiz = make_quiz(max_attempts=2)
    take(attempts.attempt_start(quiz=quiz, user=cast.rep), right=1)
    barrier = threading.Barrier(6)
    outcomes: list[str] = []

    def start() -> None:
        try:
            barrier.wait()
            fresh = Quiz.objects.select_related("team", "topic").get(pk=quiz.pk)
            attempts.attempt_start(quiz=fresh, user=cast.rep)
            outcomes.append("started")
        except Exception as exc:
            outcomes.append(type(exc).__name__)
        finally:
            connection.close()

    threads = [threading.Thread(target=start) for _i in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert Attempt.objects.filter(quiz=quiz, user=cast.rep).count() == 2
    assert Attempt.objects.filter(quiz=quiz, user=cast.rep, status="in_progress").count() == 1
    # Every request got the one attempt in progress. SQLite's in-memory test database (shared cache)
    # refuses a concurrent writer at once instead of waiting on the busy timeout as a file does.
    refused = {"OperationalError"} if connection.vendor == "sqlite" else set()
    assert "started" in outcomes and set(outcomes) <= {"started", *refused}, outcomes


@pytest.mark.django_db(transaction=True)
def test_concurrent_answers_to_the_same_question_count_once(cast: Any, make_quiz: Any) -> None:
    from comptoir.learning.models import AnswerStat
    from comptoir.learning.tests.conftest import picks_for

    attempt = attempts.attempt_start(quiz=make_quiz(), user=cast.rep)
    picks = picks_for(attempt, 1)
    barrier = threading.Barrier(4)
    accepted: list[bool] = []

    def answer() -> None:
        try:
            barrier.wait()
            fresh = Attempt.objects.select_related("quiz").get(pk=attempt.pk)
            attempts.attempt_answer(attempt=fresh, position=1, picks=picks)
            accepted.append(True)
        except Exception:
            accepted.append(False)
        finally:
            connection.close()

    threads = [threading.Thread(target=answer) for _i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert accepted.count(True) == 1
    attempt.refresh_from_db()
    assert attempt.points == 1
    assert sum(AnswerStat.objects.values_list("count", flat=True)) == 1
