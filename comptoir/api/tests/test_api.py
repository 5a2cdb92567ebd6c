"""The JSON API: authentication, the organisation endpoints, permissions and machine-readable errors."""

import io

import pytest
from django.core.management import call_command
from django.test import Client

from comptoir.api.models import ApiToken, new_secret
from comptoir.org.models import User
from comptoir.org.testing import make_person


@pytest.fixture
def token_client():
    def make(user):
        _token, raw = ApiToken.issue(user=user, name="test")
        return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")

    return make


def test_without_credentials_the_api_answers_401_in_json(cast):
    response = Client().get("/api/org/people")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"


def test_a_token_authenticates_and_a_revoked_or_wrong_one_does_not(cast):
    token, raw = ApiToken.issue(user=cast.rep, name="CRM")
    assert raw.startswith("cpt_") and token.key_hash != raw  # only the hash is stored
    assert Client(HTTP_AUTHORIZATION=f"Bearer {raw}").get("/api/org/people").status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None
    assert Client(HTTP_AUTHORIZATION="Bearer cpt_wrong").get("/api/org/people").status_code == 401
    token.revoked = True
    token.save()
    assert Client(HTTP_AUTHORIZATION=f"Bearer {raw}").get("/api/org/people").status_code == 401


def test_the_token_of_someone_who_left_stops_working(cast):
    _token, raw = ApiToken.issue(user=cast.rep, name="CRM")
    cast.rep.is_active = False
    cast.rep.save()
    assert Client(HTTP_AUTHORIZATION=f"Bearer {raw}").get("/api/org/people").status_code == 401


def test_the_browser_session_works_too(cast, login):
    assert login(cast.rep).get("/api/org/people").status_code == 200


def test_the_command_issues_and_revokes_tokens(cast):
    out = io.StringIO()
    call_command("api_token", cast.hq.email, "--name", "BI", stdout=out)
    raw = out.getvalue().strip()
    assert Client(HTTP_AUTHORIZATION=f"Bearer {raw}").get("/api/org/units").status_code == 200
    call_command("api_token", cast.hq.email, "--revoke", raw[4:12], stdout=io.StringIO())
    assert Client(HTTP_AUTHORIZATION=f"Bearer {raw}").get("/api/org/units").status_code == 401


def test_a_token_prefix_can_always_be_typed_after_revoke():
    prefixes = {new_secret()[4:12] for _ in range(500)}
    assert len(prefixes) == 500
    assert all(prefix.isascii() and prefix.isalnum() for prefix in prefixes)


