"""Sessions and the header's unread badge take plain SQL on every page, and behave as Django's own."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from comptoir.core.bench import counting_queries
from comptoir.notifications.models import Notification
from comptoir.notifications.selectors import unread_count

pytestmark = pytest.mark.django_db


def test_a_signed_in_person_stays_signed_in_across_pages(cast, login):
    client = login(cast.rep)
    assert client.get("/notifications/").status_code == 200
    assert client.get("/notifications/").context["user"] == cast.rep


def test_an_expired_session_signs_the_person_out(cast, login):
    client = login(cast.rep)
    Session.objects.update(expire_date=timezone.now() - dt.timedelta(seconds=1))
    response = client.get("/notifications/")
    assert response.status_code == 302 and "/login" in response["Location"]


def test_a_forged_session_cookie_signs_nobody_in(cast, login):
    login(cast.rep)  # a real session exists
    client = Client()
    client.cookies["sessionid"] = "x" * 32
    assert client.get("/notifications/").status_code == 302


def test_a_session_costs_one_statement_and_a_too_short_key_none(cast, login):
    client = login(cast.rep)
    key = client.cookies["sessionid"].value
    from comptoir.core.sessions import SessionStore

    with counting_queries() as statements:
        assert SessionStore(key).load()["_auth_user_id"] == str(cast.rep.pk)
        assert SessionStore("short").load() == {}
    assert len(statements) == 1


def test_logging_out_ends_the_session_for_good(cast, login):
    client = login(cast.rep)
    stolen = client.cookies["sessionid"].value
    client.post("/logout/")
    thief = Client()
    thief.cookies["sessionid"] = stolen
    assert thief.get("/notifications/").status_code == 302


def test_the_unread_badge_counts_only_my_unread_notifications(cast):
    now = timezone.now()
    for read_at in (None, None, now):
        Notification.objects.create(recipient=cast.rep, kind="mention", title="t", created_at=now, read_at=read_at)
    Notification.objects.create(recipient=cast.manager, kind="mention", title="t", created_at=now)
    assert unread_count(cast.rep) == 2
    assert unread_count(cast.hq) == 0
