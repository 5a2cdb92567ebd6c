"""Imports through the API: queued on the task worker like the admin upload, progress read back."""

import io

import pytest
from django.core.management import call_command
from django.test import Client

from comptoir.api.models import ApiToken
from comptoir.core.models import ImportJob
from comptoir.org.models import User

GOOD = b"email;first_name;last_name;role;unit\r\napi.one@acme.fr;Une;Personne;rep;HoReCa\r\n"
ONE_BAD = GOOD + b"api.two@acme.fr;Deux;Personnes;rep;Lune\r\n"


@pytest.fixture
def api_as():
    def make(user):
        _token, raw = ApiToken.issue(user=user, name="HR system")
        return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")

    return make


def upload(data=GOOD, name="rh.csv"):
    f = io.BytesIO(data)
    f.name = name
    return f


def test_an_upload_is_queued_and_answers_202_with_the_job_to_follow(cast, api_as, django_capture_on_commit_callbacks):
    client = api_as(cast.admin)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = client.post("/api/org/people/import", {"file": upload()})
    assert response.status_code == 202
    job = response.json()
    assert job["status"] == "queued" and job["finished"] is False and job["percent"] == 0
    assert job["report"] is None and job["url"] == f"/api/imports/{job['id']}"
    # Nothing is imported in the request: the task worker does it once the upload is committed.
    assert len(queued) == 1
    assert not User.objects.filter(email="api.one@acme.fr").exists()
    for callback in queued:
        callback()
    after = client.get(job["url"]).json()
    assert after["status"] == "done" and after["finished"] and after["percent"] == 100
    assert after["report"]["created"] == 1 and after["report"]["applied"] is True
    assert User.objects.filter(email="api.one@acme.fr").exists()


def test_the_progress_of_a_running_import_is_readable(cast, api_as):
    job = ImportJob.objects.create(
        kind="people", filename="rh.csv", data=GOOD, created_by=cast.admin, status=ImportJob.Status.RUNNING, done=300, total=1200
    )
    body = api_as(cast.admin).get(f"/api/imports/{job.pk}").json()
    assert (body["status"], body["done"], body["total"], body["percent"], body["finished"]) == ("running", 300, 1200, 25, False)
    assert body["report"] is None


def test_a_bad_row_imports_nothing_and_the_report_lists_it(cast, api_as, django_capture_on_commit_callbacks):
    client = api_as(cast.admin)
    with django_capture_on_commit_callbacks(execute=True):
        queued = client.post("/api/org/people/import", {"file": upload(ONE_BAD)}).json()
    job = client.get(queued["url"]).json()
    assert job["status"] == "rejected" and job["report"]["applied"] is False
    assert [(e["line"], e["column"]) for e in job["report"]["errors"]] == [(3, "unit")]
    assert job["rejected_rows_url"] is None
    assert not User.objects.filter(email="api.one@acme.fr").exists()


def test_a_partial_import_returns_the_bad_rows_as_a_file(cast, api_as, django_capture_on_commit_callbacks):
    client = api_as(cast.admin)
    with django_capture_on_commit_callbacks(execute=True):
        queued = client.post("/api/org/people/import", {"file": upload(ONE_BAD), "partial": "true"}).json()
    job = client.get(queued["url"]).json()
    assert job["status"] == "done" and job["report"]["created"] == 1
    assert User.objects.filter(email="api.one@acme.fr").exists()
    rejected = client.get(job["rejected_rows_url"])
    assert rejected.status_code == 200 and rejected["Content-Type"].startswith("text/csv")
    assert b"api.two@acme.fr" in rejected.content and b"Lune" in rejected.content


def test_sync_through_the_generic_import_endpoint(cast, api_as, django_capture_on_commit_callbacks):
    client = api_as(cast.admin)
    with django_capture_on_commit_callbacks(execute=True):
        queued = client.post("/api/imports/people", {"file": upload(), "sync": "true"}).json()
    job = client.get(queued["url"]).json()
    assert job["kind"] == "people" and job["options"] == {"sync": True, "partial": False}
    assert job["report"]["deactivated"] > 0
    cast.rep.refresh_from_db()
    assert cast.rep.is_active is False
    assert client.post("/api/imports/planets", {"file": upload()}).status_code == 404


@pytest.mark.parametrize(
    ("data", "status", "code"),
    [(b"", 422, "empty_file"), (b"x" * 2000, 413, "file_too_large")],
)
def test_an_empty_or_oversized_file_is_refused_at_once(cast, api_as, settings, data, status, code):
    settings.IMPORT_MAX_BYTES = 1000
    response = api_as(cast.admin).post("/api/org/people/import", {"file": upload(data)})
    assert response.status_code == status
    assert response.json()["error"]["code"] == code
    assert not ImportJob.objects.exists()


def test_a_missing_file_is_a_machine_readable_422(cast, api_as):
    response = api_as(cast.admin).post("/api/org/people/import", {})
    assert response.status_code == 422 and response.json()["error"]["code"] == "invalid_input"


def test_only_the_uploader_and_those_who_may_import_see_a_job(cast, api_as, django_capture_on_commit_callbacks):
    admin = api_as(cast.admin)
    with django_capture_on_commit_callbacks(execute=True):
        queued = admin.post("/api/org/people/import", {"file": upload(ONE_BAD), "partial": "true"}).json()
    job = admin.get(queued["url"]).json()
    for outsider in (cast.rep, cast.hq):
        client = api_as(outsider)
        assert client.get(job["url"]).status_code == 404
        assert client.get(job["rejected_rows_url"]).status_code == 404
        assert client.post("/api/imports/people", {"file": upload()}).status_code == 403
    assert admin.get("/api/imports/999999").json()["error"]["code"] == "not_found"


# The worker closes connections that are inside a transaction (as a test's would be): commit for real.
@pytest.mark.django_db(transaction=True)
def test_the_database_task_worker_runs_an_api_import(cast, api_as, settings, django_capture_on_commit_callbacks):
    """With the production backend the import waits in the queue until a worker takes it."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    client = api_as(cast.admin)
    with django_capture_on_commit_callbacks(execute=True):
        job = client.post("/api/org/people/import", {"file": upload()}).json()
    assert job["status"] == "queued"
    assert client.get(job["url"]).json()["status"] == "queued"
    run_worker_once()
    done = client.get(job["url"]).json()
    assert done["status"] == "done" and done["report"]["created"] == 1
    assert cast.admin.notifications.filter(kind="import_finished").count() == 1


def test_polling_a_job_costs_a_fixed_number_of_queries(cast, api_as, django_assert_max_num_queries):
    job = ImportJob.objects.create(kind="people", filename="rh.csv", data=b"x" * 100_000, created_by=cast.admin)
    client = api_as(cast.admin)
    # 1 token (+ person + role), 1 last-used stamp, 1 job (without its uploaded bytes).
    with django_assert_max_num_queries(3) as queries:
        assert client.get(f"/api/imports/{job.pk}").status_code == 200
    job_query = next(q["sql"] for q in queries.captured_queries if "core_importjob" in q["sql"])
    assert '"core_importjob"."data"' not in job_query


def run_worker_once():
    """Run the database task worker until the queue is empty, inside the test's transaction.

    The worker drops connections that are not in autocommit mode (its hygiene between tasks); in a
    test that is the test's own connection, which PostgreSQL would then refuse to use.
    """
    from unittest import mock

    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        call_command("db_worker", "--batch", "--no-reload", "--no-startup-delay", verbosity=0)
