"""The people directory, the team page, the profile pages and the language of the interface."""

import io
import re

import pytest
from PIL import Image

from comptoir.org.models import User
from comptoir.org.testing import make_person


def names(response):
    return [p.full_name for p in response.context["page"].items]


def test_the_directory_lists_active_people_in_name_order(cast, login):
    response = login(cast.rep).get("/people/")
    assert response.status_code == 200
    listed = names(response)
    assert listed == sorted(listed, key=lambda n: (n.split()[-1], n))
    assert "Léa Représentante" in listed


def test_search_ignores_case_and_accents_and_matches_every_word(cast, login):
    client = login(cast.rep)
    assert names(client.get("/people/", {"q": "representante"})) == ["Léa Représentante"]
    assert names(client.get("/people/", {"q": "LÉA repré"})) == ["Léa Représentante"]
    assert names(client.get("/people/", {"q": "rep.trade@test"})) == ["Paul Commerce"]
    assert names(client.get("/people/", {"q": "nobody-at-all"})) == []


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("unit", lambda c: c.units["trade"].pk, {"Nina Trade", "Paul Commerce"}),
        ("region", lambda c: c.regions["nord"].pk, {"Nina Trade", "Paul Commerce"}),
        ("team", lambda c: c.team.name, {"Marc Manager", "Léa Représentante", "Théo Coéquipier"}),
        ("role", lambda c: c.roles["kam"].pk, {"Karine Grandcompte"}),
    ],
)
def test_filters_by_unit_region_team_and_role(cast, login, field, value, expected):
    response = login(cast.rep).get("/people/", {field: value(cast)})
    assert set(names(response)) == expected


def test_the_team_filter_is_text_a_whole_name_is_that_team_and_a_part_matches_every_team_holding_it(cast, login):
    from comptoir.org.models import Team

    east = Team.objects.create(name="HoReCa Île-de-France Est", unit=cast.units["horeca"])
    make_person(role=cast.roles["rep"], unit=cast.units["horeca"], team=east, first_name="Eve", last_name="Est")
    client = login(cast.rep)
    whole = {"Marc Manager", "Léa Représentante", "Théo Coéquipier"}
    assert set(names(client.get("/people/", {"team": "horeca Île-de-France"}))) == whole
    assert set(names(client.get("/people/", {"team": "Île-de"}))) == whole | {"Eve Est"}
    assert names(client.get("/people/", {"team": "no such team"})) == []
    page = client.get("/people/", {"team": "Île-de"}).content.decode()
    assert 'value="Île-de"' in page and "<select name=\"team\"" not in page


def test_the_team_suggestions_hold_every_typed_word_in_one_query(cast, login, django_assert_max_num_queries):
    from comptoir.org.models import Team

    Team.objects.bulk_create([Team(name=f"Trade Équipe {n:03d}", unit=cast.units["trade"]) for n in range(300)])
    Team.objects.create(name="<b>Trade</b> Sud", unit=cast.units["trade"])
    client = login(cast.rep)
    client.get("/people/")  # warm the session
    # 1 session, 1 user (+role), 1 page of teams (+ savepoints of the request).
    with django_assert_max_num_queries(5) as queries:
        response = client.get("/people/teams/options/", {"team": "trade 29"})
    assert len([q for q in queries.captured_queries if "org_team" in q["sql"]]) == 1
    expected = [f"Trade Équipe {n:03d}" for n in range(300) if "29" in f"{n:03d}"]
    assert re.findall(r'value="([^"]*)"', response.content.decode()) == expected
    escaped = client.get("/people/teams/options/", {"team": "sud"}).content.decode()
    assert escaped.strip() == '<option value="&lt;b&gt;Trade&lt;/b&gt; Sud"></option>'
    assert client.get("/people/teams/options/", {"team": "trade"}).content.decode().count("<option") == 20


def test_a_bad_filter_value_is_a_clear_400(cast, login):
    response = login(cast.rep).get("/people/", {"unit": "999999"})
    assert response.status_code == 400
    assert "errorlist" in response.content.decode()
    assert login(cast.rep).get("/people/", {"after": "not-a-cursor"}).status_code == 400


