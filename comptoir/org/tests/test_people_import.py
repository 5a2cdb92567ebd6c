"""Importing people from an HR export: every bad row reported, all or nothing, idempotent, --sync."""

import io
from pathlib import Path

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from comptoir.core.importjobs import import_file, import_kinds
from comptoir.core.models import ImportJob
from comptoir.org.models import User
from conftest import body_of

FRENCH_HEADERS = ["Adresse e-mail", "Prénom", "Nom", "Rôle", "Unité", "Région", "Équipe", "E-mail du manager", "Actif"]
HEADERS = ["email", "first_name", "last_name", "role", "unit", "region", "team", "manager_email", "active"]

GOOD_ROWS = [
    ["chef.horeca@acme.fr", "Élodie", "Chef", "Directeur commercial", "HoReCa", "", "", "", "oui"],
    ["resp.lyon@acme.fr", "Grégoire", "Lyonnais", "manager", "horeca", "Auvergne-Rhône-Alpes", "", "chef.horeca@acme.fr", "oui"],
    ["agnes.cafe@acme.fr", "Agnès", "Café", "Commercial terrain", "HoReCa", "auvergne-rhone-alpes", "", "resp.lyon@acme.fr", "oui"],
    ["noel.depart@acme.fr", "Noël", "Départ", "rep", "Trade", "", "", "resp.lyon@acme.fr", "non"],
]


@pytest.fixture(autouse=True)
def _messages_in_english():
    # The reports speak the uploader's language; these tests read the English wording.
    with translation.override("en"):
        yield


def csv_bytes(rows, headers=FRENCH_HEADERS, sep=";", encoding="cp1252"):
    lines = [sep.join(headers), *(sep.join(r) for r in rows)]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def xlsx_bytes(rows, headers=HEADERS):
    book = openpyxl.Workbook()
    sheet = book.worksheets[0]
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def run(data, filename="export.csv", **options):
    return import_file(import_kinds()["people"], data, filename, partial=options.pop("partial", False), options=options)


def test_a_french_excel_csv_in_windows_1252_with_semicolons_is_imported(cast):
    report = run(csv_bytes(GOOD_ROWS))
    assert report.applied and report.errors == [] and report.created == 4
    agnes = User.objects.get(email="agnes.cafe@acme.fr")
    assert (agnes.first_name, agnes.last_name) == ("Agnès", "Café")
    assert (agnes.role_code, agnes.unit_id, agnes.region_id) == ("rep", cast.units["horeca"].pk, cast.regions["rhone-alpes"].pk)
    assert User.objects.filter(email="agnes.cafe@acme.fr", manager__email="resp.lyon@acme.fr").exists()
    assert User.objects.filter(email="resp.lyon@acme.fr", manager__email="chef.horeca@acme.fr").exists()
    assert User.objects.get(email="noel.depart@acme.fr").is_active is False
    # Imported people set their password through the reset e-mail: none is usable yet.
    assert not agnes.has_usable_password()


def test_utf8_with_bom_and_commas_and_english_headers_are_imported(cast):
    report = run(csv_bytes(GOOD_ROWS, headers=HEADERS, sep=",", encoding="utf-8-sig"))
    assert report.applied and report.created == 4


def test_an_xlsx_export_is_imported(cast):
    report = run(xlsx_bytes(GOOD_ROWS), filename="export.xlsx")
    assert report.applied and report.created == 4
    assert User.objects.get(email="resp.lyon@acme.fr").role_code == "manager"


def test_an_existing_person_is_updated_and_a_team_is_found_by_name(cast):
    rows = [[cast.rep.email, "Léa", "Représentante-Dupuis", "rep", "HoReCa", "Île-de-France", "HoReCa Île-de-France", cast.manager.email, "oui"]]
    report = run(csv_bytes(rows))
    assert (report.created, report.updated) == (0, 1)
    cast.rep.refresh_from_db()
    assert cast.rep.last_name == "Représentante-Dupuis"
    assert cast.rep.team == cast.team
    assert User.objects.filter(search_text__contains="dupuis").get() == cast.rep


