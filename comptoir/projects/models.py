"""Improvement projects started by teams (directors facilitate), and what they target."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Project(models.Model):
    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        STOPPED = "stopped", _("Stopped")

    title = models.CharField(_("title"), max_length=200)
    problem = models.TextField(_("problem statement"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED)
    # The effect is measured from `started_on` (responses since) against the `baseline_days` before it.
    started_on = models.DateField(_("started on"), null=True, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    baseline_days = models.PositiveSmallIntegerField(
        _("baseline period before the start (days)"), default=180
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="projects_started",
        verbose_name=_("started by"),
    )
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="projects_facilitated",
        verbose_name=_("facilitator (a director)"),
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="projects", blank=True, verbose_name=_("members")
    )
    steps = models.ManyToManyField(
        "voice.JourneyStep", related_name="+", blank=True, verbose_name=_("journey steps")
    )
    segments = models.ManyToManyField(
        "customers.Segment", related_name="+", blank=True, verbose_name=_("segments")
    )
    regions = models.ManyToManyField("org.Region", related_name="+", blank=True, verbose_name=_("regions"))
    units = models.ManyToManyField(
        "org.OrgUnit", related_name="+", blank=True, verbose_name=_("business units")
    )
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("improvement project")
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True)
                | Q(started_on__isnull=False, ended_on__gte=models.F("started_on")),
                name="project_dates_ordered",
            ),
            models.CheckConstraint(
                condition=Q(status="proposed") | Q(started_on__isnull=False), name="project_started_has_date"
            ),
        ]
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="project_list_idx"),
            models.Index(fields=["status", "-created_at", "-id"], name="project_status_idx"),
        ]

    def __str__(self) -> str:
        return self.title


class Milestone(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("milestone"), max_length=200)
    due_on = models.DateField(_("due on"))
    done_on = models.DateField(_("done on"), null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.title


class ProjectLink(models.Model):
    """What motivated the project: a field recommendation, a verbatim, any page of Comptoir."""

    class Kind(models.TextChoices):
        RECOMMENDATION = "recommendation", _("Field recommendation")
        VERBATIM = "verbatim", _("Customer verbatim")
        OTHER = "other", _("Other")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="links")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    label = models.CharField(_("label"), max_length=200)
    url = models.CharField(_("link"), max_length=500)

    class Meta:
        ordering = ["kind", "id"]

    def __str__(self) -> str:
        return self.label


class ProjectComment(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("comment"))
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["project", "created_at", "id"], name="project_comment_idx")]

    def __str__(self) -> str:
        return self.body[:60]
