"""The demo organisation: a French national sales force like the reference roll-out (285 people)."""

from __future__ import annotations

import math

from django.contrib.auth.hashers import make_password

from comptoir.core.demo import DEMO_PASSWORD, DemoContext
from comptoir.core.permissions import DEFAULT_ROLE_CAPABILITIES
from comptoir.core.text import fold
from comptoir.org.models import OrgUnit, Region, Role, Team, User

FIRST_NAMES = ["Léa", "Camille", "Manon", "Chloé", "Inès", "Jade", "Louise", "Emma", "Sarah", "Julie", "Clara", "Zoé", "Lucie", "Anaïs", "Pauline", "Élise", "Margaux", "Océane", "Mathilde", "Juliette", "Agathe", "Romane", "Nina", "Salomé", "Maëlle", "Hélène", "Sophie", "Céline", "Aurélie", "Nathalie", "Thomas", "Lucas", "Hugo", "Louis", "Nathan", "Théo", "Antoine", "Maxime", "Julien", "Nicolas", "Quentin", "Alexandre", "Baptiste", "Romain", "Clément", "Mathieu", "Paul", "Arthur", "Raphaël", "Gabriel", "Adrien", "Victor", "Benoît", "Olivier", "Stéphane", "Sébastien", "François", "Jérôme", "Rémi", "Yanis", "Karim", "Mehdi"]
LAST_NAMES = ["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau", "Simon", "Laurent", "Lefèbvre", "Michel", "Garcia", "David", "Bertrand", "Roux", "Vincent", "Fournier", "Morel", "Girard", "André", "Lefèvre", "Mercier", "Dupont", "Lambert", "Bonnet", "François", "Martinez", "Legrand", "Garnier", "Faure", "Rousseau", "Blanc", "Guérin", "Muller", "Henry", "Roussel", "Nicolas", "Perrin", "Morin", "Mathieu", "Clément", "Gauthier", "Dumont", "Lopez", "Fontaine", "Chevalier", "Robin", "Masson", "Sanchez", "Gérard", "Nguyen", "Boyer", "Denis", "Lemaire", "Duval", "Joly", "Gautier", "Roger", "Roche", "Roy", "Noël", "Meyer", "Lucas", "Meunier", "Jean", "Pérez", "Marchand", "Dufour", "Blanchard", "Marie", "Barbier", "Brun", "Dumas", "Brunet", "Schmitt", "Leroux", "Colin", "Fernandez", "Pierre", "Renard", "Arnaud", "Rolland", "Caron", "Aubert", "Giraud"]

UNITS = (
    ("horeca", "HoReCa", "HoReCa", OrgUnit.Kind.BUSINESS_UNIT),
    ("trade", "Trade", "Trade", OrgUnit.Kind.BUSINESS_UNIT),
    ("office", "Office", "Office", OrgUnit.Kind.BUSINESS_UNIT),
    ("hq", "Siège (ventes, marketing)", "HQ (sales operations, marketing)", OrgUnit.Kind.DEPARTMENT),
    ("key-accounts", "Grands comptes", "Key accounts", OrgUnit.Kind.DEPARTMENT),
    ("customer-relations", "Relation client", "Customer relations", OrgUnit.Kind.DEPARTMENT),
)
REGIONS = (
    ("idf", "Île-de-France", "Paris region"),
    ("nord", "Hauts-de-France", "Hauts-de-France"),
    ("est", "Grand Est", "Grand Est"),
    ("rhone-alpes", "Auvergne-Rhône-Alpes", "Auvergne-Rhône-Alpes"),
    ("paca", "Provence-Alpes-Côte d'Azur", "Provence-Alpes-Côte d'Azur"),
    ("sud-ouest", "Nouvelle-Aquitaine et Occitanie", "South-West"),
    ("ouest", "Bretagne et Pays de la Loire", "West"),
)
ROLE_NAMES: dict[str, tuple[str, str]] = {
    "rep": ("Commercial terrain", "Sales rep"),
    "manager": ("Responsable régional des ventes", "Regional sales manager"),
    "director": ("Directeur commercial", "Sales director"),
    "kam": ("Responsable grands comptes", "Key-account manager"),
    "hq": ("Siège / opérations commerciales", "HQ / sales operations"),
    "cr_agent": ("Chargé de relation client", "Customer-relations agent"),
    "admin": ("Administrateur", "Administrator"),
}
DEMO_LOGIN_ROLES = ("rep", "manager", "director", "kam", "hq", "cr_agent", "admin")


def ensure_reference_data() -> tuple[dict[str, OrgUnit], dict[str, Region], dict[str, Role]]:
    for code, (name, name_en) in ROLE_NAMES.items():
        Role.objects.update_or_create(
            code=code,
            defaults={"name": name, "name_en": name_en, "capabilities": [c.value for c in DEFAULT_ROLE_CAPABILITIES[code]]},
        )
    for code, name, name_en, kind in UNITS:
        OrgUnit.objects.update_or_create(code=code, defaults={"name": name, "name_en": name_en, "kind": kind})
    for code, name, name_en in REGIONS:
        Region.objects.update_or_create(code=code, defaults={"name": name, "name_en": name_en})
    return (
        {u.code: u for u in OrgUnit.objects.all()},
        {r.code: r for r in Region.objects.all()},
        {r.code: r for r in Role.objects.all()},
    )


