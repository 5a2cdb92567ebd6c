"""Small factories for customer data in tests."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from comptoir.core import clock
from comptoir.customers.models import Account, AccountOwnership, AgreementSite, Contact, FrameworkAgreement
from comptoir.org.models import User

_n = itertools.count(1)


def make_account(*, owner: User | None, name: str = "", **fields: Any) -> Account:
    n = next(_n)
    if owner is not None:
        fields.setdefault("unit", owner.unit)
        fields.setdefault("region", owner.region)
    account = Account.objects.create(name=name or f"Compte {n}", owner=owner, city=fields.pop("city", "Lyon"), **fields)
    if owner is not None:
        AccountOwnership.objects.create(account=account, owner=owner, started_at=clock.now() - dt.timedelta(days=400))
    return account


def make_contact(account: Account, **fields: Any) -> Contact:
    n = next(_n)
    fields.setdefault("last_name", f"Contact{n}")
    fields.setdefault("email", f"contact{n}@client.test")
    return Contact.objects.create(account=account, **fields)


def make_agreement(*, kam: User, group: Account, sites: list[Account], **fields: Any) -> FrameworkAgreement:
    n = next(_n)
    fields.setdefault("starts_on", clock.today() - dt.timedelta(days=120))
    agreement = FrameworkAgreement.objects.create(name=fields.pop("name", f"Accord {n}"), kam=kam, group=group, **fields)
    AgreementSite.objects.bulk_create([AgreementSite(agreement=agreement, account=site) for site in sites])
    return agreement
