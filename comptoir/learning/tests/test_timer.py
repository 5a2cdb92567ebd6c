"""The countdown: the page carries the server's remaining time, and when the countdown reaches zero
the server alone decides whether the time is up (answer recorded as given, or "no answer in time";
the attempt ends when the quiz's own time is up)."""

from __future__ import annotations

import datetime as dt
import os
import re
from typing import Any

import pytest

from comptoir.core import clock
from comptoir.learning import attempts, services
from comptoir.learning.models import AnswerStat, Attempt, AttemptAnswer, Quiz
from comptoir.learning.tests.conftest import coffee_questions, picks_for

T0 = dt.datetime(2026, 3, 10, 9, 0, tzinfo=dt.UTC)


def _remaining_ms(html: str) -> int:
    found = re.search(r'data-remaining-ms="(\d+)"', html)
    assert found, "the page carries no countdown"
    return int(found.group(1))


def test_the_page_carries_the_servers_remaining_time_and_a_resume_shows_less(
    cast: Any, make_quiz: Any, login: Any
) -> None:
    quiz = make_quiz(question_time_limit_seconds=30)
    rep = login(cast.rep)
    with clock.frozen(T0):
        attempt = attempts.attempt_start(quiz=quiz, user=cast.rep)
        html = rep.get(f"/quizzes/attempts/{attempt.pk}/q/1/").content.decode()
    assert _remaining_ms(html) == 30_000
    assert 'src="/static/learning/timer.js"' in html and "<script>" not in html  # no inline script
    with clock.frozen(T0 + dt.timedelta(seconds=12, milliseconds=500)):
        resumed = rep.get(f"/quizzes/attempts/{attempt.pk}/", follow=True).content.decode()
    assert _remaining_ms(resumed) == 17_500
    assert "<span data-timer-seconds>18</span>" in resumed


def test_a_quiz_without_a_time_limit_has_no_countdown(cast: Any, make_quiz: Any, login: Any) -> None:
    attempt = attempts.attempt_start(quiz=make_quiz(), user=cast.rep)
    html = login(cast.rep).get(f"/quizzes/attempts/{attempt.pk}/q/1/").content.decode()
    assert "data-countdown" not in html and "timer.js" not in html


def test_zero_on_the_page_before_zero_on_the_server_changes_nothing(
    cast: Any, make_quiz: Any, login: Any
) -> None:
    quiz = make_quiz(question_time_limit_seconds=30)
    rep = login(cast.rep)
    with clock.frozen(T0):
        attempt = attempts.attempt_start(quiz=quiz, user=cast.rep)
        rep.get(f"/quizzes/attempts/{attempt.pk}/q/1/")
    with clock.frozen(T0 + dt.timedelta(seconds=20)):
        response = rep.post(f"/quizzes/attempts/{attempt.pk}/q/1/", {"expired": "1"})
    assert response["Location"] == f"/quizzes/attempts/{attempt.pk}/q/1/"
    assert AttemptAnswer.objects.get(attempt=attempt, position=1).answered_at is None


def test_time_up_with_nothing_chosen_records_no_answer_and_shows_the_feedback(
    cast: Any, make_quiz: Any, login: Any
) -> None:
    quiz = make_quiz(question_time_limit_seconds=30)
    rep = login(cast.rep)
    with clock.frozen(T0):
        attempt = attempts.attempt_start(quiz=quiz, user=cast.rep)
        rep.get(f"/quizzes/attempts/{attempt.pk}/q/1/")
    with clock.frozen(T0 + dt.timedelta(seconds=30, milliseconds=300)):
        response = rep.post(f"/quizzes/attempts/{attempt.pk}/q/1/", {"expired": "1"}, follow=True)
    answer = AttemptAnswer.objects.get(attempt=attempt, position=1)
    assert answer.timed_out and answer.points == 0 and answer.answer == []
    assert 'data-testid="feedback"' in response.content.decode()
    assert AnswerStat.objects.get(question_id=answer.question_id).answer_key == ""
    attempt.refresh_from_db()
    assert attempt.is_open  # the next questions still have their own time


