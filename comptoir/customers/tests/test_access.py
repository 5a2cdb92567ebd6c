"""Who sees which account, agreement and site: each person of the cast, exactly and nothing more."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from comptoir.customers import access
from comptoir.customers.models import Account, AgreementSite
from comptoir.customers.tests.conftest import World
from comptoir.org.testing import Cast

pytestmark = pytest.mark.django_db


def expected_accounts(cast: Cast, world: World) -> dict[str, set[int] | None]:
    """None: every account."""
    hor = {world.rep.pk, world.teammate.pk}
    office = {world.rep_office.pk, world.outsider.pk}
    return {
        "rep": hor,  # their own and their teammate's
        "teammate": hor,
        "manager": hor,  # the team they manage
        "director": hor,  # the reports of their managers, at any depth
        "rep_trade": {world.rep_trade.pk},
        "manager_trade": {world.rep_trade.pk},
        "rep_office": office,
        "outsider": office,
        "manager_office": office,
        "kam": {world.rep.pk, world.teammate.pk, world.rep_trade.pk, world.group.pk},  # their agreement's sites and group
        "hq": None,
        "agent": None,
        "admin": None,
    }


ROLES = ["rep", "teammate", "manager", "director", "rep_trade", "manager_trade", "rep_office", "outsider", "manager_office", "kam", "hq", "agent", "admin"]


@pytest.mark.parametrize("who", ROLES)
def test_each_person_sees_exactly_their_accounts(cast: Cast, world: World, who: str) -> None:
    viewer = getattr(cast, who)
    wanted = expected_accounts(cast, world)[who]
    if wanted is None:
        wanted = set(Account.objects.values_list("id", flat=True))
    assert set(access.accounts_visible_to(viewer).values_list("id", flat=True)) == wanted
    for account in Account.objects.all():
        if account.pk in wanted:
            assert access.account_for(viewer, account.pk) == account
        else:
            with pytest.raises(Http404):
                access.account_for(viewer, account.pk)


@pytest.mark.parametrize("who", ROLES)
def test_each_person_sees_exactly_their_agreements(cast: Cast, world: World, who: str) -> None:
    viewer = getattr(cast, who)
    expected = {
        "kam": {world.agreement.pk},
        "hq": {world.agreement.pk, world.other_agreement.pk},  # HQ sees all, and also owns the other one
        "agent": {world.agreement.pk, world.other_agreement.pk},
        "admin": {world.agreement.pk, world.other_agreement.pk},
    }.get(who, set())
    assert set(access.agreements_visible_to(viewer).values_list("id", flat=True)) == expected
    for agreement in (world.agreement, world.other_agreement):
        if agreement.pk not in expected:
            with pytest.raises(Http404):
                access.agreement_for(viewer, agreement.pk)


@pytest.mark.parametrize("who", ROLES)
def test_contacts_follow_their_account(cast: Cast, world: World, who: str) -> None:
    viewer = getattr(cast, who)
    contact = world.rep.contacts.get()
    visible = access.accounts_visible_to(viewer).filter(pk=world.rep.pk).exists()
    if visible:
        assert access.contact_for(viewer, contact.pk) == contact
    else:
        with pytest.raises(Http404):
            access.contact_for(viewer, contact.pk)


def _site(world: World, account: Account) -> AgreementSite:
    return AgreementSite.objects.get(agreement=world.agreement, account=account)


@pytest.mark.parametrize(
    ("who", "outcome"),
    [
        ("rep", "may"),  # the rep who owns the site
        ("kam", "may"),  # the agreement's KAM
        ("admin", "may"),
        ("teammate", "read-only"),  # sees the account, but it is not theirs
        ("manager", "read-only"),
        ("hq", "read-only"),
        ("agent", "read-only"),
        ("outsider", "hidden"),
        ("rep_trade", "hidden"),
    ],
)
def test_who_may_move_a_site_roll_out(cast: Cast, world: World, who: str, outcome: str) -> None:
    site = _site(world, world.rep)
    viewer = getattr(cast, who)
    if outcome == "may":
        assert access.site_for_update(viewer, site.pk) == site
    elif outcome == "read-only":
        assert access.site_for(viewer, site.pk) == site
        with pytest.raises(PermissionDenied):
            access.site_for_update(viewer, site.pk)
    else:
        with pytest.raises(Http404):
            access.site_for(viewer, site.pk)


def test_an_inactive_person_sees_nothing(cast: Cast, world: World) -> None:
    cast.hq.is_active = False
    cast.hq.save()
    assert not access.accounts_visible_to(cast.hq).exists()
    assert not access.agreements_visible_to(cast.hq).exists()


@pytest.mark.parametrize("who", ["manager", "director", "admin"])
def test_managers_and_admins_may_reassign(cast: Cast, world: World, who: str) -> None:
    assert access.may_reassign(getattr(cast, who), world.rep)


@pytest.mark.parametrize("who", ["rep", "teammate", "kam", "hq", "agent", "manager_trade"])
def test_others_may_not_reassign(cast: Cast, world: World, who: str) -> None:
    assert not access.may_reassign(getattr(cast, who), world.rep)


@pytest.mark.parametrize("who", ["rep", "manager", "director", "kam", "outsider"])
def test_a_long_scope_goes_as_one_parameter_and_sees_the_same(cast: Cast, world: World, who: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A director's thousands of owners travel as one JSON/array parameter: same accounts as a list."""
    viewer = getattr(cast, who)
    as_list = set(access.accounts_visible_to(viewer).values_list("id", flat=True))
    monkeypatch.setattr(access, "LONG_ID_LIST", 0)
    viewer = type(viewer).objects.get(pk=viewer.pk)  # a fresh person: no remembered scope
    assert set(access.accounts_visible_to(viewer).values_list("id", flat=True)) == as_list == (
        expected_accounts(cast, world)[who] or set()
    )
