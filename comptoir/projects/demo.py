"""Three improvement projects over the demo's customer voice.

The voice demo tells a story in its answers (see `comptoir/voice/demo.py`): delivery slots improve
after a project started nine months ago; rebates get worse this quarter; Office machine installations
stay hard. The projects below are dated to match, so their pages show one significant improvement
(delivery), one that has not turned the tide yet (rebates) and one with no measurable change so far
(installations). Nothing here forces a verdict: the page measures it from the responses.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q

from comptoir.core import clock
from comptoir.core.demo import DemoContext
from comptoir.org.models import OrgUnit, User
from comptoir.projects.models import Milestone, Project, ProjectComment, ProjectLink

PROJECTS: list[dict[str, Any]] = [
    {
        "title": "Créneaux de livraison de deux heures",
        "problem": "Les clients HoReCa reçoivent leur livraison hors du créneau annoncé et doivent décaler le service. "
        "Nous testons des créneaux de deux heures confirmés la veille par SMS.",
        "days_ago": 274,
        "status": Project.Status.RUNNING,
        "steps": ["delivery"],
        "units": [],
        "milestones": [
            ("Pilote sur deux plateformes", -240, True),
            ("Généralisation nationale", -150, True),
            ("Bilan à un an", 90, False),
        ],
        "links": [
            ("verbatim", "Verbatims « livraison hors créneau »", "/voice/"),
            ("recommendation", "Remontée terrain : créneaux fixes le mardi", "/feed/"),
        ],
    },
    {
        "title": "Remise immédiate au lieu du dossier papier",
        "problem": "Les remises promotionnelles arrivent des semaines après l'achat, après un dossier papier. "
        "Nous voulons appliquer la remise directement sur la facture.",
        "days_ago": 45,
        "status": Project.Status.RUNNING,
        "steps": ["promotion"],
        "units": [],
        "milestones": [
            ("Accord de la direction financière", -30, True),
            ("Remise sur facture pour le Trade", 30, False),
        ],
        "links": [("verbatim", "Verbatims « remise en retard »", "/voice/")],
    },
    {
        "title": "Suivi des installations de machines",
        "problem": "En Office, l'installation des machines à café demande trop d'efforts au client (plusieurs passages, "
        "réglages). Un appel de suivi à J+7 et une fiche de réglage laissée sur place.",
        "days_ago": 120,
        "status": Project.Status.RUNNING,
        "steps": ["installation"],
        "units": ["office"],
        "milestones": [("Fiche de réglage imprimée", -100, True), ("Appel J+7 systématique", -60, False)],
        "links": [("recommendation", "Idée terrain : fiche plastifiée sur la machine", "/feed/")],
    },
]


def build(ctx: DemoContext) -> None:
    from comptoir.voice.models import JourneyStep

    rng = ctx.rng
    today = clock.today()
    now = clock.now()
    directors = list(User.objects.filter(role__code="director", is_active=True).order_by("id"))
    reps = list(User.objects.filter(role__code__in=["rep", "manager"], is_active=True).order_by("id")[:400])
    if not reps:
        return
    steps = {s.code: s for s in JourneyStep.objects.all()}
    units = {u.code: u for u in OrgUnit.objects.all()}
    for index, spec in enumerate(PROJECTS):
        started = today - dt.timedelta(days=spec["days_ago"])
        author = rng.choice(reps)
        project = Project.objects.create(
            title=spec["title"],
            problem=spec["problem"],
            status=spec["status"],
            started_on=started,
            baseline_days=180,
            created_by=author,
            facilitator=directors[index % len(directors)] if directors else None,
            created_at=now - dt.timedelta(days=spec["days_ago"] + 20),
            updated_at=now,
        )
        project.members.set({author, *rng.sample(reps, min(4, len(reps)))})
        project.steps.set([steps[c] for c in spec["steps"] if c in steps])
        project.units.set([units[c] for c in spec["units"] if c in units])
        Milestone.objects.bulk_create(
            [
                Milestone(
                    project=project,
                    title=title,
                    due_on=started + dt.timedelta(days=spec["days_ago"] + offset),
                    done_on=(started + dt.timedelta(days=spec["days_ago"] + offset)) if done else None,
                )
                for title, offset, done in spec["milestones"]
            ]
        )
        ProjectLink.objects.bulk_create(
            [ProjectLink(project=project, kind=k, label=label, url=url) for k, label, url in spec["links"]]
        )
        if project.facilitator is not None:
            ProjectComment.objects.create(
                project=project,
                author=project.facilitator,
                body="Je vous mets en relation avec la logistique et la finance. Tenez-moi au courant des premiers retours clients.",
                created_at=now - dt.timedelta(days=spec["days_ago"] - 5),
            )
    # A proposed idea, not started: no effect to measure yet.
    idea = Project.objects.create(
        title="Click & collect : prévenir quand la commande est prête",
        problem="Des clients attendent au comptoir alors que la commande n'est pas prête.",
        status=Project.Status.PROPOSED,
        created_by=reps[0],
        created_at=now - dt.timedelta(days=5),
        updated_at=now,
    )
    idea.members.set([reps[0]])
    idea.steps.set([s for c, s in steps.items() if c == "click_collect"])
    ctx.stdout.write(
        f"  projects: {Project.objects.filter(~Q(status=Project.Status.PROPOSED)).count()} running"
    )
