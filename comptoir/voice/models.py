"""The customer's voice: journey steps, surveys, invitations, responses and their roll-ups.

Business rule (PRODUCT.md): the love score is customer relations' diagnostic tool. Nothing in this
app may turn a survey score into an objective, rank, badge, challenge or reward for a person. The
owner and team stored on a response are there so managers and reps can *act* on their accounts'
answers and so analytics can be broken down by team, never to rank people (see selectors.py).
"""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from comptoir.core.text import fold
from comptoir.customers.models import Account, Contact, FrameworkAgreement, Segment
from comptoir.org.models import Bilingual, OrgUnit, Region, Team

NPS_MIN, NPS_MAX = 0, 10
CES_MIN, CES_MAX = 1, 7
PROMOTER_MIN = 9  # 9-10
DETRACTOR_MAX = 6  # 0-6
CES_EASY_MIN = 5  # 5-7 "agree" on "made it easy for me"
COMMENT_MAX_LENGTH = 2000


def new_token() -> str:
    # 32 random bytes, URL-safe: 256 bits, not guessable nor enumerable.
    return secrets.token_urlsafe(32)


class VoiceSettings(models.Model):
    """The knobs customer relations tunes without a release (one row, pk=1)."""

    throttle_days = models.PositiveSmallIntegerField(
        _("ask a contact at most once every (days)"), default=30, help_text=_("Whatever the survey.")
    )
    reminder_after_days = models.PositiveSmallIntegerField(_("remind after (days)"), default=5)
    invitation_valid_days = models.PositiveSmallIntegerField(_("links valid for (days)"), default=30)
    min_responses = models.PositiveSmallIntegerField(_("minimum answers to show a score"), default=30)
    anonymous_max_per_day = models.PositiveSmallIntegerField(
        _("anonymous answers per device and day"), default=3
    )

    class Meta:
        verbose_name = _("survey settings")

    def __str__(self) -> str:
        return "voice settings"

    @classmethod
    def current(cls) -> VoiceSettings:
        obj, _created = cls.objects.get_or_create(pk=1)
        return obj


class JourneyStep(Bilingual):
    """A step of the customer's journey (order, delivery, installation, ...): data, not code."""

    code = models.SlugField(unique=True, max_length=40)
    rank = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(_("active"), default=True)
    # The phrase completing "… made it easy for me to …", per language.
    effort_phrase = models.CharField(_("effort phrase (French)"), max_length=160, blank=True)
    effort_phrase_en = models.CharField(_("effort phrase (English)"), max_length=160, blank=True)

    class Meta:
        ordering = ["rank", "name"]
        verbose_name = _("journey step")


class Survey(models.Model):
    class Kind(models.TextChoices):
        RELATIONAL = "relational", _("Relational (the whole relationship)")
        TRANSACTIONAL = "transactional", _("Transactional (after a journey step)")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ACTIVE = "active", _("Active")
        CLOSED = "closed", _("Closed")

    name = models.CharField(_("name"), max_length=160)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    step = models.ForeignKey(
        JourneyStep,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="surveys",
        verbose_name=_("journey step"),
    )
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.DRAFT)
    title = models.CharField(_("title (French)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    intro = models.TextField(_("introduction (French)"), blank=True)
    intro_en = models.TextField(_("introduction (English)"), blank=True)
    nps_question = models.CharField(_("NPS question (French)"), max_length=300)
    nps_question_en = models.CharField(_("NPS question (English)"), max_length=300)
    ces_question = models.CharField(_("effort question (French)"), max_length=300, blank=True)
    ces_question_en = models.CharField(_("effort question (English)"), max_length=300, blank=True)
    comment_question = models.CharField(_("comment question (French)"), max_length=300, blank=True)
    comment_question_en = models.CharField(_("comment question (English)"), max_length=300, blank=True)
    # A survey-wide link for counters and events: no contact, abuse-limited per device.
    anonymous_token = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="relational") | Q(step__isnull=False), name="transactional_survey_has_step"
            )
        ]
        indexes = [
            models.Index(fields=["status", "kind", "step"], name="survey_status_idx"),
            models.Index(fields=["-created_at", "-id"], name="survey_list_idx"),
        ]
        verbose_name = _("survey")

    def __str__(self) -> str:
        return self.name

    def text(self, field: str, language: str | None = None) -> str:
        """The survey's `field` in `language` (falls back to French, the organisation's language)."""
        language = language or get_language() or "fr"
        if language.startswith("en"):
            value = getattr(self, f"{field}_en", "")
            if value:
                return str(value)
        return str(getattr(self, field))


