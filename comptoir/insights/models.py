"""Engagement insights: who was active when, kept as roll-ups rather than as a log that grows forever.

Three levels, each rebuildable from the one below (`manage.py insights_rollup`):

- `ActivityEvent`: the raw detail of what a person did (a post, a comment, a reaction, a quiz, an action
  closed), kept for `INSIGHTS_RAW_RETENTION_DAYS` and then purged.
- `DailyActivity`: one row per person and day they were active, written as things happen (a visit is
  recorded at most once per person per day by the middleware).
- `PeriodActivity`: one row per person holding an account during a week or a month, with where they
  worked then (unit, region, team, role) and what they did. Every insights figure reads this table:
  "active people as a share of active accounts" is `count(active_days > 0) / count(*)` over its rows.

Org keys are plain integers with 0 for "none" so that grouping and the unique constraints behave the
same on SQLite and PostgreSQL, and so that a later move of the person does not rewrite history.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

ACT_KINDS = ("post", "comment", "reaction", "quiz", "action_closed")
KIND_FIELDS = {
    "post": "posts",
    "comment": "comments",
    "reaction": "reactions",
    "quiz": "quizzes",
    "action_closed": "actions_closed",
}


class ActivityEvent(models.Model):
    """One thing a person did, for the raw detail (purged after the retention period)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20)
    at = models.DateTimeField()
    day = models.DateField()
    ref = models.CharField(max_length=120, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["at"], name="insights_event_at_idx"),
            models.Index(fields=["day", "user"], name="insights_event_day_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind} {self.at:%Y-%m-%d}"


class DailyActivity(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    visited = models.BooleanField(default=False)
    posts = models.PositiveIntegerField(default=0)
    comments = models.PositiveIntegerField(default=0)
    reactions = models.PositiveIntegerField(default=0)
    quizzes = models.PositiveIntegerField(default=0)
    actions_closed = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="insights_daily_unique")]
        indexes = [models.Index(fields=["day", "user"], name="insights_daily_day_idx")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.day}"


