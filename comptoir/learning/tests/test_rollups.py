"""The running totals behind the analytics: kept exact as attempts finish (a retry that passes, a
better score in another band), equal to a rebuild from the results, and read in a fixed number of
queries."""

from __future__ import annotations

from typing import Any

from comptoir.learning import analytics, attempts, rollups
from comptoir.learning.models import QuizGroupStat, QuizScoreBand
from comptoir.learning.tests.conftest import take


def _totals(quiz: Any) -> tuple[set[tuple[int, int, int, int]], dict[int, int]]:
    groups = set(
        QuizGroupStat.objects.filter(quiz=quiz).values_list("team_key", "region_key", "takers", "passed")
    )
    bands = {b: n for b, n in QuizScoreBand.objects.filter(quiz=quiz).values_list("band", "count") if n}
    return groups, bands


def test_totals_follow_first_attempts_retries_and_passes(cast: Any, make_quiz: Any) -> None:
    quiz = make_quiz(pass_mark=75)
    take(attempts.attempt_start(quiz=quiz, user=cast.rep), right=2)  # 50 %: failed
    take(attempts.attempt_start(quiz=quiz, user=cast.teammate), right=4)  # 100 %: passed
    team, region = cast.team.pk, cast.team.region_id
    assert _totals(quiz) == ({(team, region, 2, 1)}, {5: 1, 9: 1})
    take(attempts.attempt_start(quiz=quiz, user=cast.rep), right=3)  # a retry: 75 %, passed
    assert _totals(quiz) == ({(team, region, 2, 2)}, {7: 1, 9: 1})
    take(attempts.attempt_start(quiz=quiz, user=cast.rep), right=1)  # a worse retry changes nothing
    assert _totals(quiz) == ({(team, region, 2, 2)}, {7: 1, 9: 1})


def test_a_rebuild_gives_the_same_totals(cast: Any, make_quiz: Any) -> None:
    quiz = make_quiz(author=cast.hq, audience="company", team=None, pass_mark=60)
    for person, right in ((cast.rep, 1), (cast.teammate, 3), (cast.rep_trade, 4), (cast.rep_office, 2)):
        take(attempts.attempt_start(quiz=quiz, user=person), right=right)
    take(attempts.attempt_start(quiz=quiz, user=cast.rep), right=4)
    kept = _totals(quiz)
    rollups.rebuild([quiz.pk])
    assert _totals(quiz) == kept


def test_the_analytics_read_the_totals(cast: Any, make_quiz: Any) -> None:
    quiz = make_quiz(author=cast.hq, audience="company", team=None, pass_mark=60)
    take(attempts.attempt_start(quiz=quiz, user=cast.rep), right=4)
    take(attempts.attempt_start(quiz=quiz, user=cast.rep_trade), right=1)
    figures = analytics.quiz_analytics(quiz=quiz, viewer=cast.hq)
    assert (figures.takers, figures.passed) == (2, 1)
    assert figures.distribution[9] == 1 and figures.distribution[2] == 1
    by_team = {r.key: (r.audience, r.takers, r.passed) for r in figures.by_team}
    assert by_team[cast.team.pk] == (3, 1, 1)  # the manager is a member of his own team here
    assert by_team[cast.team_trade.pk] == (1, 1, 0)


def test_the_analytics_page_costs_the_same_with_more_attempts(
    cast: Any, make_quiz: Any, login: Any, django_assert_max_num_queries: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    quiz = make_quiz(author=cast.hq, audience="company", team=None)
    take(attempts.attempt_start(quiz=quiz, user=cast.rep), right=2)  # wrong answers too: their texts are read
    client = login(cast.hq)
    client.get(f"/quizzes/{quiz.pk}/analytics/")
    with CaptureQueriesContext(connection) as few:
        client.get(f"/quizzes/{quiz.pk}/analytics/")
    for person in (cast.teammate, cast.rep_trade, cast.rep_office, cast.outsider, cast.kam):
        take(attempts.attempt_start(quiz=quiz, user=person), right=2)
    with django_assert_max_num_queries(len(few)):
        client.get(f"/quizzes/{quiz.pk}/analytics/")
