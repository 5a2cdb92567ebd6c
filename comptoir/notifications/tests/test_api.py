"""The notification centre through the API: the same inbox, count, marking read and preferences."""

import json

import pytest
from django.test import Client

from comptoir.api.models import ApiToken
from comptoir.notifications.models import KindPreference, Notification
from comptoir.notifications.services import notify


@pytest.fixture
def api_as():
    def make(user):
        _token, raw = ApiToken.issue(user=user, name="mobile")
        return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")

    return make


def test_a_person_lists_their_notifications_newest_first_in_keyset_pages(cast, api_as):
    for n in range(5):
        notify(recipient=cast.rep, kind="import_finished", title=f"Nouvelle {n}", url="/people/", email=False)
    notify(recipient=cast.teammate, kind="import_finished", title="Pas pour Léa", email=False)
    client = api_as(cast.rep)
    first = client.get("/api/notifications/inbox", {"size": 3}).json()
    assert [n["title"] for n in first["items"]] == ["Nouvelle 4", "Nouvelle 3", "Nouvelle 2"]
    rest = client.get("/api/notifications/inbox", {"size": 3, "cursor": first["next_cursor"]}).json()
    assert [n["title"] for n in rest["items"]] == ["Nouvelle 1", "Nouvelle 0"] and rest["next_cursor"] is None
    assert client.get("/api/notifications/inbox", {"cursor": "garbage"}).json()["error"]["code"] == "invalid_cursor"


def test_the_unread_count_and_marking_read(cast, api_as):
    mine = [notify(recipient=cast.rep, kind="import_finished", title=f"N{n}", email=False) for n in range(3)]
    theirs = notify(recipient=cast.teammate, kind="import_finished", title="Autre", email=False)
    client = api_as(cast.rep)
    assert client.get("/api/notifications/unread-count").json() == {"unread": 3}
    marked = client.post(
        "/api/notifications/read", json.dumps({"ids": [mine[0].pk, theirs.pk]}), content_type="application/json"
    )
    # Someone else's notification is never touched, whatever id is sent.
    assert marked.json() == {"marked": 1}
    assert Notification.objects.get(pk=theirs.pk).read_at is None
    assert [n["title"] for n in client.get("/api/notifications/inbox", {"unread": "true"}).json()["items"]] == ["N2", "N1"]
    assert client.post("/api/notifications/read", "{}", content_type="application/json").json() == {"marked": 2}
    assert client.get("/api/notifications/unread-count").json() == {"unread": 0}
    bad = client.post("/api/notifications/read", json.dumps({"ids": ["x"]}), content_type="application/json")
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "invalid_input"


def test_e_mail_preferences_are_read_and_saved(cast, api_as):
    client = api_as(cast.rep)
    initial = client.get("/api/notifications/preferences").json()
    assert initial["all_email"] is True and initial["kinds"]["import_finished"] is True
    saved = client.put(
        "/api/notifications/preferences",
        json.dumps({"all_email": False, "kinds": {"import_finished": False}}),
        content_type="application/json",
    )
    assert saved.status_code == 200 and saved.json()["all_email"] is False
    assert saved.json()["kinds"]["import_finished"] is False
    cast.rep.refresh_from_db()
    assert cast.rep.email_notifications is False
    assert KindPreference.objects.get(user=cast.rep, kind="import_finished").email is False
    unknown = client.put(
        "/api/notifications/preferences", json.dumps({"all_email": True, "kinds": {"weather": True}}), content_type="application/json"
    )
    assert unknown.status_code == 422 and unknown.json()["error"]["fields"][0]["field"] == "kinds.weather"
    cast.rep.refresh_from_db()
    assert cast.rep.email_notifications is False  # a refused request changes nothing


def test_the_inbox_costs_a_fixed_number_of_queries(cast, api_as, django_assert_max_num_queries):
    client = api_as(cast.rep)
    notify(recipient=cast.rep, kind="import_finished", title="Une", email=False)
    # 1 token (+ person + role), 1 last-used stamp, 1 page (+ actors).
    with django_assert_max_num_queries(3) as small:
        client.get("/api/notifications/inbox")
    for n in range(30):
        notify(recipient=cast.rep, kind="import_finished", title=f"N{n}", actor=cast.admin, email=False)
    with django_assert_max_num_queries(3) as large:
        client.get("/api/notifications/inbox")
    assert len(small.captured_queries) == len(large.captured_queries)


def test_the_api_needs_credentials(cast):
    assert Client().get("/api/notifications/inbox").status_code == 401
