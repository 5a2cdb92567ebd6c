"""A customer answers from a personal link: one answer per invitation, clear messages, nothing
stored on bad input, snapshots frozen at answer time, roll-ups kept exact."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from comptoir.core import clock
from comptoir.customers.models import AccountOwnership
from comptoir.voice.models import Invitation, Response, Rollup
from comptoir.voice.rollups import recomputed_cells, stored_cells

from .conftest import World, invite


def _key(html: str) -> str:
    found = re.search(r'name="edit_key" value="([^"]+)"', html)
    assert found
    return found.group(1)


def test_the_page_needs_no_login_and_speaks_the_contacts_language(world: World) -> None:
    fr = invite(world)
    en = invite(world, world.contact_en)
    page_fr = Client().get(reverse("voice:answer", args=[fr.token]))
    page_en = Client().get(reverse("voice:answer", args=[en.token]))
    assert page_fr.status_code == 200 and page_en.status_code == 200
    assert "Votre livraison" in page_fr.text and 'lang="fr"' in page_fr.text
    assert "Your delivery" in page_en.text and 'lang="en"' in page_en.text
    assert "How likely are you to recommend" in page_en.text
    assert 'name="viewport"' in page_fr.text  # phone-first


def test_an_answer_is_stored_once_with_its_snapshot(world: World) -> None:
    invitation = invite(world)
    client = Client()
    page = client.get(reverse("voice:answer", args=[invitation.token]))
    key = _key(page.text)
    data = {"nps": "9", "ces": "6", "comment": "Livreur ponctuel", "edit_key": key}
    response = client.post(reverse("voice:answer", args=[invitation.token]), data)
    assert response.status_code == 200
    assert "votre réponse a été enregistrée" in response.text.lower() or "recorded" in response.text
    stored = Response.objects.get()
    assert (stored.nps, stored.ces, stored.comment) == (9, 6, "Livreur ponctuel")
    assert stored.account == world.account and stored.contact == world.contact
    assert stored.owner == world.cast.rep and stored.team == world.cast.team
    assert stored.unit == world.account.unit and stored.region == world.account.region
    assert stored.segment == world.horeca and stored.step == world.delivery
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.ANSWERED
    # A double click / replay of the same page changes nothing and says so.
    replay = client.post(reverse("voice:answer", args=[invitation.token]), {**data, "nps": "2"})
    assert replay.status_code == 200 and Response.objects.get().nps == 9
    # Another device (another page) is told it was already answered.
    other = Client().post(
        reverse("voice:answer", args=[invitation.token]), {"nps": "0", "edit_key": "x" * 43}
    )
    assert other.status_code == 409 and Response.objects.count() == 1 and Response.objects.get().nps == 9
    assert stored_cells() == recomputed_cells()


def test_the_same_page_may_correct_its_answer(world: World) -> None:
    invitation = invite(world)
    client = Client()
    key = _key(client.get(reverse("voice:answer", args=[invitation.token])).text)
    url = reverse("voice:answer", args=[invitation.token])
    client.post(url, {"nps": "3", "edit_key": key})
    corrected = client.post(
        url, {"nps": "8", "ces": "7", "comment": "En fait ça va", "edit_key": key, "correct": "1"}
    )
    assert corrected.status_code == 200
    assert Response.objects.get().nps == 8
    assert stored_cells() == recomputed_cells()
    month = Rollup.objects.get(grain="m", shape=0)
    assert (month.responses, month.passives, month.detractors, month.ces_sum) == (1, 1, 0, 7)


def test_the_owner_at_answer_time_comes_from_the_ownership_history(world: World) -> None:
    # The account changed hands yesterday: the answer belongs to the new owner's period.
    now = clock.now()
    AccountOwnership.objects.filter(account=world.account).update(ended_at=now - dt.timedelta(days=1))
    AccountOwnership.objects.create(
        account=world.account, owner=world.cast.teammate, started_at=now - dt.timedelta(days=1)
    )
    invitation = invite(world)
    Client().post(reverse("voice:answer", args=[invitation.token]), {"nps": "10", "edit_key": "k" * 43})
    assert Response.objects.get().owner == world.cast.teammate


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"nps": "11"}, "nps"),
        ({"nps": ""}, "nps"),
        ({}, "nps"),
        ({"nps": "-1"}, "nps"),
        ({"nps": "dix"}, "nps"),
        ({"nps": "8", "ces": "9"}, "ces"),
        ({"nps": "8", "comment": "x" * 2001}, "comment"),
    ],
)
def test_bad_input_gets_a_clear_message_and_stores_nothing(
    world: World, data: dict[str, Any], field: str
) -> None:
    invitation = invite(world)
    response = Client().post(reverse("voice:answer", args=[invitation.token]), {**data, "edit_key": "k" * 43})
    assert response.status_code == 422
    assert 'class="voice-error"' in response.text
    assert Response.objects.count() == 0 and Rollup.objects.count() == 0
    invitation.refresh_from_db()
    assert invitation.status != Invitation.Status.ANSWERED


def test_unknown_and_expired_links_say_so_and_store_nothing(world: World) -> None:
    unknown = Client().post(reverse("voice:answer", args=["not-a-real-token"]), {"nps": "9"})
    assert unknown.status_code == 404 and "link-message" in unknown.text
    invitation = invite(world)
    with clock.frozen(invitation.expires_at + dt.timedelta(minutes=1)):
        page = Client().get(reverse("voice:answer", args=[invitation.token]))
        post = Client().post(
            reverse("voice:answer", args=[invitation.token]), {"nps": "9", "edit_key": "k" * 43}
        )
    assert page.status_code == 410 and post.status_code == 410
    assert "expir" in page.text
    assert Response.objects.count() == 0


def test_a_submission_costs_a_fixed_number_of_queries(
    world: World, django_assert_max_num_queries: Any
) -> None:
    first, second = invite(world), invite(world, world.contact_en)
    from comptoir.voice.services import response_submit

    response_submit(token=first.token, data={"nps": "9", "ces": "5", "comment": "ok"})
    with django_assert_max_num_queries(12):
        response_submit(token=second.token, data={"nps": "4", "ces": "2", "comment": "trop tard"})


def test_anonymous_link_is_limited_per_device(world: World) -> None:
    from comptoir.voice import services
    from comptoir.voice.models import Survey

    services.survey_set_status(
        by=world.cast.agent, survey=world.survey, status=Survey.Status.ACTIVE, anonymous_link=True
    )
    url = reverse("voice:anonymous", args=[world.survey.anonymous_token])
    client = Client()
    statuses = [client.post(url, {"nps": "9"}).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert Response.objects.filter(source="anonymous").count() == 3
    assert Response.objects.get(pk=Response.objects.first().pk).account is None  # type: ignore[union-attr]
