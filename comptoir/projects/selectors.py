"""Reads of projects: the list, a project's page with its measured effect and its monthly curve."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth

from comptoir.core.charts import Point, Series
from comptoir.core.pagination import Page, keyset_page
from comptoir.org.models import User
from comptoir.projects import access
from comptoir.projects.effect import Effect, effect_of, targeting
from comptoir.projects.models import Project
from comptoir.voice.models import DETRACTOR_MAX, PROMOTER_MIN, Response, VoiceSettings
from comptoir.voice.stats import Nps

NEWEST = ("-created_at", "-id")


def projects_for(
    *, viewer: User, status: str = "", cursor: str | None = None, size: int = 25
) -> Page[Project]:
    """Every project (they are visible to all), newest first."""
    qs: QuerySet[Project] = Project.objects.select_related("created_by", "facilitator")
    if status:
        qs = qs.filter(status=status)
    return keyset_page(qs, ordering=NEWEST, cursor=cursor, size=size)


def monthly_nps(project: Project, effect: Effect, *, min_responses: int | None = None) -> list[Series]:
    """NPS per month of the targeted and of the control responses over both periods (two grouped
    queries), drawn with the voice app's interval."""
    start, end = effect.periods.before[0], effect.periods.since[1]
    minimum = VoiceSettings.current().min_responses if min_responses is None else min_responses
    where = targeting(project)
    groups = [("target", Response.objects.filter(where))]
    if where:
        groups.append(("control", Response.objects.exclude(where)))
    months: list[dt.date] = []
    month = start.replace(day=1)
    while month <= end:
        months.append(month)
        month = (month + dt.timedelta(days=32)).replace(day=1)
    series = []
    for name, qs in groups:
        rows = (
            qs.filter(answered_at__date__gte=start, answered_at__date__lte=end)
            .annotate(month=TruncMonth("answered_at"))
            .values("month")
            .annotate(
                promoters=Count("pk", filter=Q(nps__gte=PROMOTER_MIN)),
                passives=Count("pk", filter=Q(nps__gt=DETRACTOR_MAX, nps__lt=PROMOTER_MIN)),
                detractors=Count("pk", filter=Q(nps__lte=DETRACTOR_MAX)),
            )
        )
        by_month: dict[dt.date, Nps] = {}
        for row in rows:
            key = row["month"].date() if isinstance(row["month"], dt.datetime) else row["month"]
            by_month[key] = Nps(row["promoters"], row["passives"], row["detractors"], min_responses=minimum)
        points = []
        for m in months:
            nps = by_month.get(m)
            if nps is None or not nps.enough:
                points.append(Point(f"{m:%m/%y}", None))
            else:
                points.append(Point(f"{m:%m/%y}", nps.score, nps.low, nps.high))
        series.append(Series(name, points, "line" if name == "target" else "line alt"))
    return series


def project_page(*, viewer: User, project: Project) -> dict[str, Any]:
    effect = effect_of(project)
    members = list(project.members.order_by("last_name", "first_name", "id"))
    return {
        "project": project,
        "members": members,
        "steps": list(project.steps.all()),
        "segments": list(project.segments.all()),
        "regions": list(project.regions.all()),
        "units": list(project.units.all()),
        "milestones": list(project.milestones.all()),
        "links": list(project.links.all()),
        "comments": list(project.comments.select_related("author")[:200]),
        "effect": effect,
        "series": monthly_nps(project, effect) if effect is not None else [],
        "can_edit": viewer.is_superuser or viewer.pk in {m.pk for m in members} | {project.created_by_id},
        "can_comment": access.can_comment(viewer, project),
    }