class PeriodActivity(models.Model):
    class Kind(models.TextChoices):
        WEEK = "w", _("week")
        MONTH = "m", _("month")

    kind = models.CharField(max_length=1, choices=Kind.choices)
    start = models.DateField()  # the Monday of the week, or the first day of the month
    user_id = models.BigIntegerField()
    unit_key = models.BigIntegerField(default=0)
    region_key = models.BigIntegerField(default=0)
    team_key = models.BigIntegerField(default=0)
    role_key = models.BigIntegerField(default=0)
    active_days = models.PositiveSmallIntegerField(default=0)
    posts = models.PositiveIntegerField(default=0)
    comments = models.PositiveIntegerField(default=0)
    reactions = models.PositiveIntegerField(default=0)
    quizzes = models.PositiveIntegerField(default=0)
    actions_closed = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "start", "user_id"], name="insights_period_unique")
        ]
        indexes = [
            # The trend by dimension reads (kind, start) ranges and counts active rows per key.
            models.Index(
                fields=["kind", "start", "unit_key", "active_days"], name="insights_period_unit_idx"
            ),
            models.Index(
                fields=["kind", "start", "region_key", "active_days"], name="insights_period_region_idx"
            ),
            models.Index(
                fields=["kind", "start", "team_key", "active_days"], name="insights_period_team_idx"
            ),
            models.Index(
                fields=["kind", "start", "role_key", "active_days"], name="insights_period_role_idx"
            ),
            models.Index(fields=["user_id", "kind", "start"], name="insights_period_user_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}{self.start} {self.user_id}"


class ManagerSpan(models.Model):
    """Who a person's manager and director were, and from when: the hierarchy's attention counts a
    reaction from whoever held that place when they reacted, even after the manager changed."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    manager_id_then = models.BigIntegerField(default=0)
    director_id_then = models.BigIntegerField(default=0)
    start = models.DateTimeField()
    end = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=Q(end__isnull=True), name="insights_one_open_span"
            ),
        ]
        indexes = [models.Index(fields=["person", "start"], name="insights_span_idx")]

    def __str__(self) -> str:
        return f"{self.person_id} -> {self.manager_id_then} from {self.start:%Y-%m-%d}"


class DigestPreference(models.Model):
    """When a person wants the weekly digest (a weekday, or never) and in which language."""

    NEVER = 7
    DAYS = [
        (0, _("Monday")),
        (1, _("Tuesday")),
        (2, _("Wednesday")),
        (3, _("Thursday")),
        (4, _("Friday")),
        (5, _("Saturday")),
        (6, _("Sunday")),
        (NEVER, _("Never")),
    ]

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digest_preference"
    )
    weekday = models.PositiveSmallIntegerField(_("day of the digest"), choices=DAYS, default=0)
    language = models.CharField(
        _("language of the digest"), max_length=2, blank=True, choices=[("fr", "Français"), ("en", "English")]
    )
    updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(weekday__lte=7), name="insights_digest_weekday_valid")
        ]
        indexes = [models.Index(fields=["weekday", "user"], name="insights_digest_day_idx")]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.weekday}"


class DigestRun(models.Model):
    """One day's sending of the digest: its progress log, so a crash is seen and the run resumed."""

    day = models.DateField(unique=True)
    week = models.DateField()
    started_at = models.DateTimeField()
    heartbeat_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    total = models.PositiveIntegerField(default=0)
    sent = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    unconfirmed = models.PositiveIntegerField(default=0)  # resent after a hand-over whose answer never came
    resumed = models.PositiveIntegerField(default=0)  # resent after a cut before the end of the message
    batches = models.PositiveIntegerField(default=0)
    log = models.TextField(blank=True)

    class Meta:
        ordering = ["-day"]

    def __str__(self) -> str:
        return f"digest {self.day}: {self.sent}/{self.total}"


class DigestDelivery(models.Model):
    """A person's digest for one week, and how far its SMTP exchange went.

    SENDING: claimed by a worker, the message not yet complete at the server. HANDED: the whole message
    is at the server, its answer not yet read. A worker that dies leaves one of the two; the next run
    takes both back once `lease_until` has passed (see `digest.sending` for why both are resent). The
    unique (user, week) keeps two workers from ever sending the same person's week at once.
    """

    class Status(models.TextChoices):
        SENDING = "sending", _("being sent")
        HANDED = "handed", _("handed over, answer awaited")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")
        EMPTY = "empty", _("nothing to say this week")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    week = models.DateField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.SENDING)
    claimed_at = models.DateTimeField()
    lease_until = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=1)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "week"], name="insights_digest_once_a_week")]
        indexes = [models.Index(fields=["week", "status"], name="insights_delivery_week_idx")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.week} {self.status}"


class PostAttention(models.Model):
    """Per post: when someone above the author (their manager or director at that moment) first
    reacted, commented or congratulated. Rebuilt by `insights_rollup` from the feed's tables."""

    post_id = models.BigIntegerField(unique=True)
    author_id = models.BigIntegerField()
    team_key = models.BigIntegerField(default=0)
    unit_key = models.BigIntegerField(default=0)
    posted_at = models.DateTimeField()
    first_at = models.DateTimeField(null=True, blank=True)
    hours = models.FloatField(null=True, blank=True)
    responder_id = models.BigIntegerField(default=0)
    relation = models.CharField(max_length=10, blank=True)  # "manager" or "director"

    class Meta:
        indexes = [
            models.Index(fields=["posted_at"], name="insights_attention_at_idx"),
            models.Index(fields=["author_id", "posted_at"], name="insights_attention_author_idx"),
        ]

    def __str__(self) -> str:
        return f"post {self.post_id}: {self.hours}"