class SurveyQuestion(models.Model):
    """An optional extra question (beyond NPS, effort and comment)."""

    class Kind(models.TextChoices):
        TEXT = "text", _("Free text")
        CHOICE = "choice", _("One choice")
        YES_NO = "yes_no", _("Yes / no")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    rank = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.TEXT)
    text = models.CharField(_("question (French)"), max_length=300)
    text_en = models.CharField(_("question (English)"), max_length=300)
    # For CHOICE: [{"value": "...", "fr": "...", "en": "..."}]
    choices = models.JSONField(default=list, blank=True)
    required = models.BooleanField(default=False)

    class Meta:
        ordering = ["survey", "rank", "id"]

    def __str__(self) -> str:
        return self.text

    def label(self, language: str) -> str:
        return self.text_en if language.startswith("en") and self.text_en else self.text


class Campaign(models.Model):
    """One sending wave of a survey (a relational survey sent to a population, say)."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="campaigns")
    name = models.CharField(_("name"), max_length=160)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    invited = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.name


class JourneyEvent(models.Model):
    """A journey step that happened for an account ("delivery done for account X on date Y"):
    what triggers transactional surveys. `external_ref` makes a replayed event a no-op."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="journey_events")
    step = models.ForeignKey(JourneyStep, on_delete=models.PROTECT, related_name="events")
    occurred_on = models.DateField()
    external_ref = models.CharField(max_length=100, unique=True, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    invitations = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-occurred_on", "-id"]
        indexes = [models.Index(fields=["account", "step", "occurred_on"], name="journey_event_idx")]

    def __str__(self) -> str:
        return f"{self.step_id}@{self.account_id} {self.occurred_on}"


class Invitation(models.Model):
    """A personal link sent to one contact; one invitation gives at most one response."""

    class Status(models.TextChoices):
        PENDING = "pending", _("To send")
        SENT = "sent", _("Sent")
        ANSWERED = "answered", _("Answered")
        EXPIRED = "expired", _("Expired")
        CANCELLED = "cancelled", _("Cancelled")
        FAILED = "failed", _("Sending failed")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="invitations")
    campaign = models.ForeignKey(
        Campaign, on_delete=models.SET_NULL, null=True, blank=True, related_name="invitations"
    )
    event = models.ForeignKey(
        JourneyEvent, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="survey_invitations")
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="survey_invitations")
    step = models.ForeignKey(JourneyStep, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    language = models.CharField(max_length=2, default="fr")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # Throttling: "was this contact asked in the last N days?"
            models.Index(fields=["contact", "created_at"], name="invitation_contact_idx"),
            # Reminders: "sent, not answered, not reminded, sent before X".
            models.Index(fields=["status", "reminded_at", "sent_at"], name="invitation_reminder_idx"),
            models.Index(fields=["survey", "-created_at", "-id"], name="invitation_survey_idx"),
            models.Index(fields=["account", "-created_at"], name="invitation_account_idx"),
        ]
        verbose_name = _("invitation")

    def __str__(self) -> str:
        return f"{self.survey_id} → {self.contact_id}"


