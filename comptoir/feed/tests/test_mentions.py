"""People proposed after "@" in the post and comment forms: found as the directory finds them, at
most 8, with what to type to mention them; the forms carry the script that asks for them."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from comptoir.feed import services
from comptoir.feed.following import MENTION_RESULTS
from comptoir.feed.tests.factories import post
from comptoir.org.models import User
from comptoir.org.testing import Cast, make_person


@pytest.fixture
def camille(cast: Cast) -> User:
    return make_person(
        role=cast.roles["rep"],
        unit=cast.units["trade"],
        team=cast.team_trade,
        first_name="Camille",
        last_name="Martin",
        email="camille.martin@test.comptoir",
    )


def _ask(client: Any, q: str) -> Any:
    return client.get(reverse("feed:mentions"), {"q": q})


def test_typing_a_few_letters_proposes_the_matching_people_with_their_handle_and_team(
    cast: Cast, login: Any, camille: User
) -> None:
    response = _ask(login(cast.rep), "Cam")
    assert response.status_code == 200
    assert response.json()["results"] == [
        {
            "id": camille.pk,
            "name": "Camille Martin",
            "handle": "camille.martin",
            "team": cast.team_trade.name,
            "photo_url": "",
            "initials": "CM",
        }
    ]


def test_accents_and_case_do_not_matter(cast: Cast, login: Any) -> None:
    found = _ask(login(cast.rep), "helene").json()["results"]
    assert [p["handle"] for p in found] == ["director"]


def test_the_handle_mentions_the_person_and_they_are_notified(cast: Cast, login: Any, camille: User) -> None:
    [candidate] = _ask(login(cast.rep), "Cam").json()["results"]
    created = post(cast.rep, body=f"Merci @{candidate['handle']} pour l'idée du présentoir")
    assert list(created.mentions.values_list("person_id", flat=True)) == [camille.pk]
    from comptoir.notifications.models import Notification

    assert Notification.objects.filter(recipient=camille, kind=services.KIND_MENTION).exists()


def test_nobody_left_the_company_and_never_oneself(cast: Cast, login: Any, camille: User) -> None:
    camille.is_active = False
    camille.save()
    assert _ask(login(cast.rep), "Cam").json()["results"] == []
    assert (
        _ask(login(cast.admin), "Cam").json()["results"] == []
    )  # admins see them in the directory, not here
    assert _ask(login(cast.rep), "Léa").json()["results"] == []


def test_at_most_eight_people_are_proposed(cast: Cast, login: Any) -> None:
    for n in range(MENTION_RESULTS + 3):
        make_person(
            role=cast.roles["rep"],
            first_name="Camille",
            last_name=f"Nom{n:02d}",
            email=f"camille{n}@test.comptoir",
        )
    found = _ask(login(cast.rep), "camille").json()["results"]
    assert len(found) == MENTION_RESULTS


def test_an_empty_or_too_long_search_is_answered_clearly(cast: Cast, login: Any) -> None:
    client = login(cast.rep)
    assert _ask(client, "").json() == {"results": []}
    assert _ask(client, "   ").json() == {"results": []}
    response = _ask(client, "x" * 61)
    assert response.status_code == 400 and "trop longue" in response.json()["error"]


def test_a_search_is_one_query_whatever_the_directory_size(cast: Cast, login: Any) -> None:
    client = login(cast.rep)
    _ask(client, "Cam")  # warm-up: the first visit of the day is recorded once

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            _ask(client, "Cam")
        return len(captured)

    few = count()
    for n in range(15):
        make_person(role=cast.roles["rep"], first_name="Camille", email=f"cam{n}@test.comptoir")
    assert count() == few


def test_names_are_data_not_markup(cast: Cast, login: Any) -> None:
    make_person(
        role=cast.roles["rep"], first_name="<script>alert(1)</script>Cam", email="xss.cam@test.comptoir"
    )
    response = _ask(login(cast.rep), "Cam")
    assert response["Content-Type"] == "application/json"
    assert response.json()["results"][0]["name"].startswith("<script>")  # the script writes it as text


def test_the_api_proposes_the_same_people(cast: Cast, login: Any, camille: User) -> None:
    client = login(cast.rep)
    assert client.get("/api/feed/mentions", {"q": "Cam"}).json() == _ask(client, "Cam").json()["results"]
    response = client.get("/api/feed/mentions", {"q": "x" * 61})
    assert response.status_code == 422 and response.json()["error"]["fields"] == [
        {"field": "q", "message": "too_long"}
    ]


def test_the_post_and_comment_forms_carry_the_suggestions(cast: Cast, login: Any) -> None:
    client = login(cast.rep)
    form = client.get(reverse("feed:new_post")).content.decode()
    assert "feed/mentions.js" in form and f'data-source="{reverse("feed:mentions")}"' in form
    assert 'name="body"' in form and "data-mentions" in form
    page = client.get(post(cast.teammate).get_absolute_url()).content.decode()
    assert "feed/mentions.js" in page and page.count("data-mentions") == 1  # the comment form
