"""The closed loop in the demo: actions raised from detractor responses at every stage.

Customer relations followed about seven detractors in ten over the last six months, plus actions
posted without a response (a rep asking a colleague, an agent after a phone call). Older actions
are mostly closed with a note saying what was done and what the customer said; recent ones are
open or in progress, some overdue (and flagged to the manager once past the delay). Everything is
written with bulk_create and the roll-up is rebuilt in one pass at the end.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q

from comptoir.actions import rollups
from comptoir.actions.models import (
    Action,
    ActionComment,
    ActionEvent,
    ActionKind,
    ActionRule,
    ClosedLoopSettings,
)
from comptoir.core import clock
from comptoir.core.demo import DemoContext
from comptoir.org.models import User
from comptoir.voice.models import DETRACTOR_MAX, Response

S = Action.Status
FOLLOW_SHARE = 0.7
WINDOW_DAYS = 183

CLOSING_NOTES = {
    "delivery": [
        "Appelé le gérant : livraison replanifiée sur le créneau de 7 h. Il apprécie qu'on l'ait rappelé.",
        "Passé sur place avec le chef de secteur logistique ; créneau fixe le mardi. Client rassuré.",
        "Avoir émis pour la livraison manquée, le client dit qu'il attend de voir la prochaine.",
    ],
    "installation": [
        "Technicien revenu régler la machine, formation de l'équipe faite. Le client est satisfait.",
        "Machine remplacée sous garantie ; le client regrette le délai mais reste chez nous.",
    ],
    "promotion": [
        "Expliqué le calcul de la remise, remboursement versé sous huit jours. Client apaisé.",
        "Remise appliquée directement sur la facture suivante, le client remercie.",
    ],
    "invoicing": [
        "Double prélèvement remboursé, excuses présentées. Le client demande une facture mensuelle unique.",
        "Facture corrigée et renvoyée ; le comptable du client confirme que tout est clair.",
    ],
    "": [
        "Rappelé le client : il voulait surtout être écouté. Rendez-vous pris le mois prochain.",
        "Visite faite, point complet sur la commande. Le client reste réservé mais ouvert.",
        "Échange téléphonique, problème résolu. Le client dit qu'il recommandera si ça tient.",
    ],
}
CANCEL_REASONS = [
    "Doublon d'une action déjà ouverte pour ce compte.",
    "Le client a changé d'interlocuteur ; action reprise par le grand compte.",
    "Client injoignable après trois essais ; le compte est en cours de fermeture.",
]
REP_COMMENTS = [
    "J'ai laissé un message, je rappelle demain matin.",
    "Rendez-vous pris jeudi, je passe avec le catalogue.",
    "Le client est en congés jusqu'à lundi.",
]
MANUAL_TITLES = [
    ("visit", "Passer voir le nouveau gérant"),
    ("promotion", "Expliquer l'offre de rentrée au client"),
    ("call_back", "Rappeler suite à un appel au service client"),
    ("delivery", "Vérifier le créneau de livraison avec la plateforme"),
    ("other", "Récupérer le bon de commande signé"),
]


def _step_code(step_id: int | None, steps: dict[int, str]) -> str:
    return steps.get(step_id or 0, "")


def build(ctx: DemoContext) -> None:
    from comptoir.voice.models import JourneyStep

    rng = ctx.rng
    now = clock.now()
    today = clock.today()
    settings = ClosedLoopSettings.current()
    if settings.pk is None:
        settings.save()
    kinds = {k.code: k for k in ActionKind.objects.all()}
    agents = list(User.objects.filter(role__code="cr_agent", is_active=True).order_by("id"))
    if not agents or not kinds:
        return
    ActionRule.objects.get_or_create(
        name="Détracteurs en livraison : rappel sous 48 h",
        defaults={
            "group": ActionRule.Group.DETRACTOR,
            "step": JourneyStep.objects.filter(code="delivery").first(),
            "kind": kinds["delivery"],
            "due_days": 2,
            "author": agents[0],
            "active": False,  # shown in the admin; the demo's actions are built below
        },
    )
    steps = dict(JourneyStep.objects.values_list("id", "code"))
    people = {
        u.pk: u
        for u in User.objects.filter(is_active=True, role__code__in=["rep", "manager"]).only(
            "id", "team_id", "unit_id", "region_id", "manager_id", "first_name", "last_name"
        )
    }
    detractors = list(
        Response.objects.filter(
            answered_at__gte=now - dt.timedelta(days=WINDOW_DAYS),
            nps__lte=DETRACTOR_MAX,
            owner_id__in=list(people),
        )
        .filter(Q(account__isnull=False))
        .order_by("answered_at", "id")
        .values("id", "owner_id", "account_id", "step_id", "nps", "answered_at", "comment")
    )
    followed = [r for r in detractors if rng.random() < FOLLOW_SHARE]
    manual_count = max(200, len(followed) // 4) if followed else int(6 * ctx.people)
    plans: list[dict[str, Any]] = []
    for r in followed:
        raised: dt.datetime = r["answered_at"]
        created = raised + dt.timedelta(hours=rng.uniform(2, 60))
        if created >= now:
            continue
        code = _step_code(r["step_id"], steps)
        kind = {"delivery": "delivery", "promotion": "promotion", "installation": "visit"}.get(
            code, "call_back"
        )
        plans.append(
            {
                "owner": people[r["owner_id"]],
                "account_id": r["account_id"],
                "response_id": r["id"],
                "kind": kinds[kind],
                "step": code,
                "title": f"Rappeler le client ({r['nps']}/10)"
                + (f" – {code.replace('_', ' ')}" if code else ""),
                "description": ("« " + r["comment"] + " »") if r["comment"] else "",
                "created": created,
                "priority": Action.Priority.HIGH if (r["nps"] or 0) <= 4 else Action.Priority.NORMAL,
            }
        )
    reps = [p for p in people.values() if p.team_id]
    for _i in range(manual_count if reps else 0):
        kind_code, title = rng.choice(MANUAL_TITLES)
        plans.append(
            {
                "owner": rng.choice(reps),
                "account_id": None,
                "response_id": None,
                "kind": kinds.get(kind_code, kinds["other"]),
                "step": "",
                "title": title,
                "description": "",
                "created": now - dt.timedelta(days=rng.uniform(0, WINDOW_DAYS), hours=rng.uniform(0, 8)),
                "priority": Action.Priority.NORMAL,
            }
        )
    bar = ctx.progress("Actions", len(plans))
    actions: list[Action] = []
    for plan in plans:
        created = plan["created"]
        age_days = (now - created).total_seconds() / 86400
        due_on = (created + dt.timedelta(days=rng.choice([2, 3, 5, 7]))).date()
        # The older the action, the likelier it is closed; some recent ones are overdue.
        roll = rng.random()
        if age_days > 30:
            status = S.DONE if roll < 0.86 else (S.CANCELLED if roll < 0.93 else S.IN_PROGRESS)
        elif age_days > 7:
            status = (
                S.DONE
                if roll < 0.6
                else (S.IN_PROGRESS if roll < 0.8 else (S.OPEN if roll < 0.95 else S.CANCELLED))
            )
        else:
            status = S.OPEN if roll < 0.55 else (S.IN_PROGRESS if roll < 0.85 else S.DONE)
        first_response: dt.datetime | None = created + dt.timedelta(
            hours=rng.choice([1, 3, 6, 20, 30, 50, 80]) * rng.uniform(0.5, 1.5)
        )
        if first_response is not None and first_response > now:
            first_response = None if status == S.OPEN else now
        if status == S.OPEN and rng.random() < 0.6:
            first_response = None
        closed_at = None
        if status in (S.DONE, S.CANCELLED):
            closed_at = min(now, (first_response or created) + dt.timedelta(hours=rng.uniform(2, 24 * 9)))
            first_response = first_response or closed_at
        owner: User = plan["owner"]
        escalated = None
        if status in (S.OPEN, S.IN_PROGRESS) and due_on < today - dt.timedelta(
            days=settings.escalation_delay_days
        ):
            escalated = dt.datetime.combine(
                due_on + dt.timedelta(days=settings.escalation_delay_days + 1),
                dt.time(7),
                tzinfo=created.tzinfo,
            )
        actions.append(
            Action(
                author=rng.choice(agents),
                assignee_id=owner.pk,
                team_id=owner.team_id,
                unit_id=owner.unit_id,
                region_id=owner.region_id,
                account_id=plan["account_id"],
                response_id=plan["response_id"],
                kind=plan["kind"],
                priority=plan["priority"],
                title=plan["title"][:200],
                description=plan["description"],
                due_on=due_on,
                status=status,
                resolution_note=rng.choice(CLOSING_NOTES.get(plan["step"], CLOSING_NOTES[""]))
                if status == S.DONE
                else "",
                cancel_reason=rng.choice(CANCEL_REASONS) if status == S.CANCELLED else "",
                created_at=created,
                updated_at=closed_at or first_response or created,
                first_response_at=first_response,
                closed_at=closed_at,
                escalated_at=escalated,
            )
        )
    for start in range(0, len(actions), 2000):
        Action.objects.bulk_create(actions[start : start + 2000])
        bar.update(min(start + 2000, len(actions)))
    bar.finish()
    events: list[ActionEvent] = []
    comments: list[ActionComment] = []
    for a in actions:
        events.append(
            ActionEvent(action=a, actor_id=a.author_id, verb="created", to_status="open", at=a.created_at)
        )
        if a.first_response_at and a.status != S.OPEN:
            events.append(
                ActionEvent(
                    action=a,
                    actor_id=a.assignee_id,
                    verb="started",
                    from_status="open",
                    to_status="in_progress",
                    at=a.first_response_at,
                )
            )
        if a.status == S.OPEN and a.first_response_at and a.assignee_id:
            comments.append(
                ActionComment(
                    action=a,
                    author_id=a.assignee_id,
                    body=rng.choice(REP_COMMENTS),
                    created_at=a.first_response_at,
                )
            )
        if a.status == S.DONE and a.closed_at:
            events.append(
                ActionEvent(
                    action=a,
                    actor_id=a.assignee_id,
                    verb="done",
                    from_status="in_progress",
                    to_status="done",
                    note=a.resolution_note,
                    at=a.closed_at,
                )
            )
        if a.status == S.CANCELLED and a.closed_at:
            events.append(
                ActionEvent(
                    action=a,
                    actor_id=a.author_id,
                    verb="cancelled",
                    from_status="in_progress",
                    to_status="cancelled",
                    note=a.cancel_reason,
                    at=a.closed_at,
                )
            )
        if a.escalated_at:
            assignee = people.get(a.assignee_id or 0)
            manager = people.get(assignee.manager_id or 0) if assignee else None
            events.append(
                ActionEvent(
                    action=a,
                    actor=None,
                    verb="escalated",
                    note=manager.full_name if manager else "",
                    at=a.escalated_at,
                )
            )
    ActionEvent.objects.bulk_create(events, batch_size=5000)
    ActionComment.objects.bulk_create(comments, batch_size=5000)
    rollups.rebuild()
    ctx.stdout.write(f"  actions: {len(actions)} ({len(followed)} from detractor responses)")
