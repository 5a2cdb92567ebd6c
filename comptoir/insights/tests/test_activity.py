"""Activity is recorded cheaply: a visit at most once per person and day, acts as other apps announce them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import Client

from comptoir.core import clock
from comptoir.core.signals import announce_activity
from comptoir.insights.models import ActivityEvent, DailyActivity
from comptoir.insights.tests.conftest import at


def test_a_visit_is_written_once_a_day_then_costs_no_query(
    cast: Any, login: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client: Client = login(cast.rep)
    with clock.frozen(at("2026-11-10", 9)):
        with django_capture_on_commit_callbacks(execute=True):
            client.get("/")
        assert (
            DailyActivity.objects.filter(user=cast.rep, day=dt.date(2026, 11, 10), visited=True).count() == 1
        )
        with django_capture_on_commit_callbacks(execute=True), CaptureQueriesContext(connection) as queries:
            client.get("/")
        assert not [q for q in queries.captured_queries if "insights_" in q["sql"]]
    with clock.frozen(at("2026-11-11", 9)), django_capture_on_commit_callbacks(execute=True):
        client.get("/")
    assert list(
        DailyActivity.objects.filter(user=cast.rep).values_list("day", flat=True).order_by("day")
    ) == [
        dt.date(2026, 11, 10),
        dt.date(2026, 11, 11),
    ]


def test_a_second_browser_the_same_day_does_not_write_again(
    cast: Any, login: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with clock.frozen(at("2026-11-10", 9)), django_capture_on_commit_callbacks(execute=True):
        login(cast.rep).get("/")
        phone = login(cast.rep)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            phone.get("/")
        assert not [q for q in queries.captured_queries if "insights_dailyactivity" in q["sql"]]


def test_inside_a_transaction_the_visit_waits_for_the_commit(
    cast: Any, login: Any, django_assert_num_queries: Any
) -> None:
    """What query-count tests elsewhere see: a test runs in a transaction that never commits, so the
    visit costs them nothing, first request included."""
    client: Client = login(cast.rep)
    client.get("/")
    assert not DailyActivity.objects.exists()


def test_anonymous_pages_record_nothing(db: Any) -> None:
    Client().get("/login/")
    assert not DailyActivity.objects.exists()


def test_announced_acts_are_counted_on_their_local_day_after_commit(
    cast: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        announce_activity(
            cast.rep.pk, "post", at("2026-11-10", 23), "post:1"
        )  # 23:00 in Paris, still the 10th
        announce_activity(cast.rep.pk, "comment", at("2026-11-10", 11), "comment:4")
        announce_activity(cast.rep.pk, "comment", at("2026-11-10", 12), "comment:5")
        announce_activity(cast.rep.pk, "quiz", at("2026-11-11", 12), "attempt:9")
        announce_activity(cast.rep.pk, "something_new", at("2026-11-11", 12), "")
    days = {d.day.isoformat(): d for d in DailyActivity.objects.filter(user=cast.rep)}
    assert (days["2026-11-10"].posts, days["2026-11-10"].comments, days["2026-11-10"].visited) == (
        1,
        2,
        False,
    )
    assert days["2026-11-11"].quizzes == 1
    assert ActivityEvent.objects.filter(user=cast.rep).count() == 4


def test_a_rolled_back_act_is_not_counted(cast: Any, django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        announce_activity(cast.rep.pk, "post", at("2026-11-10"), "post:1")
    assert len(callbacks) == 1  # waits for the commit; never run here, as after a rollback
    assert not DailyActivity.objects.exists()


def test_closing_an_action_counts_as_activity(cast: Any, django_capture_on_commit_callbacks: Any) -> None:
    from comptoir.actions import services
    from comptoir.actions.models import ActionKind
    from comptoir.actions.tests.conftest import ensure_kinds

    ensure_kinds()
    action = services.action_create(
        author=cast.agent,
        assignee=cast.rep,
        kind=ActionKind.objects.get(code="call_back"),
        title="Rappeler",
        due_on=clock.today(),
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.action_transition(action=action, actor=cast.rep, to="done", note="Client rappelé.")
    assert DailyActivity.objects.get(user=cast.rep).actions_closed == 1
