"""Every write on actions: posting, the state machine, dispatch, comments, escalation.

The pages, the API, the demo and the escalation task call these functions, so each rule (the
required notes, who may do what, the notifications, the roll-up) is written once.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from comptoir.actions import access, rollups
from comptoir.actions.models import Action, ActionComment, ActionEvent, ActionKind, ClosedLoopSettings, IsOpen
from comptoir.core import clock
from comptoir.core.permissions import Cap, PermissionDenied403, has_cap
from comptoir.core.signals import announce_activity
from comptoir.notifications.services import notify
from comptoir.org.models import Team, User

S = Action.Status
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
NOTE_MAX = 5000

# Kinds of notification (people may turn off the e-mail of each on their profile).
KIND_ASSIGNED = "action_assigned"
KIND_COMMENT = "action_comment"
KIND_CLOSED = "action_closed"
KIND_REOPENED = "action_reopened"
KIND_ESCALATED = "action_escalated"


def _url(action: Action) -> str:
    return reverse("actions:detail", args=[action.pk])


def _clean_text(value: str, field: str, *, required: bool, max_length: int = NOTE_MAX) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({field: _("This field is required.")})
    if len(value) > max_length:
        raise ValidationError(
            {field: _("This text is too long (%(max)s characters at most).") % {"max": max_length}}
        )
    return value


@transaction.atomic
def action_create(
    *,
    author: User,
    kind: ActionKind,
    title: str,
    due_on: dt.date,
    assignee: User | None = None,
    team: Team | None = None,
    account: Any = None,
    description: str = "",
    priority: int = Action.Priority.NORMAL,
    response: Any = None,
) -> Action:
    """Post an action to a person (`assignee`) or to a team (`team`, dispatched by its manager)."""
    if not has_cap(author, Cap.POST_ACTIONS):
        raise PermissionDenied403(_("You may not post actions."))
    errors: dict[str, Any] = {}
    if (assignee is None) == (team is None):
        errors["assignee"] = _("Address the action to one person or to one team.")
    elif assignee is not None and not assignee.is_active:
        errors["assignee"] = _("This person has left the company.")
    elif team is not None and team.manager_id is None:
        errors["team"] = _("This team has no manager to dispatch the action.")
    if not kind.active:
        errors["kind"] = _("This kind of action is no longer offered.")
    if due_on < clock.today():
        errors["due_on"] = _("The due date cannot be in the past.")
    if priority not in Action.Priority.values:
        errors["priority"] = _("Unknown priority.")
    title = (title or "").strip()
    if not title:
        errors["title"] = _("This field is required.")
    elif len(title) > 200:
        errors["title"] = _("The title is too long (200 characters at most).")
    if errors:
        raise ValidationError(errors)
    description = _clean_text(description, "description", required=False)
    now = clock.now()
    owner = assignee if assignee is not None else None
    answering_team = team if team is not None else (owner.team if owner is not None else None)
    unit_id = owner.unit_id if owner is not None else (team.unit_id if team is not None else None)
    region_id = owner.region_id if owner is not None else (team.region_id if team is not None else None)
    action = Action.objects.create(
        author=author,
        assignee=assignee,
        team=answering_team,
        to_team=team is not None,
        unit_id=unit_id,
        region_id=region_id,
        account=account,
        kind=kind,
        priority=priority,
        title=title,
        description=description,
        due_on=due_on,
        created_at=now,
        updated_at=now,
        **({"response": response} if response is not None else {}),
    )
    ActionEvent.objects.create(
        action=action, actor=author, verb=ActionEvent.Verb.CREATED, to_status=S.OPEN, at=now
    )
    rollups.on_created(action, from_response=response is not None)
    if response is not None:
        rollups.on_raised_from(action, response)
    recipient = assignee if assignee is not None else (team.manager if team is not None else None)
    if recipient is not None and recipient.pk != author.pk:
        notify(
            recipient=recipient,
            actor=author,
            kind=KIND_ASSIGNED,
            title=_("%(author)s addressed an action to you: %(title)s")
            % {"author": author.full_name, "title": title},
            body=_("Due on %(date)s.") % {"date": due_on.strftime("%d/%m/%Y")}
            + ("\n\n" + description if description else ""),
            url=_url(action),
        )
    return action


def _mark_first_response(action: Action, actor: User, now: dt.datetime) -> None:
    """The first move of the addressee side (a comment, a start, a close) is the first response."""
    if action.first_response_at is None and access.is_addressee(actor, action):
        action.first_response_at = now
        rollups.on_first_response(action)


@transaction.atomic
def action_transition(*, action: Action, actor: User, to: str, note: str = "") -> Action:
    """Move `action` to state `to`. Done needs the close-the-loop note, cancelled a reason."""
    # Lock the action's row only: PostgreSQL refuses FOR UPDATE on the nullable side of the
    # outer join that select_related("team") makes.
    action = Action.objects.select_for_update(of=("self",)).select_related("team").get(pk=action.pk)
    if to not in S.values:
        raise ValidationError({"status": _("Unknown state.")})
    if to == action.status:
        raise ValidationError({"status": _("The action is already in this state.")})
    if to not in access.allowed_transitions(actor, action):
        if to in _graph().get(action.status, ()):
            raise PermissionDenied403(_("You may not move this action to this state."))
        raise ValidationError(
            {
                "status": _("An action cannot go from %(a)s to %(b)s.")
                % {"a": S(action.status).label, "b": S(to).label}
            }
        )
    now = clock.now()
    previous = action.status
    if to == S.DONE:
        action.resolution_note = _clean_text(note, "note", required=True)
        action.closed_at = now
    elif to == S.CANCELLED:
        action.cancel_reason = _clean_text(note, "note", required=True)
        action.closed_at = now
    elif to == S.OPEN:
        note = _clean_text(note, "note", required=False)
        if previous == S.DONE:
            rollups.on_closed(action, by=-1)
        # Reopened: the outcome recorded before stays in the history, not on the action.
        action.closed_at = None
        action.resolution_note = ""
        action.cancel_reason = ""
        action.escalated_at = None
    else:
        note = _clean_text(note, "note", required=False)
    _mark_first_response(action, actor, now)
    action.status = to
    action.updated_at = now
    action.save()
    verb = {
        S.IN_PROGRESS: ActionEvent.Verb.STARTED,
        S.DONE: ActionEvent.Verb.DONE,
        S.CANCELLED: ActionEvent.Verb.CANCELLED,
        S.OPEN: ActionEvent.Verb.REOPENED,
    }[S(to)]
    ActionEvent.objects.create(
        action=action, actor=actor, verb=verb, from_status=previous, to_status=to, note=note.strip(), at=now
    )
    if to == S.DONE:
        rollups.on_closed(action)
        announce_activity(actor.pk, "action_closed", now, f"action:{action.pk}")
        if action.author_id != actor.pk:
            notify(
                recipient=action.author,
                actor=actor,
                kind=KIND_CLOSED,
                title=_("%(person)s closed the loop: %(title)s")
                % {"person": actor.full_name, "title": action.title},
                body=action.resolution_note,
                url=_url(action),
            )
    elif to == S.OPEN and action.assignee_id and action.assignee_id != actor.pk:
        notify(
            recipient=action.assignee,  # type: ignore[arg-type]
            actor=actor,
            kind=KIND_REOPENED,
            title=_("%(person)s reopened an action: %(title)s")
            % {"person": actor.full_name, "title": action.title},
            body=note,
            url=_url(action),
        )
    return action


def _graph() -> dict[str, tuple[str, ...]]:
    return {
        S.OPEN: (S.IN_PROGRESS, S.DONE, S.CANCELLED),
        S.IN_PROGRESS: (S.DONE, S.CANCELLED),
        S.DONE: (S.OPEN,),
        S.CANCELLED: (S.OPEN,),
    }


@transaction.atomic
def action_dispatch(*, action: Action, actor: User, assignee: User) -> Action:
    """The team's manager (or customer relations) gives a team's action to one person."""
    action = Action.objects.select_for_update(of=("self",)).select_related("team").get(pk=action.pk)
    if not access.can_dispatch(actor, action):
        raise PermissionDenied403(_("You may not dispatch this action."))
    if not assignee.is_active:
        raise ValidationError({"assignee": _("This person has left the company.")})
    if (
        action.team is not None
        and assignee.team_id != action.team_id
        and assignee.pk != action.team.manager_id
    ):
        raise ValidationError({"assignee": _("Choose a member of the team.")})
    now = clock.now()
    _mark_first_response(action, actor, now)
    action.assignee = assignee
    action.updated_at = now
    action.save()
    ActionEvent.objects.create(
        action=action, actor=actor, verb=ActionEvent.Verb.DISPATCHED, note=assignee.full_name, at=now
    )
    if assignee.pk != actor.pk:
        notify(
            recipient=assignee,
            actor=actor,
            kind=KIND_ASSIGNED,
            title=_("%(author)s addressed an action to you: %(title)s")
            % {"author": actor.full_name, "title": action.title},
            body=_("Due on %(date)s.") % {"date": action.due_on.strftime("%d/%m/%Y")},
            url=_url(action),
        )
    return action


@transaction.atomic
def action_comment(
    *, action: Action, author: User, body: str, attachment: UploadedFile | None = None
) -> ActionComment:
    """Add to the action's thread; everyone else on the action hears of it."""
    body = _clean_text(body, "body", required=True)
    name = ""
    if attachment is not None:
        if attachment.size is None or attachment.size > MAX_ATTACHMENT_BYTES:
            raise ValidationError({"attachment": _("The attachment is too large (10 MB at most).")})
        name = (attachment.name or "attachment")[:200]
    action = Action.objects.select_for_update(of=("self",)).select_related("team").get(pk=action.pk)
    now = clock.now()
    comment = ActionComment(action=action, author=author, body=body, created_at=now, attachment_name=name)
    if attachment is not None:
        comment.attachment.save(name, attachment, save=False)
    comment.save()
    if action.first_response_at is None and access.is_addressee(author, action):
        _mark_first_response(action, author, now)
    action.updated_at = now
    action.save(update_fields=["first_response_at", "updated_at"])
    others = {pk for pk in (action.author_id, action.assignee_id) if pk is not None and pk != author.pk}
    for person in User.objects.filter(pk__in=others, is_active=True):
        notify(
            recipient=person,
            actor=author,
            kind=KIND_COMMENT,
            title=_("%(person)s commented on: %(title)s")
            % {"person": author.full_name, "title": action.title},
            body=body,
            url=_url(action),
        )
    return comment


