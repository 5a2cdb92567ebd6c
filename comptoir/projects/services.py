"""Every write on improvement projects."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from comptoir.core import clock
from comptoir.core.permissions import PermissionDenied403
from comptoir.notifications.services import notify
from comptoir.org.models import User
from comptoir.projects import access
from comptoir.projects.models import Milestone, Project, ProjectComment, ProjectLink

KIND_FACILITATE = "project_facilitator"
KIND_COMMENT = "project_comment"
S = Project.Status


def _url(project: Project) -> str:
    return reverse("projects:detail", args=[project.pk])


def _check(project: Project) -> None:
    errors: dict[str, Any] = {}
    if not project.title.strip():
        errors["title"] = _("This field is required.")
    if not project.problem.strip():
        errors["problem"] = _("Say which problem the project solves.")
    if project.status != S.PROPOSED and project.started_on is None:
        errors["started_on"] = _("A running, done or stopped project needs its start date.")
    if project.ended_on and project.started_on and project.ended_on < project.started_on:
        errors["ended_on"] = _("The end comes after the start.")
    if project.baseline_days < 7 or project.baseline_days > 730:
        errors["baseline_days"] = _("Between 7 and 730 days.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def project_create(
    *,
    author: User,
    title: str,
    problem: str,
    facilitator: User | None = None,
    members: Iterable[User] = (),
    steps: Iterable[Any] = (),
    segments: Iterable[Any] = (),
    regions: Iterable[Any] = (),
    units: Iterable[Any] = (),
    status: str = S.PROPOSED,
    started_on: dt.date | None = None,
    ended_on: dt.date | None = None,
    baseline_days: int = 180,
) -> Project:
    """Anyone may start a project; they become its first member."""
    now = clock.now()
    project = Project(
        title=(title or "").strip(),
        problem=(problem or "").strip(),
        facilitator=facilitator,
        status=status,
        started_on=started_on,
        ended_on=ended_on,
        baseline_days=baseline_days,
        created_by=author,
        created_at=now,
        updated_at=now,
    )
    if status not in S.values:
        raise ValidationError({"status": _("Unknown status.")})
    _check(project)
    project.save()
    project.members.set({author, *members})
    project.steps.set(list(steps))
    project.segments.set(list(segments))
    project.regions.set(list(regions))
    project.units.set(list(units))
    if facilitator is not None and facilitator.pk != author.pk:
        notify(
            recipient=facilitator,
            actor=author,
            kind=KIND_FACILITATE,
            title=_("%(person)s asks you to facilitate the project: %(title)s")
            % {"person": author.full_name, "title": project.title},
            body=project.problem,
            url=_url(project),
        )
    return project


@transaction.atomic
def project_update(*, project: Project, actor: User, **fields: Any) -> Project:
    """Change the project (members only). Many-to-many targets are given as iterables."""
    if not access.can_edit(actor, project):
        raise PermissionDenied403(_("Only the project's members change it."))
    relations = {
        k: fields.pop(k) for k in ("members", "steps", "segments", "regions", "units") if k in fields
    }
    previous_facilitator = project.facilitator_id
    for name, value in fields.items():
        setattr(project, name, value)
    if project.status not in S.values:
        raise ValidationError({"status": _("Unknown status.")})
    if project.status != S.PROPOSED and project.started_on is None:
        project.started_on = clock.today()
    _check(project)
    project.updated_at = clock.now()
    project.save()
    for name, value in relations.items():
        if name == "members":
            value = {*value, project.created_by}
        getattr(project, name).set(list(value))
    if (
        project.facilitator_id
        and project.facilitator_id != previous_facilitator
        and project.facilitator_id != actor.pk
    ):
        assert project.facilitator is not None
        notify(
            recipient=project.facilitator,
            actor=actor,
            kind=KIND_FACILITATE,
            title=_("%(person)s asks you to facilitate the project: %(title)s")
            % {"person": actor.full_name, "title": project.title},
            url=_url(project),
        )
    return project


def milestone_add(*, project: Project, actor: User, title: str, due_on: dt.date) -> Milestone:
    if not access.can_edit(actor, project):
        raise PermissionDenied403(_("Only the project's members change it."))
    if not (title or "").strip():
        raise ValidationError({"title": _("This field is required.")})
    return Milestone.objects.create(project=project, title=title.strip()[:200], due_on=due_on)


def milestone_done(*, milestone: Milestone, actor: User) -> Milestone:
    if not access.can_edit(actor, milestone.project):
        raise PermissionDenied403(_("Only the project's members change it."))
    milestone.done_on = None if milestone.done_on else clock.today()
    milestone.save(update_fields=["done_on"])
    return milestone


def link_add(*, project: Project, actor: User, kind: str, label: str, url: str) -> ProjectLink:
    if not access.can_edit(actor, project):
        raise PermissionDenied403(_("Only the project's members change it."))
    errors: dict[str, Any] = {}
    if kind not in ProjectLink.Kind.values:
        errors["kind"] = _("Unknown kind of link.")
    if not (label or "").strip():
        errors["label"] = _("This field is required.")
    url = (url or "").strip()
    # Links point inside Comptoir (a recommendation, a verbatim) or to an https page.
    if not (url.startswith("/") and not url.startswith("//")) and not url.startswith("https://"):
        errors["url"] = _("Give a Comptoir path (/feed/…) or an https:// address.")
    if errors:
        raise ValidationError(errors)
    return ProjectLink.objects.create(project=project, kind=kind, label=label.strip()[:200], url=url[:500])


@transaction.atomic
def project_comment(*, project: Project, author: User, body: str) -> ProjectComment:
    if not access.can_comment(author, project):
        raise PermissionDenied403(_("Only the project's members and its facilitator comment."))
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("This field is required.")})
    if len(body) > 5000:
        raise ValidationError(
            {"body": _("This text is too long (%(max)s characters at most).") % {"max": 5000}}
        )
    comment = ProjectComment.objects.create(project=project, author=author, body=body, created_at=clock.now())
    recipients = {
        pk
        for pk in (*access.member_ids(project), project.facilitator_id)
        if pk is not None and pk != author.pk
    }
    for person in User.objects.filter(pk__in=recipients, is_active=True):
        notify(
            recipient=person,
            actor=author,
            kind=KIND_COMMENT,
            title=_("%(person)s commented on the project: %(title)s")
            % {"person": author.full_name, "title": project.title},
            body=body,
            url=_url(project),
        )
    return comment
