"""The Django admin covers everything of the organisation, notifications, imports and API tokens."""

import pytest
from django.contrib import admin

from comptoir.api.models import ApiToken
from comptoir.core.models import ImportJob
from comptoir.notifications.models import KindPreference, Notification
from comptoir.notifications.services import notify, preference_set
from comptoir.org.models import OrgUnit, Region, Role, Team, User

MODELS = [User, Role, OrgUnit, Region, Team, Notification, KindPreference, ImportJob, ApiToken]


def test_every_model_of_the_foundation_is_in_the_admin():
    for model in MODELS:
        assert admin.site.is_registered(model), model


@pytest.mark.parametrize("model", MODELS)
def test_each_admin_list_and_change_page_opens(cast, login, model):
    notify(recipient=cast.rep, kind="test", title="x", email=False)
    preference_set(user=cast.rep, kind="test", email=False)
    ApiToken.issue(user=cast.rep, name="CRM")
    ImportJob.objects.create(kind="people", filename="rh.csv", data=b"x", created_by=cast.admin)
    client = login(cast.admin)
    meta = model._meta
    assert client.get(f"/admin/{meta.app_label}/{meta.model_name}/").status_code == 200
    first = model.objects.first()
    assert client.get(f"/admin/{meta.app_label}/{meta.model_name}/{first.pk}/change/").status_code == 200


def test_only_staff_reach_the_admin(cast, login):
    assert login(cast.hq).get("/admin/").status_code == 302


def test_an_admin_creates_a_person_by_e_mail(cast, login):
    client = login(cast.admin)
    assert client.get("/admin/org/user/add/").status_code == 200
    response = client.post(
        "/admin/org/user/add/",
        {
            "email": "Nouvelle.Personne@acme.fr",
            "first_name": "Nouvelle",
            "last_name": "Personne",
            "role": cast.roles["rep"].pk,
            "usable_password": "true",
            "password1": "un-mot-de-passe-solide-2026",
            "password2": "un-mot-de-passe-solide-2026",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert User.objects.get(email="nouvelle.personne@acme.fr").check_password("un-mot-de-passe-solide-2026")


def test_the_admin_refuses_a_reporting_line_that_loops(cast, login):
    client = login(cast.admin)
    page = client.get(f"/admin/org/user/{cast.director.pk}/change/")
    data = {k: v for k, v in page.context["adminform"].form.initial.items() if v is not None and k != "password"}
    data.update(
        {
            "manager": cast.rep.pk,
            "groups": [],
            "user_permissions": [],
            "date_joined_0": "2026-01-01",
            "date_joined_1": "09:00:00",
            "language": "fr",
            "email_notifications": "on",
            "is_active": "on",
            "role": cast.roles["director"].pk,
            "unit": cast.units["horeca"].pk,
        }
    )
    data = {k: v for k, v in data.items() if k not in {"last_login", "deactivated_at", "photo"}}
    response = client.post(f"/admin/org/user/{cast.director.pk}/change/", data)
    assert response.status_code == 200
    assert "formerait une boucle" in response.content.decode()  # the admin speaks French by default
    cast.director.refresh_from_db()
    assert cast.director.manager_id is None


def test_the_people_list_of_the_admin_offers_the_import(cast, login):
    body = login(cast.admin).get("/admin/org/user/").content.decode()
    assert "/imports/new/people/" in body


def test_an_admin_issues_an_api_token_and_sees_its_secret_once(cast, login):
    from django.test import Client

    client = login(cast.admin)
    form = client.get("/admin/api/apitoken/add/").content.decode()
    assert 'name="key_hash"' not in form  # the secret is made by the server, never typed in
    response = client.post("/admin/api/apitoken/add/", {"user": cast.hq.pk, "name": "BI"}, follow=True)
    assert response.status_code == 200
    shown = [str(m) for m in response.context["messages"]]
    (secret,) = [word.rstrip(".") for message in shown for word in message.split() if word.startswith("cpt_")]
    token = ApiToken.objects.get(name="BI")
    assert token.user == cast.hq and token.key_hash != secret and secret[4:12] == token.prefix
    assert Client(HTTP_AUTHORIZATION=f"Bearer {secret}").get("/api/org/units").status_code == 200
    # A second token gets its own secret (the stored hashes are unique).
    client.post("/admin/api/apitoken/add/", {"user": cast.hq.pk, "name": "CRM"})
    assert ApiToken.objects.filter(user=cast.hq).count() == 2
    assert cast.hq.api_tokens.values("key_hash").distinct().count() == 2
    # Revoking it in the admin stops it at once.
    client.post(f"/admin/api/apitoken/{token.pk}/change/", {"name": "BI", "revoked": "on"})
    assert Client(HTTP_AUTHORIZATION=f"Bearer {secret}").get("/api/org/units").status_code == 401
