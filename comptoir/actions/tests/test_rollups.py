"""The closed-loop roll-up equals a full recomputation, whatever happened to the actions."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import pytest
from django.utils import timezone

from comptoir.actions import rollups, selectors, services
from comptoir.actions.models import Action
from comptoir.core import clock

pytestmark = pytest.mark.django_db


def test_roll_up_matches_recomputation_after_random_moves(cast: Any, post_action: Any) -> None:
    rng = random.Random(7)
    start = timezone.make_aware(dt.datetime(2026, 3, 2, 9, 0))
    actions = []
    for i in range(25):
        with clock.frozen(start + dt.timedelta(days=i * 3)):
            actions.append(post_action(assignee=rng.choice([cast.rep, cast.rep_trade, cast.teammate])))
    for step in range(80):
        action = Action.objects.get(pk=rng.choice(actions).pk)
        moment = start + dt.timedelta(days=80 + step, hours=rng.randint(0, 20))
        actor = action.assignee
        assert actor is not None
        with clock.frozen(moment):
            choices = {
                "open": ["in_progress", "done", "cancelled"],
                "in_progress": ["done", "cancelled"],
                "done": ["open"],
                "cancelled": ["open"],
            }
            to = rng.choice(choices[action.status])
            who = cast.agent if to in ("cancelled", "open") else actor
            services.action_transition(action=action, actor=who, to=to, note="note")
    assert rollups.stored_rows() == rollups.expected_rows(Action.objects.all())
    rollups.rebuild()
    assert rollups.stored_rows() == rollups.expected_rows(Action.objects.all())


def test_followed_detractors_roll_up_matches_recomputation(
    cast: Any, post_action: Any, make_response: Any
) -> None:
    """Actions raised from random responses (detractors, passives, promoters, over three months,
    several actions for some): the maintained roll-up equals the recomputation, and the rebuild
    command writes the same rows."""
    rng = random.Random(11)
    now = clock.now()
    responses = [
        make_response(
            nps=rng.randint(0, 10),
            answered_at=now - dt.timedelta(days=rng.randint(0, 90)),
            unit=rng.choice([cast.units["horeca"], cast.units["trade"]]),
            region=rng.choice([cast.regions["idf"], None]),
        )
        for _i in range(30)
    ]
    for _i in range(40):
        post_action(response=rng.choice(responses), assignee=rng.choice([cast.rep, cast.rep_trade]))
    stored = rollups.stored_rows()
    assert any(key[0] == rollups.FOLLOWED for key in stored)
    assert stored == rollups.recomputed_rows()
    followed = {r.pk for r in responses if r.nps <= 6 and Action.objects.filter(response=r).exists()}
    assert sum(n for key, n in stored.items() if key[0] == rollups.FOLLOWED) == len(followed)
    rollups.rebuild()
    assert rollups.stored_rows() == stored


def test_median_from_buckets_by_hand() -> None:
    # 4 actions closed within 1 h, 4 between 24 h and 48 h: the median is the bucket edge at 1 h.
    assert rollups.median_from_buckets({0: 4, 4: 4}) == 1.0
    # 1 in [0,1h), 3 in [24h,48h): half = 2, one below, so 1/3 of the way into [24, 48).
    assert rollups.median_from_buckets({0: 1, 4: 3}) == pytest.approx(24 + 24 / 3)
    assert rollups.median_from_buckets({}) is None


def test_metrics_read_the_roll_up(cast: Any, post_action: Any) -> None:
    created = timezone.make_aware(dt.datetime(2026, 11, 2, 9, 0))
    with clock.frozen(created):
        action = post_action()
    with clock.frozen(created + dt.timedelta(hours=30)):
        services.action_transition(action=action, actor=cast.rep, to="done", note="ok")
    with clock.frozen(created + dt.timedelta(days=3)):
        months = selectors.closed_loop_metrics(viewer=cast.agent, months=2)
    november = months[-1]
    assert november.created == 1 and november.closed == 1
    # 30 h falls in the [24 h, 48 h) bucket; one action: half way in = 36 h.
    assert november.median_closure_h == pytest.approx(36)
    assert november.median_first_response_h == pytest.approx(36)


def test_a_moment_counts_in_its_local_month_at_the_edges() -> None:
    """Paris time: 23:30 UTC on 31 October is already November; 22:30 UTC on 31 March is April
    (summer time), 21:30 is still March."""
    utc = dt.UTC
    assert rollups.month_of(dt.datetime(2026, 10, 31, 23, 30, tzinfo=utc)) == dt.date(2026, 11, 1)
    assert rollups.month_of(dt.datetime(2026, 10, 31, 22, 59, tzinfo=utc)) == dt.date(2026, 10, 1)
    assert rollups.month_of(dt.datetime(2026, 3, 31, 22, 30, tzinfo=utc)) == dt.date(2026, 4, 1)
    assert rollups.month_of(dt.datetime(2026, 3, 31, 21, 30, tzinfo=utc)) == dt.date(2026, 3, 1)
    assert rollups.month_of(dt.datetime(2150, 1, 1, 12, tzinfo=utc)) == dt.date(
        2150, 1, 1
    )  # beyond the table
    assert rollups.month_of(dt.date(2026, 5, 17)) == dt.date(2026, 5, 1)
