"""Customer accounts, their contacts and owners, framework agreements and their roll-out per site."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from comptoir.core.text import fold
from comptoir.org.models import Bilingual, OrgUnit, Region


class Segment(Bilingual):
    """A size or tier of account (data, not code): e.g. key account, large, medium, small."""

    code = models.SlugField(unique=True, max_length=40)
    rank = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["rank", "name"]


class Account(models.Model):
    class Status(models.TextChoices):
        PROSPECT = "prospect", _("Prospect")
        ACTIVE = "active", _("Active")
        LOST = "lost", _("Lost")

    external_id = models.CharField(_("CRM id"), max_length=64, unique=True, null=True, blank=True)
    name = models.CharField(_("name"), max_length=200)
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="accounts", verbose_name=_("unit"))
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="accounts", verbose_name=_("region"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="owned_accounts",
        verbose_name=_("owner"),
    )
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("group")
    )
    segment = models.ForeignKey(
        Segment, on_delete=models.PROTECT, null=True, blank=True, related_name="accounts", verbose_name=_("segment")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    address = models.CharField(_("address"), max_length=255, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    city = models.CharField(_("city"), max_length=120, blank=True)
    search_text = models.CharField(max_length=400, editable=False, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [models.CheckConstraint(condition=~Q(parent=models.F("id")), name="account_not_own_parent")]
        indexes = [
            models.Index(fields=["name", "id"], name="account_list_idx"),
            models.Index(fields=["owner", "name", "id"], name="account_owner_idx"),
            models.Index(fields=["unit", "name", "id"], name="account_unit_idx"),
            models.Index(fields=["region", "name", "id"], name="account_region_idx"),
            models.Index(fields=["segment", "name", "id"], name="account_segment_idx"),
            models.Index(fields=["status", "name", "id"], name="account_status_idx"),
            models.Index(fields=["parent", "name", "id"], name="account_parent_idx"),
        ]
        verbose_name = _("account")

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.search_text = self.compute_search_text()
        super().save(*args, **kwargs)

    def compute_search_text(self) -> str:
        """What the account list's search matches: accent-free, so "cafe" finds "Café"."""
        return fold(f"{self.name} {self.city} {self.postcode} {self.external_id or ''}")[:400]


class AccountOwnership(models.Model):
    """Who owned an account from when to when: later questions ("who owned it when the customer
    answered?") read this history, never the current owner."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="ownerships")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="account_ownerships")
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-started_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["account"], condition=Q(ended_at__isnull=True), name="one_current_owner_per_account"
            ),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=models.F("started_at")),
                name="ownership_ends_after_start",
            ),
        ]
        indexes = [models.Index(fields=["account", "started_at"], name="ownership_account_idx")]

    def __str__(self) -> str:
        return f"{self.account_id}: {self.owner_id} from {self.started_at:%Y-%m-%d}"


class Contact(models.Model):
    class Language(models.TextChoices):
        FR = "fr", "Français"
        EN = "en", "English"

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("account"))
    external_id = models.CharField(_("CRM id"), max_length=64, unique=True, null=True, blank=True)
    first_name = models.CharField(_("first name"), max_length=80, blank=True)
    last_name = models.CharField(_("last name"), max_length=80)
    job_title = models.CharField(_("role"), max_length=120, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices, default=Language.FR)
    survey_consent = models.BooleanField(_("agrees to be surveyed"), default=False)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)
    # The fields changed in Comptoir since the CRM last wrote them, each with the CRM's value at the
    # time: the next import keeps Comptoir's value while the CRM still sends that one (see
    # `ContactImporter.apply`).
    app_edits = models.JSONField(default=dict, blank=True, editable=False)

    class Meta:
        ordering = ["last_name", "first_name", "id"]
        indexes = [models.Index(fields=["account", "last_name"], name="contact_account_idx")]
        verbose_name = _("contact")

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class FrameworkAgreement(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SIGNED = "signed", _("Signed")
        ROLLING_OUT = "rolling_out", _("Rolling out")
        COMPLETED = "completed", _("Completed")
        ENDED = "ended", _("Ended")

    external_id = models.CharField(_("CRM id"), max_length=64, unique=True, null=True, blank=True)
    name = models.CharField(_("name"), max_length=200)
    kam = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="agreements", verbose_name=_("key-account manager")
    )
    group = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="group_agreements", verbose_name=_("group"))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    rollout_due_on = models.DateField(_("roll-out due on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.SIGNED)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")), name="agreement_dates_ordered"
            )
        ]
        indexes = [models.Index(fields=["kam", "name", "id"], name="agreement_kam_idx")]
        verbose_name = _("framework agreement")

    def __str__(self) -> str:
        return self.name


class AgreementSite(models.Model):
    """One site (account) covered by an agreement, with where its roll-out stands."""

    class Rollout(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        IN_PROGRESS = "in_progress", _("In progress")
        DEPLOYED = "deployed", _("Deployed")
        REFUSED = "refused", _("Refused")

    agreement = models.ForeignKey(FrameworkAgreement, on_delete=models.CASCADE, related_name="sites")
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="agreement_sites")
    status = models.CharField(max_length=12, choices=Rollout.choices, default=Rollout.NOT_STARTED)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agreement", "account"], name="agreement_site_unique")]
        indexes = [
            models.Index(fields=["agreement", "status"], name="agreement_site_status_idx"),
            models.Index(fields=["account"], name="agreement_site_account_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.agreement_id}/{self.account_id}: {self.status}"


class SiteStatusChange(models.Model):
    """Every roll-out status change, for the progress-over-time chart and the audit."""

    site = models.ForeignKey(AgreementSite, on_delete=models.CASCADE, related_name="changes")
    agreement = models.ForeignKey(FrameworkAgreement, on_delete=models.CASCADE, related_name="site_changes")
    from_status = models.CharField(max_length=12, choices=AgreementSite.Rollout.choices)
    to_status = models.CharField(max_length=12, choices=AgreementSite.Rollout.choices)
    changed_at = models.DateTimeField()
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["changed_at", "id"]
        indexes = [models.Index(fields=["agreement", "changed_at"], name="site_change_agreement_idx")]

    def __str__(self) -> str:
        return f"{self.site_id}: {self.from_status} -> {self.to_status}"