def test_the_directory_pages_with_a_cursor_without_gaps_or_repeats(cast, login, settings):
    for n in range(30):
        make_person(role=cast.roles["rep"], unit=cast.units["office"], last_name=f"Zed{n:02d}")
    client = login(cast.rep)
    seen: list[str] = []
    response = client.get("/people/")
    seen += names(response)
    while response.context["page"].next_cursor:
        response = client.get("/people/", {"after": response.context["page"].next_cursor}, HTTP_HX_REQUEST="true")
        assert response.templates[0].name == "org/_directory_rows.html"
        seen += names(response)
    assert len(seen) == len(set(seen)) == User.objects.filter(is_active=True).count()


def test_the_directory_costs_the_same_number_of_queries_for_10_or_200_people(cast, login, django_assert_max_num_queries):
    client = login(cast.rep)
    client.get("/people/")  # warm the session
    # 1 session, 1 user (+role), 3 filter choice lists (the teams are a text field), 1 page of
    # people, 1 unread count, + savepoints.
    with django_assert_max_num_queries(10) as small:
        client.get("/people/")
    User.objects.bulk_create(
        [User(email=f"bulk{n}@test.comptoir", first_name="Bulk", last_name=f"P{n:03d}", role=cast.roles["rep"]) for n in range(200)]
    )
    with django_assert_max_num_queries(10) as large:
        client.get("/people/")
    assert len(large.captured_queries) == len(small.captured_queries)


def test_the_team_page_shows_its_manager_and_members(cast, login):
    response = login(cast.rep_trade).get(f"/people/teams/{cast.team.pk}/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Marc Manager" in body and "Léa Représentante" in body and "Théo Coéquipier" in body
    assert "Paul Commerce" not in body
    assert login(cast.rep).get("/people/teams/999999/").status_code == 404


def walk(client, url, rows_template):
    """Follow a page's "more" links as htmx does; return the names shown, in order."""
    response = client.get(url)
    assert response.status_code == 200
    shown = [p.full_name for p in response.context["page"].items]
    while response.context["page"].next_cursor:
        response = client.get(url, {"after": response.context["page"].next_cursor}, HTTP_HX_REQUEST="true")
        assert response.templates[0].name == rows_template
        shown += [p.full_name for p in response.context["page"].items]
    return shown


def test_a_large_team_is_shown_page_by_page_without_gaps_or_repeats(cast, login, settings):
    settings.PAGE_SIZE = 4
    for n in range(10):
        make_person(role=cast.roles["rep"], unit=cast.units["horeca"], team=cast.team, manager=cast.manager, last_name=f"Membre{n:02d}")
    left = make_person(role=cast.roles["rep"], unit=cast.units["horeca"], team=cast.team, last_name="Parti", is_active=False)
    client = login(cast.rep)
    first = client.get(f"/people/teams/{cast.team.pk}/")
    body = first.content.decode()
    assert len(first.context["page"].items) == 4
    assert "(13)" in body  # the heading counts every active member, not the page
    assert "?after=" in body and 'hx-get="?after=' in body
    shown = walk(client, f"/people/teams/{cast.team.pk}/", "org/_team_rows.html")
    expected = list(User.objects.filter(team=cast.team, is_active=True).order_by("last_name", "first_name", "id"))
    assert shown == [p.full_name for p in expected]
    assert left.full_name not in shown
    assert client.get(f"/people/teams/{cast.team.pk}/", {"after": "forged"}).status_code == 400


def test_a_manager_with_many_reports_shows_them_page_by_page(cast, login, settings):
    settings.PAGE_SIZE = 3
    for n in range(7):
        make_person(role=cast.roles["rep"], unit=cast.units["horeca"], manager=cast.manager, last_name=f"Rapport{n}")
    client = login(cast.rep)
    first = client.get(f"/people/{cast.manager.pk}/")
    assert "(9)" in first.content.decode()  # Léa, Théo and the seven new reports
    shown = walk(client, f"/people/{cast.manager.pk}/", "org/_report_rows.html")
    assert len(shown) == len(set(shown)) == 9
    assert client.get(f"/people/{cast.manager.pk}/", {"after": "forged"}).status_code == 400


def test_the_profile_shows_unit_region_team_manager_and_reports(cast, login):
    response = login(cast.rep_office).get(f"/people/{cast.manager.pk}/")
    body = response.content.decode()
    assert response.status_code == 200
    for text in ("Marc Manager", "HoReCa", "Île-de-France", "HoReCa Île-de-France", "Hélène Directrice", "Léa Représentante", "Théo Coéquipier"):
        assert text in body


def test_a_person_who_left_has_no_profile_page_except_for_admins(cast, login):
    cast.outsider.is_active = False
    cast.outsider.save()
    assert login(cast.rep).get(f"/people/{cast.outsider.pk}/").status_code == 404
    assert login(cast.admin).get(f"/people/{cast.outsider.pk}/").status_code == 200


def picture(fmt="PNG", size=(900, 600)):
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, format=fmt)
    out.seek(0)
    out.name = f"me.{fmt.lower()}"
    return out


