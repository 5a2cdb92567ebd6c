"""Recording activity as it happens: a visit (once a day) and what other apps announce.

Both write the person's `DailyActivity` row for the local day; acts also keep their raw detail in
`ActivityEvent` until the retention period purges it.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from comptoir.insights.models import KIND_FIELDS, ActivityEvent, DailyActivity

log = logging.getLogger(__name__)


def visit_record(user_id: int, day: dt.date) -> None:
    """Mark `day` as visited for the person in ONE statement (an upsert), whatever already exists."""
    DailyActivity.objects.bulk_create(
        [DailyActivity(user_id=user_id, day=day, visited=True)],
        update_conflicts=True,
        unique_fields=["user", "day"],
        update_fields=["visited"],
    )


def act_record(*, user_id: int, kind: str, at: dt.datetime, ref: str = "") -> None:
    """Count an act (post, comment, reaction, quiz, action closed) on the person's day.

    Unknown kinds are ignored ("visit" comes from the middleware, not from here), so an app that
    announces something new does not break the insights.
    """
    field = KIND_FIELDS.get(kind)
    if field is None:
        return
    day = timezone.localdate(at)
    with transaction.atomic():
        ActivityEvent.objects.create(user_id=user_id, kind=kind, at=at, day=day, ref=ref[:120])
        if DailyActivity.objects.filter(user_id=user_id, day=day).update(**{field: F(field) + 1}):
            return
        try:
            with transaction.atomic():
                DailyActivity.objects.create(user_id=user_id, day=day, **{field: 1})
        except IntegrityError:  # another request created the row between our two statements
            DailyActivity.objects.filter(user_id=user_id, day=day).update(**{field: F(field) + 1})


def on_person_acted(
    sender: Any, *, user_id: int, kind: str, at: dt.datetime, ref: str = "", **kwargs: Any
) -> None:
    if kind == "visit":
        visit_record(user_id, timezone.localdate(at))
        return
    act_record(user_id=user_id, kind=kind, at=at, ref=ref)
