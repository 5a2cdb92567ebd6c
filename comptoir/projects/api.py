"""Improvement projects in the API, with their measured effect."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from comptoir.api.errors import ApiError
from comptoir.api.schemas import PageOut
from comptoir.customers.models import Segment
from comptoir.org.models import OrgUnit, Region, User
from comptoir.projects import access, effect, selectors, services
from comptoir.projects.models import Milestone, Project, ProjectComment, ProjectLink
from comptoir.voice.models import JourneyStep

PREFIX = "projects"
router = Router(tags=["projects"])


class ProjectOut(Schema):
    id: int
    title: str
    problem: str
    status: str
    started_on: dt.date | None
    ended_on: dt.date | None
    baseline_days: int
    created_by_id: int
    facilitator_id: int | None
    created_at: dt.datetime


class MilestoneOut(Schema):
    id: int
    title: str
    due_on: dt.date
    done_on: dt.date | None


class LinkOut(Schema):
    id: int
    kind: str
    label: str
    url: str


class ProjectDetailOut(ProjectOut):
    milestones: list[MilestoneOut]
    links: list[LinkOut]
    member_ids: list[int]
    step_codes: list[str]
    segment_ids: list[int]
    region_ids: list[int]
    unit_ids: list[int]
    effect: dict[str, Any] | None

    @staticmethod
    def resolve_milestones(obj: Project) -> list[Milestone]:
        return list(obj.milestones.all())

    @staticmethod
    def resolve_links(obj: Project) -> list[ProjectLink]:
        return list(obj.links.all())

    @staticmethod
    def resolve_member_ids(obj: Project) -> list[int]:
        return sorted(m.pk for m in obj.members.all())

    @staticmethod
    def resolve_step_codes(obj: Project) -> list[str]:
        return sorted(s.code for s in obj.steps.all())

    @staticmethod
    def resolve_segment_ids(obj: Project) -> list[int]:
        return sorted(s.pk for s in obj.segments.all())

    @staticmethod
    def resolve_region_ids(obj: Project) -> list[int]:
        return sorted(s.pk for s in obj.regions.all())

    @staticmethod
    def resolve_unit_ids(obj: Project) -> list[int]:
        return sorted(s.pk for s in obj.units.all())

    @staticmethod
    def resolve_effect(obj: Project) -> dict[str, Any] | None:
        measured = effect.effect_of(obj)
        return measured.as_dict() if measured else None


class ProjectIn(Schema):
    title: str
    problem: str
    status: str = "proposed"
    started_on: dt.date | None = None
    ended_on: dt.date | None = None
    baseline_days: int = 180
    facilitator_id: int | None = None
    member_ids: list[int] = []
    step_codes: list[str] = []
    segment_ids: list[int] = []
    region_ids: list[int] = []
    unit_ids: list[int] = []


class ProjectPatch(Schema):
    title: str | None = None
    problem: str | None = None
    status: str | None = None
    started_on: dt.date | None = None
    ended_on: dt.date | None = None


class CommentIn(Schema):
    body: str


class MilestoneIn(Schema):
    title: str
    due_on: dt.date


class LinkIn(Schema):
    kind: str
    label: str
    url: str


class CommentOut(Schema):
    id: int
    author_id: int
    body: str
    created_at: dt.datetime


def _many(model: Any, ids: list[Any], field: str, key: str = "pk") -> list[Any]:
    found = list(model.objects.filter(**{f"{key}__in": ids}))
    if len(found) != len(set(ids)):
        raise ApiError(422, "invalid_input", f"Unknown {field}.", [{"field": field, "message": "unknown"}])
    return found


@router.get("", response=PageOut[ProjectOut])
def list_projects(
    request: HttpRequest, status: str = "", cursor: str | None = None, size: int = 50
) -> dict[str, object]:
    if not 1 <= size <= 200:
        raise ApiError(422, "invalid_input", "size must be between 1 and 200.")
    if status and status not in Project.Status.values:
        raise ApiError(422, "invalid_input", "Unknown status.", [{"field": "status", "message": "unknown"}])
    page = selectors.projects_for(viewer=request.user, status=status, cursor=cursor, size=size)  # type: ignore[arg-type]
    return {"items": page.items, "next_cursor": page.next_cursor}


@router.post("", response={201: ProjectDetailOut})
def create_project(request: HttpRequest, payload: ProjectIn) -> tuple[int, Project]:
    facilitator = (
        _many(User, [payload.facilitator_id], "facilitator_id")[0] if payload.facilitator_id else None
    )
    project = services.project_create(
        author=request.user,  # type: ignore[arg-type]
        title=payload.title,
        problem=payload.problem,
        status=payload.status,
        started_on=payload.started_on,
        ended_on=payload.ended_on,
        baseline_days=payload.baseline_days,
        facilitator=facilitator,
        members=_many(User, payload.member_ids, "member_ids"),
        steps=_many(JourneyStep, payload.step_codes, "step_codes", key="code"),
        segments=_many(Segment, payload.segment_ids, "segment_ids"),
        regions=_many(Region, payload.region_ids, "region_ids"),
        units=_many(OrgUnit, payload.unit_ids, "unit_ids"),
    )
    return 201, project


@router.get("/{project_id}", response=ProjectDetailOut)
def get_project(request: HttpRequest, project_id: int) -> Project:
    return access.project_for(request.user, project_id)  # type: ignore[arg-type]


@router.patch("/{project_id}", response=ProjectDetailOut)
def update_project(request: HttpRequest, project_id: int, payload: ProjectPatch) -> Project:
    project = access.project_for(request.user, project_id)  # type: ignore[arg-type]
    fields = payload.dict(exclude_unset=True)
    services.project_update(project=project, actor=request.user, **fields)  # type: ignore[arg-type]
    return access.project_for(request.user, project_id)  # type: ignore[arg-type]


@router.post("/{project_id}/comments", response={201: CommentOut})
def add_comment(request: HttpRequest, project_id: int, payload: CommentIn) -> tuple[int, ProjectComment]:
    project = access.project_for(request.user, project_id)  # type: ignore[arg-type]
    return 201, services.project_comment(project=project, author=request.user, body=payload.body)  # type: ignore[arg-type]


@router.get("/{project_id}/comments", response=list[CommentOut])
def list_comments(request: HttpRequest, project_id: int) -> list[ProjectComment]:
    project = access.project_for(request.user, project_id)  # type: ignore[arg-type]
    return list(project.comments.order_by("created_at", "id")[:500])


@router.post("/{project_id}/milestones", response={201: MilestoneOut})
def add_milestone(request: HttpRequest, project_id: int, payload: MilestoneIn) -> tuple[int, Milestone]:
    project = access.project_for(request.user, project_id)  # type: ignore[arg-type]
    actor: User = request.user  # type: ignore[assignment]
    milestone = services.milestone_add(
        project=project, actor=actor, title=payload.title, due_on=payload.due_on
    )
    return 201, milestone


@router.post("/{project_id}/milestones/{milestone_id}/done", response=MilestoneOut)
def toggle_milestone(request: HttpRequest, project_id: int, milestone_id: int) -> Milestone:
    """Mark the milestone done today (or, if it was done, not done any more)."""
    project = access.project_for(request.user, project_id)  # type: ignore[arg-type]
    milestone = get_object_or_404(
        Milestone.objects.select_related("project"), pk=milestone_id, project=project
    )
    return services.milestone_done(milestone=milestone, actor=request.user)  # type: ignore[arg-type]


@router.post("/{project_id}/links", response={201: LinkOut})
def add_link(request: HttpRequest, project_id: int, payload: LinkIn) -> tuple[int, ProjectLink]:
    """What motivated the project: a field recommendation, a verbatim (a Comptoir path or an https URL)."""
    project = access.project_for(request.user, project_id)  # type: ignore[arg-type]
    actor: User = request.user  # type: ignore[assignment]
    link = services.link_add(
        project=project, actor=actor, kind=payload.kind, label=payload.label, url=payload.url
    )
    return 201, link
