"""Voice fixtures: a small customer base around the named cast, and an active survey."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from typing import Any

import pytest

from comptoir.core import clock
from comptoir.customers.models import Account, AccountOwnership, Contact, Segment
from comptoir.org.testing import Cast
from comptoir.voice import services
from comptoir.voice.models import Invitation, JourneyStep, Survey, VoiceSettings

_n = itertools.count(1)


@dataclass
class World:
    cast: Cast
    horeca: Segment
    account: Account  # owned by cast.rep (HoReCa, IdF)
    teammate_account: Account  # owned by cast.teammate
    trade_account: Account  # owned by cast.rep_trade
    contact: Contact
    contact_en: Contact
    delivery: JourneyStep
    survey: Survey


def make_account(owner: Any, *, segment: Segment | None = None, name: str = "") -> Account:
    account = Account.objects.create(
        name=name or f"Client {next(_n)}", unit=owner.unit, region=owner.region, owner=owner, segment=segment
    )
    AccountOwnership.objects.create(
        account=account, owner=owner, started_at=clock.now() - dt.timedelta(days=800)
    )
    return account


def make_contact(account: Account, *, language: str = "fr", consent: bool = True, email: str = "") -> Contact:
    n = next(_n)
    return Contact.objects.create(
        account=account,
        first_name=f"Camille{n}",
        last_name=f"Client{n}",
        email=email or f"client{n}@example.test",
        language=language,
        survey_consent=consent,
    )


def invite(world: World, contact: Contact | None = None, survey: Survey | None = None) -> Invitation:
    result = services.invitations_create(
        survey=survey or world.survey, contacts=[contact or world.contact], send=False
    )
    assert result.invitations, result.as_dict()
    return Invitation.objects.get(token=result.invitations[0].token)


@pytest.fixture
def world(cast: Cast) -> World:
    VoiceSettings.objects.update_or_create(pk=1, defaults={"min_responses": 3, "throttle_days": 30})
    horeca, _c = Segment.objects.get_or_create(
        code="horeca", defaults={"name": "HoReCa", "name_en": "HoReCa"}
    )
    account = make_account(cast.rep, segment=horeca, name="Brasserie du Port")
    teammate_account = make_account(cast.teammate, segment=horeca)
    trade_account = make_account(cast.rep_trade)
    if not JourneyStep.objects.exists():
        # A transactional test (browser, concurrency) flushes the tables, migration data included.
        import importlib

        from django.apps import apps

        importlib.import_module("comptoir.voice.migrations.0002_journey_steps").seed(apps, None)
    delivery = JourneyStep.objects.get(code="delivery")
    survey = services.survey_create(
        by=cast.agent,
        name="Après livraison",
        kind=Survey.Kind.TRANSACTIONAL,
        step=delivery,
        title="Votre livraison",
        title_en="Your delivery",
    )
    services.survey_set_status(by=cast.agent, survey=survey, status=Survey.Status.ACTIVE)
    return World(
        cast=cast,
        horeca=horeca,
        account=account,
        teammate_account=teammate_account,
        trade_account=trade_account,
        contact=make_contact(account),
        contact_en=make_contact(account, language="en"),
        delivery=delivery,
        survey=survey,
    )
