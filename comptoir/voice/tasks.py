"""Background work of the customer's voice: sending invitations and reminders by e-mail."""

from __future__ import annotations

from django.db import transaction
from django.tasks import task
from django.urls import reverse

from comptoir.customers.models import Contact
from comptoir.notifications.email import email_send
from comptoir.voice.models import Invitation, Survey


def _mail(invitation: Invitation, *, reminder: bool) -> None:
    language = invitation.language or "fr"
    survey = invitation.survey
    url = reverse("voice:answer", args=[invitation.token])
    unsubscribe = reverse("voice:unsubscribe", args=[invitation.token])
    email_send(
        to=invitation.contact.email,
        template="voice/email/invitation",
        context={
            "contact": invitation.contact,
            "title": survey.text("title", language),
            "intro": survey.text("intro", language),
            "nps_question": survey.text("nps_question", language),
            "url": url,
            "unsubscribe_url": unsubscribe,
            "reminder": reminder,
        },
        language=language,
        headers={
            "List-Unsubscribe": f"<{_absolute(unsubscribe)}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )


def _absolute(path: str) -> str:
    from django.conf import settings

    return f"{settings.SITE_URL}{path}"


def _sendable(invitation: Invitation) -> bool:
    # Consent is checked again at send time: an unsubscribe between invitation and sending wins.
    contact: Contact = invitation.contact
    return (
        contact.survey_consent
        and contact.unsubscribed_at is None
        and bool(contact.email)
        and invitation.survey.status == Survey.Status.ACTIVE
    )


@task()
def send_invitations(*, invitation_ids: list[int]) -> int:
    """E-mail the personal links of pending invitations (idempotent: only PENDING ones go)."""
    from comptoir.voice.services import invitation_mark_sent

    sent: list[int] = []
    cancelled: list[int] = []
    invitations = Invitation.objects.select_related("survey", "contact").filter(
        pk__in=invitation_ids, status=Invitation.Status.PENDING
    )
    with transaction.atomic():
        for invitation in invitations:
            if _sendable(invitation):
                _mail(invitation, reminder=False)
                sent.append(invitation.pk)
            else:
                cancelled.append(invitation.pk)
        invitation_mark_sent(sent)
        Invitation.objects.filter(pk__in=cancelled).update(status=Invitation.Status.CANCELLED)
    return len(sent)


@task()
def send_reminders() -> int:
    """One reminder per unanswered invitation after the configured delay (run it daily)."""
    from comptoir.voice.services import invitation_mark_sent, reminders_due

    with transaction.atomic():
        due = list(reminders_due().select_related("survey", "contact").select_for_update(of=("self",))[:5000])
        for invitation in due:
            _mail(invitation, reminder=True)
        invitation_mark_sent([i.pk for i in due], reminder=True)
    return len(due)
