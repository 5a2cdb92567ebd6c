"""Named people for tests: everyone a permission rule talks about, built in a few queries.

    rep (HoReCa, Île-de-France team) -> manager -> director (HoReCa)
    rep_trade, rep_office: reps of the other business units, with their own managers
    kam, hq, agent (customer relations), admin
    outsider: a rep of another unit, region and team, who must not see what is restricted
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

from comptoir.org.demo import ensure_reference_data
from comptoir.org.models import OrgUnit, Region, Role, Team, User

_counter = itertools.count(1)


@dataclass
class Cast:
    units: dict[str, OrgUnit]
    regions: dict[str, Region]
    roles: dict[str, Role]
    director: User
    manager: User
    rep: User
    teammate: User
    manager_trade: User
    rep_trade: User
    manager_office: User
    rep_office: User
    kam: User
    hq: User
    agent: User
    admin: User
    outsider: User
    team: Team
    team_trade: Team
    team_office: Team


def make_person(
    *, role: Role, unit: OrgUnit | None = None, region: Region | None = None, team: Team | None = None,
    manager: User | None = None, first_name: str = "", last_name: str = "", email: str = "", **extra: Any
) -> User:
    n = next(_counter)
    return User.objects.create_user(
        email=email or f"person{n}@test.comptoir",
        password="a-long-test-password",
        first_name=first_name or f"Prénom{n}",
        last_name=last_name or f"Nom{n}",
        role=role,
        unit=unit,
        region=region,
        team=team,
        manager=manager,
        **extra,
    )


def build_cast() -> Cast:
    units, regions, roles = ensure_reference_data()
    idf, nord, est = regions["idf"], regions["nord"], regions["est"]
    director = make_person(role=roles["director"], unit=units["horeca"], first_name="Hélène", last_name="Directrice", email="director@test.comptoir")
    manager = make_person(role=roles["manager"], unit=units["horeca"], region=idf, manager=director, first_name="Marc", last_name="Manager", email="manager@test.comptoir")
    team = Team.objects.create(name="HoReCa Île-de-France", unit=units["horeca"], region=idf, manager=manager)
    manager.team = team
    manager.save()
    rep = make_person(role=roles["rep"], unit=units["horeca"], region=idf, team=team, manager=manager, first_name="Léa", last_name="Représentante", email="rep@test.comptoir")
    teammate = make_person(role=roles["rep"], unit=units["horeca"], region=idf, team=team, manager=manager, first_name="Théo", last_name="Coéquipier", email="teammate@test.comptoir")
    manager_trade = make_person(role=roles["manager"], unit=units["trade"], region=nord, first_name="Nina", last_name="Trade", email="manager.trade@test.comptoir")
    team_trade = Team.objects.create(name="Trade Hauts-de-France", unit=units["trade"], region=nord, manager=manager_trade)
    rep_trade = make_person(role=roles["rep"], unit=units["trade"], region=nord, team=team_trade, manager=manager_trade, first_name="Paul", last_name="Commerce", email="rep.trade@test.comptoir")
    manager_office = make_person(role=roles["manager"], unit=units["office"], region=est, first_name="Omar", last_name="Office", email="manager.office@test.comptoir")
    team_office = Team.objects.create(name="Office Grand Est", unit=units["office"], region=est, manager=manager_office)
    rep_office = make_person(role=roles["rep"], unit=units["office"], region=est, team=team_office, manager=manager_office, first_name="Zoé", last_name="Bureau", email="rep.office@test.comptoir")
    outsider = make_person(role=roles["rep"], unit=units["office"], region=est, team=team_office, manager=manager_office, first_name="Olivier", last_name="Extérieur", email="outsider@test.comptoir")
    kam = make_person(role=roles["kam"], unit=units["key-accounts"], first_name="Karine", last_name="Grandcompte", email="kam@test.comptoir")
    hq = make_person(role=roles["hq"], unit=units["hq"], first_name="Hugo", last_name="Siège", email="hq@test.comptoir")
    agent = make_person(role=roles["cr_agent"], unit=units["customer-relations"], first_name="Agnès", last_name="Relation", email="agent@test.comptoir")
    admin = make_person(role=roles["admin"], unit=units["hq"], first_name="Ada", last_name="Admin", email="admin@test.comptoir", is_staff=True, is_superuser=True)
    return Cast(
        units=units, regions=regions, roles=roles, director=director, manager=manager, rep=rep, teammate=teammate,
        manager_trade=manager_trade, rep_trade=rep_trade, manager_office=manager_office, rep_office=rep_office,
        kam=kam, hq=hq, agent=agent, admin=admin, outsider=outsider, team=team, team_trade=team_trade, team_office=team_office,
    )
