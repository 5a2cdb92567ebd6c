"""The organisation: people, business units and departments, regions, teams, roles."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from comptoir.core.text import fold


class Bilingual(models.Model):
    """A name in French (the organisation's first language) and English."""

    name = models.CharField(_("name (French)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120, blank=True)

    class Meta:
        abstract = True

    @property
    def label(self) -> str:
        if (get_language() or "fr").startswith("en") and self.name_en:
            return self.name_en
        return self.name

    def __str__(self) -> str:
        return self.label


class Role(Bilingual):
    """A role as data: what a person does, and the capabilities it grants (see core.permissions)."""

    code = models.SlugField(unique=True, max_length=40)
    capabilities = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["id"]


class OrgUnit(Bilingual):
    class Kind(models.TextChoices):
        BUSINESS_UNIT = "business_unit", _("Business unit")
        DEPARTMENT = "department", _("Department")

    code = models.SlugField(unique=True, max_length=40)
    kind = models.CharField(max_length=20, choices=Kind.choices)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("organisation unit")


class Region(Bilingual):
    code = models.SlugField(unique=True, max_length=40)

    class Meta:
        ordering = ["name"]


class Team(models.Model):
    name = models.CharField(_("name"), max_length=120, unique=True)
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="teams", verbose_name=_("unit"))
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="teams", verbose_name=_("region")
    )
    manager = models.ForeignKey(
        "User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="managed_teams",
        verbose_name=_("manager"),
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class UserManager(BaseUserManager["User"]):
    def get_by_natural_key(self, username: str | None) -> User:
        return self.get(email__iexact=(username or "").strip())

    def create_user(self, email: str, password: str | None = None, **fields: Any) -> User:
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields: Any) -> User:
        fields.setdefault("first_name", "Admin")
        fields.setdefault("last_name", "Comptoir")
        return self.create_user(email, password, is_staff=True, is_superuser=True, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    class Language(models.TextChoices):
        FR = "fr", "Français"
        EN = "en", "English"

    email = models.EmailField(_("e-mail"), unique=True)
    first_name = models.CharField(_("first name"), max_length=80)
    last_name = models.CharField(_("last name"), max_length=80)
    job_title = models.CharField(_("job title"), max_length=120, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    role = models.ForeignKey(
        Role, on_delete=models.PROTECT, null=True, blank=True, related_name="people", verbose_name=_("role")
    )
    unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, null=True, blank=True, related_name="people", verbose_name=_("unit")
    )
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="people", verbose_name=_("region")
    )
    team = models.ForeignKey(
        Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="members", verbose_name=_("team")
    )
    manager = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name=_("manager"),
    )
    photo = models.ImageField(_("photo"), upload_to="people/%Y/%m/", blank=True)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices, default=Language.FR)
    email_notifications = models.BooleanField(_("e-mail notifications"), default=True)
    search_text = models.CharField(max_length=300, editable=False, default="")
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("staff"), default=False)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)
    deactivated_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects: ClassVar[UserManager] = UserManager()  # type: ignore[assignment]

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["first_name", "last_name"]

    class Meta:
        ordering = ["last_name", "first_name", "id"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
            models.CheckConstraint(condition=~models.Q(manager=models.F("id")), name="user_not_own_manager"),
        ]
        indexes = [
            models.Index(fields=["last_name", "first_name", "id"], name="user_directory_idx"),
            models.Index(fields=["unit", "last_name", "first_name", "id"], name="user_unit_directory_idx"),
            models.Index(fields=["region", "last_name", "first_name", "id"], name="user_region_directory_idx"),
            models.Index(fields=["team", "last_name", "first_name", "id"], name="user_team_directory_idx"),
            models.Index(fields=["role", "last_name", "first_name", "id"], name="user_role_directory_idx"),
        ]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.email = self.email.strip().lower()
        self.search_text = self.compute_search_text()
        super().save(*args, **kwargs)

    def compute_search_text(self) -> str:
        return fold(f"{self.first_name} {self.last_name} {self.email} {self.job_title}")[:300]

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip() or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.first_name

    @property
    def initials(self) -> str:
        return (self.first_name[:1] + self.last_name[:1]).upper()

    @property
    def capabilities(self) -> frozenset[str]:
        return frozenset(self.role.capabilities if self.role_id and self.role else [])

    @property
    def role_code(self) -> str:
        return self.role.code if self.role_id and self.role else ""
