from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from comptoir.customers.models import Account, FrameworkAgreement
from comptoir.customers.tests.factories import make_account, make_agreement, make_contact
from comptoir.org.testing import Cast


@dataclass
class World:
    """One account per person of the cast who can own one, a group with two sites under an agreement."""

    rep: Account
    teammate: Account
    rep_trade: Account
    rep_office: Account
    outsider: Account
    unowned: Account
    group: Account
    agreement: FrameworkAgreement
    other_agreement: FrameworkAgreement

    def all(self) -> set[int]:
        return {a.pk for a in (self.rep, self.teammate, self.rep_trade, self.rep_office, self.outsider, self.unowned, self.group)}


@pytest.fixture
def world(cast: Cast) -> World:
    rep = make_account(owner=cast.rep, name="Café de la Gare")
    teammate = make_account(owner=cast.teammate, name="Brasserie du Port")
    rep_trade = make_account(owner=cast.rep_trade, name="Épicerie Fine Lille")
    rep_office = make_account(owner=cast.rep_office, name="Bureaux Strasbourg")
    outsider = make_account(owner=cast.outsider, name="Cabinet Metz")
    group = make_account(owner=None, name="Groupe Hôtelier Azur", unit=cast.units["horeca"], region=cast.regions["idf"])
    unowned = make_account(owner=None, name="Prospect sans commercial", unit=cast.units["trade"], region=cast.regions["nord"])
    for account in (rep, teammate):
        account.parent = group
        account.save()
    make_contact(rep, first_name="Jeanne", last_name="Patronne", job_title="Gérante")
    agreement = make_agreement(kam=cast.kam, group=group, sites=[rep, teammate, rep_trade], name="Accord Azur 2026")
    other_kam_group = make_account(owner=None, name="Chaîne Boulangère", unit=cast.units["trade"], region=cast.regions["nord"])
    other = make_agreement(kam=cast.hq, group=other_kam_group, sites=[rep_office], name="Accord Boulange")
    return World(rep, teammate, rep_trade, rep_office, outsider, unowned, group, agreement, other)


@pytest.fixture
def any_world(world: World) -> Any:
    return world
