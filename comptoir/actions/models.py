"""Actions addressed between departments: the closed loop between the customer's voice and the field."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Lookup, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from comptoir.org.models import Bilingual

OPEN_STATES = ("open", "in_progress")


class IsOpen(Lookup):  # type: ignore[type-arg]
    """`status IN ('open', 'in_progress')` with the states as literals, not bound parameters.

    SQLite uses a partial index only when the query repeats the index's condition, and a parameter
    never matches the index's literals: with `status__in=OPEN_STATES` "my actions" read every action
    of the rep through another index and sorted them. A lookup (not a function) so that the WHERE
    clause is the bare condition, without SQLite's "= 1". Use `.filter(IsOpen())`."""

    lookup_name = "is_open"
    prepare_rhs = False

    def __init__(self) -> None:
        super().__init__(F("status"), True)

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, tuple[Any, ...]]:
        lhs, params = self.process_lhs(compiler, connection)
        states = ", ".join(f"'{state}'" for state in OPEN_STATES)  # constants, never user input
        return f"{lhs} IN ({states})", tuple(params)


class ActionKind(Bilingual):
    """What is asked (call back the customer, visit, fix a delivery problem...): data, not code."""

    code = models.SlugField(unique=True, max_length=40)
    rank = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["rank", "name"]
        verbose_name = _("kind of action")


class Action(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("action status", "Open")
        IN_PROGRESS = "in_progress", pgettext_lazy("action status", "In progress")
        DONE = "done", pgettext_lazy("action status", "Done")
        CANCELLED = "cancelled", pgettext_lazy("action status", "Cancelled")

    class Priority(models.IntegerChoices):
        LOW = 1, _("Low")
        NORMAL = 2, _("Normal")
        HIGH = 3, _("High")
        URGENT = 4, _("Urgent")

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="actions_written",
        verbose_name=_("author"),
        db_index=False,
    )
    # The addressee: a person, or a team whose manager dispatches it to a person (assignee empty).
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="actions_assigned",
        verbose_name=_("addressee"),
        db_index=False,
    )
    # The team that answers for the action: the one it was addressed to, or the addressee's team.
    # `to_team` says it was addressed to the team as a whole (its members all see it).
    team = models.ForeignKey(
        "org.Team",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="actions",
        verbose_name=_("team"),
        db_index=False,
    )
    to_team = models.BooleanField(default=False)
    # Where the addressee worked when the action was posted: the filters and metrics of customer
    # relations group by these, and a later move of the person must not rewrite history.
    unit = models.ForeignKey(
        "org.OrgUnit", on_delete=models.PROTECT, null=True, blank=True, related_name="+", db_index=False
    )
    region = models.ForeignKey(
        "org.Region", on_delete=models.PROTECT, null=True, blank=True, related_name="+", db_index=False
    )
    account = models.ForeignKey(
        "customers.Account",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="actions",
        verbose_name=_("account"),
        db_index=False,
    )
    # The survey response the action comes from (a detractor, say), and the rule that raised it
    # automatically, if any (at most one automatic action per response).
    response = models.ForeignKey(
        "voice.Response",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="actions",
        verbose_name=_("survey response"),
        db_index=False,
    )
    rule = models.ForeignKey(
        "ActionRule", on_delete=models.SET_NULL, null=True, blank=True, related_name="actions"
    )
    kind = models.ForeignKey(
        ActionKind, on_delete=models.PROTECT, related_name="actions", verbose_name=_("kind"), db_index=False
    )
    priority = models.PositiveSmallIntegerField(
        _("priority"), choices=Priority.choices, default=Priority.NORMAL
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    due_on = models.DateField(_("due on"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.OPEN)
    resolution_note = models.TextField(_("what was done and what the customer said"), blank=True)
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    first_response_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("action")
        constraints = [
            models.CheckConstraint(
                condition=Q(assignee__isnull=False) | Q(to_team=True, team__isnull=False),
                name="action_has_addressee",
            ),
            models.CheckConstraint(
                condition=~Q(status="done") | ~Q(resolution_note=""), name="action_done_has_note"
            ),
            models.CheckConstraint(
                condition=~Q(status="cancelled") | ~Q(cancel_reason=""), name="action_cancel_has_reason"
            ),
            models.CheckConstraint(
                condition=Q(status__in=OPEN_STATES) | Q(closed_at__isnull=False),
                name="action_closed_has_date",
            ),
            models.UniqueConstraint(
                fields=["response"], condition=Q(rule__isnull=False), name="one_automatic_action_per_response"
            ),
        ]
        indexes = [
            # "My actions" and the team view: open ones by due date (overdue first, naturally).
            models.Index(
                fields=["assignee", "due_on", "id"],
                condition=Q(status__in=OPEN_STATES),
                name="action_mine_open_idx",
            ),
            models.Index(
                fields=["team", "due_on", "id"],
                condition=Q(status__in=OPEN_STATES),
                name="action_team_open_idx",
            ),
            models.Index(fields=["assignee", "-created_at", "-id"], name="action_assignee_idx"),
            models.Index(fields=["team", "-created_at", "-id"], name="action_team_idx"),
            models.Index(fields=["author", "-created_at", "-id"], name="action_author_idx"),
            # Customer relations' list and its filters. The single-column foreign-key indexes are
            # left out (db_index=False): each is the prefix of one of these, and a planner without
            # statistics took them and sorted the rep's or the unit's whole history.
            models.Index(fields=["-created_at", "-id"], name="action_all_idx"),
            # "Open (and overdue) [in this unit / region]": the open rows in date order, with the
            # due date in the index so that "overdue" is decided there, without reading the row
            # of each open action that is not late yet (and SQLite, without statistics, prefers
            # these to the unit's or region's whole history).
            models.Index(
                fields=["-created_at", "-id", "due_on"],
                condition=Q(status__in=OPEN_STATES),
                name="action_open_due_idx",
            ),
            models.Index(
                fields=["unit", "-created_at", "-id", "due_on"],
                condition=Q(status__in=OPEN_STATES),
                name="action_unit_open_due_idx",
            ),
            models.Index(
                fields=["region", "-created_at", "-id", "due_on"],
                condition=Q(status__in=OPEN_STATES),
                name="action_region_open_due_idx",
            ),
            models.Index(fields=["status", "-created_at", "-id"], name="action_status_idx"),
            models.Index(fields=["unit", "-created_at", "-id"], name="action_unit_idx"),
            models.Index(fields=["region", "-created_at", "-id"], name="action_region_idx"),
            models.Index(fields=["kind", "-created_at", "-id"], name="action_kind_idx"),
            models.Index(fields=["account", "-created_at", "-id"], name="action_account_idx"),
            models.Index(fields=["response"], name="action_response_idx"),
            # The escalation sweep reads only open, not yet escalated actions by due date.
            models.Index(
                fields=["due_on"],
                condition=Q(status__in=OPEN_STATES, escalated_at__isnull=True),
                name="action_escalation_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATES


class ActionEvent(models.Model):
    """The history of an action: every transition (reopenings included), dispatch and escalation."""

    class Verb(models.TextChoices):
        CREATED = "created", _("posted")
        STARTED = "started", _("started")
        DONE = "done", _("closed the loop")
        CANCELLED = "cancelled", _("cancelled")
        REOPENED = "reopened", _("reopened")
        DISPATCHED = "dispatched", _("dispatched")
        ESCALATED = "escalated", _("escalated")

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    verb = models.CharField(max_length=12, choices=Verb.choices)
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12, blank=True)
    note = models.TextField(blank=True)
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["action", "at", "id"], name="action_event_idx")]

    def __str__(self) -> str:
        return f"{self.action_id}: {self.verb}"


class ActionRule(models.Model):
    """A rule, as data: responses of this group (and journey step, if set) raise an action by themselves
    to the rep who owned the account when the customer answered."""

    class Group(models.TextChoices):
        DETRACTOR = "detractor", _("Detractors (0-6)")
        PASSIVE = "passive", _("Passives (7-8)")
        HIGH_EFFORT = "high_effort", _("High effort")

    name = models.CharField(_("name"), max_length=120)
    group = models.CharField(_("responses"), max_length=12, choices=Group.choices)
    step = models.ForeignKey(
        "voice.JourneyStep",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("journey step"),
    )
    kind = models.ForeignKey(ActionKind, on_delete=models.PROTECT, related_name="+", verbose_name=_("kind"))
    priority = models.PositiveSmallIntegerField(
        _("priority"), choices=Action.Priority.choices, default=Action.Priority.HIGH
    )
    due_days = models.PositiveSmallIntegerField(_("days to act"), default=3)
    # The automatic actions are posted in the name of the person who owns the rule.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("posted as")
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("automatic action rule")

    def __str__(self) -> str:
        return self.name


class ActionComment(models.Model):
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("comment"))
    attachment = models.FileField(_("attachment"), upload_to="actions/%Y/%m/", blank=True)
    attachment_name = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["action", "created_at", "id"], name="action_comment_idx")]

    def __str__(self) -> str:
        return self.body[:60]


