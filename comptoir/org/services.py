"""Every write to the organisation goes through here."""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from comptoir.core.images import ImageRejected, process_image
from comptoir.org.models import User
from comptoir.org.selectors import MAX_HIERARCHY_DEPTH, manager_of_map


def creates_cycle(person_id: int | None, manager_id: int | None, manager_of: Mapping[int, int | None]) -> bool:
    """Whether making `manager_id` the manager of `person_id` closes a loop in the reporting line."""
    if manager_id is None or person_id is None:
        return False
    seen: set[int] = set()
    current: int | None = manager_id
    while current is not None:
        if current == person_id:
            return True
        if current in seen:
            return True
        seen.add(current)
        current = manager_of.get(current)
    return False


def person_set_manager(*, person: User, manager: User | None) -> User:
    """Give `person` a new manager, refusing a loop in the reporting line."""
    if manager is not None and creates_cycle(person.pk, manager.pk, manager_of_map()):
        raise ValidationError(
            _("%(manager)s cannot be the manager of %(person)s: the reporting line would loop.")
            % {"manager": manager.full_name, "person": person.full_name},
            code="reporting_cycle",
        )
    person.manager = manager
    person.save(update_fields=["manager", "search_text"])
    return person


PROFILE_FIELDS = ("job_title", "phone", "language", "email_notifications")


def person_update_profile(*, person: User, changes: Mapping[str, object]) -> User:
    """Change what a person may change about themselves; anything else is refused, nothing half-saved."""
    unknown = sorted(set(changes) - set(PROFILE_FIELDS))
    if unknown:
        raise ValidationError(
            {name: _("This cannot be changed on one's own profile.") for name in unknown}, code="not_editable"
        )
    empty = sorted(name for name, value in changes.items() if value is None)
    if empty:
        raise ValidationError({name: _("This field cannot be null.") for name in empty}, code="null")
    for name, value in changes.items():
        setattr(person, name, value)
    person.full_clean(exclude=[f.name for f in User._meta.fields if f.name not in PROFILE_FIELDS])
    person.save(update_fields=[*changes, "search_text"])
    return person


def person_set_photo(*, person: User, upload: bytes, filename: str) -> User:
    """Store a profile photo after checking and re-encoding it (EXIF, GPS included, removed)."""
    try:
        image = process_image(upload, max_side=512)
    except ImageRejected as exc:
        raise ValidationError(str(exc), code="bad_image") from exc
    person.photo.save(f"{person.pk}.jpg", image.full, save=False)
    person.save(update_fields=["photo", "search_text"])
    return person


__all__ = [
    "MAX_HIERARCHY_DEPTH",
    "PROFILE_FIELDS",
    "creates_cycle",
    "person_set_manager",
    "person_set_photo",
    "person_update_profile",
]