class Response(models.Model):
    """One answer. Everything analytics groups by is snapshotted at answer time (owner, team, unit,
    region, segment, step, agreement), so a later reorganisation never rewrites history."""

    class Source(models.TextChoices):
        EMAIL = "email", _("E-mail invitation")
        ANONYMOUS = "anonymous", _("Survey-wide link")
        IMPORT = "import", _("Import")
        API = "api", _("API")

    # Five keys are indexed only by the list indexes they lead (Meta.indexes), which serve their
    # lookups as well: a single-column index beside each would double the cost of every write.
    survey = models.ForeignKey(
        Survey, on_delete=models.PROTECT, related_name="responses", null=True, blank=True, db_index=False
    )
    invitation = models.OneToOneField(
        Invitation, on_delete=models.SET_NULL, null=True, blank=True, related_name="response"
    )
    account = models.ForeignKey(
        Account,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="survey_responses",
        db_index=False,
    )
    contact = models.ForeignKey(
        Contact, on_delete=models.SET_NULL, null=True, blank=True, related_name="survey_responses"
    )
    # The account's owner *when the customer answered* (customers.AccountOwnership history).
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    team = models.ForeignKey(Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    unit = models.ForeignKey(OrgUnit, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    region = models.ForeignKey(Region, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    segment = models.ForeignKey(Segment, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    step = models.ForeignKey(
        JourneyStep, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", db_index=False
    )
    agreement = models.ForeignKey(
        FrameworkAgreement, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", db_index=False
    )
    nps = models.PositiveSmallIntegerField(_("recommendation (0-10)"), null=True, blank=True)
    ces = models.PositiveSmallIntegerField(_("ease (1-7)"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True, max_length=COMMENT_MAX_LENGTH)
    # The comment lower-cased and accent-free, so a search for "creneaux" finds "Créneau" (French
    # first: PRODUCT.md). Kept by `save` and by every bulk write (services, imports, demo).
    comment_folded = models.TextField(blank=True, default="", editable=False)
    extra = models.JSONField(default=dict, blank=True)
    language = models.CharField(max_length=2, default="fr")
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.EMAIL)
    answered_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    # Lets the page that submitted correct the answer (kept by the page, never e-mailed).
    edit_key = models.CharField(max_length=64, default=new_token, editable=False)
    # Anonymous link: hashed device fingerprint, for the per-device daily limit.
    client_hash = models.CharField(max_length=64, blank=True, default="")
    external_id = models.CharField(max_length=100, unique=True, null=True, blank=True)

    class Meta:
        ordering = ["-answered_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(nps__isnull=True) | Q(nps__lte=NPS_MAX), name="response_nps_range"
            ),
            models.CheckConstraint(
                condition=Q(ces__isnull=True) | Q(ces__gte=CES_MIN, ces__lte=CES_MAX),
                name="response_ces_range",
            ),
        ]
        indexes = [
            models.Index(fields=["-answered_at", "-id"], name="response_list_idx"),
            models.Index(fields=["account", "-answered_at"], name="response_account_idx"),
            models.Index(fields=["owner", "-answered_at"], name="response_owner_idx"),
            models.Index(fields=["survey", "-answered_at"], name="response_survey_idx"),
            models.Index(fields=["agreement", "answered_at"], name="response_agreement_idx"),
            models.Index(fields=["step", "-answered_at"], name="response_step_idx"),
            models.Index(fields=["client_hash", "answered_at"], name="response_client_idx"),
        ]
        verbose_name = _("response")

    def __str__(self) -> str:
        return f"NPS {self.nps} / CES {self.ces}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.comment_folded = fold(self.comment or "")
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "comment" in update_fields:
            kwargs["update_fields"] = {*update_fields, "comment_folded"}
        super().save(*args, **kwargs)

    @property
    def nps_group(self) -> str:
        if self.nps is None:
            return ""
        if self.nps >= PROMOTER_MIN:
            return "promoter"
        if self.nps <= DETRACTOR_MAX:
            return "detractor"
        return "passive"


class Rollup(models.Model):
    """Counts per period × step × unit × region × segment × team, kept exact as responses arrive,
    are corrected or deleted (services.py), rebuildable by `manage.py voice_rollups`.

    The dimension columns are plain integers with 0 for "none" (not foreign keys) so that the
    unique key is NULL-free on every database and an upsert is one UPDATE or one INSERT.
    """

    class Grain(models.TextChoices):
        DAY = "d", _("Day")
        WEEK = "w", _("Week")
        MONTH = "m", _("Month")

    grain = models.CharField(max_length=1, choices=Grain.choices)
    start = models.DateField()  # first day of the day / ISO week (Monday) / month
    step_key = models.IntegerField(default=0)
    unit_key = models.IntegerField(default=0)
    region_key = models.IntegerField(default=0)
    segment_key = models.IntegerField(default=0)
    team_key = models.IntegerField(default=0)
    # Which dimensions the cell keeps (bit i = DIMS[i]); the others are -1, "all". Besides the
    # full cube (31) each response also counts in a few small partial cubes (the total, one per
    # dimension, step × unit) so the unfiltered dashboard reads a few hundred rows, not the cube.
    shape = models.PositiveSmallIntegerField(default=31)
    responses = models.IntegerField(default=0)
    promoters = models.IntegerField(default=0)
    passives = models.IntegerField(default=0)
    detractors = models.IntegerField(default=0)
    ces_count = models.IntegerField(default=0)
    ces_sum = models.IntegerField(default=0)
    ces_easy = models.IntegerField(default=0)
    comments = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["grain", "start", "step_key", "unit_key", "region_key", "segment_key", "team_key"],
                name="rollup_cell_unique",
            )
        ]
        indexes = [
            models.Index(fields=["grain", "start"], name="rollup_period_idx"),
            models.Index(fields=["grain", "shape", "start"], name="rollup_shape_idx"),
            models.Index(fields=["grain", "unit_key", "start"], name="rollup_unit_idx"),
            models.Index(fields=["grain", "team_key", "start"], name="rollup_team_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.grain}{self.start}: {self.responses}"
