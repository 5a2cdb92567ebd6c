"""Responses collected elsewhere and journey events, imported from a file: the survey tool's export
(one header row, or three with an `…_NPS_GROUP` column), headers matched whatever their case and
accents, a preview of the mapping before anything is stored, all-or-nothing with a row report."""

from __future__ import annotations

import io
from typing import Any

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from comptoir.core.importjobs import import_file, import_kinds
from comptoir.core.models import ImportJob
from comptoir.voice.import_preview import import_preview
from comptoir.voice.models import Invitation, JourneyEvent, Response, Rollup
from comptoir.voice.rollups import recomputed_cells, stored_cells

from .conftest import World

THREE_ROWS = (
    "StartDate,EndDate,ResponseId,RecipientEmail,ExternalReference,Q1,Q1_NPS_GROUP,Q2,Q3,Étape\n"
    '"Start Date","End Date","Response ID","Recipient Email","External Data Reference",'
    '"Quelle est la probabilité que vous nous recommandiez à un confrère ?",'
    '"Quelle est la probabilité que vous nous recommandiez à un confrère ? - Group",'
    '"Comptoir m\'a facilité la tâche (effort)","Pourquoi cette note ?","Étape du parcours"\n'
    '"{""ImportId"":""startDate""}","{""ImportId"":""endDate""}","{""ImportId"":""_recordId""}",'
    '"{""ImportId"":""recipientEmail""}","{""ImportId"":""externalDataReference""}",'
    '"{""ImportId"":""QID1""}","{""ImportId"":""QID1_NPS_GROUP""}","{""ImportId"":""QID2""}",'
    '"{""ImportId"":""QID3_TEXT""}","{""ImportId"":""QID4""}"\n'
    "2026-03-02 09:00:00,2026-03-02 09:03:00,R_1,{email},,10,Promoter,7,Très bon livreur,Livraison\n"
    "2026-03-03 10:00:00,2026-03-03 10:02:00,R_2,{email},,3,Detractor,2,Créneau raté,livraison\n"
)


def _setup(world: World) -> None:
    world.account.external_id = "CRM-001"
    world.account.save()


def _kind(code: str) -> Any:
    return import_kinds()[code]


def test_a_three_header_row_export_is_read_by_its_question_texts(world: World) -> None:
    _setup(world)
    data = THREE_ROWS.replace("{email}", world.contact.email.upper()).encode()
    preview = import_preview(_kind("voice_responses_3rows"), data, "export.csv")
    read_as = {c["column"]: c["read_as"] for c in preview.columns}
    assert read_as["Q1"] == "nps" and read_as["Q1_NPS_GROUP"] == "ignored"
    assert read_as["Q2"] == "ces" and read_as["Q3"] == "comment"
    assert read_as["ResponseId"] == "external_id" and read_as["RecipientEmail"] == "email"
    assert read_as["Étape"] == "step"
    assert preview.total_rows == 2 and not preview.errors
    assert preview.sample[0]["nps"] == "10"
    assert Response.objects.count() == 0  # the preview stores nothing

    report = import_file(_kind("voice_responses_3rows"), data, "export.csv")
    assert report.applied and report.created == 2, report.as_dict()
    stored = Response.objects.order_by("answered_at")
    assert [(r.nps, r.ces, r.comment) for r in stored] == [
        (10, 7, "Très bon livreur"),
        (3, 2, "Créneau raté"),
    ]
    first = stored[0]
    assert first.contact == world.contact and first.account == world.account
    assert first.step == world.delivery and first.source == "import" and first.external_id == "R_1"
    assert first.owner == world.cast.rep and first.unit == world.account.unit
    assert stored_cells() == recomputed_cells()
    # Importing the same export again adds nothing (the response ids are known).
    again = import_file(_kind("voice_responses_3rows"), data, "export.csv")
    assert again.applied and again.created == 0 and again.unchanged == 2
    assert Response.objects.count() == 2