def test_every_bad_row_is_reported_with_its_line_and_reason_and_nothing_is_imported(cast):
    rows = [
        GOOD_ROWS[0],                                                                          # line 2: fine
        ["pas-un-email", "A", "B", "rep", "HoReCa", "", "", "", "oui"],                       # line 3
        ["x1@acme.fr", "", "B", "rep", "HoReCa", "", "", "", "oui"],                           # line 4
        ["x2@acme.fr", "A", "B", "astronaute", "HoReCa", "", "", "", "oui"],                   # line 5
        ["x3@acme.fr", "A", "B", "rep", "Lune", "", "", "", "oui"],                            # line 6
        ["x4@acme.fr", "A", "B", "rep", "HoReCa", "Atlantide", "", "", "oui"],                 # line 7
        ["x5@acme.fr", "A", "B", "rep", "HoReCa", "", "", "inconnu@acme.fr", "oui"],           # line 8
        ["chef.horeca@acme.fr", "Double", "Ligne", "rep", "HoReCa", "", "", "", "oui"],        # line 9
        ["loop.a@acme.fr", "A", "Boucle", "rep", "HoReCa", "", "", "loop.b@acme.fr", "oui"],    # line 10
        ["loop.b@acme.fr", "B", "Boucle", "rep", "HoReCa", "", "", "loop.a@acme.fr", "oui"],    # line 11
        ["x6@acme.fr", "A", "B", "rep", "HoReCa", "", "", "", "peut-être"],                    # line 12
        ["x7@acme.fr", "A", "B", "rep", "HoReCa", "", "Équipe fantôme", "", "oui"],            # line 13
        ["x8@acme.fr", "A", "B", "rep", "HoReCa", "", "", "x8@acme.fr", "oui"],                # line 14
    ]
    before = User.objects.count()
    report = run(csv_bytes(rows))
    assert not report.applied
    problems = {(e.line, e.column) for e in report.errors}
    assert problems >= {
        (3, "email"), (4, "first_name"), (5, "role"), (6, "unit"), (7, "region"), (8, "manager_email"),
        (9, "email"), (10, "manager_email"), (11, "manager_email"), (12, "active"), (13, "team"), (14, "manager_email"),
    }
    assert 2 not in {e.line for e in report.errors}
    messages = " ".join(e.message for e in report.errors)
    assert "inconnu@acme.fr" in messages and "Lune" in messages and "loops back" in messages
    assert User.objects.count() == before


def test_a_manager_change_that_loops_through_the_database_is_refused(cast):
    rows = [[cast.director.email, "Hélène", "Directrice", "director", "HoReCa", "", "", cast.rep.email, "oui"]]
    report = run(csv_bytes(rows))
    assert [(e.line, e.column) for e in report.errors] == [(2, "manager_email")]
    cast.director.refresh_from_db()
    assert cast.director.manager_id is None


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (b"", "empty.csv", "empty"),
        (b"email;first_name;last_name;role\r\n", "headers-only.csv", "no rows"),
        (b"email;first_name\r\nx@acme.fr;A\r\n", "missing.csv", "Missing column"),
        (b"email;first_name;last_name;role\r\n\x81\x8d\x8f;A;B;rep\r\n", "bad-encoding.csv", "neither UTF-8 nor Windows-1252"),
        (b"PK\x03\x04 this is not a workbook", "broken.xlsx", "cannot be opened"),
    ],
)
def test_a_bad_file_is_refused_as_a_whole_with_a_clear_message(cast, data, filename, message):
    report = run(data, filename=filename)
    assert not report.applied
    assert message.lower() in report.file_error.lower()


def test_a_file_too_large_is_refused(cast, settings):
    settings.IMPORT_MAX_BYTES = 100
    report = run(csv_bytes(GOOD_ROWS))
    assert not report.applied and "too large" in report.file_error


def test_a_partial_import_takes_the_good_rows_and_returns_the_bad_ones_as_a_file(cast):
    rows = [*GOOD_ROWS[:3], ["x5@acme.fr", "Ines", "Inconnue", "rep", "HoReCa", "", "", "inconnu@acme.fr", "oui"]]
    report = run(csv_bytes(rows), partial=True)
    assert report.applied and report.created == 3
    assert not User.objects.filter(email="x5@acme.fr").exists()
    rejected = report.rejected_rows_csv.splitlines()
    assert rejected[0].startswith("Adresse e-mail;Prénom")
    assert len(rejected) == 2 and "x5@acme.fr" in rejected[1] and ";5;" in rejected[1]


