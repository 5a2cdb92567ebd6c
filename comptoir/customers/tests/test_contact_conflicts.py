"""A contact corrected in Comptoir and the next CRM import.

The rule: a field edited in Comptoir keeps Comptoir's value while the CRM still sends the value it
had before the edit (the report lists it, so someone corrects the CRM); once the CRM's value
changes, the CRM is the record again and wins (also listed). Fields nobody edited here follow the
CRM as before.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from comptoir.core.importjobs import import_file, import_kinds
from comptoir.customers import services
from comptoir.customers.models import Contact
from comptoir.customers.tests.conftest import World
from comptoir.org.testing import Cast

pytestmark = pytest.mark.django_db

HEADER = "ID contact;Code client;Prénom;Nom;Fonction;E-mail;Téléphone;Langue;Consentement\r\n"


def crm_export(*, phone: str = "0601020304", job: str = "Gérante", consent: str = "oui") -> bytes:
    line = f"K1;S1;Amélie;Poulain;{job};amelie@cafe.test;{phone};fr;{consent}"
    return (HEADER + line + "\r\n").encode("cp1252")


def run(data: bytes) -> Any:
    return import_file(import_kinds()["contacts"], data, "contacts.csv")


@pytest.fixture
def amelie(world: World) -> Contact:
    world.rep.external_id = "S1"
    world.rep.save()
    assert run(crm_export()).created == 1
    return Contact.objects.get(external_id="K1")


def test_a_phone_corrected_on_the_page_survives_the_next_import_which_reports_it(
    cast: Cast, world: World, amelie: Contact, login: Any
) -> None:
    form = {
        "first_name": "Amélie",
        "last_name": "Poulain",
        "job_title": "Gérante",
        "email": "amelie@cafe.test",
        "phone": "0699999999",
        "language": "fr",
        "survey_consent": "on",
    }
    assert login(cast.rep).post(reverse("customers:contact_edit", args=[amelie.pk]), form).status_code == 302
    report = run(crm_export(job="Directrice"))  # the CRM still has the old phone; a new role
    amelie.refresh_from_db()
    assert (amelie.phone, amelie.job_title) == ("0699999999", "Directrice")
    assert report.applied and report.updated == 1
    (conflict,) = report.conflicts
    assert (conflict.line, conflict.column) == (2, "phone")
    assert "0699999999" in conflict.message and "0601020304" in conflict.message
    # And again at every import, until someone corrects the CRM.
    assert [c.column for c in run(crm_export(job="Directrice")).conflicts] == ["phone"]


def test_once_the_crm_has_the_corrected_value_the_mark_goes(
    cast: Cast, world: World, amelie: Contact
) -> None:
    services.contact_update(contact=amelie, by=cast.rep, phone="0699999999")
    report = run(crm_export(phone="0699999999"))
    amelie.refresh_from_db()
    assert report.conflicts == [] and report.unchanged == 0  # only the mark changed
    assert (amelie.phone, amelie.app_edits) == ("0699999999", {})
    assert run(crm_export(phone="0611111111")).conflicts == []  # the CRM leads again
    amelie.refresh_from_db()
    assert amelie.phone == "0611111111"


def test_a_value_changed_on_both_sides_since_is_the_crms_and_is_reported(
    cast: Cast, world: World, amelie: Contact
) -> None:
    services.contact_update(contact=amelie, by=cast.rep, survey_consent=False)  # she said no to the rep
    report = run(crm_export(consent="non", job="Directrice"))  # unrelated: the CRM agrees on consent
    assert report.conflicts == []
    services.contact_update(contact=amelie, by=cast.rep, phone="0699999999")
    report = run(crm_export(consent="non", phone="0622222222"))
    amelie.refresh_from_db()
    (conflict,) = report.conflicts
    assert conflict.column == "phone" and "0622222222" in conflict.message
    assert (amelie.phone, amelie.app_edits) == ("0622222222", {})


def test_an_edit_brought_back_to_the_crms_value_is_no_edit(cast: Cast, world: World, amelie: Contact) -> None:
    services.contact_update(contact=amelie, by=cast.rep, phone="0699999999")
    assert amelie.app_edits == {"phone": "0601020304"}
    services.contact_update(contact=amelie, by=cast.rep, phone="0688888888")
    assert amelie.app_edits == {"phone": "0601020304"}  # still the CRM's value of the time
    services.contact_update(contact=amelie, by=cast.rep, phone="0601020304")
    assert amelie.app_edits == {}


def test_a_contact_made_in_comptoir_has_no_crm_to_disagree_with(cast: Cast, world: World) -> None:
    contact = services.contact_create(
        account=world.rep, by=cast.rep, last_name="Sans CRM", phone="0600000000"
    )
    services.contact_update(contact=contact, by=cast.rep, phone="0611111111")
    contact.refresh_from_db()
    assert contact.app_edits == {}


def test_the_report_and_the_api_carry_the_conflicts(
    cast: Cast, world: World, amelie: Contact, login: Any
) -> None:
    services.contact_update(contact=amelie, by=cast.rep, phone="0699999999")
    report = run(crm_export())
    assert report.as_dict()["conflicts"] == [
        {"line": 2, "column": "phone", "message": report.conflicts[0].message}
    ]
    assert "1 conflicts" in report.summary() or "1 conflit" in report.summary()
    client = login(cast.admin)
    upload = {"file": _named(crm_export(), "contacts.csv")}
    body = client.post("/api/customers/import/contacts", upload).json()
    assert [c["column"] for c in body["conflicts"]] == ["phone"]


def _named(data: bytes, name: str) -> Any:
    import io

    file = io.BytesIO(data)
    file.name = name
    return file
