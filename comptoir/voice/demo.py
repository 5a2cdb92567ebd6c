"""The customer's voice in the demo: surveys per journey step and 18 months of answers (~30,000 for
the 285-person organisation) whose trends tell a story customer relations can find:

- delivery slots were the main pain until a delivery project nine months ago, then improve;
- machine installations in the Office unit drag effort and NPS down all along;
- rebates degrade over the last quarter (a promotion whose rebate arrives late);
- invoicing is a steady source of detractors; HoReCa answers grow in the last quarter (mix effect).

Rows are bulk-inserted (COPY on PostgreSQL, executemany on SQLite) and counted into the roll-ups as
they are drawn, so `--scale` reaches 10 million responses (COMPTOIR_VOICE_RESPONSES overrides the number) with a progress bar.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import os
import random
import secrets
from collections.abc import Callable
from typing import Any

from django.db import connection
from django.utils import timezone

from comptoir.core.demo import DemoContext
from comptoir.core.text import fold
from comptoir.customers.models import Account, AccountOwnership, Contact, Segment
from comptoir.org.models import OrgUnit, Region, Role, User
from comptoir.voice.loader import Drawn, load
from comptoir.voice.models import JourneyStep, Response, Rollup, Survey, VoiceSettings
from comptoir.voice.rollups import measures_of
from comptoir.voice.services import survey_defaults

MONTHS = 18
RESPONSES_PER_PERSON = 30_000 / 285
SCALE_RESPONSES = 10_000_000

VERBATIMS: dict[str, dict[str, list[str]]] = {
    "delivery": {
        "bad": [
            "Livraison arrivée en dehors du créneau, on a dû décaler le service du midi.",
            "Le livreur est passé à 11h45 au lieu de 8h, en plein coup de feu.",
            "Deux livraisons en retard ce mois-ci, sans prévenir.",
            "Créneau de livraison trop large, impossible de s'organiser.",
        ],
        "good": [
            "Livreur ponctuel et aimable, rien à redire.",
            "Les livraisons arrivent maintenant à l'heure, merci !",
            "Créneau respecté et SMS de prévenance très pratique.",
        ],
    },
    "installation": {
        "bad": [
            "Machine à café en panne trois jours après l'installation.",
            "Le technicien n'avait pas la bonne pièce, deuxième intervention nécessaire.",
            "Installation reportée deux fois, aucune explication.",
        ],
        "good": [
            "Installation rapide et propre, le technicien a formé l'équipe.",
            "Machine installée en une heure, parfait.",
        ],
    },
    "promotion": {
        "bad": [
            "La remise promise n'apparaît toujours pas sur la facture.",
            "Ristourne de fin d'année versée avec trois mois de retard.",
            "Conditions de la promotion incompréhensibles.",
        ],
        "good": [
            "Remise appliquée directement, c'est simple.",
            "Bonne promotion sur les produits de saison.",
        ],
    },
    "invoicing": {
        "bad": [
            "Erreur de prix sur la facture, encore un avoir à demander.",
            "Facturation illisible, on ne retrouve pas nos commandes.",
            "Prélèvement effectué deux fois ce mois-ci.",
        ],
        "good": [
            "Factures claires et envoyées à temps.",
            "Le service facturation a corrigé l'erreur en une journée.",
        ],
    },
    "order": {
        "bad": [
            "Le site de commande plante le dimanche soir.",
            "Produits en rupture découverts à la livraison.",
        ],
        "good": ["Commande en ligne très facile depuis l'application.", "Commande passée en deux minutes."],
    },
    "click_collect": {
        "bad": [
            "Commande pas prête à l'heure au retrait.",
            "Attente de vingt minutes au comptoir de retrait.",
        ],
        "good": ["Retrait rapide, commande prête.", "Le click & collect nous fait gagner du temps."],
    },
    "customer_service": {
        "bad": [
            "Impossible de joindre le service client avant 10h.",
            "Réponse au bout d'une semaine à ma réclamation.",
        ],
        "good": ["Service client réactif et aimable.", "Mon commercial est toujours de bon conseil."],
    },
    "": {
        "bad": ["Relation qui se dégrade, on se sent moins suivis.", "Prix en hausse sans explication."],
        "good": [
            "Un partenaire fiable depuis des années.",
            "Très bon suivi de notre commercial, à l'écoute.",
        ],
    },
}

# Mean score shift (on the 0-10 scale) by step, unit and segment; time effects in `_story`.
STEP_EFFECT = {
    "order": 0.3,
    "delivery": -0.6,
    "installation": -0.4,
    "promotion": 0.0,
    "click_collect": 0.4,
    "customer_service": 0.0,
    "invoicing": -0.8,
}
UNIT_EFFECT = {"horeca": 0.1, "trade": 0.4, "office": -0.3}
SEGMENT_NAMES = [
    ("grand-compte", "Grand compte", "Key account"),
    ("grand", "Grand", "Large"),
    ("moyen", "Moyen", "Medium"),
    ("petit", "Petit", "Small"),
]
ACCOUNT_NAMES = [
    "Brasserie",
    "Café",
    "Restaurant",
    "Hôtel",
    "Boulangerie",
    "Cantine",
    "Bistrot",
    "Traiteur",
    "Bureaux",
    "Épicerie",
]
PLACES = ["du Port", "de la Gare", "Saint-Michel", "des Halles", "Central", "du Marché", "Les Tilleuls"]
CITIES = [
    "Paris",
    "Lille",
    "Strasbourg",
    "Lyon",
    "Marseille",
    "Bordeaux",
    "Nantes",
    "Reims",
    "Nice",
    "Toulouse",
    "Rennes",
]


def _story(step: str, unit: str, months_ago: int) -> float:
    shift = STEP_EFFECT.get(step, 0.0) + UNIT_EFFECT.get(unit, 0.0)
    if step == "delivery" and months_ago < 9:
        shift += 0.9 * (9 - months_ago) / 9  # the delivery project pays off
    if step == "promotion" and months_ago < 3:
        shift -= 1.2  # late rebates this quarter
    if step == "installation" and unit == "office":
        shift -= 0.8
    return shift


def _accounts(ctx: DemoContext) -> list[tuple[int, int, int, int | None, int | None, int | None, str]]:
    """(account, unit, region, segment, owner, team, unit code) for the accounts answering. Uses the
    customers demo's accounts; builds a small base itself when there are none yet."""
    rows: list[Any] = list(
        Account.objects.filter(status=Account.Status.ACTIVE).values_list(
            "id", "unit_id", "region_id", "segment_id", "owner_id", "owner__team_id", "unit__code"
        )
    )
    if rows:
        return rows
    rng = ctx.rng
    segments = []
    for rank, (code, name, name_en) in enumerate(SEGMENT_NAMES):
        seg, _c = Segment.objects.get_or_create(
            code=code, defaults={"name": name, "name_en": name_en, "rank": rank}
        )
        segments.append(seg)
    reps = list(
        User.objects.filter(role__code="rep", is_active=True, unit__isnull=False, region__isnull=False)
    )
    if not reps:
        role = Role.objects.filter(code="rep").first()
        unit = OrgUnit.objects.filter(kind=OrgUnit.Kind.BUSINESS_UNIT).first()
        region = Region.objects.first()
        if role is None or unit is None or region is None:
            return []
        reps = [
            User.objects.create_user(
                email="voice.rep@demo.comptoir",
                password=None,
                first_name="Léa",
                last_name="Demo",
                role=role,
                unit=unit,
                region=region,
            )
        ]
    per_rep = max(5, int(35 * min(ctx.factor(), 1.0)))
    accounts: list[Account] = []
    for rep in reps:
        for _i in range(per_rep):
            accounts.append(
                Account(
                    name=f"{rng.choice(ACCOUNT_NAMES)} {rng.choice(PLACES)} {len(accounts) + 1}",
                    unit=rep.unit,
                    region=rep.region,
                    owner=rep,
                    segment=rng.choices(segments, weights=[1, 3, 6, 10])[0],
                    city=rng.choice(CITIES),
                )
            )
    Account.objects.bulk_create(accounts, batch_size=2000)
    start = timezone.now() - dt.timedelta(days=31 * (MONTHS + 6))
    AccountOwnership.objects.bulk_create(
        [AccountOwnership(account=a, owner=a.owner, started_at=start) for a in accounts if a.owner],
        batch_size=2000,
    )
    contacts = []
    for a in accounts:
        for k in range(rng.choice([1, 1, 2, 3])):
            contacts.append(
                Contact(
                    account=a,
                    first_name=rng.choice(
                        ["Camille", "Nicolas", "Sophie", "Karim", "Julie", "Thomas", "Inès", "Marc"]
                    ),
                    last_name=rng.choice(
                        ["Martin", "Bernard", "Dubois", "Moreau", "Laurent", "Garcia", "Roux", "Fournier"]
                    ),
                    email=f"contact{a.pk}.{k}@client.example",
                    language="en" if rng.random() < 0.06 else "fr",
                    survey_consent=rng.random() < 0.85,
                )
            )
    Contact.objects.bulk_create(contacts, batch_size=2000)
    return _accounts(ctx)


