"""The notification centre: in-app notifications, unread count, marking read, e-mails and preferences."""

from email.header import decode_header, make_header

import pytest
from django.db import transaction

from comptoir.notifications.models import Notification
from comptoir.notifications.services import notify, preference_set, wants_email
from conftest import body_of


def test_a_notification_reaches_the_centre_and_by_e_mail_in_the_recipients_language(
    cast, smtp_server, django_capture_on_commit_callbacks
):
    cast.rep.language = "en"
    cast.rep.save()
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipient=cast.rep, kind="import_finished", title="Your file is in", url="/people/", actor=cast.admin)
    assert Notification.objects.get().recipient == cast.rep
    (message,) = smtp_server.wait_for(1)
    assert message["To"] == cast.rep.email and "Your file is in" in message["Subject"]
    text = body_of(message)
    assert "Hello Léa" in text and "/people/" in text
    assert "Your file is in" in body_of(message, "html")


def test_no_e_mail_leaves_when_the_transaction_rolls_back(cast, smtp_server, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                notify(recipient=cast.rep, kind="import_finished", title="Never")
                raise RuntimeError("the action failed")
        except RuntimeError:
            pass
    assert callbacks == []
    assert not Notification.objects.exists()
    assert smtp_server.messages == []


def test_a_person_who_turned_e_mails_off_still_sees_the_notification(cast, smtp_server, django_capture_on_commit_callbacks):
    cast.rep.email_notifications = False
    cast.rep.save()
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipient=cast.rep, kind="import_finished", title="Quiet")
    assert Notification.objects.filter(recipient=cast.rep).count() == 1
    assert smtp_server.messages == []


def test_preferences_are_per_kind(cast):
    assert wants_email(cast.rep, "import_finished")
    preference_set(user=cast.rep, kind="import_finished", email=False)
    assert not wants_email(cast.rep, "import_finished")
    assert wants_email(cast.rep, "some_other_kind")
    cast.rep.is_active = False
    assert not wants_email(cast.rep, "some_other_kind")


def test_the_preferences_page_saves_the_choices(cast, login):
    client = login(cast.rep)
    page = client.get("/notifications/preferences/")
    assert page.status_code == 200 and "kind_import_finished" in page.content.decode()
    response = client.post("/notifications/preferences/", {"all_email": "on"})
    assert response.status_code == 302
    assert not wants_email(cast.rep, "import_finished")
    cast.rep.refresh_from_db()
    assert cast.rep.email_notifications is True
    client.post("/notifications/preferences/", {"kind_import_finished": "on"})
    cast.rep.refresh_from_db()
    assert cast.rep.email_notifications is False


def test_the_header_shows_the_unread_count_and_the_inbox_marks_read(cast, login):
    for n in range(3):
        notify(recipient=cast.rep, kind="test", title=f"Note {n}", email=False)
    notify(recipient=cast.teammate, kind="test", title="Not yours", email=False)
    client = login(cast.rep)
    page = client.get("/people/").content.decode()
    assert 'data-testid="unread-count">3<' in page
    inbox = client.get("/notifications/").content.decode()
    assert "Note 0" in inbox and "Not yours" not in inbox
    one = Notification.objects.filter(recipient=cast.rep).earliest("id")
    client.post("/notifications/read/", {"id": one.pk})
    assert "2" in client.get("/notifications/count/").content.decode()
    client.post("/notifications/read/", {"next": "/people/"})
    assert 'data-testid="unread-count"' not in client.get("/people/").content.decode()


def test_nobody_can_mark_someone_elses_notifications_read(cast, login):
    other = notify(recipient=cast.teammate, kind="test", title="Theirs", email=False)
    login(cast.rep).post("/notifications/read/", {"id": other.pk})
    other.refresh_from_db()
    assert other.read_at is None
    assert login(cast.rep).post("/notifications/read/", {"id": "abc"}).status_code == 400


def test_marking_read_refuses_to_redirect_elsewhere(cast, login):
    response = login(cast.rep).post("/notifications/read/", {"next": "//evil.example/"})
    assert response["Location"] == "/notifications/"


def test_the_inbox_pages_with_a_cursor_and_a_fixed_number_of_queries(cast, login, django_assert_max_num_queries):
    for n in range(30):
        notify(recipient=cast.rep, kind="test", title=f"Note {n}", email=False)
    client = login(cast.rep)
    client.get("/notifications/")
    with django_assert_max_num_queries(8):
        first = client.get("/notifications/")
    assert len(first.context["page"].items) == 25
    rest = client.get("/notifications/", {"after": first.context["page"].next_cursor}, HTTP_HX_REQUEST="true")
    assert len(rest.context["page"].items) == 5
    assert client.get("/notifications/", {"after": "garbage"}).status_code == 400


@pytest.mark.parametrize("kind", ["import_finished"])
def test_the_kinds_other_apps_declare_are_listed(kind):
    from comptoir.notifications.kinds import notification_kinds

    assert kind in {k.code for k in notification_kinds()}


# The worker closes connections that are inside a transaction (as a test's would be): commit for real.
@pytest.mark.django_db(transaction=True)
def test_the_database_task_worker_delivers_the_e_mail(cast, settings, smtp_server, django_capture_on_commit_callbacks):
    """With the production backend the e-mail waits in the database until a worker sends it."""
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipient=cast.rep, kind="import_finished", title="Par la file de tâches")
    assert DBTaskResult.objects.count() == 1
    assert smtp_server.messages == []
    run_worker_once()
    (message,) = smtp_server.wait_for(1)
    assert str(make_header(decode_header(message["Subject"]))) == "Par la file de tâches"


def run_worker_once():
    """Run the database task worker until the queue is empty, inside the test's transaction.

    The worker drops connections that are not in autocommit mode (its hygiene between tasks); in a
    test that is the test's own connection, which PostgreSQL would then refuse to use.
    """
    from unittest import mock

    from django.core.management import call_command

    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        call_command("db_worker", "--batch", "--no-reload", "--no-startup-delay", verbosity=0)