def test_importing_the_same_file_again_changes_nothing(cast):
    data = csv_bytes(GOOD_ROWS)
    run(data)
    snapshot = list(User.objects.order_by("id").values())
    again = run(data)
    assert again.applied and (again.created, again.updated, again.unchanged) == (0, 0, 4)
    assert list(User.objects.order_by("id").values()) == snapshot


def test_sync_deactivates_the_people_absent_from_the_file_and_never_deletes_them(cast):
    before = User.objects.count()
    report = run(csv_bytes(GOOD_ROWS), sync=True)
    assert report.deactivated > 0
    assert User.objects.count() == before + 4
    cast.rep.refresh_from_db()
    assert cast.rep.is_active is False and cast.rep.deactivated_at is not None
    cast.admin.refresh_from_db()
    assert cast.admin.is_active  # the administrators are never locked out by a file


def test_the_command_imports_with_a_progress_bar(cast, tmp_path: Path):
    path = tmp_path / "rh.csv"
    path.write_bytes(csv_bytes(GOOD_ROWS))
    out = io.StringIO()
    call_command("import_data", "people", str(path), stdout=out)
    assert "100%" in out.getvalue() and "4 created" in out.getvalue()
    assert User.objects.filter(email__endswith="@acme.fr").count() == 4


def test_the_command_refuses_a_bad_file_and_writes_the_rejected_rows_on_partial(cast, tmp_path: Path):
    path = tmp_path / "rh.csv"
    path.write_bytes(csv_bytes([GOOD_ROWS[0], ["bad", "A", "B", "rep", "HoReCa", "", "", "", "oui"]]))
    err = io.StringIO()
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_data", "people", str(path), stdout=io.StringIO(), stderr=err)
    assert "line 3 [email]" in err.getvalue()
    assert not User.objects.filter(email="chef.horeca@acme.fr").exists()
    call_command("import_data", "people", str(path), "--partial", stdout=io.StringIO(), stderr=err)
    assert (tmp_path / "rh.rejected.csv").exists()
    assert User.objects.filter(email="chef.horeca@acme.fr").exists()
    with pytest.raises(CommandError, match="Unknown import kind"):
        call_command("import_data", "planets", str(path))


def test_an_admin_uploads_a_file_and_follows_the_job_to_its_report_and_e_mail(
    cast, login, smtp_server, django_capture_on_commit_callbacks
):
    client = login(cast.admin)
    assert client.get("/imports/new/people/").status_code == 200
    upload = io.BytesIO(csv_bytes(GOOD_ROWS))
    upload.name = "rh.csv"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/imports/new/people/", {"file": upload})
    assert response.status_code == 302
    job = ImportJob.objects.get()
    assert response["Location"] == f"/imports/{job.pk}/"
    assert job.status == ImportJob.Status.DONE and job.report["created"] == 4
    page = client.get(f"/imports/{job.pk}/")
    assert "100 %" in page.content.decode()
    (message,) = smtp_server.wait_for(1)
    assert message["To"] == cast.admin.email
    assert "rh.csv" in message["Subject"] and "rh.csv" in body_of(message)
    assert cast.admin.notifications.filter(kind="import_finished").count() == 1


def test_a_rejected_upload_lists_the_bad_rows_and_offers_them_for_download_when_partial(cast, login, django_capture_on_commit_callbacks):
    client = login(cast.admin)
    upload = io.BytesIO(csv_bytes([GOOD_ROWS[0], ["bad", "A", "B", "rep", "HoReCa", "", "", "", "oui"]]))
    upload.name = "rh.csv"
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/imports/new/people/", {"file": upload, "partial": "on"})
    job = ImportJob.objects.get()
    body = client.get(f"/imports/{job.pk}/").content.decode()
    assert "bad" in body and f"/imports/{job.pk}/rejected.csv" in body
    download = client.get(f"/imports/{job.pk}/rejected.csv")
    assert download["Content-Type"].startswith("text/csv") and b"bad" in download.content


