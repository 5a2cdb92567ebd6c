"""Customer relations maintains the journey steps from a page: add, rename in French and English,
reorder, retire and bring back; a step with answers is never deleted (its history stays); bad input
re-displays with a clear error and changes nothing; nobody else may touch them."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from comptoir.core import clock
from comptoir.core.permissions import PermissionDenied403
from comptoir.voice import journey, services
from comptoir.voice.models import JourneyStep, Response, Survey

from .conftest import World


def _order() -> list[str]:
    return list(JourneyStep.objects.order_by("rank", "name").values_list("code", flat=True))


def test_a_step_is_added_last_with_a_code_from_its_french_name(world: World, login: Any) -> None:
    client = login(world.cast.agent)
    page = client.get(reverse("voice:steps"))
    assert page.status_code == 200 and world.delivery.name in page.text
    done = client.post(
        reverse("voice:steps"),
        {
            "new-name": "Mise en service à distance",
            "new-name_en": "Remote set-up",
            "new-effort_phrase": "mettre ma machine en service",
        },
    )
    assert done.status_code == 302
    step = JourneyStep.objects.get(name="Mise en service à distance")
    assert step.code == "mise-en-service-a-distance" and step.is_active
    assert _order()[-1] == step.code
    with translation.override("en"):
        assert step.label == "Remote set-up"


def test_a_rename_keeps_the_code_and_the_answers(world: World, login: Any) -> None:
    Response.objects.create(
        step=world.delivery, nps=9, answered_at=clock.now(), updated_at=clock.now(), source="api"
    )
    client = login(world.cast.agent)
    done = client.post(
        reverse("voice:step", args=[world.delivery.pk]),
        {
            f"s{world.delivery.pk}-name": "Livraison en magasin",
            f"s{world.delivery.pk}-name_en": "Store delivery",
        },
    )
    assert done.status_code == 302
    step = JourneyStep.objects.get(pk=world.delivery.pk)
    assert (step.code, step.name, step.name_en) == ("delivery", "Livraison en magasin", "Store delivery")
    assert Response.objects.filter(step=step).count() == 1


def test_bad_input_shows_a_clear_error_and_changes_nothing(world: World, login: Any) -> None:
    client = login(world.cast.agent)
    before = list(JourneyStep.objects.values_list("pk", "code", "name", "name_en", "rank").order_by("pk"))
    other = JourneyStep.objects.exclude(pk=world.delivery.pk).order_by("rank").first()
    assert other is not None
    prefix = f"s{world.delivery.pk}"
    empty = client.post(reverse("voice:step", args=[world.delivery.pk]), {f"{prefix}-name": "  "})
    assert empty.status_code == 400 and 'class="voice-error"' in empty.text
    taken = client.post(
        reverse("voice:step", args=[world.delivery.pk]), {f"{prefix}-name": other.name.upper()}
    )
    # The organisation works in French (PRODUCT.md): the pages speak French to the cast.
    assert taken.status_code == 400 and "Une autre étape porte déjà ce nom." in taken.text
    too_long = client.post(reverse("voice:steps"), {"new-name": "x" * 121})
    assert too_long.status_code == 400
    duplicate = client.post(reverse("voice:steps"), {"new-name": world.delivery.name})
    assert duplicate.status_code == 400 and "Une autre étape porte déjà ce nom." in duplicate.text
    after = list(JourneyStep.objects.values_list("pk", "code", "name", "name_en", "rank").order_by("pk"))
    assert after == before


def test_steps_are_reordered_up_and_down(world: World, login: Any) -> None:
    client = login(world.cast.agent)
    first, second = _order()[:2]
    moved = JourneyStep.objects.get(code=second)
    assert client.post(reverse("voice:step_move", args=[moved.pk]), {"direction": "up"}).status_code == 302
    assert _order()[:2] == [second, first]
    assert client.post(reverse("voice:step_move", args=[moved.pk]), {"direction": "up"}).status_code == 302
    assert _order()[:2] == [second, first]  # already first: nothing moves
    client.post(reverse("voice:step_move", args=[moved.pk]), {"direction": "down"})
    assert _order()[:2] == [first, second]
    ranks = list(JourneyStep.objects.values_list("rank", flat=True))
    assert len(set(ranks)) == len(ranks)


def test_a_step_with_answers_is_retired_not_deleted_and_keeps_its_history(world: World, login: Any) -> None:
    step = JourneyStep.objects.get(code="invoicing")
    Response.objects.create(step=step, nps=3, answered_at=clock.now(), updated_at=clock.now(), source="api")
    client = login(world.cast.agent)
    refused = client.post(reverse("voice:step_delete", args=[step.pk]), follow=True)
    assert "retirez-la plutôt" in refused.text
    assert JourneyStep.objects.filter(pk=step.pk).exists()
    with pytest.raises(ValidationError):
        journey.step_delete(by=world.cast.agent, step=step)
    client.post(reverse("voice:step_active", args=[step.pk]), {"active": "0"})
    step.refresh_from_db()
    assert not step.is_active and Response.objects.filter(step=step).count() == 1
    # Retired: no longer offered for a new survey, still in the analytics filters.
    new_survey = client.get(reverse("voice:survey_new"))
    assert f'value="{step.pk}"' not in new_survey.text
    dashboard = client.get(reverse("voice:dashboard"))
    assert f'value="{step.pk}"' in dashboard.text
    client.post(reverse("voice:step_active", args=[step.pk]), {"active": "1"})
    step.refresh_from_db()
    assert step.is_active


def test_an_unused_step_is_deleted(world: World, login: Any) -> None:
    step = journey.step_create(by=world.cast.agent, name="Étape en trop")
    client = login(world.cast.agent)
    assert client.post(reverse("voice:step_delete", args=[step.pk])).status_code == 302
    assert not JourneyStep.objects.filter(pk=step.pk).exists()


def test_a_step_an_active_survey_asks_about_cannot_be_retired(world: World) -> None:
    with pytest.raises(ValidationError):
        journey.step_set_active(by=world.cast.agent, step=world.delivery, active=False)
    assert JourneyStep.objects.get(pk=world.delivery.pk).is_active
    services.survey_set_status(by=world.cast.agent, survey=world.survey, status=Survey.Status.CLOSED)
    journey.step_set_active(by=world.cast.agent, step=world.delivery, active=False)
    assert not JourneyStep.objects.get(pk=world.delivery.pk).is_active
    with pytest.raises(ValidationError):  # a survey still refers to it: not deletable either
        journey.step_delete(by=world.cast.agent, step=world.delivery)


def test_only_customer_relations_maintains_the_steps(world: World, login: Any) -> None:
    cast = world.cast
    for person in (cast.rep, cast.manager, cast.director, cast.hq):
        client = login(person)
        assert client.get(reverse("voice:steps")).status_code == 403
        assert client.post(reverse("voice:steps"), {"new-name": "Intrus"}).status_code == 403
        assert (
            client.post(
                reverse("voice:step_move", args=[world.delivery.pk]), {"direction": "down"}
            ).status_code
            == 403
        )
        assert client.post(reverse("voice:step_delete", args=[world.delivery.pk])).status_code == 403
    with pytest.raises(PermissionDenied403):
        journey.step_create(by=cast.director, name="Intrus")
    assert not JourneyStep.objects.filter(name="Intrus").exists()
    assert login(cast.agent).post(reverse("voice:step_delete", args=[999999])).status_code == 404


def test_the_page_costs_the_same_queries_whatever_the_number_of_steps(
    world: World, login: Any, django_assert_max_num_queries: Any
) -> None:
    client = login(world.cast.agent)
    client.get(reverse("voice:steps"))
    with django_assert_max_num_queries(8) as few:
        client.get(reverse("voice:steps"))
    for n in range(10):
        journey.step_create(by=world.cast.agent, name=f"Étape {n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("voice:steps"))
