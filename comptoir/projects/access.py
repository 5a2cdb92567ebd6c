"""Projects are visible to everyone in the company; only their members (and whoever started them)
change them. The facilitator comments but does not own the project."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from comptoir.org.models import User
from comptoir.projects.models import Project


def project_for(viewer: User, pk: int) -> Project:
    return get_object_or_404(Project.objects.select_related("created_by", "facilitator"), pk=pk)


def member_ids(project: Project) -> set[int]:
    return {m.pk for m in project.members.all()} | {project.created_by_id}


def can_edit(viewer: User, project: Project) -> bool:
    return viewer.is_superuser or viewer.pk in member_ids(project)


def can_comment(viewer: User, project: Project) -> bool:
    return can_edit(viewer, project) or viewer.pk == project.facilitator_id