def test_headers_match_whatever_their_case_and_accents(world: World) -> None:
    _setup(world)
    data = (
        "DATE;COMPTE;Recommanderiez-vous ?;Facilité;Remarque;ÉTAPE\n"
        "31/03/2026;CRM-001;9;6;Rien à dire;Livraison\n"
    ).encode("cp1252")
    report = import_file(_kind("voice_responses"), data, "reponses.csv")
    assert report.applied and report.created == 1, report.as_dict()
    assert Response.objects.get().nps == 9


def test_one_bad_row_imports_nothing_and_every_bad_row_is_reported_with_its_line(world: World) -> None:
    _setup(world)
    data = (
        "response_id,date,account,nps,ces,comment\n"
        "A1,2026-03-01,CRM-001,9,6,ok\n"
        "A2,2026-03-01,CRM-001,11,6,score 11\n"
        "A3,pas une date,CRM-001,8,,\n"
        "A4,2026-03-01,CRM-404,8,,\n"
        "A5,2026-03-01,CRM-001,,,\n"
        "A1,2026-03-02,CRM-001,7,,same id\n"
        f"A7,2026-03-01,CRM-001,7,,{'x' * 2001}\n"
    ).encode()
    preview = import_preview(_kind("voice_responses"), data, "bad.csv")
    assert sorted({e.line for e in preview.errors}) == [3, 4, 5, 6, 7, 8]
    report = import_file(_kind("voice_responses"), data, "bad.csv")
    assert not report.applied
    assert sorted({e["line"] for e in report.as_dict()["errors"]}) == [3, 4, 5, 6, 7, 8]
    assert Response.objects.count() == 0 and Rollup.objects.count() == 0
    # Asked for, the good rows go in and the bad ones come back as a file.
    partial = import_file(_kind("voice_responses"), data, "bad.csv", partial=True)
    assert partial.applied and partial.created == 1
    assert "score 11" in partial.rejected_rows_csv and Response.objects.count() == 1


def test_a_file_without_the_needed_columns_is_refused_before_reading_rows(world: World) -> None:
    preview = import_preview(_kind("voice_responses"), b"foo,bar\n1,2\n", "x.csv")
    assert not preview.readable and "nps" in preview.missing
    assert import_preview(_kind("voice_responses"), b"", "x.csv").file_error


def test_an_xlsx_export_is_read_too(world: World) -> None:
    _setup(world)
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Response ID", "Recorded Date", "Account", "NPS", "NPS_GROUP", "CES"])
    sheet.append(["X1", "2026-03-05", "CRM-001", 6, "Detractor", 3])
    out = io.BytesIO()
    book.save(out)
    report = import_file(_kind("voice_responses"), out.getvalue(), "export.xlsx")
    assert report.applied and Response.objects.get().nps == 6


def test_the_page_previews_the_mapping_then_imports_through_a_job(
    world: World, login: Any, django_capture_on_commit_callbacks: Any
) -> None:
    _setup(world)
    client = login(world.cast.agent)
    assert client.get(reverse("voice:import")).status_code == 200
    data = THREE_ROWS.replace("{email}", world.contact.email).encode()
    page = client.post(
        reverse("voice:import"),
        {"kind": "voice_responses_3rows", "file": SimpleUploadedFile("export.csv", data, "text/csv")},
    )
    assert page.status_code == 200
    assert 'id="import-columns"' in page.text and "Q1_NPS_GROUP" in page.text
    assert 'id="import-ok"' in page.text
    assert Response.objects.count() == 0  # nothing stored before the confirmation
    key = page.text.split('name="key" value="')[1].split('"')[0]
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(reverse("voice:import_confirm"), {"key": key})
    assert done.status_code == 302
    job = ImportJob.objects.get()
    assert done["Location"] == reverse("core:import_job", args=[job.pk])
    assert Response.objects.count() == 2
    # A second click on "Import" (or a replay) imports nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        replay = client.post(reverse("voice:import_confirm"), {"key": key})
    assert replay.status_code == 302 and replay["Location"] == reverse("voice:import")
    assert ImportJob.objects.count() == 1 and Response.objects.count() == 2


