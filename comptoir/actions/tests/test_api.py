"""The API: a rep's CRM reads and closes their actions with a token; same permissions as the pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from comptoir.actions.models import Action
from comptoir.api.models import ApiToken
from comptoir.core import clock

pytestmark = pytest.mark.django_db


def token_client(user: Any) -> Client:
    _token, raw = ApiToken.issue(user=user, name="CRM")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def test_a_crm_reads_and_closes_the_rep_s_actions(cast: Any, post_action: Any) -> None:
    action = post_action()
    crm = token_client(cast.rep)
    listing = crm.get("/api/actions/", {"view": "mine"})
    assert listing.status_code == 200
    assert [a["id"] for a in listing.json()["items"]] == [action.pk]
    refused = crm.post(
        f"/api/actions/{action.pk}/transition", {"to": "done", "note": ""}, content_type="application/json"
    )
    assert refused.status_code == 422 and refused.json()["error"]["code"] == "invalid_input"
    done = crm.post(
        f"/api/actions/{action.pk}/transition",
        {"to": "done", "note": "Rappelé"},
        content_type="application/json",
    )
    assert done.status_code == 200 and done.json()["status"] == "done"


def test_create_list_filter_comment(cast: Any, account: Any) -> None:
    agent = token_client(cast.agent)
    due = (clock.today() + dt.timedelta(days=2)).isoformat()
    created = agent.post(
        "/api/actions/",
        {
            "title": "Expliquer la remise",
            "kind": "promotion",
            "due_on": due,
            "assignee_id": cast.rep.pk,
            "account_id": account.pk,
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    bad = agent.post(
        "/api/actions/", {"title": "", "kind": "nope", "due_on": due}, content_type="application/json"
    )
    assert bad.status_code == 422
    bad = agent.post(
        "/api/actions/",
        {"title": "x", "kind": "visit", "due_on": "2000-01-01", "assignee_id": cast.rep.pk},
        content_type="application/json",
    )
    assert bad.status_code == 422 and {f["field"] for f in bad.json()["error"]["fields"]} == {"due_on"}
    assert Action.objects.count() == 1
    assert agent.get("/api/actions/", {"view": "all", "kind": "promotion"}).json()["items"][0]["id"] == pk
    assert agent.get("/api/actions/", {"view": "all", "status": "zzz"}).status_code == 422
    assert (
        agent.post(
            f"/api/actions/{pk}/comments", {"body": "Merci"}, content_type="application/json"
        ).status_code
        == 201
    )
    assert len(agent.get(f"/api/actions/{pk}/comments").json()) == 1
    months = agent.get("/api/actions/metrics", {"months": 2}).json()
    assert len(months) == 2 and {"detractors", "followed", "followed_pct"} <= set(months[-1])


def test_others_get_404_and_may_not_close(cast: Any, post_action: Any) -> None:
    action = post_action()
    assert token_client(cast.outsider).get(f"/api/actions/{action.pk}").status_code == 404
    manager = token_client(cast.manager)
    assert manager.get(f"/api/actions/{action.pk}").status_code == 200
    assert (
        manager.post(
            f"/api/actions/{action.pk}/transition",
            {"to": "done", "note": "x"},
            content_type="application/json",
        ).status_code
        == 403
    )
    assert token_client(cast.rep).get("/api/actions/metrics").status_code == 403
    assert Client().get("/api/actions/").status_code == 401


def test_api_list_runs_a_fixed_number_of_queries(
    cast: Any, post_action: Any, django_assert_max_num_queries: Any
) -> None:
    crm = token_client(cast.agent)
    post_action()
    with django_assert_max_num_queries(10) as few:
        crm.get("/api/actions/", {"view": "all"})
    for _i in range(20):
        post_action()
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(crm.get("/api/actions/", {"view": "all"}).json()["items"]) == 21
