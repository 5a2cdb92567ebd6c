"""Writes of the insights app that a person makes (their digest settings); the roll-ups are in rollups.py."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from comptoir.core import clock
from comptoir.insights.models import DigestPreference
from comptoir.org.models import User


def digest_preference_set(*, user: User, weekday: int, language: str = "") -> DigestPreference:
    errors = {}
    if weekday not in dict(DigestPreference.DAYS):
        errors["weekday"] = _("Choose a day of the week, or never.")
    if language not in ("", "fr", "en"):
        errors["language"] = _("Choose French or English.")
    if errors:
        raise ValidationError(errors)
    pref, _created = DigestPreference.objects.update_or_create(
        user=user, defaults={"weekday": weekday, "language": language, "updated_at": clock.now()}
    )
    return pref