def test_people_are_listed_with_filters_and_keyset_pagination(cast, token_client):
    client = token_client(cast.rep)
    body = client.get("/api/org/people", {"unit": cast.units["trade"].pk}).json()
    assert {p["email"] for p in body["items"]} == {"manager.trade@test.comptoir", "rep.trade@test.comptoir"}
    assert client.get("/api/org/people", {"q": "représentante"}).json()["items"][0]["role"] == "rep"
    emails: list[str] = []
    cursor = None
    while True:
        page = client.get("/api/org/people", {"size": 4, **({"cursor": cursor} if cursor else {})}).json()
        emails += [p["email"] for p in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert len(emails) == len(set(emails)) == User.objects.filter(is_active=True).count()


def test_the_people_list_costs_the_same_for_10_or_200_people(cast, token_client, django_assert_max_num_queries):
    client = token_client(cast.rep)
    with django_assert_max_num_queries(4) as small:
        client.get("/api/org/people")
    for _n in range(20):
        make_person(role=cast.roles["rep"])
    with django_assert_max_num_queries(4) as large:
        client.get("/api/org/people")
    assert len(small.captured_queries) == len(large.captured_queries)


def test_a_person_and_a_unit_are_read_through_the_same_fetchers_as_the_pages(cast, token_client):
    cast.outsider.is_active = False
    cast.outsider.save()
    rep = token_client(cast.rep)
    assert rep.get(f"/api/org/people/{cast.manager.pk}").json()["manager_id"] == cast.director.pk
    missing = rep.get(f"/api/org/people/{cast.outsider.pk}")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
    assert token_client(cast.admin).get(f"/api/org/people/{cast.outsider.pk}").status_code == 200
    units = rep.get("/api/org/units").json()["items"]
    assert {u["code"] for u in units} >= {"horeca", "trade", "office", "hq"}
    assert rep.get(f"/api/org/units/{cast.units['hq'].pk}").json()["kind"] == "department"
    assert rep.get("/api/org/units/999999").status_code == 404


@pytest.mark.parametrize(
    ("params", "status", "code"),
    [
        ({"size": 0}, 422, "invalid_input"),
        ({"size": "many"}, 422, "invalid_input"),
        ({"cursor": "garbage"}, 400, "invalid_cursor"),
        ({"unit": "x"}, 422, "invalid_input"),
    ],
)
def test_bad_input_gets_a_4xx_with_a_machine_readable_error(cast, token_client, params, status, code):
    response = token_client(cast.rep).get("/api/org/people", params)
    assert response.status_code == status
    assert response.json()["error"]["code"] == code


CSV = (
    b"email;first_name;last_name;role;unit\r\n"
    b"api.one@acme.fr;Une;Personne;rep;HoReCa\r\n"
    b"api.two@acme.fr;Deux;Personnes;rep;Lune\r\n"
)


def upload(data=CSV, name="rh.csv"):
    f = io.BytesIO(data)
    f.name = name
    return f


def test_only_those_who_may_import_can_import_people(cast, token_client):
    response = token_client(cast.hq).post("/api/org/people/import", {"file": upload()})
    assert response.status_code == 403 and response.json()["error"]["code"] == "forbidden"
    assert not User.objects.filter(email="api.one@acme.fr").exists()


def test_the_schema_and_its_interactive_docs_are_served(cast, login):
    schema = Client().get("/api/openapi.json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert {
        "/api/org/people", "/api/org/people/{person_id}", "/api/org/units", "/api/org/people/import",
        "/api/imports/{job_id}", "/api/imports/{kind}",
    } <= set(paths)
    docs = login(cast.rep).get("/api/docs")
    assert docs.status_code == 200
    # The docs use the vendored Swagger UI: nothing from a CDN.
    assert "cdn" not in docs.content.decode().lower()


def test_regions_roles_and_teams_are_listed(cast, token_client):
    client = token_client(cast.rep)
    assert {r["code"] for r in client.get("/api/org/regions").json()} >= {"idf", "nord", "est"}
    assert {r["code"] for r in client.get("/api/org/roles").json()} == {"rep", "manager", "director", "kam", "hq", "cr_agent", "admin"}
    teams = client.get("/api/org/teams", {"unit": cast.units["trade"].pk}).json()["items"]
    assert [t["name"] for t in teams] == ["Trade Hauts-de-France"]
    assert client.get(f"/api/org/teams/{cast.team.pk}").json()["manager_id"] == cast.manager.pk
    assert client.get("/api/org/teams/999999").status_code == 404


def walk_pages(client, url, **params):
    items, cursor = [], None
    while True:
        page = client.get(url, {**params, **({"cursor": cursor} if cursor else {})}).json()
        items += page["items"]
        cursor = page["next_cursor"]
        if not cursor:
            return items


def test_units_are_filtered_by_kind_and_searched_and_come_in_keyset_pages(cast, token_client):
    client = token_client(cast.rep)
    business = client.get("/api/org/units", {"kind": "business_unit"}).json()
    assert [u["code"] for u in business["items"]] == ["horeca", "office", "trade"]
    assert {u["kind"] for u in client.get("/api/org/units", {"kind": "department"}).json()["items"]} == {"department"}
    assert [u["code"] for u in client.get("/api/org/units", {"q": "relation"}).json()["items"]] == ["customer-relations"]
    paged = walk_pages(client, "/api/org/units", size=2)
    assert [u["id"] for u in paged] == [u["id"] for u in client.get("/api/org/units", {"size": 200}).json()["items"]]
    assert len(paged) == len({u["id"] for u in paged}) == 6
    bad = client.get("/api/org/units", {"kind": "planet"})
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "invalid_input"
    assert client.get("/api/org/units", {"size": 500}).status_code == 422


def test_teams_are_filtered_and_come_in_keyset_pages(cast, token_client):
    from comptoir.org.models import Team

    for n in range(7):
        Team.objects.create(name=f"Office équipe {n}", unit=cast.units["office"], region=cast.regions["est"], manager=cast.manager_office)
    client = token_client(cast.rep)
    mine = client.get("/api/org/teams", {"manager": cast.manager_office.pk}).json()["items"]
    assert len(mine) == 8  # "Office Grand Est" and the seven new ones
    paged = walk_pages(client, "/api/org/teams", size=3)
    assert [t["name"] for t in paged] == sorted(t.name for t in Team.objects.all())
    assert [t["name"] for t in client.get("/api/org/teams", {"q": "hauts"}).json()["items"]] == ["Trade Hauts-de-France"]
    assert client.get("/api/org/teams", {"cursor": "garbage"}).json()["error"]["code"] == "invalid_cursor"


def test_the_unit_and_team_lists_cost_a_fixed_number_of_queries(cast, token_client, django_assert_max_num_queries):
    from comptoir.org.models import Team

    client = token_client(cast.rep)
    # 1 token (+ person + role), 1 last-used stamp, 1 page.
    with django_assert_max_num_queries(3):
        client.get("/api/org/units")
    with django_assert_max_num_queries(3) as small:
        client.get("/api/org/teams")
    Team.objects.bulk_create([Team(name=f"Équipe {n}", unit=cast.units["trade"]) for n in range(60)])
    with django_assert_max_num_queries(3) as large:
        client.get("/api/org/teams")
    assert len(small.captured_queries) == len(large.captured_queries)


def test_a_person_reads_and_edits_their_own_profile_through_the_api(cast, token_client):
    import json

    client = token_client(cast.rep)
    me = client.get("/api/org/me").json()
    assert me["email"] == cast.rep.email and me["language"] == "fr" and me["photo_url"] is None
    changed = client.patch(
        "/api/org/me", json.dumps({"job_title": "Commerciale CHR", "language": "en"}), content_type="application/json"
    )
    assert changed.status_code == 200 and changed.json()["job_title"] == "Commerciale CHR"
    cast.rep.refresh_from_db()
    assert (cast.rep.job_title, cast.rep.language, cast.rep.phone) == ("Commerciale CHR", "en", "")
    assert "commerciale chr" in cast.rep.search_text  # found by the directory search at once


@pytest.mark.parametrize(
    "body",
    [
        {"language": "de"},
        {"phone": "0" * 41},
        {"job_title": None},
        {"job_title": "Directrice", "language": "klingon"},
    ],
)
def test_a_bad_profile_change_is_a_422_and_changes_nothing(cast, token_client, body):
    import json

    response = token_client(cast.rep).patch("/api/org/me", json.dumps(body), content_type="application/json")
    assert response.status_code == 422 and response.json()["error"]["code"] == "invalid_input"
    cast.rep.refresh_from_db()
    assert (cast.rep.job_title, cast.rep.language, cast.rep.phone) == ("", "fr", "")


def test_role_unit_and_manager_cannot_be_changed_on_ones_own_profile(cast, token_client):
    import json

    client = token_client(cast.rep)
    client.patch("/api/org/me", json.dumps({"role": "admin", "manager_id": None, "is_staff": True}), content_type="application/json")
    cast.rep.refresh_from_db()
    assert cast.rep.role == cast.roles["rep"] and cast.rep.manager == cast.manager and not cast.rep.is_staff


def test_a_profile_photo_through_the_api_is_checked_and_re_encoded(cast, token_client):
    from PIL import Image

    client = token_client(cast.rep)
    picture = io.BytesIO()
    Image.new("RGB", (900, 600), (10, 120, 40)).save(picture, format="PNG")
    picture.seek(0)
    picture.name = "moi.png"
    response = client.post("/api/org/me/photo", {"file": picture})
    assert response.status_code == 200 and response.json()["photo_url"].endswith(".jpg")
    fake = io.BytesIO(b"%PDF-1.4 not a picture")
    fake.name = "moi.jpg"
    refused = client.post("/api/org/me/photo", {"file": fake})
    assert refused.status_code == 422 and refused.json()["error"]["code"] == "invalid_input"
