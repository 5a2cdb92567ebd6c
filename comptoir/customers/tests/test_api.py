"""The customers API: the same people see and change the same things as in the pages."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from comptoir.customers.models import Account, AgreementSite, SiteStatusChange
from comptoir.customers.tests.conftest import World
from comptoir.org.testing import Cast

pytestmark = pytest.mark.django_db
API = "/api/customers"


def ids(response: Any) -> set[int]:
    assert response.status_code == 200, response.content
    return {item["id"] for item in response.json()["items"]}


@pytest.mark.parametrize(
    ("who", "expected"),
    [("rep", {"rep", "teammate"}), ("rep_trade", {"rep_trade"}), ("kam", {"rep", "teammate", "rep_trade", "group"})],
)
def test_the_account_list_is_scoped_like_the_page(cast: Cast, world: World, login: Any, who: str, expected: set[str]) -> None:
    assert ids(login(getattr(cast, who)).get(f"{API}/accounts")) == {getattr(world, name).pk for name in expected}


def test_hq_lists_every_account_page_by_page(cast: Cast, world: World, login: Any) -> None:
    client = login(cast.hq)
    seen: list[int] = []
    cursor = ""
    while True:
        body = client.get(f"{API}/accounts", {"size": 3, **({"cursor": cursor} if cursor else {})}).json()
        seen.extend(item["id"] for item in body["items"])
        cursor = body["next_cursor"]
        if not cursor:
            break
    assert sorted(seen) == sorted(Account.objects.values_list("id", flat=True))


def test_an_account_out_of_scope_is_404(cast: Cast, world: World, login: Any) -> None:
    response = login(cast.outsider).get(f"{API}/accounts/{world.rep.pk}")
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"


def test_account_detail_has_the_owner_history(cast: Cast, world: World, login: Any) -> None:
    body = login(cast.rep).get(f"{API}/accounts/{world.rep.pk}").json()
    assert [o["owner_id"] for o in body["ownerships"]] == [cast.rep.pk]


def test_contacts_of_a_visible_account(cast: Cast, world: World, login: Any) -> None:
    contacts = login(cast.rep).get(f"{API}/accounts/{world.rep.pk}/contacts").json()
    assert [c["last_name"] for c in contacts] == ["Patronne"]
    assert login(cast.rep_trade).get(f"{API}/contacts/{contacts[0]['id']}").status_code == 404


def test_agreements_for_their_kam_with_progress(cast: Cast, world: World, login: Any) -> None:
    assert ids(login(cast.kam).get(f"{API}/agreements")) == {world.agreement.pk}
    assert ids(login(cast.rep).get(f"{API}/agreements")) == set()
    body = login(cast.kam).get(f"{API}/agreements/{world.agreement.pk}").json()
    assert body["overall"]["total"] == 3 and body["site_count"] == 3
    assert {r["key"] for r in body["per_rep"]} == {cast.rep.pk, cast.teammate.pk, cast.rep_trade.pk}
    sites = login(cast.kam).get(f"{API}/agreements/{world.agreement.pk}/sites").json()["items"]
    assert len(sites) == 3


def test_the_owning_rep_updates_a_roll_out(cast: Cast, world: World, login: Any) -> None:
    site = AgreementSite.objects.get(agreement=world.agreement, account=world.rep)
    response = login(cast.rep).patch(f"{API}/sites/{site.pk}", json.dumps({"status": "deployed"}), content_type="application/json")
    assert response.status_code == 200 and response.json()["status"] == "deployed"
    assert SiteStatusChange.objects.get(site=site).changed_by == cast.rep


@pytest.mark.parametrize(("who", "status"), [("teammate", 403), ("hq", 403), ("outsider", 404)])
def test_others_cannot_update_the_roll_out(cast: Cast, world: World, login: Any, who: str, status: int) -> None:
    site = AgreementSite.objects.get(agreement=world.agreement, account=world.rep)
    response = login(getattr(cast, who)).patch(
        f"{API}/sites/{site.pk}", json.dumps({"status": "deployed"}), content_type="application/json"
    )
    assert response.status_code == status
    assert "error" in response.json()
    assert not SiteStatusChange.objects.exists()


def test_a_bad_status_is_a_422_and_changes_nothing(cast: Cast, world: World, login: Any) -> None:
    site = AgreementSite.objects.get(agreement=world.agreement, account=world.rep)
    response = login(cast.rep).patch(f"{API}/sites/{site.pk}", json.dumps({"status": "done"}), content_type="application/json")
    assert response.status_code == 422 and response.json()["error"]["code"] == "invalid_input"
    site.refresh_from_db()
    assert site.status == "not_started"


def test_a_manager_reassigns_through_the_api(cast: Cast, world: World, login: Any) -> None:
    url = f"{API}/accounts/{world.rep.pk}/owner"
    assert login(cast.rep).post(url, {"owner_id": cast.teammate.pk}, content_type="application/json").status_code == 403
    bad = login(cast.manager).post(url, {"owner_id": cast.rep_trade.pk}, content_type="application/json")
    assert bad.status_code == 422
    ok = login(cast.manager).post(url, {"owner_id": cast.teammate.pk}, content_type="application/json")
    assert ok.status_code == 200 and ok.json()["owner_id"] == cast.teammate.pk


def test_the_import_endpoint_reports_bad_rows(cast: Cast, login: Any) -> None:
    data = "external_id;name;unit;region;owner_email\r\nA1;Bar;HoReCa;idf;nobody@test.comptoir\r\n".encode("cp1252")
    upload = SimpleUploadedFile("comptes.csv", data)
    response = login(cast.admin).post(f"{API}/import/accounts", {"file": upload})
    assert response.status_code == 422
    assert response.json()["errors"][0]["column"] == "owner_email"
    assert login(cast.rep).post(f"{API}/import/accounts", {"file": SimpleUploadedFile("c.csv", data)}).status_code == 403


def test_the_api_list_costs_the_same_with_more_accounts(
    cast: Cast, world: World, login: Any, django_assert_max_num_queries: Any
) -> None:
    from comptoir.customers.tests.factories import make_account

    for n in range(30):
        make_account(owner=cast.rep, name=f"Bar {n}")
    client = login(cast.rep)
    client.get(f"{API}/accounts")  # warm-up: the insights app records the day's first visit (one write)
    # session, user with role, the team scope, the page's keys, its rows
    with django_assert_max_num_queries(5):
        assert client.get(f"{API}/accounts").status_code == 200


def test_the_schema_documents_the_endpoints(cast: Cast, login: Any) -> None:
    paths = login(cast.rep).get("/api/openapi.json").json()["paths"]
    assert "/api/customers/sites/{site_id}" in paths and "patch" in paths["/api/customers/sites/{site_id}"]