class ClosedLoopSettings(models.Model):
    """The closed loop's configuration (one row): escalation delay, which responses propose an action."""

    escalation_delay_days = models.PositiveSmallIntegerField(
        _("flag an overdue action to the manager after (days)"), default=2
    )
    propose_for_passives = models.BooleanField(_("propose an action for passive responses"), default=False)
    propose_for_high_effort = models.BooleanField(
        _("propose an action for high-effort responses"), default=True
    )
    high_effort_max = models.PositiveSmallIntegerField(
        _("a response is high-effort at or below this effort score (1-7)"), default=3
    )
    default_due_days = models.PositiveSmallIntegerField(_("days to act on a proposed action"), default=5)

    class Meta:
        verbose_name = _("closed-loop settings")

    def __str__(self) -> str:
        return "closed-loop settings"

    @classmethod
    def current(cls) -> ClosedLoopSettings:
        found = cls.objects.order_by("id").first()
        return found if found is not None else cls()


class ActionStat(models.Model):
    """Roll-up of the closed-loop metrics, kept exact as actions move, rebuildable by a command.

    One row per month x unit x region x metric x bucket. `created` counts actions posted; the
    duration metrics (`first_response`, `closure`) count actions per duration bucket (see
    `rollups.BUCKET_HOURS`), from which the median is read without touching the actions table.
    Unit and region are plain integers with 0 for "none", so the unique constraint works on SQLite.
    """

    month = models.DateField()
    unit_key = models.IntegerField(default=0)
    region_key = models.IntegerField(default=0)
    metric = models.CharField(max_length=20)
    bucket = models.SmallIntegerField(default=0)
    count = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["metric", "month", "unit_key", "region_key", "bucket"], name="action_stat_unique"
            )
        ]
        indexes = [
            # The metrics read the last N months, grouped by month, unit or region: a range of this
            # index holds every column they read, so the table itself is not visited.
            models.Index(
                fields=["month", "unit_key", "region_key", "metric", "bucket", "count"],
                name="action_stat_period_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.month} {self.metric}[{self.bucket}] = {self.count}"
