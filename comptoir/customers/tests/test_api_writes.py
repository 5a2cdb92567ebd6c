"""Entering agreements, rolling them out to sites, and keeping contacts up to date through the API:
the same rules as the pages and the import, and each role may do exactly what it should."""

from __future__ import annotations

import json
from typing import Any

import pytest

from comptoir.customers.models import AgreementSite, Contact, FrameworkAgreement
from comptoir.customers.tests.conftest import World
from comptoir.customers.tests.factories import make_account
from comptoir.org.testing import Cast

pytestmark = pytest.mark.django_db
API = "/api/customers"


def send(client: Any, method: str, url: str, body: dict[str, Any] | None = None) -> Any:
    return getattr(client, method)(url, json.dumps(body or {}), content_type="application/json")


def new_agreement(world: World, **extra: Any) -> dict[str, Any]:
    return {"name": "Accord Azur 2027", "group_id": world.group.pk, "starts_on": "2027-01-01", **extra}


def test_a_kam_enters_an_agreement_and_rolls_it_out(cast: Cast, world: World, login: Any) -> None:
    client = login(cast.kam)
    response = send(client, "post", f"{API}/agreements", new_agreement(world, rollout_due_on="2027-06-30", external_id="FA-9"))
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["kam_id"], body["group_id"], body["status"], body["external_id"]) == (cast.kam.pk, world.group.pk, "signed", "FA-9")
    sites = send(client, "post", f"{API}/agreements/{body['id']}/sites", {"account_ids": [world.rep.pk, world.teammate.pk]})
    assert sites.status_code == 200, sites.content
    assert {s["account_id"] for s in sites.json()} == {world.rep.pk, world.teammate.pk}
    again = send(client, "post", f"{API}/agreements/{body['id']}/sites", {"account_ids": [world.rep.pk]})
    assert again.status_code == 200 and AgreementSite.objects.filter(agreement_id=body["id"]).count() == 2
    assert client.get(f"{API}/agreements/{body['id']}").json()["overall"]["total"] == 2


def test_a_kam_rolls_out_only_to_the_groups_sites(cast: Cast, world: World, login: Any) -> None:
    client = login(cast.kam)
    deeper = make_account(owner=cast.rep, name="Hôtel Azur Annexe", parent=world.rep)  # the group's, two levels down
    response = send(client, "post", f"{API}/agreements/{world.agreement.pk}/sites", {"account_ids": [deeper.pk, world.outsider.pk]})
    assert response.status_code == 422
    assert response.json()["error"]["fields"][0]["field"] == "account_ids"
    assert str(world.outsider.pk) in response.json()["error"]["message"]
    assert not AgreementSite.objects.filter(account=deeper).exists()  # nothing half-written
    assert send(client, "post", f"{API}/agreements/{world.agreement.pk}/sites", {"account_ids": [deeper.pk]}).status_code == 200
    admin = send(login(cast.admin), "post", f"{API}/agreements/{world.agreement.pk}/sites", {"account_ids": [world.outsider.pk]})
    assert admin.status_code == 200  # an administrator may add any account


def test_a_kam_signs_only_as_themselves(cast: Cast, world: World, login: Any) -> None:
    response = send(login(cast.kam), "post", f"{API}/agreements", new_agreement(world, kam_id=cast.hq.pk))
    assert response.status_code == 403
    by_admin = send(login(cast.admin), "post", f"{API}/agreements", new_agreement(world, kam_id=cast.kam.pk))
    assert by_admin.status_code == 201 and by_admin.json()["kam_id"] == cast.kam.pk
    not_a_kam = send(login(cast.admin), "post", f"{API}/agreements", new_agreement(world, kam_id=cast.rep.pk))
    assert not_a_kam.status_code == 422 and not_a_kam.json()["error"]["fields"][0]["field"] == "kam"


@pytest.mark.parametrize("who", ["rep", "manager", "director", "hq", "agent"])
def test_others_do_not_enter_agreements(cast: Cast, world: World, login: Any, who: str) -> None:
    before = FrameworkAgreement.objects.count()
    assert send(login(getattr(cast, who)), "post", f"{API}/agreements", new_agreement(world)).status_code == 403
    assert FrameworkAgreement.objects.count() == before


def test_bad_agreements_are_refused_with_every_field_named(cast: Cast, world: World, login: Any) -> None:
    client = login(cast.kam)
    bad = send(client, "post", f"{API}/agreements", new_agreement(world, name=" ", ends_on="2026-01-01", rollout_due_on="2026-02-01"))
    assert bad.status_code == 422
    assert {f["field"] for f in bad.json()["error"]["fields"]} == {"name", "ends_on", "rollout_due_on"}
    no_group = send(client, "post", f"{API}/agreements", {"name": "X", "starts_on": "2027-01-01"})
    assert no_group.status_code == 422
    world.agreement.external_id = "FA-1"
    world.agreement.save()
    duplicate = send(client, "post", f"{API}/agreements", new_agreement(world, external_id="FA-1"))
    assert duplicate.status_code == 422 and duplicate.json()["error"]["fields"][0]["field"] == "external_id"
    assert FrameworkAgreement.objects.count() == 2


