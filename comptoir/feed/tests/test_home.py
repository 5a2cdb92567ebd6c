"""The feed's part of the home page: "For me" for a rep, the posts waiting for a manager's reaction,
the recommendations waiting for HQ's answer; each in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from comptoir.core import clock
from comptoir.feed import recommendations, services
from comptoir.feed.home import parts_for
from comptoir.feed.models import Post
from comptoir.feed.tests.factories import post
from comptoir.org.models import Team
from comptoir.org.testing import Cast

NOON = dt.datetime(2026, 3, 11, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def at_noon() -> Any:
    with clock.frozen(NOON):
        yield NOON


def _later(days: float) -> Any:
    return clock.frozen(NOON + dt.timedelta(days=days))


def _home(client: Any) -> str:
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


def test_a_rep_sees_the_newest_posts_for_them_the_unread_count_and_an_invitation_to_share(
    cast: Cast, login: Any, at_noon: Any
) -> None:
    older = post(cast.teammate, body="Présentoir en caisse : ventes doublées")
    newest = post(cast.manager, body="Dégustation réussie chez un caviste")
    post(cast.rep, body="Mon propre post")
    services.mark_read(post=older, person=cast.rep)

    html = _home(login(cast.rep))

    assert 'data-testid="home-for-me"' in html
    assert html.index("Dégustation réussie") < html.index("Présentoir en caisse")
    # Unread: the manager's post only (the rep's own post and the one already opened do not count).
    assert 'data-testid="unread-count"' in html and "1 publication non lue ce mois-ci" in html
    assert f'href="{reverse("feed:new_post")}?kind=success"' in html
    assert newest.get_absolute_url() in html
    assert "Mon propre post" not in html


def test_a_post_from_another_unit_that_is_not_for_me_stays_off_my_home(
    cast: Cast, login: Any, at_noon: Any
) -> None:
    post(cast.rep_office, body="Une pratique Office sans rapport", visibility=Post.Visibility.UNIT)
    html = _home(login(cast.rep))
    assert "sans rapport" not in html
    assert "Vous avez tout lu." in html


def test_share_a_success_opens_the_form_with_success_chosen(cast: Cast, login: Any) -> None:
    html = login(cast.rep).get(reverse("feed:new_post") + "?kind=success").content.decode()
    assert '<option value="success" selected>' in html
    html = login(cast.rep).get(reverse("feed:new_post") + "?kind=nonsense").content.decode()
    assert '<option value="practice" selected>' in html


def test_a_manager_sees_the_posts_of_their_people_still_without_a_reaction_from_them(
    cast: Cast, login: Any, at_noon: Any
) -> None:
    liked = post(cast.rep, body="Post aimé par le manager")
    commented = post(cast.teammate, body="Post commenté par le manager")
    congratulated = post(cast.rep, body="Post félicité par le manager")
    with _later(1):
        waiting_long = post(cast.rep, body="Premier post en attente")
    with _later(2):
        waiting = post(cast.teammate, body="Second post en attente")
        post(cast.rep_trade, body="Post d'une autre équipe")
    with _later(3):
        services.react(post=liked, person=cast.manager)
        services.comment_create(post=commented, author=cast.manager, body="Merci")
        services.congratulate(post=congratulated, by=cast.manager, message="Bravo")
        # Someone else's reaction does not answer for the manager.
        services.react(post=waiting, person=cast.director)
        html = _home(login(cast.manager))

    assert 'data-testid="home-team"' in html
    assert "2 publications des 30 derniers jours n’ont ni j’aime" in html
    assert html.index(waiting_long.get_absolute_url()) < html.index(waiting.get_absolute_url())
    for reacted in ("aimé", "commenté", "félicité", "autre équipe"):
        assert f"Post {reacted}" not in html.split('data-testid="home-team"')[1].split("</section>")[0]


def test_a_director_sees_the_posts_of_the_people_under_their_managers(cast: Cast, at_noon: Any) -> None:
    waiting = post(cast.rep)
    [team_part] = [p for p in parts_for(cast.director) if p["template"] == "feed/_home_team.html"]
    assert [p.pk for p in team_part["waiting"].items] == [waiting.pk]


def test_posts_older_than_a_month_no_longer_wait(cast: Cast, at_noon: Any) -> None:
    post(cast.rep)
    with _later(31):
        [team_part] = [p for p in parts_for(cast.manager) if p["template"] == "feed/_home_team.html"]
    assert team_part["waiting"].items == [] and team_part["waiting"].total == 0


def test_hq_sees_the_recommendations_awaiting_an_answer_oldest_first(
    cast: Cast, login: Any, at_noon: Any
) -> None:
    marketing = Team.objects.create(name="Marketing", unit=cast.units["hq"], manager=cast.admin)
    old = recommendations.recommendation_raise(
        post=post(cast.rep), by=cast.rep, title="Des stickers pour chaque machine", hq_team=marketing
    )
    with _later(1):
        reviewed = recommendations.recommendation_raise(
            post=post(cast.teammate), by=cast.teammate, title="Un présentoir plus petit", hq_team=marketing
        )
        recommendations.recommendation_move(
            recommendation=reviewed, by=cast.hq, to="under_review", answer="Vu"
        )
        answered = recommendations.recommendation_raise(
            post=post(cast.rep_trade), by=cast.rep_trade, title="Déjà adoptée", hq_team=marketing
        )
        recommendations.recommendation_move(recommendation=answered, by=cast.hq, to="adopted", answer="Oui")
    with _later(20):
        html = _home(login(cast.hq))

    assert 'data-testid="home-recommendations"' in html
    assert "2 recommandations attendent une réponse" in html
    assert html.index(old.title) < html.index(reviewed.title)
    assert "Déjà adoptée" not in html
    assert "late-flag" in html  # 20 days without an answer is past the configured delay
    assert 'data-testid="home-for-me"' not in html


def test_a_rep_gets_no_manager_or_hq_part(cast: Cast, at_noon: Any) -> None:
    assert [p["template"] for p in parts_for(cast.rep)] == ["feed/_home_for_me.html"]
    assert [p["template"] for p in parts_for(cast.manager)] == [
        "feed/_home_team.html",
        "feed/_home_for_me.html",
    ]


def _queries(client: Any) -> int:
    client.get(reverse("home"))  # warm-up: the first visit of the day is recorded once
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("home")).status_code == 200
    return len(captured)


@pytest.mark.parametrize("who", ["rep", "manager", "hq"])
def test_the_home_page_costs_the_same_with_few_or_many_posts(
    cast: Cast, login: Any, who: str, at_noon: Any, django_assert_max_num_queries: Any
) -> None:
    marketing = Team.objects.create(name="Marketing", unit=cast.units["hq"], manager=cast.admin)
    client = login(getattr(cast, who))

    def grow(n: int) -> None:
        for i in range(n):
            made = post(cast.rep if i % 2 else cast.teammate, body=f"Pratique {i}")
            recommendations.recommendation_raise(
                post=made, by=made.author, title=f"Idée {i}", hq_team=marketing
            )

    grow(2)
    few = _queries(client)
    grow(12)
    many = _queries(client)
    assert few == many
    with django_assert_max_num_queries(many):
        client.get(reverse("home"))
