"""The demo builds realistic customers for the whole organisation, fast."""

from __future__ import annotations

import io
import time

import pytest
from django.core.management import call_command
from django.db.models import F

from comptoir.customers.models import (
    Account,
    AccountOwnership,
    AgreementSite,
    Contact,
    FrameworkAgreement,
    SiteStatusChange,
)

pytestmark = pytest.mark.django_db


def test_the_demo_builds_accounts_agreements_and_their_roll_out() -> None:
    started = time.monotonic()
    call_command("demo", "--only", "org", "customers", stdout=io.StringIO())
    elapsed = time.monotonic() - started
    assert 2900 <= Account.objects.count() <= 3100
    assert set(Account.objects.values_list("unit__code", flat=True).distinct()) == {"horeca", "trade", "office"}
    assert Account.objects.filter(owner__isnull=False).count() > 2500
    assert AccountOwnership.objects.filter(ended_at__isnull=False).exists()  # some accounts changed hands
    assert Contact.objects.count() >= 3000
    agreements = FrameworkAgreement.objects.all()
    assert agreements.count() >= 6
    assert {a.status for a in agreements} >= {"rolling_out", "completed", "signed"}
    assert set(AgreementSite.objects.values_list("status", flat=True).distinct()) == {"not_started", "in_progress", "deployed", "refused"}
    assert SiteStatusChange.objects.count() >= AgreementSite.objects.filter(status="deployed").count()
    # every site sits under its agreement's group
    assert not AgreementSite.objects.exclude(account__parent=F("agreement__group")).exists()
    assert elapsed < 60