def test_only_those_who_may_import_can_upload_or_see_a_job(cast, login, django_capture_on_commit_callbacks):
    assert login(cast.rep).get("/imports/new/people/").status_code == 403
    assert login(cast.hq).get("/imports/new/people/").status_code == 403
    assert login(cast.admin).get("/imports/new/planets/").status_code == 404
    upload = io.BytesIO(csv_bytes(GOOD_ROWS))
    upload.name = "rh.csv"
    with django_capture_on_commit_callbacks(execute=True):
        login(cast.admin).post("/imports/new/people/", {"file": upload})
    job = ImportJob.objects.get()
    assert login(cast.rep).get(f"/imports/{job.pk}/").status_code == 404


def test_an_empty_upload_is_refused_by_the_form(cast, login):
    upload = io.BytesIO(b"")
    upload.name = "rh.csv"
    response = login(cast.admin).post("/imports/new/people/", {"file": upload})
    assert response.status_code == 400
    assert not ImportJob.objects.exists()


def test_someone_who_comes_back_in_the_file_is_active_again(cast):
    run(csv_bytes(GOOD_ROWS), sync=True)
    rows = [[cast.rep.email, "Léa", "Représentante", "rep", "HoReCa", "", "", "", "oui"]]
    run(csv_bytes(rows))
    cast.rep.refresh_from_db()
    assert cast.rep.is_active and cast.rep.deactivated_at is None


def test_a_large_re_import_writes_in_a_few_statements_and_gets_every_change_right(cast):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    boss = ["boss@acme.fr", "Grand", "Patron", "director", "HoReCa", "", "", "", "oui"]
    people = [[f"p{n:03d}@acme.fr", f"Prénom{n}", f"Nom{n}", "rep", "HoReCa", "", "", "boss@acme.fr", "oui"] for n in range(60)]
    assert run(csv_bytes([boss, *people])).created == 61
    new_boss = ["new.boss@acme.fr", "Nouvelle", "Patronne", "director", "Trade", "", "", "", "oui"]
    changed = [list(row) for row in people]
    for row in changed[:40]:
        row[8] = "non"  # forty leave
    changed[50][2] = "Renommée"  # one changes name
    changed[51][4] = "Trade"  # one changes unit
    for row in changed[45:]:
        row[7] = "new.boss@acme.fr"  # fifteen get a new manager
    with CaptureQueriesContext(connection) as queries:
        report = run(csv_bytes([boss, new_boss, *changed]))
    assert report.applied and (report.created, report.updated, report.unchanged) == (1, 55, 6)
    updates = [q for q in queries.captured_queries if q["sql"].startswith("UPDATE")]
    assert len(updates) <= 4, [q["sql"][:80] for q in updates]
    left = User.objects.filter(email__in=[r[0] for r in changed[:40]])
    assert not left.filter(is_active=True).exists() and not left.filter(deactivated_at__isnull=True).exists()
    renamed = User.objects.get(email="p050@acme.fr")
    assert renamed.last_name == "Renommée" and "renommee" in renamed.search_text
    assert User.objects.get(email="p051@acme.fr").unit == cast.units["trade"]
    assert set(User.objects.filter(manager__email="new.boss@acme.fr").values_list("email", flat=True)) == {r[0] for r in changed[45:]}
    assert User.objects.filter(email="p044@acme.fr", manager__email="boss@acme.fr").exists()
    assert User.objects.filter(email__in=[r[0] for r in changed[40:]], is_active=True).count() == 20


def test_the_report_speaks_french_to_a_french_uploader(cast):
    from comptoir.org.importer import KINDS

    rows = [["x3@acme.fr", "A", "B", "astronaute", "Lune", "", "", "", "oui"]]
    with translation.override("fr"):
        report = run(csv_bytes(rows))
        messages = [e.message for e in report.errors]
        assert "Rôle inconnu « astronaute »." in messages and "Unité inconnue « Lune »." in messages
        assert str(KINDS[0].label) == "Personnes (export RH)"