def actions_escalate(*, limit: int = 5000) -> int:
    """Flag overdue actions to the addressee's manager once (not every time the sweep runs).

    An action is overdue for escalation when its due date is more than the configured delay ago.
    Runs from the `actions_escalate` command / periodic task; returns how many were escalated.
    """
    delay = ClosedLoopSettings.current().escalation_delay_days
    threshold = clock.today() - dt.timedelta(days=delay)
    candidates = list(
        Action.objects.filter(IsOpen(), escalated_at__isnull=True, due_on__lt=threshold)
        .select_related("assignee", "assignee__manager", "team", "team__manager", "team__manager__manager")
        .order_by("due_on", "id")[:limit]
    )
    count = 0
    for action in candidates:
        with transaction.atomic():
            # The conditional update makes the flag idempotent even if two sweeps overlap.
            now = clock.now()
            if not Action.objects.filter(pk=action.pk, escalated_at__isnull=True).update(escalated_at=now):
                continue
            # The addressee is the assignee, or the team's manager while nobody took the action.
            addressee = (
                action.assignee
                if action.assignee is not None
                else (action.team.manager if action.team else None)
            )
            manager = addressee.manager if addressee is not None else None
            ActionEvent.objects.create(
                action=action,
                actor=None,
                verb=ActionEvent.Verb.ESCALATED,
                note=manager.full_name if manager else "",
                at=now,
            )
            if manager is not None:
                who = action.assignee.full_name if action.assignee is not None else str(action.team)
                notify(
                    recipient=manager,
                    kind=KIND_ESCALATED,
                    title=_("Overdue action for %(person)s: %(title)s")
                    % {"person": who, "title": action.title},
                    body=_("It was due on %(date)s.") % {"date": action.due_on.strftime("%d/%m/%Y")},
                    url=_url(action),
                )
            count += 1
    return count