def test_a_person_edits_their_profile_and_uploads_a_photo(cast, login):
    client = login(cast.rep)
    response = client.post(
        "/people/me/",
        {"job_title": "Commerciale CHR", "phone": "06 12 34 56 78", "language": "en", "email_notifications": "", "photo_upload": picture()},
    )
    assert response.status_code == 302
    cast.rep.refresh_from_db()
    assert cast.rep.job_title == "Commerciale CHR" and cast.rep.language == "en"
    assert cast.rep.email_notifications is False
    with Image.open(cast.rep.photo.path) as stored:
        # Re-encoded as JPEG and bounded, whatever was sent.
        assert stored.format == "JPEG" and max(stored.size) <= 512
    assert cast.rep.photo.url in login(cast.teammate).get(f"/people/{cast.rep.pk}/").content.decode()


def test_a_file_that_is_not_a_picture_is_refused_and_nothing_changes(cast, login):
    fake = io.BytesIO(b"%PDF-1.4 not a picture")
    fake.name = "photo.jpg"
    response = login(cast.rep).post("/people/me/", {"job_title": "Changed", "language": "fr", "photo_upload": fake})
    assert response.status_code == 400
    assert "errorlist" in response.content.decode()
    cast.rep.refresh_from_db()
    assert cast.rep.job_title == "" and not cast.rep.photo


def test_a_person_cannot_change_their_own_role_unit_or_manager(cast, login):
    login(cast.rep).post(
        "/people/me/", {"language": "fr", "role": cast.roles["admin"].pk, "manager": "", "unit": cast.units["hq"].pk}
    )
    cast.rep.refresh_from_db()
    assert cast.rep.role == cast.roles["rep"] and cast.rep.manager == cast.manager


def test_the_interface_is_french_by_default(cast, login):
    response = login(cast.rep).get("/people/")
    assert response["Content-Language"] == "fr"
    assert '<html lang="fr">' in response.content.decode()
    assert "Rechercher" in response.content.decode()


def test_the_language_switcher_changes_the_interface_language(cast, login):
    client = login(cast.rep)
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/people/"})
    assert response.status_code == 302 and response["Location"] == "/people/"
    page = client.get("/people/")
    assert page["Content-Language"] == "en"
    assert "Search" in page.content.decode()
    client.post("/i18n/setlang/", {"language": "fr", "next": "/people/"})
    assert client.get("/people/")["Content-Language"] == "fr"


def test_a_person_who_chose_english_gets_english_after_logging_in(cast):
    from django.test import Client

    cast.rep.language = "en"
    cast.rep.save()
    client = Client()
    client.post("/login/", {"username": cast.rep.email, "password": "a-long-test-password"})
    assert client.get("/people/")["Content-Language"] == "en"


def test_saving_the_profile_switches_the_interface_to_the_chosen_language(cast, login):
    client = login(cast.rep)
    client.post("/people/me/", {"language": "en"})
    assert client.get("/people/")["Content-Language"] == "en"


def test_the_team_and_profile_pages_cost_a_fixed_number_of_queries(cast, login, django_assert_max_num_queries):
    client = login(cast.rep)
    client.get("/people/")
    with django_assert_max_num_queries(8) as team_small:
        client.get(f"/people/teams/{cast.team.pk}/")
    with django_assert_max_num_queries(8) as profile_small:
        client.get(f"/people/{cast.manager.pk}/")
    # More people than fit on one page: the page still costs the same.
    for n in range(40):
        make_person(role=cast.roles["rep"], unit=cast.units["horeca"], team=cast.team, manager=cast.manager, last_name=f"Ajout{n}")
    with django_assert_max_num_queries(8) as team_large:
        client.get(f"/people/teams/{cast.team.pk}/")
    with django_assert_max_num_queries(8) as profile_large:
        client.get(f"/people/{cast.manager.pk}/")
    assert len(team_large.captured_queries) == len(team_small.captured_queries)
    assert len(profile_large.captured_queries) == len(profile_small.captured_queries)
