"""A congratulation is given once per person and post: the post page shows that it was given, and a
second one is refused with a clear message and changes nothing (page, API and service alike)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from comptoir.feed import services
from comptoir.feed.models import Congratulation, Post
from comptoir.feed.tests.factories import post
from comptoir.notifications.models import Notification
from comptoir.org.testing import Cast


def _post_page(client: Any, created: Post) -> str:
    response = client.get(reverse("feed:post", args=[created.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_post_page_offers_to_congratulate_until_the_viewer_has(cast: Cast, login: Any) -> None:
    created = post(cast.rep, body="Trois machines placées")
    client = login(cast.director)
    html = _post_page(client, created)
    assert 'data-testid="congratulate"' in html and 'data-testid="congratulated"' not in html

    response = client.post(reverse("feed:congratulate", args=[created.pk]), {"message": "Bravo"})
    assert response.status_code == 302
    html = _post_page(client, created)
    assert 'data-testid="congratulate"' not in html
    assert f"Vous avez félicité {cast.rep.full_name} pour cette publication." in html
    # Somebody else may still congratulate: the form is there for them.
    assert 'data-testid="congratulate"' in _post_page(login(cast.manager), created)


def test_the_post_page_says_it_in_english_to_who_chose_it(cast: Cast, login: Any) -> None:
    created = post(cast.rep)
    services.congratulate(post=created, by=cast.director, message="Bravo")
    client = login(cast.director)
    client.post("/i18n/setlang/", {"language": "en", "next": "/feed/"})
    assert f"You have congratulated {cast.rep.full_name} on this post." in _post_page(client, created)


def test_a_second_congratulation_from_the_page_is_refused_with_a_message_and_changes_nothing(
    cast: Cast, login: Any
) -> None:
    created = post(cast.rep)
    client = login(cast.director)
    client.post(reverse("feed:congratulate", args=[created.pk]), {"message": "Bravo"})
    response = client.post(
        reverse("feed:congratulate", args=[created.pk]), {"message": "Encore bravo"}, follow=True
    )
    assert "Vous avez déjà félicité l’auteur pour cette publication." in response.content.decode()
    assert list(Congratulation.objects.values_list("message", flat=True)) == ["Bravo"]
    created.refresh_from_db()
    assert created.congratulation_count == 1
    assert Notification.objects.filter(recipient=cast.rep, kind="feed_congratulation").count() == 1


def test_a_second_congratulation_through_the_api_is_a_clear_422(cast: Cast, login: Any) -> None:
    created = post(cast.rep)
    client = login(cast.teammate)
    url = f"/api/feed/posts/{created.pk}/congratulations"
    first = client.post(url, json.dumps({"message": "Bravo"}), content_type="application/json")
    assert first.status_code == 201
    again = client.post(url, json.dumps({"message": "Bis"}), content_type="application/json")
    assert again.status_code == 422
    assert again.json()["error"]["message"] == "Vous avez déjà félicité l’auteur pour cette publication."
    assert Congratulation.objects.count() == 1


def test_the_database_keeps_one_congratulation_per_person_and_post(cast: Cast) -> None:
    from django.db import IntegrityError, transaction

    created = post(cast.rep)
    services.congratulate(post=created, by=cast.manager, message="Bravo")
    with pytest.raises(IntegrityError), transaction.atomic():
        Congratulation.objects.create(
            post=created, by=cast.manager, to=cast.rep, message="Bis", created_at=created.created_at
        )
    with pytest.raises(ValidationError):
        services.congratulate(post=created, by=cast.manager, message="Bis")
    assert Congratulation.objects.count() == 1