def test_the_page_shows_bad_rows_before_anything_is_stored(world: World, login: Any) -> None:
    _setup(world)
    client = login(world.cast.agent)
    data = b"date,account,nps\n2026-03-01,CRM-001,12\n"
    page = client.post(
        reverse("voice:import"),
        {"kind": "voice_responses", "file": SimpleUploadedFile("r.csv", data, "text/csv")},
    )
    assert page.status_code == 200 and 'id="import-errors"' in page.text
    missing = client.post(
        reverse("voice:import"),
        {"kind": "voice_responses", "file": SimpleUploadedFile("r.csv", b"a,b\n1,2\n", "text/csv")},
    )
    assert missing.status_code == 400
    empty = client.post(
        reverse("voice:import"),
        {"kind": "voice_responses", "file": SimpleUploadedFile("r.csv", b"", "text/csv")},
    )
    assert empty.status_code == 400
    assert Response.objects.count() == 0 and ImportJob.objects.count() == 0


def test_only_customer_relations_imports(world: World, login: Any) -> None:
    for who in (world.cast.rep, world.cast.manager, world.cast.hq, world.cast.director):
        assert login(who).get(reverse("voice:import")).status_code == 403
        assert login(who).post(reverse("voice:import_confirm"), {"key": "x"}).status_code == 403


def test_the_api_previews_with_dry_run_and_imports(world: World, login: Any) -> None:
    _setup(world)
    client = login(world.cast.agent)
    data = THREE_ROWS.replace("{email}", world.contact.email).encode()
    dry = client.post(
        "/api/voice/responses/import",
        {"file": SimpleUploadedFile("e.csv", data), "kind": "voice_responses_3rows", "dry_run": "true"},
    )
    assert dry.status_code == 200, dry.content
    body = dry.json()
    assert body["total_rows"] == 2 and body["bad_rows"] == 0
    assert {"column": "Q1", "question": body["columns"][5]["question"], "read_as": "nps"} in body["columns"]
    assert Response.objects.count() == 0
    bad = client.post(
        "/api/voice/responses/import",
        {
            "file": SimpleUploadedFile("e.csv", b"date,account,nps\n2026-03-01,CRM-001,11\n"),
            "kind": "voice_responses",
        },
    )
    assert bad.status_code == 422 and bad.json()["errors"][0]["line"] == 2
    done = client.post(
        "/api/voice/responses/import",
        {"file": SimpleUploadedFile("e.csv", data), "kind": "voice_responses_3rows"},
    )
    assert done.status_code == 200 and done.json()["created"] == 2
    refused = login(world.cast.rep).post(
        "/api/voice/responses/import", {"file": SimpleUploadedFile("e.csv", data), "kind": "voice_responses"}
    )
    assert refused.status_code == 403


def test_journey_events_from_a_file_trigger_the_transactional_survey_once(world: World) -> None:
    _setup(world)
    data = "Compte;Étape;Date;Référence\nCRM-001;Livraison;2026-03-10;BL-77\n".encode()
    preview = import_preview(_kind("voice_events"), data, "events.csv")
    assert [c["read_as"] for c in preview.columns] == ["account", "step", "date", "reference"]
    assert not preview.errors
    report = import_file(_kind("voice_events"), data, "events.csv")
    assert report.applied and report.created == 1
    assert Invitation.objects.filter(event__external_ref="BL-77").count() == 2
    replay = import_file(_kind("voice_events"), data, "events.csv")
    assert replay.applied and replay.unchanged == 1 and JourneyEvent.objects.count() == 1
    bad = import_file(_kind("voice_events"), b"account,step,date\nCRM-404,teleportation,demain\n", "e.csv")
    assert not bad.applied and {e["column"] for e in bad.as_dict()["errors"]} == {"account", "step", "date"}
