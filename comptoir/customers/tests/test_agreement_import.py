"""Framework agreements from a CRM export, then their sites: keyed on the CRM ids, all or nothing,
every bad row named."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest

from comptoir.core.importjobs import import_file, import_kinds
from comptoir.customers.agreement_import import parse_date
from comptoir.customers.models import AgreementSite, FrameworkAgreement
from comptoir.customers.tests.conftest import World
from comptoir.org.testing import Cast

pytestmark = pytest.mark.django_db

HEADER = "Référence;Intitulé;KAM;Groupe;Date de début;Date de fin;Échéance;Statut;Commentaire\r\n"


def french_csv(*lines: str, header: str = HEADER) -> bytes:
    return (header + "\r\n".join(lines) + "\r\n").encode("cp1252")


def run(kind: str, data: bytes, filename: str = "accords.csv", **kwargs: Any) -> Any:
    return import_file(import_kinds()[kind], data, filename, **kwargs)


@pytest.fixture
def group(world: World) -> Any:
    world.group.external_id = "G-AZUR"
    world.group.save()
    for account, ext in ((world.rep, "S1"), (world.teammate, "S2")):
        account.external_id = ext
        account.save()
    return world.group


def test_dates_read_as_french_spreadsheets_write_them() -> None:
    assert parse_date("31/12/2026") == dt.date(2026, 12, 31)
    assert parse_date("01/02/26") == dt.date(2026, 2, 1)
    assert parse_date("2026-03-04T00:00:00") == dt.date(2026, 3, 4)  # an XLSX date cell
    assert parse_date("") is None
    with pytest.raises(ValueError):
        parse_date("31/02/2026")


def test_agreements_then_their_sites_arrive_from_the_crm(cast: Cast, group: Any) -> None:
    report = run(
        "agreements",
        french_csv(
            "FA-2027;Accord Azur 2027;kam@test.comptoir;G-AZUR;01/01/2027;31/12/2029;30/06/2027;en déploiement;Machines et formation",
            "FA-2028;Accord Azur 2028;KAM@test.comptoir;G-AZUR;01/01/2028;;;;",
        ),
    )
    assert report.ok and report.applied and report.created == 2, report.errors
    first = FrameworkAgreement.objects.get(external_id="FA-2027")
    assert (first.kam, first.group, first.starts_on, first.ends_on, first.rollout_due_on, first.status) == (
        cast.kam, group, dt.date(2027, 1, 1), dt.date(2029, 12, 31), dt.date(2027, 6, 30), "rolling_out"
    )
    assert FrameworkAgreement.objects.get(external_id="FA-2028").status == "signed"
    sites = run("agreement_sites", french_csv("FA-2027;S1;en cours", "FA-2027;S2;", header="Accord;Site;Statut\r\n"))
    assert sites.ok and sites.created == 2
    assert dict(AgreementSite.objects.filter(agreement=first).values_list("account__external_id", "status")) == {
        "S1": "in_progress",
        "S2": "not_started",
    }


def test_sending_the_agreements_again_changes_nothing_and_a_change_updates(cast: Cast, group: Any) -> None:
    data = french_csv("FA-1;Accord Un;kam@test.comptoir;G-AZUR;01/01/2027;;;signé;")
    run("agreements", data)
    again = run("agreements", data)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)
    changed = run("agreements", french_csv("FA-1;Accord Un (avenant);kam@test.comptoir;G-AZUR;01/01/2027;;;terminé;"))
    assert (changed.created, changed.updated) == (0, 1)
    agreement = FrameworkAgreement.objects.get(external_id="FA-1")
    assert (agreement.name, agreement.status) == ("Accord Un (avenant)", "completed")
    assert FrameworkAgreement.objects.filter(external_id="FA-1").count() == 1


def test_every_bad_agreement_row_is_reported_and_nothing_is_imported(cast: Cast, group: Any) -> None:
    data = french_csv(
        "FA-1;Accord Un;nobody@test.comptoir;G-AZUR;01/01/2027;;;;",  # unknown KAM
        "FA-2;Accord Deux;rep@test.comptoir;G-AZUR;01/01/2027;;;;",  # a rep does not own agreements
        "FA-3;Accord Trois;kam@test.comptoir;G-NOPE;01/01/2027;;;;",  # unknown group
        "FA-4;Accord Quatre;kam@test.comptoir;G-AZUR;demain;;;;",  # no date
        "FA-5;Accord Cinq;kam@test.comptoir;G-AZUR;01/01/2027;01/01/2026;31/12/2026;;",  # ends and due before start
        "FA-1;Accord Un bis;kam@test.comptoir;G-AZUR;01/01/2027;;;;",  # duplicate CRM id
        "FA-6;;kam@test.comptoir;G-AZUR;;;;peut-être;",  # no name, no start, bad status
        "FA-7;Accord Sept;kam@test.comptoir;G-AZUR;01/01/2027;;;;",  # the only good row
    )
    report = run("agreements", data)
    assert not report.applied
    found = {(e.line, e.column) for e in report.errors}
    assert {
        (2, "kam_email"),
        (3, "kam_email"),
        (4, "group_external_id"),
        (5, "starts_on"),
        (6, "ends_on"),
        (6, "rollout_due_on"),
        (7, "external_id"),
        (8, "name"),
        (8, "starts_on"),
        (8, "status"),
    } == found
    assert not FrameworkAgreement.objects.filter(external_id__isnull=False).exists()


def test_an_inactive_kam_is_refused(cast: Cast, group: Any) -> None:
    cast.kam.is_active = False
    cast.kam.save()
    report = run("agreements", french_csv("FA-1;Accord Un;kam@test.comptoir;G-AZUR;01/01/2027;;;;"))
    assert [e.column for e in report.errors] == ["kam_email"]


def test_a_partial_import_keeps_the_good_agreements(cast: Cast, group: Any) -> None:
    data = french_csv("FA-1;Accord Un;nobody@test.comptoir;G-AZUR;01/01/2027;;;;", "FA-7;Accord Sept;kam@test.comptoir;G-AZUR;01/01/2027;;;;")
    report = run("agreements", data, partial=True)
    assert report.applied and report.created == 1
    assert "nobody@test.comptoir" in report.rejected_rows_csv
    assert list(FrameworkAgreement.objects.filter(external_id__isnull=False).values_list("external_id", flat=True)) == ["FA-7"]


def test_an_xlsx_export_with_date_cells(cast: Cast, group: Any) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["external_id", "name", "kam_email", "group_external_id", "starts_on", "rollout_due_on"])
    sheet.append(["FA-X", "Accord Excel", "kam@test.comptoir", "G-AZUR", dt.datetime(2027, 2, 1), dt.datetime(2027, 9, 30)])
    out = io.BytesIO()
    book.save(out)
    report = run("agreements", out.getvalue(), "accords.xlsx")
    assert report.ok, report.errors
    agreement = FrameworkAgreement.objects.get(external_id="FA-X")
    assert (agreement.starts_on, agreement.rollout_due_on) == (dt.date(2027, 2, 1), dt.date(2027, 9, 30))


def test_the_api_imports_agreements_for_importers_only(cast: Cast, group: Any, login: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = french_csv("FA-1;Accord Un;kam@test.comptoir;G-AZUR;01/01/2027;;;;")
    assert login(cast.kam).post("/api/customers/import/agreements", {"file": SimpleUploadedFile("a.csv", data)}).status_code == 403
    response = login(cast.admin).post("/api/customers/import/agreements", {"file": SimpleUploadedFile("a.csv", data)})
    assert response.status_code == 200 and response.json()["created"] == 1


def test_the_management_command_imports_agreements(cast: Cast, group: Any, tmp_path: Any) -> None:
    from django.core.management import call_command

    path = tmp_path / "accords.csv"
    path.write_bytes(french_csv("FA-1;Accord Un;kam@test.comptoir;G-AZUR;01/01/2027;;;;"))
    call_command("import_data", "agreements", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    assert FrameworkAgreement.objects.filter(external_id="FA-1", kam=cast.kam).exists()
