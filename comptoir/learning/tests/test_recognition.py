"""Badges on the profile and next to posts, the manager's congratulation from the notification."""

from __future__ import annotations

from typing import Any

from comptoir.core.badges import PostRef, badges_for_posts
from comptoir.learning import attempts
from comptoir.learning.models import Kudos
from comptoir.learning.tests.conftest import take
from comptoir.notifications.models import Notification


def test_the_badge_shows_on_the_profile(cast: Any, make_quiz: Any, login: Any) -> None:
    take(attempts.attempt_start(quiz=make_quiz(), user=cast.rep), right=4)
    html = login(cast.outsider).get(f"/people/{cast.rep.pk}/").content.decode()
    assert 'data-testid="expertise-badges"' in html and "Machines à café" in html
    assert (
        'data-testid="expertise-badges"'
        not in login(cast.rep).get(f"/people/{cast.teammate.pk}/").content.decode()
    )


def test_badges_next_to_posts_on_their_topic_in_one_query(
    cast: Any, make_quiz: Any, topic: Any, django_assert_num_queries: Any
) -> None:
    take(attempts.attempt_start(quiz=make_quiz(), user=cast.rep), right=4)
    posts = [
        PostRef(post_id=1, author_id=cast.rep.pk, topic_ids=(topic.pk,)),
        PostRef(post_id=2, author_id=cast.rep.pk, topic_ids=(topic.pk + 100,)),
        PostRef(post_id=3, author_id=cast.teammate.pk, topic_ids=(topic.pk,)),
    ]
    with django_assert_num_queries(1):
        found = badges_for_posts(posts)
    assert list(found) == [1]
    assert "Coffee machines" in found[1][0].label and found[1][0].level == 2


def test_the_manager_congratulates_from_the_notification_in_one_tap(
    cast: Any, make_quiz: Any, login: Any
) -> None:
    attempt = take(attempts.attempt_start(quiz=make_quiz(), user=cast.rep), right=4)
    notification = Notification.objects.get(recipient=cast.manager, kind="learning_team_pass")
    manager = login(cast.manager)
    page = manager.get(notification.url)
    assert page.status_code == 200 and 'data-testid="congratulate"' in page.content.decode()
    assert manager.post(notification.url, {"message": "Bravo Léa !"}).status_code == 302
    kudos = Kudos.objects.get()
    assert (kudos.attempt_id, kudos.by_id, kudos.message) == (attempt.pk, cast.manager.pk, "Bravo Léa !")
    assert Notification.objects.filter(recipient=cast.rep, kind="learning_congratulated").exists()
    assert "Bravo Léa" in login(cast.rep).get(f"/quizzes/attempts/{attempt.pk}/result/").content.decode()
    manager.post(notification.url, {"message": "Encore"})
    assert Kudos.objects.count() == 1


def test_only_the_takers_managers_may_congratulate(cast: Any, make_quiz: Any, login: Any) -> None:
    attempt = take(attempts.attempt_start(quiz=make_quiz(), user=cast.rep), right=4)
    for person in (cast.teammate, cast.manager_trade, cast.rep):
        assert login(person).post(f"/quizzes/attempts/{attempt.pk}/congratulate/").status_code == 404
    failed = take(
        attempts.attempt_start(quiz=make_quiz(title="Autre", pass_mark=100), user=cast.teammate), right=1
    )
    assert login(cast.manager).get(f"/quizzes/attempts/{failed.pk}/congratulate/").status_code == 404


def test_sharing_is_never_automatic(cast: Any, make_quiz: Any) -> None:
    attempt = take(attempts.attempt_start(quiz=make_quiz(), user=cast.rep), right=4)
    assert attempt.shared_post_id is None


def test_the_taker_shares_a_pass_and_the_managers_congratulation_shows_on_the_feed(
    cast: Any, make_quiz: Any, login: Any
) -> None:
    from comptoir.feed.models import Congratulation, Post

    attempt = take(attempts.attempt_start(quiz=make_quiz(), user=cast.rep), right=4)
    assert login(cast.teammate).post(f"/quizzes/attempts/{attempt.pk}/share/").status_code == 404
    response = login(cast.rep).post(f"/quizzes/attempts/{attempt.pk}/share/", {"message": "Merci l'équipe !"})
    assert response.status_code == 302
    post = Post.objects.get()
    assert (post.kind, post.author_id) == ("success", cast.rep.pk)
    assert "Merci l'équipe !" in post.body and "Les machines à café" in post.body
    assert list(post.topics.values_list("slug", flat=True)) == ["coffee-machines"]
    login(cast.rep).post(f"/quizzes/attempts/{attempt.pk}/share/")
    assert Post.objects.count() == 1  # shared once
    login(cast.manager).post(f"/quizzes/attempts/{attempt.pk}/congratulate/", {"message": "Bravo !"})
    congratulation = Congratulation.objects.get()
    assert (congratulation.post_id, congratulation.by_id, congratulation.message) == (
        post.pk,
        cast.manager.pk,
        "Bravo !",
    )
    assert congratulation.from_hierarchy
    assert not Notification.objects.filter(kind="learning_congratulated").exists()  # the feed told her


def test_a_congratulation_given_before_sharing_reaches_the_feed_with_the_post(
    cast: Any, make_quiz: Any, login: Any
) -> None:
    from comptoir.feed.models import Congratulation

    attempt = take(attempts.attempt_start(quiz=make_quiz(), user=cast.rep), right=4)
    login(cast.manager).post(f"/quizzes/attempts/{attempt.pk}/congratulate/", {"message": "Bravo !"})
    assert not Congratulation.objects.exists()
    login(cast.rep).post(f"/quizzes/attempts/{attempt.pk}/share/")
    assert Congratulation.objects.get().by_id == cast.manager.pk
    assert Kudos.objects.get().forwarded


def test_a_failed_attempt_cannot_be_shared(cast: Any, make_quiz: Any, login: Any) -> None:
    from comptoir.feed.models import Post

    attempt = take(attempts.attempt_start(quiz=make_quiz(pass_mark=100), user=cast.rep), right=1)
    login(cast.rep).post(f"/quizzes/attempts/{attempt.pk}/share/")
    assert not Post.objects.exists()
