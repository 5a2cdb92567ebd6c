"""Each page costs a fixed number of queries, whatever the data and the page number."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from comptoir.feed import services
from comptoir.feed.selectors import feed_page
from comptoir.feed.tests.factories import jpeg_bytes, post, topic
from comptoir.org.testing import Cast, make_person


def _busy_feed(cast: Cast, posts: int) -> list[Any]:
    demo = topic()
    made = []
    for n in range(posts):
        created = post(
            cast.rep if n % 2 else cast.teammate,
            body=f"Pratique {n} @teammate",
            topics=[demo],
            photos=[jpeg_bytes()] if n % 5 == 0 else [],
        )
        services.react(post=created, person=cast.manager)
        services.comment_create(post=created, author=cast.director, body="Bravo")
        services.congratulate(post=created, by=cast.director, message="Félicitations")
        made.append(created)
    return made


def _count(client: Any, url: str, django_assert_max_num_queries: Any) -> int:
    client.get(url)  # warm-up: the insights app records the first visit of the day
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("name", ["feed:home", "feed:all", "feed:window"])
def test_feed_pages_cost_the_same_with_5_or_30_posts_and_at_most_10(
    cast: Cast, login: Any, name: str, django_assert_max_num_queries: Any
) -> None:
    client = login(cast.hq if name == "feed:window" else cast.rep)
    _busy_feed(cast, 5)
    few = _count(client, reverse(name), django_assert_max_num_queries)
    _busy_feed(cast, 25)
    many = _count(client, reverse(name), django_assert_max_num_queries)
    assert few == many
    assert many <= 10


def test_page_two_costs_what_page_one_costs(
    cast: Cast, login: Any, django_assert_max_num_queries: Any
) -> None:
    _busy_feed(cast, 45)
    client = login(cast.rep)
    first = _count(client, reverse("feed:all"), django_assert_max_num_queries)
    page = feed_page(cast.rep, feed="all")
    page2 = feed_page(cast.rep, feed="all", cursor=page.next_cursor)
    third = _count(client, reverse("feed:all") + f"?after={page2.next_cursor}", django_assert_max_num_queries)
    assert first == third


def test_a_post_page_costs_the_same_with_1_or_20_comments(
    cast: Cast, login: Any, django_assert_max_num_queries: Any
) -> None:
    created = _busy_feed(cast, 1)[0]
    client = login(cast.teammate)
    few = _count(client, created.get_absolute_url(), django_assert_max_num_queries)
    for n in range(20):
        services.comment_create(post=created, author=cast.manager, body=f"Commentaire {n}")
        # One congratulation per person: twenty colleagues give one each.
        colleague = make_person(role=cast.roles["rep"], team=cast.team)
        services.congratulate(post=created, by=colleague, message="Bravo")
    services.mark_read(post=created, person=cast.manager)
    many = _count(client, created.get_absolute_url(), django_assert_max_num_queries)
    assert few == many
    assert many <= 10


def test_search_costs_a_fixed_number_of_queries(
    cast: Cast, login: Any, django_assert_max_num_queries: Any
) -> None:
    _busy_feed(cast, 3)
    client = login(cast.rep)
    few = _count(client, reverse("feed:search") + "?q=pratique", django_assert_max_num_queries)
    _busy_feed(cast, 25)
    many = _count(client, reverse("feed:search") + "?q=pratique", django_assert_max_num_queries)
    assert few == many <= 10


def test_for_me_seen_again_costs_five_queries_whatever_the_number_of_posts(
    cast: Cast, login: Any, django_assert_num_queries: Any
) -> None:
    client = login(cast.rep)
    for posts in (5, 25):
        _busy_feed(cast, posts)
        client.get(reverse("feed:home"))  # the cards are rendered and kept, the posts recorded as seen
        # The session, the person, the page (with the viewer's likes and reads), the authors'
        # badges, the unread notifications of the header: no photo, congratulation or read write.
        with django_assert_num_queries(5):
            assert client.get(reverse("feed:home")).status_code == 200
