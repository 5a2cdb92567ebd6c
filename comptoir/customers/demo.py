"""The demo's customers: about 3,000 accounts (HoReCa, Trade, Office) in French towns, their
contacts and owner history, and a handful of groups whose framework agreements are at different
stages of roll-out. Everything in bulk: `demo --scale N` grows the volumes with the organisation
(about 10.5 accounts per person, so --scale 9500 builds 100,000 accounts and 1,000 agreements)."""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from comptoir.core import clock
from comptoir.core.bulk import db_datetime_writer, indexes_dropped, insert_tuples, next_ids
from comptoir.core.demo import DemoContext
from comptoir.core.text import fold
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


ACCOUNT_COLUMNS = (
    "id", "external_id", "name", "unit_id", "region_id", "owner_id", "parent_id", "segment_id", "status",
    "address", "postcode", "city", "search_text", "created_at", "updated_at",
)  # fmt: skip
OWNERSHIP_COLUMNS = ("id", "account_id", "owner_id", "started_at", "ended_at", "changed_by_id")
CONTACT_COLUMNS = (
    "id", "account_id", "external_id", "first_name", "last_name", "job_title", "email", "phone", "language",
    "survey_consent", "unsubscribed_at", "app_edits",
)  # fmt: skip
SITE_COLUMNS = ("id", "agreement_id", "account_id", "status", "status_changed_at", "status_changed_by_id")
CHANGE_COLUMNS = ("id", "site_id", "agreement_id", "from_status", "to_status", "changed_at", "changed_by_id")


@dataclass(frozen=True)
class SiteAccount:
    """What the agreements need to know of a site they cover."""

    id: int
    owner_id: int | None


def build(ctx: DemoContext) -> None:
    """Rows go in as tuples of database values (`insert_tuples`), the big tables without their
    secondary indexes until they are full (`indexes_dropped`): 100,000 accounts, their contacts
    and owner history in seconds."""
    rng = ctx.rng
    now = clock.now()
    stamp = db_datetime_writer()
    now_stamp = stamp(now)
    segments = [s.pk for s in _segments()]
    units = {u.code: u.pk for u in OrgUnit.objects.filter(kind=OrgUnit.Kind.BUSINESS_UNIT)}
    regions = dict(Region.objects.values_list("code", "id"))
    reps: dict[tuple[int, int], list[int]] = defaultdict(list)
    for pk, unit_id, region_id in User.objects.filter(role__code="rep", is_active=True).values_list("id", "unit_id", "region_id"):
        reps[(unit_id, region_id)].append(pk)
    kams = list(User.objects.filter(role__code="kam", is_active=True).order_by("id").values_list("id", flat=True))
    if not units or not regions:
        return
    unit_codes = list(units)
    region_codes = list(regions)
    total = max(60, round(ACCOUNTS_PER_PERSON * ctx.people))
    # At scale, 1,000 agreements for 100,000 accounts (the figure the benchmark is held to).
    group_factor = max(1, round(ctx.factor() * 3.75)) if ctx.scale else 1
    seq = iter(range(1, 10**9))
    account_ids = next_ids(Account)
    random, choice, randint = rng.random, rng.choice, rng.randint
    segment_weights = list(itertools.accumulate((1, 3, 8, 12)))[: len(segments)]
    folded: dict[str, str] = {}

    def account_row(
        unit: str, region: str, *, name: str | None = None, parent_id: int | None = None, group: bool = False,
        site_of: str | None = None,
    ) -> tuple[Any, ...]:  # fmt: skip
        unit_id, region_id = units[unit], regions[region]
        town, postcode = choice(TOWNS.get(region, [("Paris", "75001")]))
        owners = reps.get((unit_id, region_id)) or []
        roll = random()
        if name is None:
            first, second = NAMES[unit]
            name = f"{site_of} {town}" if site_of else f"{choice(first)} {choice(second)} {town}"
        external_id = f"CRM-{next(seq):06d}"
        owner_id = choice(owners) if owners and roll > 0.02 and not group else None
        segment_id = None
        if segments:
            segment_id = segments[0] if group else segments[bisect.bisect(segment_weights, random() * segment_weights[-1])]
        status = Account.Status.ACTIVE
        if not group and not site_of:
            status = Account.Status.PROSPECT if roll > 0.9 else (Account.Status.LOST if roll > 0.86 else Account.Status.ACTIVE)
        address = f"{randint(1, 140)} {choice(STREETS)}"
        # Account.compute_search_text, with the (name, town) part folded once per combination.
        place = f"{name} {town} {postcode}"
        search = folded.get(place) or folded.setdefault(place, fold(place))
        search_text = f"{search} {external_id.casefold()}"[:400]
        return (
            next(account_ids), external_id, name, unit_id, region_id, owner_id, parent_id, segment_id, str(status),
            address, postcode, town, search_text, now_stamp, now_stamp,
        )  # fmt: skip

    # The groups first (their sites point at them), then every other account.
    plans = [plan for plan in GROUPS for _copy in range(group_factor)]
    centre = "idf" if "idf" in regions else region_codes[0]
    groups = [
        account_row(plan.unit, centre, name=plan.name + (f" {i // len(GROUPS) + 1}" if i >= len(GROUPS) else ""), group=True)
        for i, plan in enumerate(plans)
    ]
    rows = list(groups)
    sites_of: list[list[SiteAccount]] = []
    for plan, group in zip(plans, groups, strict=True):
        brand = plan.name.split(" ", 1)[-1]
        sites = [account_row(plan.unit, choice(region_codes), parent_id=group[0], site_of=brand) for _n in range(plan.sites)]
        sites_of.append([SiteAccount(site[0], site[5]) for site in sites])
        rows.extend(sites)
    while len(rows) < total:
        rows.append(account_row(choice(unit_codes), choice(region_codes)))

    # Owner history: when each owner took the account, and for one account in eight an earlier owner.
    ownership_ids = next_ids(AccountOwnership)
    ownerships: list[tuple[Any, ...]] = []
    for row in rows:
        account_id, owner_id = row[0], row[5]
        if not owner_id:
            continue
        since = now - dt.timedelta(days=randint(30, 1100))
        ownerships.append((next(ownership_ids), account_id, owner_id, stamp(since), None, None))
        peers = reps.get((row[3], row[4]), [])
        if len(peers) > 1 and random() < 0.125:
            before = choice([p for p in peers if p != owner_id])
            earlier = since - dt.timedelta(days=randint(90, 700))
            ownerships.append((next(ownership_ids), account_id, before, stamp(earlier), stamp(since), None))

    contact_ids = next_ids(Contact)
    code_of = {pk: code for code, pk in units.items()}
    contacts: list[tuple[Any, ...]] = []
    for row in rows:
        titles = JOB_TITLES.get(code_of[row[3]], [""])
        for _n in range(1 if random() < 0.6 else 2):
            first, last = choice(FIRST_NAMES), choice(LAST_NAMES)
            contacts.append(
                (
                    next(contact_ids), row[0], f"CT-{next(seq):07d}", first, last, choice(titles),
                    f"{first[0]}.{last}{randint(1, 99)}@client-demo.fr".lower().replace(" ", ""),
                    f"0{randint(1, 7)} {randint(10, 99)} {randint(10, 99)} {randint(10, 99)} {randint(10, 99)}",
                    Contact.Language.EN.value if random() < 0.06 else Contact.Language.FR.value,
                    random() < 0.8, None, "{}",
                )
            )  # fmt: skip

    bar = ctx.progress("accounts", len(rows))
    with indexes_dropped(Account, AccountOwnership, Contact, rows=len(rows)):
        insert_tuples(Account, ACCOUNT_COLUMNS, rows)
        bar.update(len(rows))
        insert_tuples(AccountOwnership, OWNERSHIP_COLUMNS, ownerships)
        insert_tuples(Contact, CONTACT_COLUMNS, contacts)
    if kams:
        _agreements(ctx, plans, [group[0] for group in groups], sites_of, kams, now)


