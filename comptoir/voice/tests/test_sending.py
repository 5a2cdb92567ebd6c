"""Invitations by e-mail through the tasks, over real SMTP: consent, throttling, reminders,
unsubscribe honoured at once, transactional surveys triggered by journey events."""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

from django.test import Client
from django.urls import reverse

from comptoir.core import clock
from comptoir.voice import services
from comptoir.voice.models import Invitation, VoiceSettings
from comptoir.voice.tasks import send_reminders
from conftest import body_of

from .conftest import World, make_contact


def _link(message: Any) -> str:
    found = re.search(r"http://[^\s]+/voice/s/([A-Za-z0-9_-]+)/", body_of(message))
    assert found
    return found.group(1)


def test_invitations_go_by_email_in_the_contacts_language_only_to_those_who_consented(
    world: World, smtp_server: Any, django_capture_on_commit_callbacks: Any
) -> None:
    refused = make_contact(world.account, consent=False)
    no_mail = make_contact(world.account)
    no_mail.email = ""
    no_mail.save()
    with django_capture_on_commit_callbacks(execute=True):
        result = services.invitations_create(
            survey=world.survey, contacts=[world.contact, world.contact_en, refused, no_mail]
        )
    assert result.as_dict() == {
        "invited": 2,
        "no_consent": 1,
        "unsubscribed": 0,
        "no_email": 1,
        "throttled": 0,
    }
    messages = smtp_server.wait_for(2)
    assert len(messages) == 2
    by_to = {m["To"]: m for m in messages}
    fr, en = by_to[world.contact.email], by_to[world.contact_en.email]
    assert "Votre livraison" in fr["Subject"] and "Bonjour" in body_of(fr)
    assert "Your delivery" in en["Subject"] and "Hello" in body_of(en)
    assert en["List-Unsubscribe"]
    # The link in the e-mail opens the survey without logging in.
    token = _link(fr)
    assert Client().get(reverse("voice:answer", args=[token])).status_code == 200
    assert set(Invitation.objects.values_list("status", flat=True)) == {Invitation.Status.SENT}


def test_no_contact_is_asked_twice_within_the_throttle_period_whatever_the_survey(world: World) -> None:
    VoiceSettings.objects.filter(pk=1).update(throttle_days=30)
    from comptoir.voice.models import Survey

    other = services.survey_create(by=world.cast.agent, name="Relationnel", kind=Survey.Kind.RELATIONAL)
    services.survey_set_status(by=world.cast.agent, survey=other, status=Survey.Status.ACTIVE)
    assert (
        len(
            services.invitations_create(survey=world.survey, contacts=[world.contact], send=False).invitations
        )
        == 1
    )
    again = services.invitations_create(survey=other, contacts=[world.contact], send=False)
    assert again.throttled == 1 and not again.invitations
    with clock.frozen(clock.now() + dt.timedelta(days=31)):
        later = services.invitations_create(survey=other, contacts=[world.contact], send=False)
    assert len(later.invitations) == 1


def test_one_reminder_after_the_delay_then_none(
    world: World, smtp_server: Any, django_capture_on_commit_callbacks: Any
) -> None:
    VoiceSettings.objects.filter(pk=1).update(reminder_after_days=5)
    with django_capture_on_commit_callbacks(execute=True):
        services.invitations_create(survey=world.survey, contacts=[world.contact])
    smtp_server.wait_for(1)
    with clock.frozen(clock.now() + dt.timedelta(days=4)), django_capture_on_commit_callbacks(execute=True):
        assert send_reminders.call() == 0
    with clock.frozen(clock.now() + dt.timedelta(days=6)), django_capture_on_commit_callbacks(execute=True):
        assert send_reminders.call() == 1
        assert send_reminders.call() == 0
    messages = smtp_server.wait_for(2)
    assert len(messages) == 2 and "Rappel" in messages[1]["Subject"]


