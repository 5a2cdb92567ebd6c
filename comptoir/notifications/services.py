"""Notifications: the one door through which every app tells a person that something happened."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import translation

from comptoir.core import clock
from comptoir.notifications.email import email_send
from comptoir.notifications.kinds import notification_kinds
from comptoir.notifications.models import KindPreference, Notification
from comptoir.org.models import User


def wants_email(user: User, kind: str) -> bool:
    """Whether `user` gets an e-mail for `kind`: their switch for all e-mails, then for this kind."""
    if not user.is_active or not user.email_notifications:
        return False
    preference = KindPreference.objects.filter(user=user, kind=kind).values_list("email", flat=True).first()
    if preference is None:
        declared = {k.code: k for k in notification_kinds()}.get(kind)
        return declared.email_by_default if declared else True
    return bool(preference)


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


def preferences_save(*, user: User, all_email: bool, by_kind: dict[str, bool]) -> None:
    """Save the preferences page: the switch for all e-mails and one choice per kind."""
    with transaction.atomic():
        user.email_notifications = all_email
        user.save(update_fields=["email_notifications", "search_text"])
        for kind, email in by_kind.items():
            preference_set(user=user, kind=kind, email=email)