def _agreements(
    ctx: DemoContext, plans: list[GroupPlan], groups: list[int], sites_of: list[list[SiteAccount]], kams: list[int], now: dt.datetime
) -> None:
    rng = ctx.rng
    stamp = db_datetime_writer()
    agreements = []
    names = dict(Account.objects.filter(pk__in=groups).values_list("id", "name"))
    for index, (plan, group) in enumerate(zip(plans, groups, strict=True)):
        starts = (now - dt.timedelta(days=30 * plan.months)).date()
        agreements.append(
            FrameworkAgreement(
                external_id=f"AC-{index + 1:04d}",
                name=plan.agreement + (f" ({index // len(GROUPS) + 1})" if index >= len(GROUPS) else ""),
                kam_id=kams[index % len(kams)],
                group_id=group,
                starts_on=starts,
                ends_on=starts + dt.timedelta(days=3 * 365),
                rollout_due_on=starts + dt.timedelta(days=30 * (9 if plan.stage != "late" else 8)),
                status=STAGE_STATUS[plan.stage],
                description=f"Équipement et approvisionnement des sites de {names[group]}.",
            )
        )
    FrameworkAgreement.objects.bulk_create(agreements, batch_size=BATCH)
    site_ids, change_ids = next_ids(AgreementSite), next_ids(SiteStatusChange)
    sites: list[tuple[Any, ...]] = []
    changes: list[tuple[Any, ...]] = []
    Rollout = AgreementSite.Rollout
    for plan, agreement, accounts in zip(plans, agreements, sites_of, strict=True):
        deployed, in_progress, refused = STAGE_MIX[plan.stage]
        start = dt.datetime.combine(agreement.starts_on, dt.time(9), tzinfo=now.tzinfo)
        span = max((now - start).total_seconds(), 3600)
        for account in accounts:
            roll = rng.random()
            final = (
                Rollout.DEPLOYED if roll < deployed
                else Rollout.IN_PROGRESS if roll < deployed + in_progress
                else Rollout.REFUSED if roll < deployed + in_progress + refused
                else Rollout.NOT_STARTED
            )  # fmt: skip
            # The way there: started first, deployed (or refused) some weeks later, by the owning rep.
            steps: list[tuple[str, dt.datetime, int | None]] = []
            begun = start + dt.timedelta(seconds=span * rng.uniform(0.05, 0.6))
            by = account.owner_id or agreement.kam_id
            if final in (Rollout.IN_PROGRESS, Rollout.DEPLOYED):
                steps.append((Rollout.IN_PROGRESS.value, begun, by))
            if final in (Rollout.DEPLOYED, Rollout.REFUSED):
                done = min(now, begun + dt.timedelta(seconds=span * rng.uniform(0.05, 0.4)))
                steps.append((final.value, done, by))
            site_id = next(site_ids)
            last = steps[-1] if steps else None
            sites.append(
                (site_id, agreement.pk, account.id, final.value, stamp(last[1]) if last else None, last[2] if last else None)
            )
            previous: str = Rollout.NOT_STARTED.value
            for status, when, who in steps:
                changes.append((next(change_ids), site_id, agreement.pk, previous, status, stamp(when), who))
                previous = status
    insert_tuples(AgreementSite, SITE_COLUMNS, sites)
    insert_tuples(SiteStatusChange, CHANGE_COLUMNS, changes)