def test_unsubscribe_is_honoured_at_once(
    world: World, smtp_server: Any, django_capture_on_commit_callbacks: Any
) -> None:
    result = services.invitations_create(survey=world.survey, contacts=[world.contact], send=False)
    invitation = result.invitations[0]
    page = Client().get(reverse("voice:unsubscribe", args=[invitation.token]))
    assert page.status_code == 200
    done = Client().post(reverse("voice:unsubscribe", args=[invitation.token]))
    assert done.status_code == 200
    world.contact.refresh_from_db()
    assert world.contact.unsubscribed_at is not None
    # The invitation created before the unsubscribe is cancelled: no e-mail, no reminder, no answer.
    from comptoir.voice.tasks import send_invitations

    with django_capture_on_commit_callbacks(execute=True):
        assert send_invitations.call(invitation_ids=[invitation.pk]) == 0
    assert Invitation.objects.get(pk=invitation.pk).status == Invitation.Status.CANCELLED
    assert Client().get(reverse("voice:answer", args=[invitation.token])).status_code == 410
    with clock.frozen(clock.now() + dt.timedelta(days=60)):
        again = services.invitations_create(survey=world.survey, contacts=[world.contact], send=False)
    assert again.unsubscribed == 1 and not again.invitations
    assert smtp_server.messages == []


def test_a_journey_event_triggers_the_transactional_survey_once(world: World) -> None:
    event, result = services.journey_event_record(
        account=world.account, step=world.delivery, occurred_on=clock.today(), external_ref="BL-1"
    )
    assert result is not None and len(result.invitations) == 2
    assert set(Invitation.objects.values_list("event_id", flat=True)) == {event.pk}
    replay, nothing = services.journey_event_record(
        account=world.account, step=world.delivery, occurred_on=clock.today(), external_ref="BL-1"
    )
    assert replay.pk == event.pk and nothing is None
    assert Invitation.objects.count() == 2


def test_the_daily_job_expires_old_links_and_reminds_only_for_open_surveys(
    world: World, smtp_server: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from django.core.management import call_command

    from comptoir.voice.models import Survey

    VoiceSettings.objects.filter(pk=1).update(reminder_after_days=5, invitation_valid_days=30)
    closed = services.survey_create(by=world.cast.agent, name="Relationnel", kind=Survey.Kind.RELATIONAL)
    services.survey_set_status(by=world.cast.agent, survey=closed, status=Survey.Status.ACTIVE)
    other = make_contact(world.account)
    with django_capture_on_commit_callbacks(execute=True):
        services.invitations_create(survey=world.survey, contacts=[world.contact])
        services.invitations_create(survey=closed, contacts=[other])
    smtp_server.wait_for(2)
    services.survey_set_status(by=world.cast.agent, survey=closed, status=Survey.Status.CLOSED)
    with clock.frozen(clock.now() + dt.timedelta(days=6)), django_capture_on_commit_callbacks(execute=True):
        call_command("voice_reminders", stdout=io.StringIO())
    messages = smtp_server.wait_for(3)
    assert len(messages) == 3 and messages[2]["To"] == world.contact.email  # not the closed survey's
    with clock.frozen(clock.now() + dt.timedelta(days=31)), django_capture_on_commit_callbacks(execute=True):
        out = io.StringIO()
        call_command("voice_reminders", stdout=out)
    assert "2 invitations expired" in out.getvalue()
    assert set(Invitation.objects.values_list("status", flat=True)) == {Invitation.Status.EXPIRED}
    assert len(smtp_server.messages) == 3


def test_personal_links_are_long_random_and_distinct(world: World) -> None:
    contacts = [make_contact(world.account) for _ in range(20)]
    result = services.invitations_create(survey=world.survey, contacts=contacts, send=False)
    tokens = [i.token for i in result.invitations]
    assert len(set(tokens)) == 20
    # 32 random bytes in URL-safe base64: 43 characters, 256 bits, nothing derived from the ids.
    assert all(len(t) >= 43 and re.fullmatch(r"[A-Za-z0-9_-]+", t) for t in tokens)
    # A link that is almost right (one character changed) opens nothing.
    token = tokens[0]
    near = token[:-1] + ("A" if token[-1] != "A" else "B")
    assert Client().get(reverse("voice:answer", args=[near])).status_code == 404
