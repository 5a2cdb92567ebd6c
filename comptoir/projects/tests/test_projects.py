"""Anyone starts a project; all see it; members change it; the facilitator is told and comments."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from comptoir.core.permissions import PermissionDenied403
from comptoir.notifications.models import Notification
from comptoir.projects import services
from comptoir.projects.models import Project

from .conftest import START

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(cast: Any) -> Project:
    return services.project_create(
        author=cast.rep,
        title="Remise immédiate",
        problem="Les remises papier découragent les clients",
        facilitator=cast.director,
        members=[cast.teammate],
    )


def test_the_facilitator_is_notified_and_comments_but_does_not_edit(cast: Any, project: Project) -> None:
    assert Notification.objects.filter(recipient=cast.director, kind="project_facilitator").count() == 1
    services.project_comment(project=project, author=cast.director, body="Bonne idée, voyez avec le siège")
    assert Notification.objects.filter(recipient=cast.rep, kind="project_comment").count() == 1
    with pytest.raises(PermissionDenied403):
        services.project_update(project=project, actor=cast.director, title="Autre")


def test_members_edit_others_cannot(cast: Any, project: Project) -> None:
    services.project_update(project=project, actor=cast.teammate, status="running")
    project.refresh_from_db()
    assert project.status == "running" and project.started_on is not None
    for stranger in (cast.outsider, cast.agent, cast.manager):
        with pytest.raises(PermissionDenied403):
            services.project_update(project=project, actor=stranger, title="x")
        with pytest.raises(PermissionDenied403):
            services.project_comment(project=project, author=stranger, body="x")


def test_bad_input_changes_nothing(cast: Any, project: Project) -> None:
    with pytest.raises(ValidationError):
        services.project_create(author=cast.rep, title="", problem="")
    with pytest.raises(ValidationError):
        services.project_update(
            project=project, actor=cast.rep, started_on=START, ended_on=START - dt.timedelta(days=1)
        )
    with pytest.raises(ValidationError):
        services.link_add(
            project=project, actor=cast.rep, kind="verbatim", label="x", url="javascript:alert(1)"
        )
    project.refresh_from_db()
    assert project.ended_on is None and project.links.count() == 0
    assert Project.objects.count() == 1


def test_every_one_sees_the_list_and_the_page(
    cast: Any, login: Any, project: Project, django_assert_max_num_queries: Any
) -> None:
    for person in (cast.outsider, cast.agent, cast.director):
        assert login(person).get(reverse("projects:list")).status_code == 200
        assert login(person).get(reverse("projects:detail", args=[project.pk])).status_code == 200
    client = login(cast.outsider)
    with django_assert_max_num_queries(30):
        client.get(reverse("projects:detail", args=[project.pk]))
    assert client.get(reverse("projects:edit", args=[project.pk])).status_code == 403
    assert client.post(reverse("projects:comment", args=[project.pk]), {"body": "x"}).status_code == 403


def test_pages_create_edit_and_add(cast: Any, login: Any, delivery: Any) -> None:
    client = login(cast.rep)
    response = client.post(
        reverse("projects:new"),
        {
            "title": "Créneaux",
            "problem": "Hors créneau",
            "status": "running",
            "started_on": START.isoformat(),
            "baseline_days": 90,
            "steps": [delivery.pk],
        },
    )
    project = Project.objects.get()
    assert response.status_code == 302
    assert list(project.steps.all()) == [delivery]
    assert (
        client.post(
            reverse("projects:milestone_add", args=[project.pk]),
            {"title": "Pilote Lyon", "due_on": "2026-07-01"},
        ).status_code
        == 302
    )
    assert (
        client.post(
            reverse("projects:link_add", args=[project.pk]),
            {"kind": "verbatim", "label": "Verbatim", "url": "/voice/"},
        ).status_code
        == 302
    )
    assert (
        client.post(
            reverse("projects:link_add", args=[project.pk]),
            {"kind": "verbatim", "label": "x", "url": "ftp://x"},
        ).status_code
        == 400
    )
    assert (
        client.post(
            reverse("projects:new"), {"title": "", "problem": "", "status": "running", "baseline_days": 90}
        ).status_code
        == 400
    )
    page = client.get(reverse("projects:detail", args=[project.pk]))
    assert b"Pilote Lyon" in page.content and b'data-testid="effect"' in page.content


def test_list_paginates(cast: Any, login: Any) -> None:
    for i in range(30):
        services.project_create(author=cast.rep, title=f"Projet {i}", problem="p")
    page = login(cast.rep).get(reverse("projects:list"))
    assert len(page.context["page"].items) == 25 and page.context["page"].next_cursor
