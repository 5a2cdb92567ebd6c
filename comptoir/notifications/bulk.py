"""Notifying many people at once (an announcement to a whole audience): a fixed number of queries per
batch of recipients, whatever its size, where `notify` costs a few queries per person.

The same rules as `notify`: the text in each recipient's language, the e-mail only for those whose
preferences ask for it, rendered and sent by the task worker after commit (one task per batch)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.tasks import task
from django.utils import translation

from comptoir.core import clock
from comptoir.notifications.email import render_email
from comptoir.notifications.kinds import notification_kinds
from comptoir.notifications.models import KindPreference, Notification
from comptoir.org.models import User


def notify_many(
    *,
    recipients: Sequence[User],
    kind: str,
    title: Any,
    url: str = "",
    body: Any = "",
    actor: User | None = None,
) -> list[Notification]:
    """One notification per recipient and one e-mail task for those who want this kind by e-mail:
    two queries and one task for the batch. `title` and `body` may be lazy translations."""
    if not recipients:
        return []
    texts: dict[str, tuple[str, str]] = {}
    for language in {r.language for r in recipients}:
        with translation.override(language):
            texts[language] = (str(title)[:300], str(body))
    now = clock.now()
    notifications = Notification.objects.bulk_create(
        [
            Notification(
                recipient=r,
                actor=actor,
                kind=kind,
                title=texts[r.language][0],
                body=texts[r.language][1],
                url=url,
                created_at=now,
            )
            for r in recipients
        ],
        batch_size=500,
    )
    wanted = _wanting_email(recipients, kind)
    ids = [n.pk for n in notifications if n.recipient_id in wanted]
    if ids:
        # The task carries ids, not a thousand rendered e-mails: it renders them when it runs.
        transaction.on_commit(lambda: deliver_notification_emails.enqueue(notification_ids=ids))
    return notifications


def _wanting_email(recipients: Sequence[User], kind: str) -> set[int]:
    """Who gets an e-mail: their switch for all e-mails, then their choice for this kind, else the
    kind's default (one query for the whole batch)."""
    declared = {k.code: k for k in notification_kinds()}.get(kind)
    default = declared.email_by_default if declared else True
    candidates = [r.pk for r in recipients if r.is_active and r.email_notifications and r.email]
    chosen = dict(
        KindPreference.objects.filter(kind=kind, user_id__in=candidates).values_list("user_id", "email")
    )
    return {pk for pk in candidates if chosen.get(pk, default)}


@task(queue_name="default")
def deliver_notification_emails(*, notification_ids: list[int]) -> None:
    """E-mail a batch of notifications, each in its recipient's language (one query for the batch)."""
    for notification in Notification.objects.filter(pk__in=notification_ids).select_related("recipient"):
        recipient = notification.recipient
        subject, text, html = render_email(
            "notifications/email/notification",
            {"notification": notification, "recipient": recipient},
            language=recipient.language,
        )
        message = EmailMultiAlternatives(
            subject=subject, body=text, from_email=settings.DEFAULT_FROM_EMAIL, to=[recipient.email]
        )
        message.attach_alternative(html, "text/html")
        message.send()
