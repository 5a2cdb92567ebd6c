"""Owner history and roll-out history: what later questions rely on."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from comptoir.core import clock
from comptoir.customers import services
from comptoir.customers.models import AccountOwnership, AgreementSite, SiteStatusChange
from comptoir.customers.tests.conftest import World
from comptoir.org.testing import Cast

pytestmark = pytest.mark.django_db


def test_who_owned_the_account_on_a_given_day(cast: Cast, world: World) -> None:
    before = clock.now() - dt.timedelta(days=10)
    services.account_reassign(account=world.rep, owner=cast.teammate, by=cast.manager)
    assert services.owner_at(world.rep, before) == cast.rep.pk
    assert services.owner_at(world.rep, clock.now() + dt.timedelta(seconds=1)) == cast.teammate.pk
    assert AccountOwnership.objects.filter(account=world.rep, ended_at__isnull=True).count() == 1


def test_giving_an_account_to_its_owner_changes_nothing(cast: Cast, world: World) -> None:
    services.account_reassign(account=world.rep, owner=cast.rep, by=cast.manager)
    assert world.rep.ownerships.count() == 1


def test_an_inactive_person_cannot_receive_an_account(cast: Cast, world: World) -> None:
    cast.teammate.is_active = False
    cast.teammate.save()
    with pytest.raises(ValidationError):
        services.account_reassign(account=world.rep, owner=cast.teammate, by=cast.manager)
    world.rep.refresh_from_db()
    assert world.rep.owner == cast.rep
    assert world.rep.ownerships.count() == 1


def test_a_roll_out_change_records_who_and_when(cast: Cast, world: World) -> None:
    site = AgreementSite.objects.get(agreement=world.agreement, account=world.rep)
    services.site_set_status(site=site, status="in_progress", by=cast.rep)
    services.site_set_status(site=site, status="deployed", by=cast.kam)
    services.site_set_status(site=site, status="deployed", by=cast.kam)  # a double tap writes nothing
    changes = list(SiteStatusChange.objects.filter(site=site).values_list("from_status", "to_status", "changed_by"))
    assert changes == [("not_started", "in_progress", cast.rep.pk), ("in_progress", "deployed", cast.kam.pk)]
    site.refresh_from_db()
    assert site.status_changed_by == cast.kam and site.status_changed_at is not None


def test_an_unknown_status_is_refused(cast: Cast, world: World) -> None:
    site = AgreementSite.objects.get(agreement=world.agreement, account=world.rep)
    with pytest.raises(ValidationError):
        services.site_set_status(site=site, status="done", by=cast.rep)
    assert not SiteStatusChange.objects.exists()
