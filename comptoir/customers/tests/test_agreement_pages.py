"""A KAM enters an agreement in the browser, rolls it out to the group's sites, and keeps it up to date."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from comptoir.customers.models import AgreementSite, FrameworkAgreement
from comptoir.customers.tests.conftest import World
from comptoir.org.testing import Cast

pytestmark = pytest.mark.django_db


@pytest.fixture
def crm_group(world: World) -> Any:
    world.group.external_id = "G-AZUR"
    world.group.save()
    return world.group


def test_a_kam_enters_an_agreement_then_adds_the_groups_sites(cast: Cast, world: World, crm_group: Any, login: Any) -> None:
    client = login(cast.kam)
    assert reverse("customers:agreement_new") in client.get(reverse("customers:agreement_list")).content.decode()
    response = client.post(
        reverse("customers:agreement_new"),
        {"name": "Accord Azur 2027", "group": "G-AZUR", "starts_on": "2027-01-01", "rollout_due_on": "2027-06-30", "status": "signed"},
    )
    assert response.status_code == 302
    agreement = FrameworkAgreement.objects.get(name="Accord Azur 2027")
    assert (agreement.kam, agreement.group) == (cast.kam, world.group)
    page = client.get(reverse("customers:agreement", args=[agreement.pk])).content.decode()
    assert 'data-testid="add-group-sites"' in page
    assert client.post(reverse("customers:agreement_add_group_sites", args=[agreement.pk])).status_code == 302
    # The group's two sites (rep's and teammate's accounts), not the group itself
    assert set(AgreementSite.objects.filter(agreement=agreement).values_list("account_id", flat=True)) == {world.rep.pk, world.teammate.pk}
    client.post(reverse("customers:agreement_add_group_sites", args=[agreement.pk]))  # again: nothing doubles
    assert AgreementSite.objects.filter(agreement=agreement).count() == 2


def test_a_bad_agreement_form_comes_back_with_its_errors(cast: Cast, world: World, crm_group: Any, login: Any) -> None:
    response = login(cast.kam).post(
        reverse("customers:agreement_new"),
        {"name": "Accord", "group": "G-NOPE", "starts_on": "2027-01-01", "ends_on": "2026-01-01", "status": "signed"},
    )
    assert response.status_code == 400 and "G-NOPE" in response.content.decode()
    dates = login(cast.kam).post(
        reverse("customers:agreement_new"),
        {"name": "Accord", "group": "G-AZUR", "starts_on": "2027-01-01", "ends_on": "2026-01-01", "status": "signed"},
    )
    assert dates.status_code == 400 and 'role="alert"' in dates.content.decode()
    assert FrameworkAgreement.objects.count() == 2


def test_the_kam_edits_their_agreement(cast: Cast, world: World, login: Any) -> None:
    client = login(cast.kam)
    url = reverse("customers:agreement_edit", args=[world.agreement.pk])
    assert 'name="kam"' not in client.get(url).content.decode()  # a KAM does not hand it over
    response = client.post(
        url, {"name": "Accord Azur 2026 (avenant)", "starts_on": world.agreement.starts_on.isoformat(), "status": "rolling_out"}
    )
    assert response.status_code == 302
    world.agreement.refresh_from_db()
    assert (world.agreement.name, world.agreement.status, world.agreement.group) == ("Accord Azur 2026 (avenant)", "rolling_out", world.group)


def test_an_administrator_hands_an_agreement_to_another_kam_who_must_be_one(cast: Cast, world: World, login: Any) -> None:
    client = login(cast.admin)
    url = reverse("customers:agreement_edit", args=[world.agreement.pk])
    base = {"name": world.agreement.name, "starts_on": world.agreement.starts_on.isoformat(), "status": "signed"}
    refused = client.post(url, {**base, "kam": cast.rep.email})
    assert refused.status_code == 400
    world.agreement.refresh_from_db()
    assert world.agreement.kam == cast.kam
    assert client.post(url, {**base, "kam": cast.hq.email}).status_code == 400  # HQ may not own agreements


@pytest.mark.parametrize(("who", "status"), [("hq", 403), ("agent", 403), ("rep", 404), ("manager", 404)])
def test_others_may_not_change_the_agreement(cast: Cast, world: World, login: Any, who: str, status: int) -> None:
    client = login(getattr(cast, who))
    assert client.get(reverse("customers:agreement_edit", args=[world.agreement.pk])).status_code == status
    assert client.post(reverse("customers:agreement_add_group_sites", args=[world.agreement.pk])).status_code == status
    assert 'data-testid="agreement-edit"' not in client.get(reverse("customers:agreement", args=[world.agreement.pk])).content.decode()


@pytest.mark.parametrize(("who", "status"), [("kam", 200), ("admin", 200), ("hq", 403), ("rep", 403), ("director", 403)])
def test_who_may_open_the_new_agreement_form(cast: Cast, login: Any, who: str, status: int) -> None:
    assert login(getattr(cast, who)).get(reverse("customers:agreement_new")).status_code == status