def _surveys(steps: dict[str, JourneyStep], admin: Any) -> dict[str, int]:
    surveys: dict[str, int] = {}
    relational = Survey.objects.create(
        name="Baromètre relationnel",
        kind=Survey.Kind.RELATIONAL,
        status=Survey.Status.ACTIVE,
        title="Votre avis sur notre relation",
        title_en="Your opinion of our relationship",
        created_by=admin,
        **survey_defaults(None),
    )
    surveys[""] = relational.pk
    for code, step in steps.items():
        survey = Survey.objects.create(
            name=f"Après : {step.name}",
            kind=Survey.Kind.TRANSACTIONAL,
            step=step,
            status=Survey.Status.ACTIVE,
            title=f"Votre avis : {step.name.lower()}",
            title_en=f"Your opinion: {(step.name_en or step.name).lower()}",
            created_by=admin,
            **survey_defaults(step),
        )
        surveys[code] = survey.pk
    return surveys


def generate(
    count: int,
    *,
    rng: random.Random,
    accounts: list[tuple[int, int, int, int | None, int | None, int | None, str]],
    steps: dict[str, JourneyStep],
    surveys: dict[str, int],
    months: int = MONTHS,
    progress: Callable[[int], None] | None = None,
    batch: int = 50_000,
) -> int:
    """Insert `count` responses spread over the last `months` months (a little more volume
    recently) with the demo's story, and their roll-ups (loader.py says how it stays fast)."""
    step_codes = ["", *steps]
    step_ids = [steps[code].pk if code else None for code in step_codes]
    weights = [3, 2, 4, 1, 1.2, 1, 1.5, 1.5][: len(step_codes)]
    cumulative = list(itertools.accumulate(weights))
    horeca = [a for a in accounts if a[6] == "horeca"]
    columns = [
        "survey_id", "account_id", "owner_id", "team_id", "unit_id", "region_id", "segment_id", "step_id",
        "nps", "ces", "comment", "comment_folded", "extra", "language", "source", "answered_at", "updated_at", "edit_key", "client_hash",
    ]  # fmt: skip
    key = secrets.token_urlsafe(32)  # bulk answers are not correctable: one shared, unusable key
    folded = {text: fold(text) for tones in VERBATIMS.values() for texts in tones.values() for text in texts}
    story: dict[tuple[str, str, int], float] = {}
    random_, gauss, choice = rng.random, rng.gauss, rng.choice

    def draw(months_ago: int) -> Drawn:
        pool = horeca if horeca and months_ago < 3 and random_() < 0.25 else accounts
        account_id, unit_id, region_id, segment_id, owner_id, team_id, unit_code = choice(pool)
        index = bisect.bisect(cumulative, random_() * cumulative[-1])
        step = step_codes[index]
        shift = story.get((step, unit_code, months_ago))
        if shift is None:
            shift = story[(step, unit_code, months_ago)] = _story(step, unit_code, months_ago)
        nps = min(10, max(0, round(gauss(7.7 + shift, 2.1))))
        ces = None
        if step and random_() < 0.9:
            ces = min(7, max(1, round(gauss(4.9 + (nps - 7) * 0.35 + shift * 0.5, 1.1))))
        comment = ""
        if random_() < 0.4:
            tone = "bad" if nps <= 6 else "good" if nps >= 9 else choice(["bad", "good"])
            comment = choice(VERBATIMS.get(step, VERBATIMS[""])[tone])
        step_id = step_ids[index]
        body = (
            surveys[step], account_id, owner_id, team_id, unit_id, region_id, segment_id, step_id,
            nps, ces, comment, folded.get(comment, ""), "{}", "fr", "email",
        )  # fmt: skip
        keys = (step_id or 0, unit_id or 0, region_id or 0, segment_id or 0, team_id or 0)
        return body, keys, measures_of(nps, ces, comment)

    table = Response._meta.db_table
    done = load(
        count,
        rng=rng,
        table=table,
        columns=columns,
        draw=draw,
        tail=(key, ""),
        months=months,
        weight=lambda age: 1.15 - 0.3 * age,  # age: 0 (now) to 1 (the oldest day)
        progress=progress,
        batch=batch,
    )
    if connection.vendor == "postgresql":
        # Fresh statistics for the planner: autovacuum would get to millions of new rows later.
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {table}")
            cursor.execute(f"ANALYZE {Rollup._meta.db_table}")
    return done


def build(ctx: DemoContext) -> None:
    VoiceSettings.objects.update_or_create(pk=1, defaults={"min_responses": 30, "throttle_days": 30})
    accounts = _accounts(ctx)
    if not accounts:
        return
    steps = {s.code: s for s in JourneyStep.objects.filter(is_active=True)}
    admin = ctx.shared.get("admin")
    surveys = _surveys(steps, admin)
    if ctx.scale:
        count = int(os.environ.get("COMPTOIR_VOICE_RESPONSES", SCALE_RESPONSES))
    else:
        count = int(os.environ.get("COMPTOIR_VOICE_RESPONSES", RESPONSES_PER_PERSON * ctx.people))
    bar = ctx.progress("Voice: responses", count)
    generate(count, rng=ctx.rng, accounts=accounts, steps=steps, surveys=surveys, progress=bar.advance)
    bar.finish()
