from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from comptoir.actions import menus, services
from comptoir.actions.models import Action, ActionKind
from comptoir.core import clock
from comptoir.customers.models import Account

KINDS = [
    ("call_back", "Rappeler le client", "Call the customer back", 1),
    ("visit", "Rendre visite", "Visit the customer", 2),
    ("delivery", "Régler un problème de livraison", "Fix a delivery problem", 3),
    ("promotion", "Expliquer une promotion", "Explain a promotion", 4),
    ("other", "Autre", "Other", 9),
]


@pytest.fixture(autouse=True)
def _fresh_menus() -> None:
    """The filter menus are kept a minute per process: each test has its own units and regions."""
    menus.clear()


def ensure_kinds() -> None:
    """Transactional tests flush the rows the data migration seeded: put the kinds back."""
    for code, name, name_en, rank in KINDS:
        ActionKind.objects.get_or_create(code=code, defaults={"name": name, "name_en": name_en, "rank": rank})


@pytest.fixture
def kind(db: Any) -> ActionKind:
    ensure_kinds()
    return ActionKind.objects.get(code="call_back")


@pytest.fixture
def account(cast: Any) -> Account:
    return Account.objects.create(
        name="Café des Arts",
        unit=cast.units["horeca"],
        region=cast.regions["idf"],
        owner=cast.rep,
        city="Paris",
    )


@pytest.fixture
def post_action(cast: Any, kind: ActionKind) -> Any:
    """`post_action(**overrides)`: the agent posts an action to the rep (by default)."""

    def make(**overrides: Any) -> Action:
        fields: dict[str, Any] = {
            "author": cast.agent,
            "assignee": cast.rep,
            "kind": kind,
            "title": "Rappeler le Café des Arts",
            "due_on": clock.today() + dt.timedelta(days=3),
        }
        fields.update(overrides)
        return services.action_create(**fields)

    return make


@pytest.fixture
def make_response(cast: Any, account: Account) -> Any:
    """`make_response(nps=3, ...)`: a survey response from the Café des Arts, owned by the rep,
    stored the way the customer's voice stores them (its roll-up follows)."""
    from comptoir.voice.models import JourneyStep, Response
    from comptoir.voice.services import responses_bulk_create

    def make(**fields: Any) -> Response:
        now = clock.now()
        values: dict[str, Any] = {
            "account": account,
            "owner": cast.rep,
            "team": cast.team,
            "unit": cast.units["horeca"],
            "region": cast.regions["idf"],
            "step": JourneyStep.objects.filter(code="delivery").first(),
            "nps": 3,
            "ces": 2,
            "comment": "Livraison arrivée hors créneau, deux fois de suite.",
            "answered_at": now,
            "updated_at": now,
        }
        values.update(fields)
        response = Response(**values)
        responses_bulk_create([response])
        return response

    return make