class _People:
    """Builds unsaved people with unique, realistic e-mails, then saves them in bulk."""

    def __init__(self, ctx: DemoContext, password_hash: str) -> None:
        self.ctx = ctx
        self.password_hash = password_hash
        self.seen: set[str] = set()
        self.pending: list[User] = []

    def make(self, role: Role, unit: OrgUnit, region: Region | None, title: str, name: tuple[str, str] | None = None) -> User:
        first, last = name or (self.ctx.rng.choice(FIRST_NAMES), self.ctx.rng.choice(LAST_NAMES))
        base = fold(f"{first}.{last}").replace(" ", "-").replace("'", "")
        email, n = f"{base}@comptoir-demo.fr", 1
        while email in self.seen:
            n += 1
            email = f"{base}{n}@comptoir-demo.fr"
        self.seen.add(email)
        user = User(
            email=email,
            first_name=first,
            last_name=last,
            role=role,
            unit=unit,
            region=region,
            job_title=title,
            password=self.password_hash,
            language="fr",
            is_staff=role.code == "admin",
            is_superuser=role.code == "admin",
        )
        user.search_text = user.compute_search_text()
        self.pending.append(user)
        return user

    def save(self, only: list[User]) -> None:
        """Insert `only` (a part of the pending people) in batches, with a progress bar."""
        bar = self.ctx.progress("people", len(only))
        for start in range(0, len(only), 2000):
            User.objects.bulk_create(only[start : start + 2000])
            bar.update(min(start + 2000, len(only)))


def build(ctx: DemoContext) -> None:
    units, regions, roles = ensure_reference_data()
    people = _People(ctx, make_password(DEMO_PASSWORD))
    business_units = [units["horeca"], units["trade"], units["office"]]
    region_list = list(regions.values())
    # The reference: 3 directors, 21 regional managers, 6 KAMs, 8 HQ, 8 customer relations, 1 admin,
    # and the reps (238 at 285 people); --scale keeps the proportions with more teams per region.
    staff = {"kam": 6, "hq": 8, "cr_agent": 8}
    if ctx.scale:
        staff = {k: max(v, int(v * ctx.factor())) for k, v in staff.items()}
    teams_per_pair = max(1, math.ceil(ctx.people / 285))
    directors = [
        people.make(roles["director"], bu, None, f"Directeur·rice {bu.name}", name=("Hélène", "Marchand") if i == 0 else None)
        for i, bu in enumerate(business_units)
    ]
    managers: list[tuple[User, OrgUnit, Region, User]] = []
    for d_index, bu in enumerate(business_units):
        for r_index, region in enumerate(region_list):
            for _k in range(teams_per_pair):
                name = ("Julien", "Roux") if (d_index, r_index, _k) == (0, 0, 0) else None
                manager = people.make(roles["manager"], bu, region, f"Responsable régional {bu.name}", name=name)
                managers.append((manager, bu, region, directors[d_index]))
    kams = [
        people.make(roles["kam"], units["key-accounts"], None, "Responsable grands comptes", name=("Sophie", "Laurent") if i == 0 else None)
        for i in range(staff["kam"])
    ]
    hq = [
        people.make(roles["hq"], units["hq"], None, "Opérations commerciales", name=("Nicolas", "Fournier") if i == 0 else None)
        for i in range(staff["hq"])
    ]
    agents = [
        people.make(roles["cr_agent"], units["customer-relations"], None, "Chargée de relation client", name=("Aurélie", "Blanc") if i == 0 else None)
        for i in range(staff["cr_agent"])
    ]
    admin = people.make(roles["admin"], units["hq"], None, "Administrateur Comptoir", name=("Admin", "Comptoir"))
    remaining = ctx.people - len(people.pending)
    reps: list[tuple[User, int]] = []
    for index in range(max(remaining, 0)):
        team_index = index % len(managers)
        _m, bu, region, _d = managers[team_index]
        name = ("Léa", "Martin") if index == 0 else None
        reps.append((people.make(roles["rep"], bu, region, f"Commercial·e {bu.name}", name=name), team_index))
    # Saved top-down so that each level's manager already has an id: no mass UPDATE afterwards.
    head_of_hq = hq[0]
    for person in [*hq[1:], *kams, *agents, *directors]:
        person.manager = head_of_hq
    for manager, _bu, _region, director in managers:
        manager.manager = director
    manager_ids = {id(m) for m, _b, _r, _d in managers}
    rep_ids = {id(r) for r, _t in reps}
    pending = people.pending
    people.save(only=[p for p in pending if p is head_of_hq])
    people.save(only=[p for p in pending if p is not head_of_hq and id(p) not in manager_ids | rep_ids])
    people.save(only=[p for p in pending if id(p) in manager_ids])
    teams = [
        Team(name=f"{bu.name} {region.name}" + (f" {k + 1}" if teams_per_pair > 1 else ""), unit=bu, region=region, manager=manager)
        for k_index, (manager, bu, region, _d) in enumerate(managers)
        for k in [k_index % teams_per_pair]
    ]
    Team.objects.bulk_create(teams)
    for team, (manager, _bu, _region, _director) in zip(teams, managers, strict=True):
        manager.team = team
    User.objects.bulk_update([m for m, _b, _r, _d in managers], ["team"], batch_size=1000)
    for rep, team_index in reps:
        rep.team = teams[team_index]
        rep.manager = managers[team_index][0]
    people.save(only=[p for p in pending if id(p) in rep_ids])
    ctx.shared["admin"] = admin


def demo_logins() -> list[tuple[str, str]]:
    logins = []
    for code in DEMO_LOGIN_ROLES:
        person = User.objects.filter(role__code=code, is_active=True).select_related("role").order_by("id").first()
        if person is not None and person.role is not None:
            logins.append((f"{person.role.name_en}", person.email))
    return logins
