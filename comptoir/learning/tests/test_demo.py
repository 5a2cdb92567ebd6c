"""The demo builds a dozen French quizzes with attempts, results, badges and one rep's pass that her
manager can congratulate."""

from __future__ import annotations

import io

import pytest

from comptoir.core import demo as core_demo
from comptoir.core.demo import DemoContext
from comptoir.learning import demo as learning_demo
from comptoir.learning.models import AnswerStat, Attempt, Badge, Quiz, QuizResult
from comptoir.notifications.models import Notification
from comptoir.org import demo as org_demo

pytestmark = pytest.mark.django_db


def test_demo_builds_quizzes_attempts_and_badges() -> None:
    ctx = DemoContext(stdout=io.StringIO(), people=285)
    core_demo.build(ctx)
    org_demo.build(ctx)
    learning_demo.build(ctx)
    assert Quiz.objects.filter(published=True).count() == 13
    assert Attempt.objects.count() > 500
    assert QuizResult.objects.filter(passed=True).exists() and Badge.objects.filter(level__gte=2).exists()
    assert AnswerStat.objects.exists()
    lea = Attempt.objects.get(
        user__email="lea.martin@comptoir-demo.fr", quiz__title__startswith="Les machines"
    )
    assert lea.passed
    assert Notification.objects.filter(
        kind="learning_team_pass", url__contains=f"/attempts/{lea.pk}/"
    ).exists()
    # Results agree with the attempts they roll up.
    for result in QuizResult.objects.all()[:50]:
        best = max(
            s or 0.0
            for s in Attempt.objects.filter(quiz=result.quiz_id, user=result.user_id).values_list(
                "score", flat=True
            )
        )
        assert result.best_score == best
