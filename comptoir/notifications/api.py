"""The notification centre in the API: what the bell shows, marking read, and the e-mail choices."""

from __future__ import annotations

import datetime

from django.http import HttpRequest
from ninja import Router, Schema

from comptoir.api.errors import ApiError
from comptoir.api.schemas import PageOut
from comptoir.notifications import selectors, services
from comptoir.notifications.kinds import notification_kinds

PREFIX = "notifications"
router = Router(tags=["notifications"])


class NotificationOut(Schema):
    id: int
    kind: str
    title: str
    body: str
    url: str
    actor_id: int | None
    created_at: datetime.datetime
    read_at: datetime.datetime | None


class UnreadOut(Schema):
    unread: int


class MarkReadIn(Schema):
    ids: list[int] | None = None  # none: every unread notification


class MarkedOut(Schema):
    marked: int


class PreferencesSchema(Schema):
    all_email: bool
    kinds: dict[str, bool]


@router.get("/inbox", response=PageOut[NotificationOut])
def list_notifications(
    request: HttpRequest, unread: bool = False, cursor: str | None = None, size: int = 25
) -> dict[str, object]:
    """The caller's notifications, newest first; `unread=true` keeps the unread ones."""
    if not 1 <= size <= 200:
        raise ApiError(422, "invalid_input", "size must be between 1 and 200.", [{"field": "size", "message": "1..200"}])
    page = selectors.inbox_for(viewer=request.user, cursor=cursor, size=size, unread=unread)  # type: ignore[arg-type]
    return {"items": page.items, "next_cursor": page.next_cursor}


@router.get("/unread-count", response=UnreadOut)
def unread_count(request: HttpRequest) -> dict[str, int]:
    return {"unread": selectors.unread_count(request.user)}  # type: ignore[arg-type]


@router.post("/read", response=MarkedOut)
def mark_read(request: HttpRequest, payload: MarkReadIn) -> dict[str, int]:
    """Mark the caller's notifications `ids` (or all of them) read; others' ids are ignored."""
    marked = services.notifications_mark_read(user=request.user, ids=payload.ids)  # type: ignore[arg-type]
    return {"marked": marked}


@router.get("/preferences", response=PreferencesSchema)
def get_preferences(request: HttpRequest) -> dict[str, object]:
    return {
        "all_email": request.user.email_notifications,  # type: ignore[union-attr]
        "kinds": selectors.email_preferences_of(request.user),  # type: ignore[arg-type]
    }


@router.put("/preferences", response=PreferencesSchema)
def put_preferences(request: HttpRequest, payload: PreferencesSchema) -> dict[str, object]:
    """Set the switch for every e-mail and the choice per kind (kinds left out keep theirs)."""
    known = {k.code for k in notification_kinds()}
    unknown = sorted(set(payload.kinds) - known)
    if unknown:
        raise ApiError(
            422,
            "invalid_input",
            "Unknown notification kind(s): " + ", ".join(unknown),
            [{"field": f"kinds.{code}", "message": "unknown kind"} for code in unknown],
        )
    services.preferences_save(user=request.user, all_email=payload.all_email, by_kind=payload.kinds)  # type: ignore[arg-type]
    return get_preferences(request)