class GroupPeriod(models.Model):
    """`PeriodActivity` summed per (unit, region, team, role): what the company-wide pages read, so
    their cost follows the number of teams, not of people."""

    kind = models.CharField(max_length=1, choices=PeriodActivity.Kind.choices)
    start = models.DateField()
    unit_key = models.BigIntegerField(default=0)
    region_key = models.BigIntegerField(default=0)
    team_key = models.BigIntegerField(default=0)
    role_key = models.BigIntegerField(default=0)
    accounts = models.PositiveIntegerField(default=0)
    active = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "start", "unit_key", "region_key", "team_key", "role_key"],
                name="insights_group_period_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind}{self.start} {self.unit_key}/{self.team_key}: {self.active}/{self.accounts}"


class PostSpread(models.Model):
    """Per post and reader unit: how many people of that unit read it and reacted to it (like or comment).
    Rebuilt by `insights_rollup`; the spread of practices across units is read from here."""

    post_id = models.BigIntegerField()
    author_id = models.BigIntegerField()
    author_unit = models.BigIntegerField(default=0)
    reader_unit = models.BigIntegerField(default=0)
    posted_at = models.DateTimeField()
    reads = models.PositiveIntegerField(default=0)
    reactions = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["post_id", "reader_unit"], name="insights_spread_unique")
        ]
        indexes = [models.Index(fields=["posted_at"], name="insights_spread_at_idx")]

    def __str__(self) -> str:
        return f"post {self.post_id}: unit {self.reader_unit} read {self.reads}"


class AttentionTally(models.Model):
    """Posts of a week, how many were reached by a reaction from above, and the delays to that first
    reaction as {tenths of an hour: posts}: two tallies merge by adding their counts, so the median
    over any set of rows is exact to six minutes."""

    week = models.DateField()
    unit_key = models.BigIntegerField(default=0)
    posts = models.PositiveIntegerField(default=0)
    reached = models.PositiveIntegerField(default=0)
    hours = models.JSONField(default=dict)

    class Meta:
        abstract = True


class TeamAttention(AttentionTally):
    """`PostAttention` summed per week (of the post) and author's team and unit when posting: what the
    attention page reads, so its cost follows the number of teams, not of people or posts."""

    team_key = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["week", "team_key", "unit_key"], name="insights_team_attention_unique"
            )
        ]
        indexes = [models.Index(fields=["team_key", "week"], name="insights_team_attention_idx")]

    def __str__(self) -> str:
        return f"{self.week} team {self.team_key}: {self.reached}/{self.posts}"


class UnitAttention(AttentionTally):
    """`TeamAttention` summed per week and author's unit: head office's totals and weekly chart read a
    handful of these rows (units x weeks) instead of merging every team's histogram."""

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["week", "unit_key"], name="insights_unit_attention_unique")
        ]

    def __str__(self) -> str:
        return f"{self.week} unit {self.unit_key}: {self.reached}/{self.posts}"


class ParticipationWindow(models.Model):
    """For the four weeks ending with the week `week`, per group of people (unit, region, team, role at
    the end of those weeks): how many people, and the histogram of each person's count of posts,
    comments, reactions and quizzes over the four weeks, as {kind: {count: people}}.

    Histograms of disjoint groups add up, so the participation spread of any set of groups (the whole
    company, a unit, a manager's teams) is read from these rows without one row per person; the
    roll-up job rewrites them with the weeks. `counts` leaves out the zeros: `people` less the others.
    """

    week = models.DateField()
    unit_key = models.BigIntegerField(default=0)
    region_key = models.BigIntegerField(default=0)
    team_key = models.BigIntegerField(default=0)
    role_key = models.BigIntegerField(default=0)
    people = models.PositiveIntegerField(default=0)
    counts = models.JSONField(default=dict)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["week", "unit_key", "region_key", "team_key", "role_key"],
                name="insights_participation_unique",
            )
        ]

    def __str__(self) -> str:
        return f"4 weeks to {self.week} team {self.team_key}: {self.people} people"
