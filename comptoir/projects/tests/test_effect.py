"""The before/after figures against hand-computed values.

Before the start: 10 promoters, 5 passives, 15 detractors (NPS -16.7); since: 20, 5, 5 (NPS +50).
With the voice app's adjusted Wald variances (3/4 pseudo-promoter, 3/4 pseudo-detractor, n + 3):
  before: (10 - 15) / 33 = -0.151515, var = (10.75/33 + 15.75/33 - 0.151515²) / 33 = 0.0236386
  since:  (20 - 5) / 33 = 0.454545,  var = (20.75/33 + 5.75/33 - 0.454545²) / 33 = 0.0180733
  z = 0.606061 / sqrt(0.0419119) = 2.9675, p = 0.0030: significant.
The control (order step) stays at 15/10/15 both times: difference in differences z = 2.2015.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from comptoir.projects import effect, services
from comptoir.projects.models import Project
from comptoir.voice.stats import Nps

from .conftest import START

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(cast: Any, delivery: Any) -> Project:
    project = services.project_create(
        author=cast.rep,
        title="Créneaux de livraison de deux heures",
        problem="Livraisons hors créneau",
        status="running",
        started_on=START,
        baseline_days=90,
        steps=[delivery],
    )
    return project


def test_before_and_since_against_hand_computed_values(
    project: Project, answers: Any, delivery: Any, order_step: Any
) -> None:
    answers(delivery, START - dt.timedelta(days=30), promoters=10, passives=5, detractors=15)
    answers(delivery, START + dt.timedelta(days=30), promoters=20, passives=5, detractors=5)
    answers(order_step, START - dt.timedelta(days=30), promoters=15, passives=10, detractors=15)
    answers(order_step, START + dt.timedelta(days=30), promoters=15, passives=10, detractors=15)
    # Out of both windows: ignored.
    answers(delivery, START - dt.timedelta(days=200), detractors=50)
    result = effect.effect_of(project, today=START + dt.timedelta(days=60))
    assert result is not None
    assert result.before.score == pytest.approx(-100 * 5 / 30)
    assert result.since.score == pytest.approx(50.0)
    assert (result.before.n, result.since.n) == (30, 30)
    assert result.change.diff == pytest.approx(60.6061, abs=1e-3)
    assert result.change.z == pytest.approx(2.9675, abs=1e-3)
    assert result.change.p == pytest.approx(0.0030, abs=1e-4)
    assert result.change.significant
    assert result.control_change.diff == pytest.approx(0.0)
    assert not result.control_change.significant
    assert result.did.z == pytest.approx(2.2015, abs=1e-3)
    assert result.did.significant


def test_not_enough_answers_gives_no_verdict(project: Project, answers: Any, delivery: Any) -> None:
    answers(delivery, START - dt.timedelta(days=3), promoters=3)
    answers(delivery, START + dt.timedelta(days=3), promoters=30)
    result = effect.effect_of(project, today=START + dt.timedelta(days=10))
    assert result is not None
    assert not result.change.enough and not result.change.significant
    assert result.as_dict()["change"]["diff"] is None


def test_a_small_change_is_not_significant() -> None:
    before, since = Nps(12, 8, 10, min_responses=10), Nps(13, 8, 9, min_responses=10)
    change = effect.nps_change(before, since)
    assert change.enough and not change.significant and change.p is not None and change.p > 0.5


def test_easy_share_two_proportion_test() -> None:
    from comptoir.voice.stats import Effort

    # 40 % easy of 100 -> 60 % easy of 100: pooled p = 0.5, se = sqrt(.25 * .02) = 0.0707, z = 2.828.
    change = effect.easy_share_change(
        Effort(100, 400, 40, min_responses=10), Effort(100, 500, 60, min_responses=10)
    )
    assert change.diff == pytest.approx(20.0)
    assert change.z == pytest.approx(2.8284, abs=1e-3)
    assert change.significant


def test_no_effect_before_a_start_date(cast: Any) -> None:
    project = services.project_create(author=cast.rep, title="Idée", problem="À creuser")
    assert effect.effect_of(project) is None