def test_time_up_with_a_choice_made_counts_it_within_the_grace(cast: Any, make_quiz: Any, login: Any) -> None:
    quiz = make_quiz(question_time_limit_seconds=30)
    rep = login(cast.rep)
    with clock.frozen(T0):
        attempt = attempts.attempt_start(quiz=quiz, user=cast.rep)
        rep.get(f"/quizzes/attempts/{attempt.pk}/q/1/")
    picks = picks_for(attempt, 1)
    with clock.frozen(T0 + dt.timedelta(seconds=31)):
        rep.post(f"/quizzes/attempts/{attempt.pk}/q/1/", {"expired": "1", "pick": [str(p) for p in picks]})
    answer = AttemptAnswer.objects.get(attempt=attempt, position=1)
    assert answer.points == 1 and not answer.timed_out


def test_the_quizs_own_time_up_ends_the_attempt_and_shows_the_result(
    cast: Any, make_quiz: Any, login: Any
) -> None:
    quiz = make_quiz(time_limit_seconds=60)
    rep = login(cast.rep)
    with clock.frozen(T0):
        attempt = attempts.attempt_start(quiz=quiz, user=cast.rep)
        attempts.attempt_answer(attempt=attempt, position=1, picks=picks_for(attempt, 1))
        rep.get(f"/quizzes/attempts/{attempt.pk}/q/2/")
    with clock.frozen(T0 + dt.timedelta(seconds=60, milliseconds=400)):
        response = rep.post(f"/quizzes/attempts/{attempt.pk}/q/2/", {"expired": "1"})
    assert response["Location"] == f"/quizzes/attempts/{attempt.pk}/result/"
    attempt.refresh_from_db()
    assert (attempt.status, attempt.score) == ("timed_out", 25.0)
    assert AttemptAnswer.objects.filter(attempt=attempt, timed_out=True).count() == 3


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_in_chromium_the_countdown_ticks_warns_and_hands_the_question_back_at_zero(
    live_server: Any, chromium: Any, screenshot_dir: str
) -> None:
    from playwright.sync_api import expect

    from comptoir.org.testing import build_cast
    from conftest import browser_login

    cast = build_cast()
    quiz = services.quiz_create(
        author=cast.manager,
        settings=services.QuizSettings(title="Chrono", audience="team", team=cast.team),
        questions=coffee_questions()[:2],
    )
    services.quiz_publish(quiz=quiz, actor=cast.manager, announce=False)
    # Short, so the test does not wait long, yet with room for a slow machine before the 10 s warning.
    Quiz.objects.filter(pk=quiz.pk).update(question_time_limit_seconds=20)
    phone = chromium.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = phone.new_page()
    browser_login(page, live_server.url, cast.rep.email)
    page.goto(f"{live_server.url}/quizzes/{quiz.pk}/")
    page.locator('[data-testid="start-quiz"]').tap()
    seconds = page.locator("[data-timer-seconds]")
    seconds.wait_for()
    first = int(seconds.inner_text())
    assert 0 < first <= 20
    expect(seconds).not_to_have_text(str(first), timeout=5000)  # it ticks, every second
    page.wait_for_selector(".timer.timer-warning", timeout=20_000)
    assert page.locator("[data-timer-alert]").inner_text().strip()
    page.screenshot(path=os.path.join(screenshot_dir, "learning-timer-warning.png"))
    # A reload (a resumed connection) shows the server's remaining time, not a fresh 20 s.
    page.reload()
    assert int(page.locator("[data-timer-seconds]").inner_text()) <= 10
    # Nothing chosen: at zero the page hands the question back and shows it as not answered in time.
    page.wait_for_selector('[data-testid="feedback"]', timeout=30_000)
    answer = AttemptAnswer.objects.get(attempt=Attempt.objects.get(), position=1)
    assert answer.timed_out and answer.answered_at is not None
    assert page.locator('[data-testid="next-question"]').count() == 1
    phone.close()


def test_a_countdown_arriving_after_the_quizs_grace_finds_the_attempt_over(
    cast: Any, make_quiz: Any, login: Any
) -> None:
    quiz = make_quiz(time_limit_seconds=60)
    rep = login(cast.rep)
    with clock.frozen(T0):
        attempt = attempts.attempt_start(quiz=quiz, user=cast.rep)
    with clock.frozen(T0 + dt.timedelta(seconds=90)):
        response = rep.post(f"/quizzes/attempts/{attempt.pk}/q/1/", {"expired": "1", "pick": "0"})
    assert response["Location"] == f"/quizzes/attempts/{attempt.pk}/result/"
    attempt.refresh_from_db()
    assert (attempt.status, attempt.score) == ("timed_out", 0.0)
    # Each unanswered question counted once as "no answer in time", not twice.
    assert sum(AnswerStat.objects.filter(quiz=quiz).values_list("count", flat=True)) == 4
