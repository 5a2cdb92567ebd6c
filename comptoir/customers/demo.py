"""The demo's customers: about 3,000 accounts (HoReCa, Trade, Office) in French towns, their
contacts and owner history, and a handful of groups whose framework agreements are at different
stages of roll-out. Everything in bulk: `demo --scale N` grows the volumes with the organisation
(about 10.5 accounts per person, so --scale 9500 builds 100,000 accounts and 1,000 agreements)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from comptoir.core import clock
from comptoir.core.bulk import insert_rows, next_ids
from comptoir.core.demo import DemoContext
from comptoir.customers.models import (
    Account,
    AccountOwnership,
    AgreementSite,
    Contact,
    FrameworkAgreement,
    Segment,
    SiteStatusChange,
)
from comptoir.org.demo import FIRST_NAMES, LAST_NAMES
from comptoir.org.models import OrgUnit, Region, User

ACCOUNTS_PER_PERSON = 3000 / 285
BATCH = 5000

SEGMENTS = (
    ("key", "Grand compte", "Key account", 1),
    ("large", "Grand", "Large", 2),
    ("medium", "Moyen", "Medium", 3),
    ("small", "Petit", "Small", 4),
)
TOWNS: dict[str, list[tuple[str, str]]] = {
    "idf": [("Paris", "75011"), ("Paris", "75002"), ("Boulogne-Billancourt", "92100"), ("Saint-Denis", "93200"), ("Versailles", "78000"), ("Créteil", "94000"), ("Nanterre", "92000")],
    "nord": [("Lille", "59000"), ("Roubaix", "59100"), ("Amiens", "80000"), ("Arras", "62000"), ("Dunkerque", "59140"), ("Beauvais", "60000")],
    "est": [("Strasbourg", "67000"), ("Metz", "57000"), ("Nancy", "54000"), ("Reims", "51100"), ("Mulhouse", "68100"), ("Colmar", "68000")],
    "rhone-alpes": [("Lyon", "69002"), ("Grenoble", "38000"), ("Saint-Étienne", "42000"), ("Annecy", "74000"), ("Clermont-Ferrand", "63000"), ("Chambéry", "73000")],
    "paca": [("Marseille", "13001"), ("Nice", "06000"), ("Toulon", "83000"), ("Aix-en-Provence", "13100"), ("Avignon", "84000"), ("Cannes", "06400")],
    "sud-ouest": [("Bordeaux", "33000"), ("Toulouse", "31000"), ("Montpellier", "34000"), ("Biarritz", "64200"), ("Nîmes", "30000"), ("Perpignan", "66000")],
    "ouest": [("Nantes", "44000"), ("Rennes", "35000"), ("Brest", "29200"), ("Angers", "49000"), ("Le Mans", "72000"), ("Vannes", "56000")],
}
STREETS = ["rue de la République", "avenue Jean-Jaurès", "place du Marché", "rue Victor-Hugo", "boulevard Gambetta", "rue Nationale", "quai des Chartrons", "rue de la Gare", "cours Mirabeau", "rue du Commerce"]
NAMES: dict[str, tuple[list[str], list[str]]] = {
    "horeca": (
        ["Café", "Brasserie", "Bistrot", "Hôtel", "Restaurant", "Bar", "Auberge", "Crêperie", "Salon de thé"],
        ["du Port", "de la Gare", "des Halles", "du Marché", "Le Central", "des Amis", "de la Place", "du Théâtre", "Saint-Michel", "du Canal", "Les Tilleuls", "de l'Univers"],
    ),
    "trade": (
        ["Épicerie fine", "Cave", "Torréfaction", "Boutique", "Maison", "Comptoir", "Droguerie", "Fromagerie"],
        ["des Saveurs", "Gourmande", "du Terroir", "Artisanale", "des Arômes", "du Coin", "Delacroix", "Bonnefoy", "des Gourmets"],
    ),
    "office": (
        ["Cabinet", "Agence", "Bureaux", "Société", "Groupe", "Studio", "Étude", "Atelier"],
        ["Durand & Associés", "Conseil", "Numérique", "Immobilier", "Architecture", "Expertise", "Notariale", "Ingénierie", "Logistique"],
    ),
}
JOB_TITLES = {
    "horeca": ["Gérant·e", "Directeur·rice", "Chef de cuisine", "Responsable de salle", "Propriétaire"],
    "trade": ["Gérant·e", "Propriétaire", "Responsable achats", "Vendeur·se"],
    "office": ["Office manager", "Responsable des services généraux", "Assistant·e de direction", "Directeur·rice administratif"],
}


@dataclass(frozen=True)
class GroupPlan:
    name: str
    unit: str
    sites: int
    agreement: str
    stage: str  # how far the roll-out went: "early", "midway", "late", "done", "signed"
    months: int  # how long ago the agreement started


GROUPS = (
    GroupPlan("Groupe Hôtelier Azur", "horeca", 90, "Accord cadre Azur Hôtels 2026", "midway", 7),
    GroupPlan("Brasseries du Nord Réunies", "horeca", 45, "Accord Brasseries du Nord", "late", 11),
    GroupPlan("Boulangeries Pain Doré", "trade", 70, "Accord Pain Doré : espace café", "early", 3),
    GroupPlan("Les Caves Réunies", "trade", 35, "Accord Caves Réunies 2025", "done", 16),
    GroupPlan("Conseil & Bureaux SA", "office", 60, "Accord national Conseil & Bureaux", "midway", 8),
    GroupPlan("Coworking Ruche", "office", 25, "Accord Ruche : machines en libre-service", "signed", 1),
    GroupPlan("Restaurants Le Bon Goût", "horeca", 40, "Accord Le Bon Goût", "late", 13),
    GroupPlan("Hôtels Escale", "horeca", 30, "Accord Escale : petits-déjeuners", "early", 4),
)
STAGE_MIX = {  # share of sites (deployed, in progress, refused) at the end of the story
    "signed": (0.0, 0.05, 0.0),
    "early": (0.15, 0.3, 0.02),
    "midway": (0.5, 0.25, 0.05),
    "late": (0.35, 0.2, 0.1),
    "done": (0.9, 0.0, 0.1),
}
STAGE_STATUS = {
    "signed": FrameworkAgreement.Status.SIGNED,
    "early": FrameworkAgreement.Status.ROLLING_OUT,
    "midway": FrameworkAgreement.Status.ROLLING_OUT,
    "late": FrameworkAgreement.Status.ROLLING_OUT,
    "done": FrameworkAgreement.Status.COMPLETED,
}


def _segments() -> list[Segment]:
    for code, name, name_en, rank in SEGMENTS:
        Segment.objects.update_or_create(code=code, defaults={"name": name, "name_en": name_en, "rank": rank})
    return list(Segment.objects.order_by("rank"))


def build(ctx: DemoContext) -> None:
    rng = ctx.rng
    now = clock.now()
    segments = _segments()
    units = {u.code: u for u in OrgUnit.objects.filter(kind=OrgUnit.Kind.BUSINESS_UNIT)}
    regions = {r.code: r for r in Region.objects.all()}
    reps: dict[tuple[int, int], list[int]] = defaultdict(list)
    for pk, unit_id, region_id in User.objects.filter(role__code="rep", is_active=True).values_list("id", "unit_id", "region_id"):
        reps[(unit_id, region_id)].append(pk)
    kams = list(User.objects.filter(role__code="kam", is_active=True).order_by("id").values_list("id", flat=True))
    if not units or not regions:
        return
    unit_list, region_list = list(units.values()), list(regions.values())
    total = max(60, round(ACCOUNTS_PER_PERSON * ctx.people))
    # At scale, 1,000 agreements for 100,000 accounts (the figure the benchmark is held to).
    group_factor = max(1, round(ctx.factor() * 3.75)) if ctx.scale else 1
    seq = iter(range(1, 10**9))
    # Ids given here, rows written by `insert_rows`: 100,000 accounts in seconds, not minutes.
    account_ids = next_ids(Account)

    def new_account(unit: OrgUnit, region: Region, name: str | None = None, parent: Account | None = None) -> Account:
        first, second = NAMES[unit.code]
        town, postcode = rng.choice(TOWNS.get(region.code, [("Paris", "75001")]))
        owners = reps.get((unit.pk, region.pk)) or []
        roll = rng.random()
        account = Account(
            id=next(account_ids),
            external_id=f"CRM-{next(seq):06d}",
            name=name or f"{rng.choice(first)} {rng.choice(second)}",
            unit=unit,
            region=region,
            owner_id=rng.choice(owners) if owners and roll > 0.02 else None,
            parent=parent,
            segment=rng.choices(segments, weights=(1, 3, 8, 12))[0] if segments else None,
            status=Account.Status.PROSPECT if roll > 0.9 else (Account.Status.LOST if roll > 0.86 else Account.Status.ACTIVE),
            address=f"{rng.randint(1, 140)} {rng.choice(STREETS)}",
            postcode=postcode,
            city=town,
        )
        account.name = f"{account.name} {town}" if not name else account.name
        account.search_text = account.compute_search_text()
        return account

    # The groups first (their sites point at them), then every other account.
    plans = [plan for plan in GROUPS for _copy in range(group_factor)]
    groups = [
        new_account(units[plan.unit], regions.get("idf", region_list[0]), name=plan.name + (f" {i // len(GROUPS) + 1}" if i >= len(GROUPS) else ""))
        for i, plan in enumerate(plans)
    ]
    for group in groups:
        group.owner_id, group.segment, group.status = None, segments[0] if segments else None, Account.Status.ACTIVE
    insert_rows(Account, groups, batch=BATCH)
    bar = ctx.progress("accounts", total)
    sites_of: list[list[Account]] = []
    pending: list[Account] = []
    for plan, group in zip(plans, groups, strict=True):
        sites = [new_account(units[plan.unit], rng.choice(region_list), parent=group) for _n in range(plan.sites)]
        for site in sites:
            site.name = f"{plan.name.split(' ', 1)[-1]} {site.city}"
            site.status = Account.Status.ACTIVE
            site.search_text = site.compute_search_text()
        sites_of.append(sites)
        pending.extend(sites)
    while len(pending) + len(groups) < total:
        pending.append(new_account(rng.choice(unit_list), rng.choice(region_list)))
    for start in range(0, len(pending), BATCH):
        insert_rows(Account, pending[start : start + BATCH], batch=BATCH)
        bar.update(min(start + BATCH, len(pending)) + len(groups))
    accounts = groups + pending

    # Owner history: when each owner took the account, and for one account in eight an earlier owner.
    ownerships: list[AccountOwnership] = []
    ownership_ids = next_ids(AccountOwnership)
    for account in accounts:
        if not account.owner_id:
            continue
        since = now - dt.timedelta(days=rng.randint(30, 1100))
        ownerships.append(
            AccountOwnership(id=next(ownership_ids), account=account, owner_id=account.owner_id, started_at=since)
        )
        peers = reps.get((account.unit_id, account.region_id), [])
        if len(peers) > 1 and rng.random() < 0.125:
            before = rng.choice([p for p in peers if p != account.owner_id])
            ownerships.append(
                AccountOwnership(
                    id=next(ownership_ids), account=account, owner_id=before, started_at=since - dt.timedelta(days=rng.randint(90, 700)), ended_at=since
                )
            )
    insert_rows(AccountOwnership, ownerships, batch=BATCH)

    contacts: list[Contact] = []
    contact_ids = next_ids(Contact)
    for account in accounts:
        for _n in range(1 if rng.random() < 0.6 else 2):
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            contacts.append(
                Contact(
                    id=next(contact_ids),
                    account=account,
                    external_id=f"CT-{next(seq):07d}",
                    first_name=first,
                    last_name=last,
                    job_title=rng.choice(JOB_TITLES[account.unit.code]) if account.unit.code in JOB_TITLES else "",
                    email=f"{first[0]}.{last}{rng.randint(1, 99)}@client-demo.fr".lower().replace(" ", ""),
                    phone=f"0{rng.randint(1, 7)} {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}",
                    language=Contact.Language.EN if rng.random() < 0.06 else Contact.Language.FR,
                    survey_consent=rng.random() < 0.8,
                )
            )
    insert_rows(Contact, contacts, batch=BATCH)
    if kams:
        _agreements(ctx, plans, groups, sites_of, kams, now)


def _agreements(
    ctx: DemoContext, plans: list[GroupPlan], groups: list[Account], sites_of: list[list[Account]], kams: list[int], now: dt.datetime
) -> None:
    rng = ctx.rng
    agreements = []
    for index, (plan, group) in enumerate(zip(plans, groups, strict=True)):
        starts = (now - dt.timedelta(days=30 * plan.months)).date()
        agreements.append(
            FrameworkAgreement(
                external_id=f"AC-{index + 1:04d}",
                name=plan.agreement + (f" ({index // len(GROUPS) + 1})" if index >= len(GROUPS) else ""),
                kam_id=kams[index % len(kams)],
                group=group,
                starts_on=starts,
                ends_on=starts + dt.timedelta(days=3 * 365),
                rollout_due_on=starts + dt.timedelta(days=30 * (9 if plan.stage != "late" else 8)),
                status=STAGE_STATUS[plan.stage],
                description=f"Équipement et approvisionnement des sites de {group.name}.",
            )
        )
    FrameworkAgreement.objects.bulk_create(agreements, batch_size=BATCH)
    sites: list[AgreementSite] = []
    site_ids, change_ids = next_ids(AgreementSite), next_ids(SiteStatusChange)
    story: list[tuple[AgreementSite, list[tuple[str, dt.datetime, int | None]]]] = []
    for plan, agreement, accounts in zip(plans, agreements, sites_of, strict=True):
        deployed, in_progress, refused = STAGE_MIX[plan.stage]
        start = dt.datetime.combine(agreement.starts_on, dt.time(9), tzinfo=now.tzinfo)
        span = max((now - start).total_seconds(), 3600)
        for account in accounts:
            roll = rng.random()
            final = (
                AgreementSite.Rollout.DEPLOYED if roll < deployed
                else AgreementSite.Rollout.IN_PROGRESS if roll < deployed + in_progress
                else AgreementSite.Rollout.REFUSED if roll < deployed + in_progress + refused
                else AgreementSite.Rollout.NOT_STARTED
            )
            # The way there: started first, deployed (or refused) some weeks later, by the owning rep.
            steps: list[tuple[str, dt.datetime, int | None]] = []
            begun = start + dt.timedelta(seconds=span * rng.uniform(0.05, 0.6))
            if final in (AgreementSite.Rollout.IN_PROGRESS, AgreementSite.Rollout.DEPLOYED):
                steps.append((AgreementSite.Rollout.IN_PROGRESS, begun, account.owner_id or agreement.kam_id))
            if final in (AgreementSite.Rollout.DEPLOYED, AgreementSite.Rollout.REFUSED):
                done = min(now, begun + dt.timedelta(seconds=span * rng.uniform(0.05, 0.4)))
                steps.append((final, done, account.owner_id or agreement.kam_id))
            site = AgreementSite(
                id=next(site_ids),
                agreement=agreement,
                account=account,
                status=final,
                status_changed_at=steps[-1][1] if steps else None,
                status_changed_by_id=steps[-1][2] if steps else None,
            )
            sites.append(site)
            story.append((site, steps))
    insert_rows(AgreementSite, sites, batch=BATCH)
    changes = []
    for site, steps in story:
        previous: str = AgreementSite.Rollout.NOT_STARTED
        for status, when, by in steps:
            changes.append(
                SiteStatusChange(
                    id=next(change_ids), site=site, agreement=site.agreement, from_status=previous, to_status=status, changed_at=when, changed_by_id=by
                )
            )
            previous = status
    insert_rows(SiteStatusChange, changes, batch=BATCH)
