"""The places other apps fill: sections of the account page, field posts on the agreement page,
and the KAM's home."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html

from comptoir.customers import account_sections, selectors
from comptoir.customers.account_sections import AccountSection
from comptoir.customers.models import Account, FrameworkAgreement
from comptoir.customers.tests.conftest import World
from comptoir.org.models import User
from comptoir.org.testing import Cast

pytestmark = pytest.mark.django_db


def survey_answers_section(request: HttpRequest, account: Account) -> AccountSection | None:
    """A section as another app would write it: it decides for itself when it has nothing to say."""
    if account.name.startswith("Prospect"):
        return None
    return AccountSection(
        key="voice-test", title="Réponses aux enquêtes", html=format_html("<p>{} réponses</p>", 3), order=5
    )


@pytest.fixture
def with_section() -> Iterator[None]:
    account_sections.register("voice-test", survey_answers_section)
    yield
    account_sections.unregister("voice-test")


def test_an_app_adds_a_section_to_the_account_page(cast: Cast, world: World, login: Any, with_section: None) -> None:
    html = login(cast.rep).get(reverse("customers:account", args=[world.rep.pk])).content.decode()
    assert 'id="section-voice-test"' in html
    assert "Réponses aux enquêtes" in html and "<p>3 réponses</p>" in html


def test_a_section_that_returns_none_is_not_shown(cast: Cast, world: World, login: Any, with_section: None) -> None:
    html = login(cast.hq).get(reverse("customers:account", args=[world.unowned.pk])).content.decode()
    assert "section-voice-test" not in html


@dataclass
class StandInPost:
    """What the feed will hand over: objects with a text and a link."""

    title: str
    pk: int

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return f"/feed/{self.pk}/"


@pytest.fixture
def posts_provider() -> Iterator[list[tuple[int, int, int]]]:
    calls: list[tuple[int, int, int]] = []

    def posts_for_agreement(user: User, agreement: FrameworkAgreement, limit: int) -> list[StandInPost]:
        calls.append((user.pk, agreement.pk, limit))
        return [StandInPost(f"Présentoir posé chez {agreement.group.name}", 41)]

    selectors.register_agreement_posts_provider(posts_for_agreement)
    yield calls
    selectors.register_agreement_posts_provider(None)


def test_the_agreement_page_shows_the_posts_the_feed_provides(
    cast: Cast, world: World, login: Any, posts_provider: list[tuple[int, int, int]]
) -> None:
    html = login(cast.kam).get(reverse("customers:agreement", args=[world.agreement.pk])).content.decode()
    assert posts_provider == [(cast.kam.pk, world.agreement.pk, selectors.AGREEMENT_POSTS_SHOWN)]
    assert '<a href="/feed/41/">Présentoir posé chez Groupe Hôtelier Azur</a>' in html


def test_without_a_feed_the_place_says_so(cast: Cast, world: World, login: Any) -> None:
    selectors.register_agreement_posts_provider(None)
    if selectors.agreement_posts_provider() is not None:
        pytest.skip("the feed app provides posts_for_agreement on this branch")
    html = login(cast.kam).get(reverse("customers:agreement", args=[world.agreement.pk])).content.decode()
    assert 'id="agreement-posts"' in html


def test_the_kam_home_shows_their_agreements(cast: Cast, world: World, login: Any) -> None:
    html = login(cast.kam).get(reverse("home")).content.decode()
    assert f'data-agreement="{world.agreement.pk}"' in html
    assert f'data-agreement="{world.other_agreement.pk}"' not in html


def test_a_rep_home_has_no_agreement_block(cast: Cast, world: World, login: Any) -> None:
    assert "home-agreements" not in login(cast.rep).get(reverse("home")).content.decode()