def test_the_kam_changes_their_agreement_and_hq_only_reads_it(cast: Cast, world: World, login: Any) -> None:
    url = f"{API}/agreements/{world.agreement.pk}"
    ok = send(login(cast.kam), "patch", url, {"status": "rolling_out", "rollout_due_on": "2026-12-31"})
    assert ok.status_code == 200 and ok.json()["status"] == "rolling_out"
    assert send(login(cast.hq), "patch", url, {"status": "ended"}).status_code == 403
    assert send(login(cast.rep), "patch", url, {"status": "ended"}).status_code == 404
    assert send(login(cast.kam), "patch", url, {"kam_id": cast.hq.pk}).status_code == 403
    assert send(login(cast.kam), "patch", url, {"ends_on": "2000-01-01"}).status_code == 422
    world.agreement.refresh_from_db()
    assert (world.agreement.status, world.agreement.kam, world.agreement.ends_on) == ("rolling_out", cast.kam, None)


def test_the_kam_takes_a_site_out_of_the_agreement(cast: Cast, world: World, login: Any) -> None:
    site = AgreementSite.objects.get(agreement=world.agreement, account=world.rep)
    assert login(cast.rep).delete(f"{API}/sites/{site.pk}").status_code == 403  # the rep moves it on, not out
    assert login(cast.kam).delete(f"{API}/sites/{site.pk}").status_code == 204
    assert not AgreementSite.objects.filter(pk=site.pk).exists()


# --- Contacts ---------------------------------------------------------------------------------------


def test_the_owning_rep_adds_and_corrects_a_contact(cast: Cast, world: World, login: Any) -> None:
    client = login(cast.rep)
    created = send(
        client,
        "post",
        f"{API}/accounts/{world.rep.pk}/contacts",
        {"first_name": "Zoé", "last_name": "Chef", "email": "Zoe@Cafe.test", "language": "en", "survey_consent": True},
    )
    assert created.status_code == 201, created.content
    contact = Contact.objects.get(pk=created.json()["id"])
    assert (contact.account, contact.email, contact.language, contact.survey_consent) == (world.rep, "zoe@cafe.test", "en", True)
    patched = send(client, "patch", f"{API}/contacts/{contact.pk}", {"phone": "06 01 02 03 04", "survey_consent": False})
    assert patched.status_code == 200
    contact.refresh_from_db()
    assert (contact.phone, contact.survey_consent, contact.first_name) == ("06 01 02 03 04", False, "Zoé")
    assert client.delete(f"{API}/contacts/{contact.pk}").status_code == 204
    assert not Contact.objects.filter(pk=contact.pk).exists()


def test_a_bad_contact_changes_nothing(cast: Cast, world: World, login: Any) -> None:
    client = login(cast.rep)
    contact = world.rep.contacts.get()
    bad = send(client, "patch", f"{API}/contacts/{contact.pk}", {"email": "pas-un-mail", "last_name": ""})
    assert bad.status_code == 422
    assert {f["field"] for f in bad.json()["error"]["fields"]} == {"email", "last_name"}
    contact.refresh_from_db()
    assert contact.last_name == "Patronne"
    assert send(client, "post", f"{API}/accounts/{world.rep.pk}/contacts", {"last_name": "X", "language": "de"}).status_code == 422
    assert world.rep.contacts.count() == 1


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("rep", 201),  # owns the account
        ("manager", 201),  # answers for it
        ("director", 201),
        ("admin", 201),
        ("teammate", 403),  # reads it, but it is not theirs
        ("kam", 403),  # sees the site through an agreement
        ("hq", 403),
        ("agent", 403),
        ("outsider", 404),
        ("rep_trade", 404),
    ],
)
def test_who_may_keep_an_accounts_contacts(cast: Cast, world: World, login: Any, who: str, status: int) -> None:
    client = login(getattr(cast, who))
    contact = world.rep.contacts.get()
    response = send(client, "post", f"{API}/accounts/{world.rep.pk}/contacts", {"last_name": "Nouveau"})
    assert response.status_code == status
    patch = send(client, "patch", f"{API}/contacts/{contact.pk}", {"job_title": "Directrice"})
    assert patch.status_code == (200 if status == 201 else status)
    expected = 2 if status == 201 else 1
    assert world.rep.contacts.count() == expected


def test_the_schema_documents_the_writes(cast: Cast, login: Any) -> None:
    paths = login(cast.rep).get("/api/openapi.json").json()["paths"]
    assert "post" in paths["/api/customers/agreements"]
    assert "patch" in paths["/api/customers/agreements/{agreement_id}"]
    assert "post" in paths["/api/customers/agreements/{agreement_id}/sites"]
    assert "delete" in paths["/api/customers/sites/{site_id}"]
    assert "post" in paths["/api/customers/accounts/{account_id}/contacts"]
    assert {"patch", "delete"} <= set(paths["/api/customers/contacts/{contact_id}"])
