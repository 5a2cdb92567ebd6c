"""Responses straight into the database (through the bulk service, so roll-ups follow)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from comptoir.customers.models import Account
from comptoir.voice.models import JourneyStep, Response
from comptoir.voice.services import responses_bulk_create


def answer(
    account: Account | None,
    *,
    nps: int | None,
    ces: int | None = None,
    comment: str = "",
    when: dt.datetime | None = None,
    step: JourneyStep | None = None,
    **extra: Any,
) -> Response:
    when = when or timezone.now()
    fields: dict[str, Any] = {
        "nps": nps,
        "ces": ces,
        "comment": comment,
        "answered_at": when,
        "updated_at": when,
        "step": step,
    }
    if account is not None:
        fields.update(
            account=account,
            owner_id=account.owner_id,
            unit_id=account.unit_id,
            region_id=account.region_id,
            segment_id=account.segment_id,
            team_id=account.owner.team_id if account.owner else None,
        )
    fields.update(extra)
    response = Response(**fields)
    responses_bulk_create([response])
    return response


def many(account: Account, scores: list[int], **kw: Any) -> None:
    for s in scores:
        answer(account, nps=s, **kw)
