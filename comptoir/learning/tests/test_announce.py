"""Publishing a quiz tells the people of its audience, once: in the notification centre, and by e-mail
for those whose preferences ask for it. The task worker sends it in batches whose number of queries
does not grow with the audience."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from comptoir.learning import announcements, services
from comptoir.notifications.models import KindPreference, Notification
from comptoir.org.testing import make_person

KIND = "learning_quiz_published"


def _told(quiz: Any) -> set[int]:
    return set(
        Notification.objects.filter(kind=KIND, url=f"/quizzes/{quiz.pk}/").values_list(
            "recipient_id", flat=True
        )
    )


def test_a_team_quiz_tells_its_members_but_not_its_manager_nor_other_teams(
    cast: Any, make_quiz: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        quiz = make_quiz()
    assert _told(quiz) == {cast.rep.pk, cast.teammate.pk}
    notification = Notification.objects.get(kind=KIND, recipient=cast.rep)
    assert "Les machines à café" in notification.title and notification.actor_id == cast.manager.pk


def test_a_company_quiz_tells_every_active_person_but_its_author(
    cast: Any, make_quiz: Any, django_capture_on_commit_callbacks: Any
) -> None:
    cast.outsider.is_active = False
    cast.outsider.save()
    with django_capture_on_commit_callbacks(execute=True):
        quiz = make_quiz(author=cast.hq, audience="company", team=None)
    from comptoir.org.models import User

    expected = set(User.objects.filter(is_active=True).exclude(pk=cast.hq.pk).values_list("pk", flat=True))
    assert _told(quiz) == expected and cast.outsider.pk not in expected


def test_a_unit_and_a_region_quiz_tell_their_people_only(
    cast: Any, make_quiz: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        unit_quiz = make_quiz(author=cast.hq, audience="unit", unit=cast.units["trade"], team=None)
        region_quiz = make_quiz(author=cast.hq, audience="region", region=cast.regions["est"], team=None)
    assert _told(unit_quiz) == {cast.manager_trade.pk, cast.rep_trade.pk}
    assert _told(region_quiz) == {cast.manager_office.pk, cast.rep_office.pk, cast.outsider.pk}


def test_publishing_again_tells_nobody_twice(
    cast: Any, make_quiz: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        quiz = make_quiz()
        services.quiz_publish(quiz=quiz, actor=cast.manager, published=False)
        services.quiz_publish(quiz=quiz, actor=cast.manager)
    assert Notification.objects.filter(kind=KIND).count() == 2


def test_a_draft_tells_nobody(cast: Any, make_quiz: Any, django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        make_quiz(publish=False)
    assert not Notification.objects.filter(kind=KIND).exists()


def test_the_e_mail_follows_each_persons_preferences(
    cast: Any, make_quiz: Any, smtp_server: Any, django_capture_on_commit_callbacks: Any
) -> None:
    cast.teammate.email_notifications = False
    cast.teammate.save()
    KindPreference.objects.create(user=cast.rep_trade, kind=KIND, email=False)
    with django_capture_on_commit_callbacks(execute=True):
        make_quiz(author=cast.hq, audience="unit", unit=cast.units["horeca"], team=None)
        make_quiz(author=cast.hq, audience="unit", unit=cast.units["trade"], team=None, title="Le rayon thé")
    everyone_told = set(Notification.objects.filter(kind=KIND).values_list("recipient__email", flat=True))
    assert {
        cast.teammate.email,
        cast.rep_trade.email,
    } <= everyone_told  # in the notification centre all the same
    mailed = {message["To"] for message in smtp_server.wait_for(4)}
    assert mailed == {cast.rep.email, cast.manager.email, cast.director.email, cast.manager_trade.email}


def test_the_announcement_costs_the_same_queries_for_ten_or_forty_people(cast: Any, make_quiz: Any) -> None:
    def queries_for(extra: int) -> tuple[int, int]:
        team = type(cast.team).objects.create(
            name=f"Équipe {extra}", unit=cast.units["horeca"], manager=cast.manager
        )
        for _n in range(extra):
            make_person(role=cast.roles["rep"], unit=cast.units["horeca"], team=team)
        quiz = make_quiz(team=team, title=f"Quiz {extra}", publish=False)
        services.quiz_publish(quiz=quiz, actor=cast.manager, announce=False)
        with CaptureQueriesContext(connection) as captured:
            sent = announcements.quiz_announce(quiz)
        return sent, len(captured)

    small, large = queries_for(10), queries_for(40)
    assert (small[0], large[0]) == (10, 40)
    assert small[1] == large[1] <= 9  # one batch: cursor, audience, notifications, preferences, cursor moved


def test_a_large_audience_is_told_in_batches(cast: Any, make_quiz: Any) -> None:
    for _n in range(5):
        make_person(role=cast.roles["rep"], unit=cast.units["horeca"], team=cast.team)
    quiz = make_quiz(publish=False)
    services.quiz_publish(quiz=quiz, actor=cast.manager, announce=False)
    assert announcements.quiz_announce(quiz, batch=3) == 7
    assert Notification.objects.filter(kind=KIND).values("recipient").distinct().count() == 7


def test_a_quiz_published_before_it_opens_says_when(
    cast: Any, make_quiz: Any, django_capture_on_commit_callbacks: Any
) -> None:
    import datetime as dt

    from comptoir.core import clock

    with (
        clock.frozen(dt.datetime(2026, 3, 10, 9, 0, tzinfo=dt.UTC)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        make_quiz(opens_at=dt.datetime(2026, 3, 16, 7, 0, tzinfo=dt.UTC))
    body = Notification.objects.filter(kind=KIND).values_list("body", flat=True).first()
    assert body is not None and "16/03/2026" in body


def test_an_announcement_that_dies_mid_way_resumes_after_the_last_batch_it_committed(
    cast: Any, make_quiz: Any, monkeypatch: Any
) -> None:
    for _n in range(5):
        make_person(role=cast.roles["rep"], unit=cast.units["horeca"], team=cast.team)
    quiz = make_quiz(publish=False)
    services.quiz_publish(quiz=quiz, actor=cast.manager, announce=False)
    real_notify_many = announcements.notify_many
    rounds: list[int] = []

    def worker_dies_in_the_second_batch(**kwargs: Any) -> Any:
        rounds.append(len(kwargs["recipients"]))
        if len(rounds) == 2:
            real_notify_many(**kwargs)
            raise RuntimeError("the worker was killed")
        return real_notify_many(**kwargs)

    monkeypatch.setattr(announcements, "notify_many", worker_dies_in_the_second_batch)
    with pytest.raises(RuntimeError):
        announcements.quiz_announce(quiz, batch=3)
    assert len(rounds) == 2
    assert Notification.objects.filter(kind=KIND).count() == 3  # the dying batch rolled back

    monkeypatch.setattr(announcements, "notify_many", real_notify_many)
    assert announcements.quiz_announce(quiz, batch=3) == 4  # the retry tells only those left
    told = list(Notification.objects.filter(kind=KIND).values_list("recipient_id", flat=True))
    assert len(told) == len(set(told)) == 7
    assert announcements.quiz_announce(quiz, batch=3) == 0  # and a further retry tells nobody
