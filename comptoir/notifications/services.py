"""Notifications: the one door through which every app tells a person that something happened."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import translation

from comptoir.core import clock
from comptoir.notifications.email import email_send
from comptoir.notifications.models import KindPreference, Notification
from comptoir.org.models import User


def wants_email(user: User, kind: str) -> bool:
    if not user.is_active or not user.email_notifications:
        return False
    preference = KindPreference.objects.filter(user=user, kind=kind).values_list("email", flat=True).first()
    return True if preference is None else bool(preference)


def notify(
    *,
    recipient: User,
    kind: str,
    title: Any,
    url: str = "",
    body: Any = "",
    actor: User | None = None,
    email: bool = True,
) -> Notification:
    """Record a notification for `recipient` and, per their preferences, e-mail it after commit.

    `title` and `body` may be lazy translations: they are rendered in the recipient's language.
    """
    with translation.override(recipient.language):
        title_text, body_text = str(title), str(body)
    notification = Notification.objects.create(
        recipient=recipient,
        actor=actor,
        kind=kind,
        title=title_text[:300],
        body=body_text,
        url=url,
        created_at=clock.now(),
    )
    if email and wants_email(recipient, kind):
        email_send(
            to=recipient.email,
            template="notifications/email/notification",
            context={"notification": notification, "recipient": recipient},
            language=recipient.language,
        )
    return notification


def notifications_mark_read(*, user: User, ids: list[int] | None = None) -> int:
    unread: QuerySet[Notification] = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=ids)
    return unread.update(read_at=clock.now())


def preference_set(*, user: User, kind: str, email: bool) -> None:
    KindPreference.objects.update_or_create(user=user, kind=kind, defaults={"email": email})
