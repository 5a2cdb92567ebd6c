"""Contacts are kept up to date from the account page by the people responsible for the account."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from comptoir.customers.models import Contact
from comptoir.customers.tests.conftest import World
from comptoir.org.testing import Cast

pytestmark = pytest.mark.django_db


def test_the_owning_rep_adds_a_contact_from_the_account_page(cast: Cast, world: World, login: Any) -> None:
    client = login(cast.rep)
    page = client.get(reverse("customers:account", args=[world.rep.pk])).content.decode()
    assert reverse("customers:contact_new", args=[world.rep.pk]) in page
    response = client.post(
        reverse("customers:contact_new", args=[world.rep.pk]),
        {"first_name": "Hugo", "last_name": "Sommelier", "job_title": "Chef de rang", "email": "hugo@gare.test", "language": "fr", "survey_consent": "on"},
    )
    assert response.status_code == 302
    hugo = Contact.objects.get(last_name="Sommelier")
    assert (hugo.account, hugo.email, hugo.survey_consent) == (world.rep, "hugo@gare.test", True)
    assert "Hugo Sommelier" in client.get(reverse("customers:account", args=[world.rep.pk])).content.decode()


def test_a_contact_is_corrected_then_removed(cast: Cast, world: World, login: Any) -> None:
    client = login(cast.rep)
    contact = world.rep.contacts.get()
    form = client.get(reverse("customers:contact_edit", args=[contact.pk])).content.decode()
    assert 'value="Patronne"' in form
    response = client.post(
        reverse("customers:contact_edit", args=[contact.pk]),
        {"first_name": "Jeanne", "last_name": "Patronne", "email": "jeanne@gare.test", "language": "en"},
    )
    assert response.status_code == 302
    contact.refresh_from_db()
    assert (contact.email, contact.language, contact.survey_consent) == ("jeanne@gare.test", "en", False)
    assert client.post(reverse("customers:contact_delete", args=[contact.pk])).status_code == 302
    assert not Contact.objects.filter(pk=contact.pk).exists()


def test_a_bad_contact_form_comes_back_with_its_errors(cast: Cast, world: World, login: Any) -> None:
    contact = world.rep.contacts.get()
    response = login(cast.rep).post(
        reverse("customers:contact_edit", args=[contact.pk]), {"last_name": "", "email": "pas-un-mail", "language": "fr"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert html.count('role="alert"') >= 2
    contact.refresh_from_db()
    assert contact.last_name == "Patronne"


@pytest.mark.parametrize(
    ("who", "status"),
    [("manager", 200), ("admin", 200), ("teammate", 403), ("kam", 403), ("hq", 403), ("outsider", 404)],
)
def test_who_may_open_the_contact_forms(cast: Cast, world: World, login: Any, who: str, status: int) -> None:
    client = login(getattr(cast, who))
    contact = world.rep.contacts.get()
    assert client.get(reverse("customers:contact_new", args=[world.rep.pk])).status_code == status
    assert client.get(reverse("customers:contact_edit", args=[contact.pk])).status_code == status
    deleted = client.post(reverse("customers:contact_delete", args=[contact.pk]))
    assert Contact.objects.filter(pk=contact.pk).exists() == (status != 200)
    assert deleted.status_code == (302 if status == 200 else status)


def test_who_reads_contacts_without_the_edit_links(cast: Cast, world: World, login: Any) -> None:
    html = login(cast.teammate).get(reverse("customers:account", args=[world.rep.pk])).content.decode()
    assert "Jeanne Patronne" in html
    assert reverse("customers:contact_new", args=[world.rep.pk]) not in html and "contact-edit" not in html
