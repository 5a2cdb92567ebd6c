"""The customer's voice in the JSON API: the same services, permissions and messages as the pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import Client

from comptoir.core import clock
from comptoir.voice.models import Invitation, Response, Survey

from .conftest import World, invite, make_contact
from .factories import answer, many

JSON = "application/json"


def test_customer_relations_creates_a_survey_and_invites_contacts(world: World, login: Any) -> None:
    client = login(world.cast.agent)
    created = client.post(
        "/api/voice/surveys",
        {"name": "Après installation", "kind": "transactional", "step": "installation", "status": "active"},
        content_type=JSON,
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["status"] == "active" and body["nps_question_en"].startswith("How likely")
    assert body["ces_question"]  # the step's effort phrase
    no_step = client.post(
        "/api/voice/surveys", {"name": "Sans étape", "kind": "transactional"}, content_type=JSON
    )
    assert no_step.status_code == 422 and no_step.json()["error"]["code"] == "invalid_input"
    unknown_step = client.post(
        "/api/voice/surveys", {"name": "X", "kind": "transactional", "step": "teleport"}, content_type=JSON
    )
    assert unknown_step.status_code == 422
    refused = make_contact(world.account, consent=False)
    invited = client.post(
        f"/api/voice/surveys/{body['id']}/invitations",
        {"contact_ids": [world.contact.pk, refused.pk]},
        content_type=JSON,
    )
    assert invited.json() == {"invited": 1, "no_consent": 1, "unsubscribed": 0, "no_email": 0, "throttled": 0}
    # Invitations never show their tokens outside the e-mail.
    assert "token" not in invited.text
    assert client.get("/api/voice/surveys").json()[0]["name"] == "Après installation"


def test_inviting_to_a_draft_survey_is_refused_and_changes_nothing(world: World, login: Any) -> None:
    client = login(world.cast.agent)
    draft = client.post("/api/voice/surveys", {"name": "Brouillon"}, content_type=JSON).json()
    refused = client.post(
        f"/api/voice/surveys/{draft['id']}/invitations",
        {"contact_ids": [world.contact.pk]},
        content_type=JSON,
    )
    assert refused.status_code == 422 and not Invitation.objects.exists()


def test_an_event_triggers_the_transactional_survey_and_a_replay_changes_nothing(
    world: World, login: Any
) -> None:
    world.account.external_id = "CRM-9"
    world.account.save()
    client = login(world.cast.agent)
    payload = {
        "account_external_id": "CRM-9",
        "step": "delivery",
        "occurred_on": "2026-03-02",
        "external_ref": "BL-1",
    }
    first = client.post("/api/voice/events", payload, content_type=JSON)
    assert first.status_code == 200 and first.json()["invited"] == 2 and not first.json()["replayed"]
    again = client.post("/api/voice/events", payload, content_type=JSON)
    assert again.json()["replayed"] and Invitation.objects.count() == 2
    assert client.post("/api/voice/events", {**payload, "step": "nope"}, content_type=JSON).status_code == 422
    assert (
        client.post(
            "/api/voice/events", {**payload, "account_external_id": "X"}, content_type=JSON
        ).status_code
        == 404
    )
    no_account = {k: v for k, v in payload.items() if k != "account_external_id"}
    assert client.post("/api/voice/events", no_account, content_type=JSON).status_code == 422
    assert (
        client.post("/api/voice/events", {**payload, "occurred_on": "hier"}, content_type=JSON).status_code
        == 422
    )
    assert login(world.cast.rep).post("/api/voice/events", payload, content_type=JSON).status_code == 403


def test_a_contact_submits_through_the_api_once_without_logging_in(world: World) -> None:
    invitation = invite(world)
    api = Client(enforce_csrf_checks=True)
    bad = api.post("/api/voice/responses/submit", {"token": invitation.token, "nps": 11}, content_type=JSON)
    assert bad.status_code == 422 and bad.json()["error"]["fields"][0]["field"] == "nps"
    missing = api.post("/api/voice/responses/submit", {"token": invitation.token}, content_type=JSON)
    assert missing.status_code == 422
    long = api.post(
        "/api/voice/responses/submit",
        {"token": invitation.token, "nps": 5, "comment": "x" * 2001},
        content_type=JSON,
    )
    assert long.status_code == 422 and not Response.objects.exists()
    ok = api.post(
        "/api/voice/responses/submit",
        {"token": invitation.token, "nps": 9, "ces": 6, "extra": {"nps": "0"}},
        content_type=JSON,
    )
    assert ok.status_code == 201, ok.content
    assert ok.json()["nps"] == 9 and ok.json()["source"] == "api"  # `extra` cannot override a score
    replay = api.post("/api/voice/responses/submit", {"token": invitation.token, "nps": 1}, content_type=JSON)
    assert replay.status_code == 409 and replay.json()["error"]["code"] == "answered"
    unknown = api.post("/api/voice/responses/submit", {"token": "nope", "nps": 1}, content_type=JSON)
    assert unknown.status_code == 404
    other = invite(world, world.contact_en)
    with clock.frozen(other.expires_at + dt.timedelta(seconds=1)):
        expired = api.post("/api/voice/responses/submit", {"token": other.token, "nps": 1}, content_type=JSON)
    assert expired.status_code == 410
    assert Response.objects.count() == 1


def test_responses_list_with_filters_and_permissions(world: World, login: Any) -> None:
    answer(world.account, nps=2, comment="Livraison en retard", step=world.delivery)
    answer(world.account, nps=10, comment="Parfait")
    answer(world.trade_account, nps=3, comment="Facture fausse")
    agent = login(world.cast.agent)
    everything = agent.get("/api/voice/responses").json()["items"]
    assert len(everything) == 3
    detractors = agent.get("/api/voice/responses", {"band": "detractor", "step": world.delivery.pk}).json()
    assert [r["comment"] for r in detractors["items"]] == ["Livraison en retard"]
    words = agent.get("/api/voice/responses", {"words": "facture"}).json()["items"]
    assert [r["comment"] for r in words] == ["Facture fausse"]
    page = agent.get("/api/voice/responses", {"size": 2}).json()
    assert len(page["items"]) == 2 and page["next_cursor"]
    rest = agent.get("/api/voice/responses", {"size": 2, "cursor": page["next_cursor"]}).json()
    assert len(rest["items"]) == 1
    assert agent.get("/api/voice/responses", {"cursor": "garbage"}).status_code == 400
    assert agent.get("/api/voice/responses", {"size": 0}).status_code == 422
    assert agent.get("/api/voice/responses", {"start": "demain"}).status_code == 422
    rep = login(world.cast.rep).get("/api/voice/responses").json()["items"]
    assert {r["account_id"] for r in rep} == {world.account.pk}
    assert login(world.cast.outsider).get("/api/voice/responses").json()["items"] == []
    assert Client().get("/api/voice/responses").status_code in (401, 403)


def test_every_dashboard_figure_is_in_the_api_for_those_who_read_the_love_score(
    world: World, login: Any
) -> None:
    many(world.account, [10, 10, 9, 7, 2], ces=6, step=world.delivery)
    agent = login(world.cast.agent)
    board = agent.get("/api/voice/analytics/dashboard", {"grain": "week"})
    assert board.status_code == 200
    body = board.json()
    assert body["overall"]["current"]["nps"]["nps"] == 40.0
    assert body["overall"]["current"]["nps"]["responses"] == 5
    assert body["overall"]["current"]["nps"]["low"] < 40 < body["overall"]["current"]["nps"]["high"]
    assert set(body["breakdowns"]) == {"unit", "region", "step", "segment"}
    assert body["effort_map"][0]["mean"] == 6.0 and len(body["trend"]) >= 4
    assert agent.get("/api/voice/analytics/breakdown/team").status_code == 200
    assert agent.get("/api/voice/analytics/effort").json()[0]["easy_pct"] == 100.0
    prio = agent.get("/api/voice/analytics/priorities", {"by": "step"}).json()
    assert prio["cells"] and "mix" in prio["change_sources"]
    today = clock.today().isoformat()
    nps = agent.get(
        "/api/voice/analytics/nps", {"start": today, "end": today, "account": world.account.pk}
    ).json()
    assert nps["nps"] == 40.0
    assert agent.get("/api/voice/analytics/accounts", {"months": 3}).status_code == 200
    assert agent.get("/api/voice/analytics/themes").status_code == 200
    # Bad input: a clear 4xx, no figures.
    assert agent.get("/api/voice/analytics/dashboard", {"grain": "day"}).status_code == 422
    assert (
        agent.get("/api/voice/analytics/dashboard", {"start": "2026-06-01", "end": "2026-01-01"}).status_code
        == 422
    )
    assert (
        agent.get("/api/voice/analytics/dashboard", {"start": "2020-01-01", "end": "2026-01-01"}).status_code
        == 422
    )
    assert agent.get("/api/voice/analytics/accounts", {"months": 5}).status_code == 422
    assert agent.get("/api/voice/analytics/nps", {"start": today, "end": "2000-01-01"}).status_code == 422
    for who in (world.cast.rep, world.cast.manager, world.cast.kam, world.cast.outsider):
        client = login(who)
        for url in ("dashboard", "breakdown/unit", "effort", "priorities", "accounts", "themes"):
            assert client.get(f"/api/voice/analytics/{url}").status_code == 403, (who, url)
        assert client.get("/api/voice/surveys").status_code == 403


def test_surveys_are_customer_relations_business(world: World, login: Any) -> None:
    for who in (world.cast.rep, world.cast.manager, world.cast.hq, world.cast.director):
        client = login(who)
        assert client.post("/api/voice/surveys", {"name": "X"}, content_type=JSON).status_code == 403
        assert (
            client.post(
                f"/api/voice/surveys/{world.survey.pk}/invitations",
                {"contact_ids": [world.contact.pk]},
                content_type=JSON,
            ).status_code
            == 403
        )
    assert Survey.objects.count() == 1 and not Invitation.objects.exists()
