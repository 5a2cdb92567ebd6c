from __future__ import annotations

from comptoir.core.pagination import Page, keyset_page
from comptoir.notifications.models import Notification
from comptoir.org.models import User


def unread_count(user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def inbox_for(*, viewer: User, cursor: str | None = None, size: int = 25) -> Page[Notification]:
    return keyset_page(
        Notification.objects.filter(recipient=viewer).select_related("actor"),
        ordering=("-created_at", "-id"),
        cursor=cursor,
        size=size,
    )
