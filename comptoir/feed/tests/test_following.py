"""What I follow: the page, following and unfollowing from it, from a profile and from a topic, the
same in the API, and the suggestions to start from."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from comptoir.core.models import PracticeTopic
from comptoir.feed import services
from comptoir.feed.models import PersonFollow, TopicFollow
from comptoir.feed.tests.factories import topic
from comptoir.org.testing import Cast, make_person


@pytest.fixture
def topics(db: Any) -> dict[str, PracticeTopic]:
    return {
        "demo": topic("Démonstration petit-déjeuner", "demo-petit-dejeuner"),
        "stickers": topic("Stickers", "stickers"),
        "old": PracticeTopic.objects.create(name="Ancien sujet", slug="ancien", active=False),
    }


def _page(client: Any) -> str:
    response = client.get(reverse("feed:following"))
    assert response.status_code == 200
    return response.content.decode()


def _section(html: str, testid: str) -> str:
    return html.split(f'data-testid="{testid}"')[1].split("</ul>")[0]


def test_the_page_lists_whom_and_what_i_follow_and_suggests_my_team_my_manager_and_the_topics(
    cast: Cast, login: Any, topics: dict[str, PracticeTopic]
) -> None:
    services.follow_person(follower=cast.rep, followed=cast.rep_trade)
    services.follow_topic(follower=cast.rep, topic=topics["stickers"])

    html = _page(login(cast.rep))

    assert cast.rep_trade.full_name in _section(html, "followed-people")
    assert "Stickers" in _section(html, "followed-topics")
    suggested = _section(html, "suggested-people")
    assert cast.manager.full_name in suggested and cast.teammate.full_name in suggested
    assert cast.rep.full_name not in suggested and cast.rep_office.full_name not in suggested
    suggested_topics = _section(html, "suggested-topics")
    assert "Démonstration petit-déjeuner" in suggested_topics
    assert "Stickers" not in suggested_topics and "Ancien sujet" not in suggested_topics


def test_someone_i_already_follow_is_no_longer_suggested(cast: Cast, login: Any) -> None:
    services.follow_person(follower=cast.rep, followed=cast.manager)
    suggested = _section(_page(login(cast.rep)), "suggested-people")
    assert cast.manager.full_name not in suggested and cast.teammate.full_name in suggested


def test_a_manager_is_offered_the_people_of_the_team_they_manage(cast: Cast, login: Any) -> None:
    suggested = _section(_page(login(cast.manager)), "suggested-people")
    assert cast.rep.full_name in suggested and cast.teammate.full_name in suggested
    assert cast.director.full_name in suggested  # their own manager


def test_follow_and_unfollow_from_the_page_come_back_to_it(
    cast: Cast, login: Any, topics: dict[str, PracticeTopic]
) -> None:
    client = login(cast.rep)
    here = reverse("feed:following")

    response = client.post(reverse("feed:follow", args=[cast.teammate.pk]), {"next": here})
    assert response.status_code == 302 and response["Location"] == here
    response = client.post(reverse("feed:follow_topic", args=[topics["demo"].pk]), {"next": here})
    assert response["Location"] == here
    assert PersonFollow.objects.filter(follower=cast.rep, followed=cast.teammate).exists()
    assert TopicFollow.objects.filter(follower=cast.rep, topic=topics["demo"]).exists()

    client.post(reverse("feed:follow", args=[cast.teammate.pk]), {"next": here, "undo": "1"})
    client.post(reverse("feed:follow_topic", args=[topics["demo"].pk]), {"next": here, "undo": "1"})
    assert not PersonFollow.objects.filter(follower=cast.rep).exists()
    assert not TopicFollow.objects.filter(follower=cast.rep).exists()


def test_a_foreign_next_address_is_ignored(cast: Cast, login: Any) -> None:
    response = login(cast.rep).post(
        reverse("feed:follow", args=[cast.teammate.pk]), {"next": "https://elsewhere.example/"}
    )
    assert response["Location"] == reverse("feed:person", args=[cast.teammate.pk])


def test_following_oneself_is_refused_with_a_message_and_changes_nothing(cast: Cast, login: Any) -> None:
    client = login(cast.rep)
    response = client.post(reverse("feed:follow", args=[cast.rep.pk]), follow=True)
    assert "Vous ne pouvez pas vous suivre vous-même." in response.content.decode()
    assert not PersonFollow.objects.exists()


def test_following_someone_unknown_or_an_unknown_topic_is_a_404(cast: Cast, login: Any) -> None:
    client = login(cast.rep)
    assert client.post(reverse("feed:follow", args=[999_999])).status_code == 404
    assert client.post(reverse("feed:follow_topic", args=[999_999])).status_code == 404
    assert not PersonFollow.objects.exists() and not TopicFollow.objects.exists()


def test_follow_exists_on_the_authors_page_and_on_a_topics_feed(
    cast: Cast, login: Any, topics: dict[str, PracticeTopic]
) -> None:
    client = login(cast.rep)
    person_page = client.get(reverse("feed:person", args=[cast.teammate.pk])).content.decode()
    assert f'action="{reverse("feed:follow", args=[cast.teammate.pk])}"' in person_page
    topic_page = client.get(reverse("feed:all") + f"?topic={topics['demo'].pk}").content.decode()
    assert f'action="{reverse("feed:follow_topic", args=[topics["demo"].pk])}"' in topic_page


def test_the_menu_leads_to_the_page(cast: Cast, login: Any) -> None:
    html = login(cast.rep).get(reverse("home")).content.decode()
    assert f'href="{reverse("feed:following")}"' in html


def test_the_page_costs_the_same_whatever_the_number_of_follows(
    cast: Cast, login: Any, topics: dict[str, PracticeTopic], django_assert_max_num_queries: Any
) -> None:
    client = login(cast.rep)
    _page(client)  # warm-up: the first visit of the day is recorded once

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            _page(client)
        return len(captured)

    services.follow_person(follower=cast.rep, followed=cast.teammate)
    few = count()
    for _n in range(12):
        services.follow_person(
            follower=cast.rep, followed=make_person(role=cast.roles["rep"], team=cast.team)
        )
    services.follow_topic(follower=cast.rep, topic=topics["demo"])
    services.follow_topic(follower=cast.rep, topic=topics["stickers"])
    assert count() == few
    with django_assert_max_num_queries(few):
        _page(client)


def test_long_lists_of_people_followed_come_in_pages(cast: Cast, login: Any) -> None:
    people = [make_person(role=cast.roles["rep"]) for _n in range(3)]
    for person in people:
        services.follow_person(follower=cast.rep, followed=person)
    from comptoir.feed.following import people_followed

    first = people_followed(cast.rep, size=2)
    second = people_followed(cast.rep, cursor=first.next_cursor, size=2)
    assert [f.followed_id for f in first.items + second.items] == [p.pk for p in reversed(people)]
    assert second.next_cursor is None
    client = login(cast.rep)
    assert client.get(reverse("feed:following") + "?after=garbage").status_code == 400


# --- The API --------------------------------------------------------------------------------------


def test_the_api_follows_and_unfollows_people_and_topics(
    cast: Cast, login: Any, topics: dict[str, PracticeTopic]
) -> None:
    client = login(cast.rep)
    assert client.put(f"/api/feed/follows/people/{cast.teammate.pk}").status_code == 204
    assert client.put(f"/api/feed/follows/people/{cast.teammate.pk}").status_code == 204  # twice: harmless
    assert client.put(f"/api/feed/follows/topics/{topics['demo'].pk}").status_code == 204

    people = client.get("/api/feed/follows/people").json()
    assert people == {
        "items": [{"id": cast.teammate.pk, "name": cast.teammate.full_name, "team": cast.team.name}],
        "next_cursor": None,
    }
    assert client.get("/api/feed/follows/topics").json() == [
        {"id": topics["demo"].pk, "name": "Démonstration petit-déjeuner"}
    ]
    suggestions = client.get("/api/feed/follows/suggestions").json()
    assert [p["id"] for p in suggestions["people"]] == [cast.manager.pk]
    assert [t["name"] for t in suggestions["topics"]] == ["Stickers"]

    assert client.delete(f"/api/feed/follows/people/{cast.teammate.pk}").status_code == 204
    assert client.delete(f"/api/feed/follows/topics/{topics['demo'].pk}").status_code == 204
    assert not PersonFollow.objects.exists() and not TopicFollow.objects.exists()


def test_the_api_refuses_bad_follows_with_a_machine_readable_error(cast: Cast, login: Any) -> None:
    client = login(cast.rep)
    response = client.put(f"/api/feed/follows/people/{cast.rep.pk}")
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_input"
    assert client.put("/api/feed/follows/people/999999").json()["error"]["code"] == "not_found"
    assert client.put("/api/feed/follows/topics/999999").status_code == 404
    assert client.get("/api/feed/follows/people?size=0").status_code == 422
    assert client.get("/api/feed/follows/people?cursor=garbage").status_code == 400
    assert not PersonFollow.objects.exists()


def test_the_api_needs_a_login(db: Any) -> None:
    from django.test import Client

    response = Client().get("/api/feed/follows/people")
    assert response.status_code == 401
    assert json.loads(response.content)["error"]["code"] == "unauthenticated"


# --- From a person's profile (the directory's page) ------------------------------------------------


def _profile(client: Any, person: Any) -> str:
    response = client.get(reverse("org:profile", args=[person.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_a_profile_offers_to_follow_the_person_and_comes_back_to_it(cast: Cast, login: Any) -> None:
    client = login(cast.rep)
    here = reverse("org:profile", args=[cast.teammate.pk])
    html = _profile(client, cast.teammate)
    assert f'action="{reverse("feed:follow", args=[cast.teammate.pk])}"' in html
    assert f'name="next" value="{here}"' in html and 'data-testid="follow"' in html
    assert "csrfmiddlewaretoken" in html.split('class="inline follow-person"')[1].split("</form>")[0]

    response = client.post(reverse("feed:follow", args=[cast.teammate.pk]), {"next": here})
    assert response.status_code == 302 and response["Location"] == here
    assert PersonFollow.objects.filter(follower=cast.rep, followed=cast.teammate).count() == 1
    html = _profile(client, cast.teammate)
    assert "Vous suivez cette personne" in html and 'data-testid="unfollow"' in html

    response = client.post(reverse("feed:follow", args=[cast.teammate.pk]), {"next": here, "undo": "1"})
    assert response["Location"] == here
    assert not PersonFollow.objects.filter(follower=cast.rep).exists()
    assert 'data-testid="follow"' in _profile(client, cast.teammate)


def test_following_from_a_profile_twice_follows_once_and_unfollowing_twice_is_harmless(
    cast: Cast, login: Any
) -> None:
    client = login(cast.rep)
    for _twice in range(2):
        client.post(reverse("feed:follow", args=[cast.teammate.pk]))
    assert PersonFollow.objects.filter(follower=cast.rep, followed=cast.teammate).count() == 1
    for _twice in range(2):
        response = client.post(reverse("feed:follow", args=[cast.teammate.pk]), {"undo": "1"})
        assert response.status_code == 302
    assert not PersonFollow.objects.exists()


def test_following_from_a_profile_feeds_my_for_me(cast: Cast, login: Any) -> None:
    from comptoir.feed.selectors import feed_queryset
    from comptoir.feed.tests.factories import post

    theirs = post(cast.outsider, body="Une réussite ailleurs")
    assert not feed_queryset(cast.rep, feed="for_me").filter(pk=theirs.pk).exists()
    login(cast.rep).post(reverse("feed:follow", args=[cast.outsider.pk]))
    assert feed_queryset(cast.rep, feed="for_me").filter(pk=theirs.pk).exists()


def test_my_own_profile_has_no_follow_button(cast: Cast, login: Any) -> None:
    html = _profile(login(cast.rep), cast.rep)
    assert reverse("feed:follow", args=[cast.rep.pk]) not in html


def test_the_follow_button_speaks_english_to_who_chose_it(cast: Cast, login: Any) -> None:
    client = login(cast.rep)
    client.post("/i18n/setlang/", {"language": "en", "next": "/people/"})
    assert "Follow</button>" in _profile(client, cast.teammate)
    services.follow_person(follower=cast.rep, followed=cast.teammate)
    html = _profile(client, cast.teammate)
    assert "You follow this person" in html and "Stop following</button>" in html


def test_following_needs_a_post_with_the_csrf_token(cast: Cast) -> None:
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.rep)
    assert client.get(reverse("feed:follow", args=[cast.teammate.pk])).status_code == 405
    assert client.post(reverse("feed:follow", args=[cast.teammate.pk])).status_code == 403
    assert not PersonFollow.objects.exists()


def test_someone_who_left_cannot_be_followed_and_an_admin_sees_no_button_for_them(
    cast: Cast, login: Any
) -> None:
    gone = make_person(role=cast.roles["rep"], team=cast.team, is_active=False)
    client = login(cast.rep)
    assert client.get(reverse("org:profile", args=[gone.pk])).status_code == 404
    assert client.post(reverse("feed:follow", args=[gone.pk])).status_code == 404
    assert not PersonFollow.objects.exists()
    # The admin sees people who left in the directory: nothing to follow there.
    assert reverse("feed:follow", args=[gone.pk]) not in _profile(login(cast.admin), gone)
