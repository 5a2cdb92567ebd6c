"""Journey steps, maintained by customer relations (Cap.RUN_SURVEYS): add, rename in French and
English, reorder, retire, and delete a step nobody has used.

A step that has answers is never deleted, only retired: the answers keep pointing at it (their
history and the roll-ups stay as they were), it stays in the analytics filters, and it is no longer
offered for new surveys. The page and any future API call these functions, which check the
capability themselves and change nothing when the input is bad.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.text import slugify
from django.utils.translation import gettext as _

from comptoir.core.permissions import Cap, PermissionDenied403, has_cap
from comptoir.org.models import User
from comptoir.voice.models import Invitation, JourneyEvent, JourneyStep, Response, Survey

NAME_MAX = 120
PHRASE_MAX = 160


def _require(by: User) -> None:
    if not has_cap(by, Cap.RUN_SURVEYS):
        raise PermissionDenied403(_("You may not maintain the journey steps."))


def _clean(
    *, name: str, name_en: str, effort_phrase: str, effort_phrase_en: str, exclude: int | None = None
) -> dict[str, str]:
    values = {
        "name": name.strip(),
        "name_en": name_en.strip(),
        "effort_phrase": effort_phrase.strip(),
        "effort_phrase_en": effort_phrase_en.strip(),
    }
    errors: dict[str, str] = {}
    if not values["name"]:
        errors["name"] = _("Name the step in French.")
    for field, limit in (("name", NAME_MAX), ("name_en", NAME_MAX)):
        if len(values[field]) > limit:
            errors[field] = _("At most %(max)s characters.") % {"max": limit}
    for field in ("effort_phrase", "effort_phrase_en"):
        if len(values[field]) > PHRASE_MAX:
            errors[field] = _("At most %(max)s characters.") % {"max": PHRASE_MAX}
    if values["name"] and "name" not in errors:
        same = JourneyStep.objects.filter(name__iexact=values["name"])
        if exclude is not None:
            same = same.exclude(pk=exclude)
        if same.exists():
            errors["name"] = _("Another step already has this name.")
    if errors:
        raise ValidationError(errors)
    return values


def _new_code(name: str) -> str:
    base = (slugify(name) or "step")[:36]
    code, n = base, 1
    while JourneyStep.objects.filter(code=code).exists():
        n += 1
        code = f"{base}-{n}"
    return code


def step_create(
    *, by: User, name: str, name_en: str = "", effort_phrase: str = "", effort_phrase_en: str = ""
) -> JourneyStep:
    """A new step, last in the journey. Its code (what the API and imports name it by) comes from
    the French name and never changes afterwards, so integrations keep working after a rename."""
    _require(by)
    values = _clean(
        name=name, name_en=name_en, effort_phrase=effort_phrase, effort_phrase_en=effort_phrase_en
    )
    with transaction.atomic():
        last = JourneyStep.objects.aggregate(last=Max("rank"))["last"]
        return JourneyStep.objects.create(code=_new_code(values["name"]), rank=(last or 0) + 1, **values)


def step_update(
    *,
    by: User,
    step: JourneyStep,
    name: str,
    name_en: str = "",
    effort_phrase: str = "",
    effort_phrase_en: str = "",
) -> JourneyStep:
    """Rename a step (French and English) and its effort phrases; its code and answers stay."""
    _require(by)
    values = _clean(
        name=name,
        name_en=name_en,
        effort_phrase=effort_phrase,
        effort_phrase_en=effort_phrase_en,
        exclude=step.pk,
    )
    for field, value in values.items():
        setattr(step, field, value)
    step.save(update_fields=list(values))
    return step


def step_move(*, by: User, step: JourneyStep, up: bool) -> None:
    """Swap the step with its neighbour in the journey (ranks renumbered 1..n so they stay distinct)."""
    _require(by)
    with transaction.atomic():
        steps = list(JourneyStep.objects.select_for_update().order_by("rank", "name", "pk"))
        index = next(i for i, s in enumerate(steps) if s.pk == step.pk)
        other = index - 1 if up else index + 1
        if 0 <= other < len(steps):
            steps[index], steps[other] = steps[other], steps[index]
        for rank, s in enumerate(steps, start=1):
            s.rank = rank
        JourneyStep.objects.bulk_update(steps, ["rank"])


def step_set_active(*, by: User, step: JourneyStep, active: bool) -> JourneyStep:
    """Retire a step (no new survey, invitation or event for it; its answers stay), or bring it back.
    A step an active survey still asks about cannot be retired: close that survey first."""
    _require(by)
    if not active and Survey.objects.filter(step=step, status=Survey.Status.ACTIVE).exists():
        raise ValidationError(_("An active survey asks about this step: close it before retiring the step."))
    step.is_active = active
    step.save(update_fields=["is_active"])
    return step


def step_in_use(step: JourneyStep) -> bool:
    """Whether anything refers to the step: answers, surveys, invitations or journey events."""
    return (
        Response.objects.filter(step=step).exists()
        or Survey.objects.filter(step=step).exists()
        or Invitation.objects.filter(step=step).exists()
        or JourneyEvent.objects.filter(step=step).exists()
    )


def step_delete(*, by: User, step: JourneyStep) -> None:
    """Delete a step nobody used (a typo, say). A step with answers keeps its history: retire it."""
    _require(by)
    with transaction.atomic():
        if Response.objects.filter(step=step).exists():
            raise ValidationError(
                _("This step has answers: retire it instead, so its history and scores are kept.")
            )
        if step_in_use(step):
            raise ValidationError(
                _("Surveys, invitations or journey events use this step: retire it instead.")
            )
        step.delete()
