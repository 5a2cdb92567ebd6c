from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from comptoir.api.models import ApiToken

from .conftest import START

pytestmark = pytest.mark.django_db


def token_client(user: Any) -> Client:
    _token, raw = ApiToken.issue(user=user, name="BI")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def test_projects_through_the_api(cast: Any, delivery: Any, answers: Any) -> None:
    answers(delivery, START - dt.timedelta(days=10), promoters=10, passives=5, detractors=15)
    answers(delivery, START + dt.timedelta(days=10), promoters=20, passives=5, detractors=5)
    rep = token_client(cast.rep)
    created = rep.post(
        "/api/projects/",
        {
            "title": "Créneaux",
            "problem": "Hors créneau",
            "status": "running",
            "started_on": START.isoformat(),
            "baseline_days": 60,
            "step_codes": ["delivery"],
            "facilitator_id": cast.director.pk,
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["step_codes"] == ["delivery"]
    assert body["effect"]["change"]["significant"] is True
    pk = body["id"]
    assert (
        rep.post(
            "/api/projects/",
            {"title": "x", "problem": "y", "step_codes": ["nope"]},
            content_type="application/json",
        ).status_code
        == 422
    )
    other = token_client(cast.outsider)
    assert other.get(f"/api/projects/{pk}").status_code == 200
    assert (
        other.patch(f"/api/projects/{pk}", {"title": "Pris"}, content_type="application/json").status_code
        == 403
    )
    assert (
        rep.patch(
            f"/api/projects/{pk}",
            {"status": "done", "ended_on": "2026-09-01"},
            content_type="application/json",
        ).status_code
        == 200
    )
    assert (
        token_client(cast.director)
        .post(f"/api/projects/{pk}/comments", {"body": "Bravo"}, content_type="application/json")
        .status_code
        == 201
    )
    assert len(rep.get("/api/projects/").json()["items"]) == 1


def test_milestones_links_and_comments_through_the_api(cast: Any) -> None:
    rep = token_client(cast.rep)
    pk = rep.post(
        "/api/projects/",
        {"title": "Remise immédiate", "problem": "Dossiers papier"},
        content_type="application/json",
    ).json()["id"]
    due = (START + dt.timedelta(days=30)).isoformat()
    milestone = rep.post(
        f"/api/projects/{pk}/milestones", {"title": "Pilote", "due_on": due}, content_type="application/json"
    )
    assert milestone.status_code == 201, milestone.content
    done = rep.post(f"/api/projects/{pk}/milestones/{milestone.json()['id']}/done")
    assert done.status_code == 200 and done.json()["done_on"] is not None
    link = rep.post(
        f"/api/projects/{pk}/links",
        {"kind": "verbatim", "label": "Verbatims remise", "url": "/voice/verbatims/"},
        content_type="application/json",
    )
    assert link.status_code == 201
    bad = rep.post(
        f"/api/projects/{pk}/links",
        {"kind": "verbatim", "label": "x", "url": "javascript:alert(1)"},
        content_type="application/json",
    )
    assert bad.status_code == 422 and {f["field"] for f in bad.json()["error"]["fields"]} == {"url"}
    other = token_client(cast.outsider)
    assert (
        other.post(
            f"/api/projects/{pk}/milestones",
            {"title": "Pris", "due_on": due},
            content_type="application/json",
        ).status_code
        == 403
    )
    assert (
        other.post(
            f"/api/projects/{pk}/links",
            {"kind": "other", "label": "x", "url": "/feed/"},
            content_type="application/json",
        ).status_code
        == 403
    )
    detail = rep.get(f"/api/projects/{pk}").json()
    assert [m["title"] for m in detail["milestones"]] == ["Pilote"] and [
        li["label"] for li in detail["links"]
    ] == ["Verbatims remise"]
    rep.post(f"/api/projects/{pk}/comments", {"body": "On lance"}, content_type="application/json")
    assert [c["body"] for c in other.get(f"/api/projects/{pk}/comments").json()] == ["On lance"]
