"""Accounts, contacts and agreement sites from a CRM export: all or nothing, every bad row named."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse

from comptoir.core.importjobs import import_file, import_kinds
from comptoir.customers.models import Account, AccountOwnership, AgreementSite, Contact, SiteStatusChange
from comptoir.customers.tests.conftest import World
from comptoir.org.testing import Cast

pytestmark = pytest.mark.django_db

HEADER = "Code client;Nom;Unité;Région;Commercial;Groupe;Statut;Adresse;Code postal;Ville\r\n"


def french_csv(*lines: str, header: str = HEADER) -> bytes:
    """As French Excel saves it: semicolons, Windows-1252, CRLF."""
    return (header + "\r\n".join(lines) + "\r\n").encode("cp1252")


def run(kind: str, data: bytes, filename: str = "export.csv", **kwargs: Any) -> Any:
    return import_file(import_kinds()[kind], data, filename, **kwargs)


def good_accounts() -> bytes:
    return french_csv(
        "G1;Groupe Hôtelier Étoile;HoReCa;Île-de-France;;;actif;;;",
        "S1;Hôtel Étoile Opéra;horeca;idf;rep@test.comptoir;G1;actif;12 rue Halévy;75009;Paris",
        "S2;Hôtel Étoile Gare;HoReCa;Île-de-France;teammate@test.comptoir;G1;prospect;;75010;Paris",
    )


def test_a_french_excel_export_creates_accounts_owners_and_groups(cast: Cast) -> None:
    report = run("accounts", good_accounts())
    assert report.ok and report.applied and report.created == 3
    s1 = Account.objects.get(external_id="S1")
    assert (s1.owner, s1.parent.external_id, s1.city, s1.unit.code) == (cast.rep, "G1", "Paris", "horeca")  # type: ignore[union-attr]
    assert AccountOwnership.objects.get(account=s1).owner == cast.rep
    assert "etoile" in s1.search_text


def test_sending_the_same_file_again_changes_nothing(cast: Cast) -> None:
    run("accounts", good_accounts())
    again = run("accounts", good_accounts())
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert AccountOwnership.objects.count() == 2


def test_a_new_owner_in_the_crm_goes_through_the_history(cast: Cast) -> None:
    run("accounts", good_accounts())
    changed = good_accounts().replace(b"rep@test.comptoir", b"teammate@test.comptoir")
    report = run("accounts", changed)
    assert report.updated == 1
    s1 = Account.objects.get(external_id="S1")
    assert s1.owner == cast.teammate
    assert list(s1.ownerships.order_by("started_at").values_list("owner_id", flat=True)) == [cast.rep.pk, cast.teammate.pk]
    assert s1.ownerships.filter(ended_at__isnull=True).count() == 1


def test_every_bad_row_is_reported_and_nothing_is_imported(cast: Cast) -> None:
    data = french_csv(
        "A1;Bar Un;HoReCa;Île-de-France;nobody@test.comptoir;;;;;",  # unknown owner
        "A2;Bar Deux;HoReCa;Île-de-France;;ZZ;;;;",  # unknown group
        "A3;Bar Trois;Pêche;Île-de-France;;;;;;",  # unknown unit
        "A1;Bar Un bis;HoReCa;Île-de-France;;;;;;",  # duplicate CRM id
        "C1;Cycle Un;HoReCa;Île-de-France;;C2;;;;",  # C1 -> C2 -> C1
        "C2;Cycle Deux;HoReCa;Île-de-France;;C1;;;;",
        "A4;;HoReCa;Île-de-France;;;fermé;;;",  # no name, bad status
        "A5;Bar Cinq;HoReCa;Île-de-France;;;;;;",  # the only good row
    )
    report = run("accounts", data)
    assert not report.applied
    by_line = {(e.line, e.column) for e in report.errors}
    assert {(2, "owner_email"), (3, "parent_external_id"), (4, "unit"), (5, "external_id"), (6, "parent_external_id"),
            (7, "parent_external_id"), (8, "name"), (8, "status")} <= by_line
    assert not Account.objects.exists()


def test_a_partial_import_keeps_the_good_rows_and_returns_the_bad(cast: Cast) -> None:
    data = french_csv("A1;Bar Un;HoReCa;Île-de-France;nobody@test.comptoir;;;;;", "A5;Bar Cinq;HoReCa;Île-de-France;;;;;;")
    report = run("accounts", data, partial=True)
    assert report.applied and report.created == 1
    assert list(Account.objects.values_list("external_id", flat=True)) == ["A5"]
    assert "nobody@test.comptoir" in report.rejected_rows_csv


def test_an_xlsx_export_is_read_too(cast: Cast) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["external_id", "name", "unit", "region", "owner_email"])
    sheet.append(["X1", "Cave à vins", "Trade", "Hauts-de-France", "rep.trade@test.comptoir"])
    out = io.BytesIO()
    book.save(out)
    report = run("accounts", out.getvalue(), "export.xlsx")
    assert report.ok and Account.objects.get(external_id="X1").owner == cast.rep_trade


def test_missing_columns_are_named(cast: Cast) -> None:
    report = run("accounts", b"Nom;Ville\r\nBar;Lyon\r\n")
    assert "external_id" in report.file_error and not Account.objects.exists()


CONTACT_HEADER = "ID contact;Code client;Prénom;Nom;Fonction;E-mail;Téléphone;Langue;Consentement\r\n"


def test_contacts_arrive_with_language_and_consent(cast: Cast, world: World) -> None:
    world.rep.external_id = "S1"
    world.rep.save()
    data = french_csv(
        "K1;S1;Amélie;Poulain;Gérante;amelie@cafe.test;0601020304;français;oui",
        "K2;S1;John;Smith;Chef;john@cafe.test;;en;non",
        header=CONTACT_HEADER,
    )
    report = run("contacts", data)
    assert report.ok and report.created == 2
    amelie = Contact.objects.get(external_id="K1")
    assert (amelie.account, amelie.language, amelie.survey_consent) == (world.rep, "fr", True)
    assert Contact.objects.get(external_id="K2").language == "en"
    assert run("contacts", data).unchanged == 2


def test_bad_contacts_are_all_reported(cast: Cast, world: World) -> None:
    data = french_csv(
        "K1;NOPE;Amélie;Poulain;;amelie@cafe.test;;fr;oui",  # unknown account
        "K2;;Jean;Dupont;;pas-un-mail;;fr;oui",  # unknown account and bad e-mail
        "K3;;Jean;;;;;klingon;peut-être",
        header=CONTACT_HEADER,
    )
    world.rep.external_id = "S1"
    world.rep.save()
    report = run("contacts", data)
    columns = {(e.line, e.column) for e in report.errors}
    assert {(2, "account_external_id"), (3, "email"), (4, "last_name"), (4, "language"), (4, "survey_consent")} <= columns
    assert not Contact.objects.filter(external_id__isnull=False).exists()


def test_agreement_sites_are_added_and_their_roll_out_recorded(cast: Cast, world: World) -> None:
    world.agreement.external_id = "FA1"
    world.agreement.save()
    for account, ext in ((world.rep, "S1"), (world.outsider, "S9")):
        account.external_id = ext
        account.save()
    data = french_csv("FA1;S1;déployé", "FA1;S9;en cours", header="Accord;Site;Statut\r\n")
    report = run("agreement_sites", data)
    assert report.ok and (report.created, report.updated) == (1, 1)
    assert AgreementSite.objects.get(agreement=world.agreement, account=world.rep).status == "deployed"
    assert AgreementSite.objects.get(agreement=world.agreement, account=world.outsider).status == "in_progress"
    assert SiteStatusChange.objects.filter(agreement=world.agreement).count() == 2
    assert run("agreement_sites", data).unchanged == 2


def test_bad_agreement_sites_are_reported(cast: Cast, world: World) -> None:
    world.rep.external_id = "S1"
    world.rep.save()
    data = french_csv("NOPE;S1;", "FA1;S404;", "FA1;S1;fini", header="Accord;Site;Statut\r\n")
    report = run("agreement_sites", data)
    assert {(e.line, e.column) for e in report.errors} >= {(2, "agreement_external_id"), (3, "account_external_id"), (4, "status")}
    assert not report.applied


def test_the_management_command_imports_accounts(cast: Cast, tmp_path: Any) -> None:
    path = tmp_path / "comptes.csv"
    path.write_bytes(good_accounts())
    out = io.StringIO()
    call_command("import_data", "accounts", str(path), stdout=out, stderr=out)
    assert Account.objects.count() == 3


def test_the_upload_page_is_for_importers_only(cast: Cast, login: Any) -> None:
    assert login(cast.admin).get(reverse("core:import_upload", args=["accounts"])).status_code == 200
    assert login(cast.rep).get(reverse("core:import_upload", args=["accounts"])).status_code == 403
