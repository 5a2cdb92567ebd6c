"""The addressee hears of the action in the app and by e-mail (a real SMTP server)."""

from __future__ import annotations

from typing import Any

import pytest

from comptoir.actions import services
from comptoir.notifications.models import Notification
from conftest import body_of

pytestmark = pytest.mark.django_db(transaction=True)


def test_posting_notifies_and_emails_the_addressee(cast: Any, post_action: Any, smtp_server: Any) -> None:
    action = post_action(description="Client mécontent de la livraison")
    note = Notification.objects.get(recipient=cast.rep, kind="action_assigned")
    assert note.url == f"/actions/{action.pk}/"
    mails = smtp_server.wait_for(1)
    assert len(mails) == 1
    assert mails[0]["To"] == cast.rep.email
    assert "Rappeler le Café des Arts" in body_of(mails[0])
    assert f"/actions/{action.pk}/" in body_of(mails[0])


def test_closing_the_loop_tells_the_author(cast: Any, post_action: Any, smtp_server: Any) -> None:
    action = post_action()
    services.action_transition(action=action, actor=cast.rep, to="done", note="Le client est rassuré")
    mails = smtp_server.wait_for(2)
    assert [m["To"] for m in mails] == [cast.rep.email, cast.agent.email]
    assert "Le client est rassuré" in body_of(mails[1])
    assert Notification.objects.filter(recipient=cast.agent, kind="action_closed").count() == 1


def test_a_comment_notifies_the_other_side(cast: Any, post_action: Any, smtp_server: Any) -> None:
    action = post_action()
    services.action_comment(action=action, author=cast.rep, body="J'appelle demain")
    assert Notification.objects.filter(recipient=cast.agent, kind="action_comment").count() == 1
    assert not Notification.objects.filter(recipient=cast.rep, kind="action_comment").exists()


def test_the_kinds_are_declared_so_people_can_turn_their_e_mail_off(
    cast: Any, post_action: Any, smtp_server: Any
) -> None:
    from comptoir.notifications.kinds import notification_kinds
    from comptoir.notifications.models import KindPreference

    declared = {k.code for k in notification_kinds()}
    assert {
        "action_assigned",
        "action_comment",
        "action_closed",
        "action_reopened",
        "action_escalated",
    } <= declared
    assert {"project_facilitator", "project_comment"} <= declared
    KindPreference.objects.create(user=cast.rep, kind="action_assigned", email=False)
    action = post_action()
    assert Notification.objects.filter(recipient=cast.rep, kind="action_assigned").count() == 1
    services.action_comment(action=action, author=cast.rep, body="Je m'en occupe")
    mails = smtp_server.wait_for(1)
    assert [m["To"] for m in mails] == [cast.agent.email]  # the comment reached the agent; no mail to the rep
