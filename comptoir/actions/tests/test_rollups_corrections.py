"""The followed-detractor roll-up follows the customer's corrections at once, not at the next rebuild.

A customer may correct an answer from the page that gave it (the voice's `response_correct`), and
customer relations may delete one (`response_delete`): when an action was raised from that response
and its score crosses the detractor line, the share of detractors followed must move in the same
transaction, with no rebuild in between.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from comptoir.actions import rollups
from comptoir.actions.models import Action
from comptoir.core import clock
from comptoir.voice import services as voice

pytestmark = pytest.mark.django_db

KEY = "edit-key-of-the-survey-page"


def followed() -> int:
    return sum(n for key, n in rollups.stored_rows().items() if key[0] == rollups.FOLLOWED)


def correct(response: Any, nps: int) -> None:
    with clock.frozen(response.answered_at + dt.timedelta(minutes=10)):
        voice.response_correct(
            response_id=response.pk, edit_key=KEY, data={"nps": nps, "ces": 3, "comment": ""}
        )


def test_a_followed_detractor_corrected_to_a_promoter_is_no_longer_counted(
    post_action: Any, make_response: Any
) -> None:
    response = make_response(nps=2, edit_key=KEY)
    post_action(response=response)
    assert followed() == 1
    correct(response, 9)
    assert followed() == 0
    assert rollups.stored_rows() == rollups.recomputed_rows()
    correct(response, 4)
    assert followed() == 1
    assert rollups.stored_rows() == rollups.recomputed_rows()


def test_a_passive_with_an_action_corrected_to_a_detractor_becomes_followed(
    post_action: Any, make_response: Any
) -> None:
    response = make_response(nps=7, edit_key=KEY)
    post_action(response=response)
    post_action(response=response)  # two actions from it: still one followed detractor
    assert followed() == 0
    correct(response, 6)
    assert followed() == 1
    assert rollups.stored_rows() == rollups.recomputed_rows()


def test_a_correction_without_an_action_or_without_crossing_the_line_changes_nothing(
    post_action: Any, make_response: Any
) -> None:
    lone = make_response(nps=3, edit_key=KEY)
    followed_one = make_response(nps=1, edit_key=KEY)
    post_action(response=followed_one)
    before = rollups.stored_rows()
    correct(lone, 10)  # no action raised from it
    correct(followed_one, 5)  # still a detractor
    assert rollups.stored_rows() == before


def test_deleting_a_followed_detractor_uncounts_it_and_keeps_the_action(
    cast: Any, post_action: Any, make_response: Any
) -> None:
    response = make_response(nps=0)
    action = post_action(response=response)
    assert followed() == 1
    voice.response_delete(by=cast.agent, response=response)
    assert followed() == 0
    action.refresh_from_db()
    assert action.response_id is None
    assert rollups.stored_rows() == rollups.recomputed_rows()


def test_a_refused_correction_leaves_the_roll_up_as_it_was(post_action: Any, make_response: Any) -> None:
    response = make_response(nps=2, edit_key=KEY)
    post_action(response=response)
    before = rollups.stored_rows()
    with pytest.raises(ValidationError):
        correct(response, 11)  # out of the 0-10 scale
    with pytest.raises(voice.SurveyLinkError):
        voice.response_correct(response_id=response.pk, edit_key="wrong key", data={"nps": 9})
    assert rollups.stored_rows() == before


def test_a_correction_rolled_back_leaves_the_roll_up_as_it_was(post_action: Any, make_response: Any) -> None:
    """The roll-up moves in the correction's transaction: both commit, or neither."""
    response = make_response(nps=2, edit_key=KEY)
    post_action(response=response)
    before = rollups.stored_rows()
    with pytest.raises(RuntimeError), transaction.atomic():
        correct(response, 9)
        assert followed() == 0
        raise RuntimeError("the request failed after the correction")
    assert rollups.stored_rows() == before
    response.refresh_from_db()
    assert response.nps == 2


def test_roll_up_matches_recomputation_through_random_actions_corrections_and_deletions(
    cast: Any, post_action: Any, make_response: Any
) -> None:
    rng = random.Random(2026)
    now = clock.now()
    responses = [
        make_response(
            nps=rng.randint(0, 10),
            edit_key=KEY,
            answered_at=now - dt.timedelta(days=rng.randint(0, 60), minutes=rng.randint(0, 600)),
            unit=rng.choice([cast.units["horeca"], cast.units["trade"]]),
            region=rng.choice([cast.regions["idf"], None]),
        )
        for _i in range(20)
    ]
    for _step in range(60):
        alive = [r for r in responses if r.pk is not None]
        response = rng.choice(alive)
        move = rng.random()
        if move < 0.35:
            post_action(response=response)
        elif move < 0.9:
            correct(response, rng.randint(0, 10))
        elif len(alive) > 5:
            voice.response_delete(by=cast.agent, response=response)
            response.pk = None
        assert rollups.stored_rows() == rollups.recomputed_rows()
    assert Action.objects.filter(response__isnull=False).exists()
