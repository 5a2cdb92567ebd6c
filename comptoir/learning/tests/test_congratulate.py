"""Congratulating a passed quiz in one tap: from the notification list and from the team's results,
by the taker's hierarchy or HQ only, once however many times the button is tapped."""

from __future__ import annotations

from typing import Any

from django.test import Client

from comptoir.learning import attempts
from comptoir.learning.models import Kudos
from comptoir.learning.tests.conftest import take
from comptoir.notifications.models import Notification


def _passed(cast: Any, make_quiz: Any, **fields: Any) -> Any:
    return take(attempts.attempt_start(quiz=make_quiz(**fields), user=cast.rep), right=4)


def test_the_notification_list_offers_a_congratulate_button_that_posts_to_the_attempt(
    cast: Any, make_quiz: Any, login: Any
) -> None:
    attempt = _passed(cast, make_quiz)
    html = login(cast.manager).get("/notifications/").content.decode()
    url = f"/quizzes/attempts/{attempt.pk}/congratulate/"
    assert f'<form method="post" action="{url}" class="one-tap">' in html
    assert 'data-testid="one-tap"' in html and "csrfmiddlewaretoken" in html
    # The rep's own notifications (none of this kind) carry no such button.
    assert 'data-testid="one-tap"' not in login(cast.rep).get("/notifications/").content.decode()


def test_one_tap_congratulates_with_the_default_message_and_returns_to_the_list(
    cast: Any, make_quiz: Any, login: Any
) -> None:
    attempt = _passed(cast, make_quiz)
    manager = login(cast.manager)
    response = manager.post(f"/quizzes/attempts/{attempt.pk}/congratulate/", {"next": "/notifications/"})
    assert response.status_code == 302 and response["Location"] == "/notifications/"
    kudos = Kudos.objects.get()
    assert (kudos.attempt_id, kudos.by_id) == (attempt.pk, cast.manager.pk)
    assert "Les machines à café" in kudos.message
    told = Notification.objects.get(recipient=cast.rep, kind="learning_congratulated")
    assert told.actor_id == cast.manager.pk


def test_a_second_tap_does_not_congratulate_twice(cast: Any, make_quiz: Any, login: Any) -> None:
    attempt = _passed(cast, make_quiz)
    manager = login(cast.manager)
    url = f"/quizzes/attempts/{attempt.pk}/congratulate/"
    manager.post(url, {"next": "/notifications/"})
    again = manager.post(url, {"next": "/notifications/"}, follow=True)
    assert again.status_code == 200
    assert "already congratulated" in again.content.decode() or "déjà félicité" in again.content.decode()
    assert Kudos.objects.count() == 1
    assert Notification.objects.filter(recipient=cast.rep, kind="learning_congratulated").count() == 1


def test_a_shared_pass_gets_the_real_feed_congratulation_in_one_tap(
    cast: Any, make_quiz: Any, login: Any
) -> None:
    from comptoir.feed.models import Congratulation

    attempt = _passed(cast, make_quiz)
    login(cast.rep).post(f"/quizzes/attempts/{attempt.pk}/share/")
    attempt.refresh_from_db()
    login(cast.director).post(f"/quizzes/attempts/{attempt.pk}/congratulate/", {"next": "/notifications/"})
    login(cast.director).post(f"/quizzes/attempts/{attempt.pk}/congratulate/", {"next": "/notifications/"})
    congratulation = Congratulation.objects.get()
    assert (congratulation.post_id, congratulation.by_id) == (attempt.shared_post_id, cast.director.pk)
    assert congratulation.from_hierarchy


def test_the_button_needs_the_csrf_token(cast: Any, make_quiz: Any) -> None:
    attempt = _passed(cast, make_quiz)
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.manager)
    assert client.post(f"/quizzes/attempts/{attempt.pk}/congratulate/").status_code == 403
    assert not Kudos.objects.exists()


def test_the_hierarchy_and_hq_may_congratulate_nobody_else(cast: Any, make_quiz: Any, login: Any) -> None:
    attempt = _passed(cast, make_quiz)
    url = f"/quizzes/attempts/{attempt.pk}/congratulate/"
    for stranger in (cast.teammate, cast.manager_trade, cast.rep, cast.kam, cast.outsider):
        assert login(stranger).post(url).status_code == 404
    assert not Kudos.objects.exists()
    for allowed in (cast.manager, cast.director, cast.hq):
        assert login(allowed).post(url).status_code == 302
    assert set(Kudos.objects.values_list("by_id", flat=True)) == {
        cast.manager.pk,
        cast.director.pk,
        cast.hq.pk,
    }


def test_a_next_address_elsewhere_is_ignored(cast: Any, make_quiz: Any, login: Any) -> None:
    attempt = _passed(cast, make_quiz)
    response = login(cast.manager).post(
        f"/quizzes/attempts/{attempt.pk}/congratulate/", {"next": "https://elsewhere.example/"}
    )
    assert response["Location"] == f"/quizzes/attempts/{attempt.pk}/congratulate/"


def test_the_teams_results_list_who_passed_with_one_tap_each(
    cast: Any, make_quiz: Any, login: Any, django_assert_max_num_queries: Any
) -> None:
    quiz = make_quiz()
    attempt = take(attempts.attempt_start(quiz=quiz, user=cast.rep), right=4)
    take(attempts.attempt_start(quiz=quiz, user=cast.teammate), right=4)
    manager = login(cast.manager)
    analytics_url = f"/quizzes/{quiz.pk}/analytics/"
    html = manager.get(analytics_url).content.decode()
    assert 'data-testid="passed-in-team"' in html and html.count('data-testid="one-tap"') == 2
    manager.post(f"/quizzes/attempts/{attempt.pk}/congratulate/", {"next": analytics_url})
    with django_assert_max_num_queries(24):
        html = manager.get(analytics_url).content.decode()
    assert html.count('data-testid="one-tap"') == 1 and 'data-testid="congratulated"' in html
    # Someone outside the team does not see this list.
    assert 'data-testid="passed-in-team"' not in login(cast.manager_trade).get(analytics_url).content.decode()


def test_the_team_passes_page_pages_with_a_cursor_and_refuses_the_others(
    cast: Any, make_quiz: Any, login: Any, django_assert_max_num_queries: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    quiz = make_quiz()
    take(attempts.attempt_start(quiz=quiz, user=cast.rep), right=4)
    manager = login(cast.manager)
    manager.get(f"/quizzes/{quiz.pk}/team-passes/")
    with CaptureQueriesContext(connection) as one:
        html = manager.get(f"/quizzes/{quiz.pk}/team-passes/").content.decode()
    assert cast.rep.full_name in html and 'data-testid="one-tap"' in html
    take(attempts.attempt_start(quiz=quiz, user=cast.teammate), right=4)
    with django_assert_max_num_queries(len(one)):  # one more person, not one more query
        html = manager.get(f"/quizzes/{quiz.pk}/team-passes/").content.decode()
    assert cast.teammate.full_name in html
    assert manager.get(f"/quizzes/{quiz.pk}/team-passes/", {"after": "garbage"}).status_code == 400
    assert login(cast.rep).get(f"/quizzes/{quiz.pk}/team-passes/").status_code == 403
