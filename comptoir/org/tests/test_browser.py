"""End to end in a real Chromium on a phone-sized screen: log in, switch language, search, open a profile."""

import os
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from conftest import browser_login

PHONE = {"width": 390, "height": 844}
ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def phone(chromium):
    context = chromium.new_context(viewport=PHONE, device_scale_factor=1, is_mobile=True, has_touch=True, locale="fr-FR")
    page = context.new_page()
    page.set_default_timeout(60_000)
    yield page
    context.close()


@pytest.mark.browser
def test_a_rep_logs_in_switches_language_searches_and_opens_a_profile(transactional_db, cast, live_server, phone, screenshot_dir):
    errors: list[str] = []
    phone.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    browser_login(phone, live_server.url, cast.rep.email)
    assert phone.locator("html").get_attribute("lang") == "fr"

    phone.click("button[name=language][value=en]")
    phone.wait_for_load_state()
    assert phone.locator("html").get_attribute("lang") == "en"

    phone.goto(f"{live_server.url}/people/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    phone.fill("[data-testid=directory-search]", "commerce")
    # htmx replaces the list as one types: only Paul Commerce remains.
    expect(phone.locator("#people-rows > li")).to_have_count(1)
    assert "Paul Commerce" in phone.inner_text("#people-rows")
    assert "q=commerce" in phone.url  # the search is in the address: it can be shared and reloaded

    phone.click("text=Paul Commerce")
    phone.wait_for_url(f"{live_server.url}/people/{cast.rep_trade.pk}/")
    assert phone.inner_text("h1") == "Paul Commerce"
    assert "Nina Trade" in phone.inner_text("main")
    # Nothing wider than the phone: no horizontal scrolling.
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    phone.screenshot(path=os.path.join(screenshot_dir, "org-profile-phone.png"), full_page=True)
    assert [e for e in errors if "Content Security Policy" in e] == []


@pytest.mark.browser
def test_a_rep_edits_their_profile_on_a_phone(transactional_db, cast, live_server, phone, tmp_path):
    from PIL import Image

    photo = tmp_path / "moi.png"
    Image.new("RGB", (640, 480), (40, 120, 200)).save(photo)
    browser_login(phone, live_server.url, cast.rep.email)
    phone.goto(f"{live_server.url}/people/me/")
    phone.fill("#id_job_title", "Commerciale CHR Paris")
    phone.set_input_files("#id_photo_upload", str(photo))
    phone.click("main button[type=submit]")
    phone.wait_for_url(f"{live_server.url}/people/me/")
    assert phone.locator(".messages").is_visible()
    cast.rep.refresh_from_db()
    assert cast.rep.job_title == "Commerciale CHR Paris" and cast.rep.photo
    phone.goto(f"{live_server.url}/people/{cast.rep.pk}/")
    assert phone.locator("img.avatar.large").is_visible()


@pytest.mark.browser
def test_a_wrong_password_shows_an_error_in_the_browser(transactional_db, cast, live_server, phone):
    phone.goto(f"{live_server.url}/login/")
    phone.fill("#id_username", cast.rep.email)
    phone.fill("#id_password", "not-the-password")
    phone.click("button[type=submit]")
    assert phone.locator(".errorlist").is_visible()


@pytest.mark.browser
def test_the_people_directory_on_the_demo_organisation(transactional_db, live_server, chromium, screenshot_dir):
    """Takes the README's screenshot; COMPTOIR_README_SCREENSHOT=1 copies it to docs/screenshot.png."""
    from comptoir.core.demo import DEMO_PASSWORD

    call_command("demo", "--only", "org", stdout=open(os.devnull, "w"))  # noqa: SIM115
    context = chromium.new_context(viewport={"width": 1200, "height": 800}, locale="fr-FR")
    page = context.new_page()
    browser_login(page, live_server.url, "lea.martin@comptoir-demo.fr", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/people/?q=mar")
    assert page.locator("#people-rows > li").count() >= 10
    shot = os.path.join(screenshot_dir, "org-directory.png")
    page.screenshot(path=shot)
    context.close()
    if os.environ.get("COMPTOIR_README_SCREENSHOT") == "1":
        (ROOT / "docs").mkdir(exist_ok=True)
        shutil.copyfile(shot, ROOT / "docs" / "screenshot.png")


@pytest.mark.browser
def test_a_large_team_loads_more_members_in_place(transactional_db, cast, live_server, phone, settings):
    from comptoir.org.testing import make_person

    settings.PAGE_SIZE = 5
    for n in range(9):
        make_person(role=cast.roles["rep"], unit=cast.units["horeca"], team=cast.team, manager=cast.manager, last_name=f"Membre{n}")
    browser_login(phone, live_server.url, cast.rep.email)
    phone.goto(f"{live_server.url}/people/teams/{cast.team.pk}/")
    rows = phone.locator("#team-rows > li a[href^='/people/']")
    expect(rows).to_have_count(5)
    phone.click("#team-rows a[hx-get]")
    expect(rows).to_have_count(10)
    phone.click("#team-rows a[hx-get]")
    expect(rows).to_have_count(12)  # Marc, Léa, Théo and the nine new members
    expect(phone.locator("#team-rows a[hx-get]")).to_have_count(0)
    assert phone.url == f"{live_server.url}/people/teams/{cast.team.pk}/"


@pytest.mark.browser
def test_the_api_docs_work_under_the_content_security_policy(transactional_db, cast, live_server, chromium):
    context = chromium.new_context(viewport={"width": 1200, "height": 800})
    page = context.new_page()
    violations: list[str] = []
    page.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None)
    browser_login(page, live_server.url, cast.rep.email)
    page.goto(f"{live_server.url}/api/docs")
    # Swagger UI (vendored with django-ninja) renders the operations from /api/openapi.json.
    expect(page.locator(".opblock-summary-path", has_text="/api/org/people").first).to_be_visible(timeout=60_000)
    context.close()
    assert violations == []


@pytest.mark.browser
def test_the_team_filter_suggests_teams_as_one_types_and_filters_on_the_chosen_one(
    transactional_db, cast, live_server, phone
):
    from comptoir.org.models import Team

    Team.objects.bulk_create([Team(name=f"Trade Secteur {n:03d}", unit=cast.units["trade"]) for n in range(200)])
    browser_login(phone, live_server.url, cast.rep.email)
    phone.goto(f"{live_server.url}/people/")
    team = phone.locator("[data-testid=team-filter]")
    team.fill("france")
    # The suggestions come from the server into the field's list: the two teams named "...France".
    options = phone.locator("#team-options option")
    expect(options).to_have_count(2)
    assert options.first.get_attribute("value") == "HoReCa Île-de-France"
    team.fill("secteur 19")
    expect(options).to_have_count(12)  # 019, 119 and 190 to 199
    team.fill("HoReCa Île-de-France")
    team.dispatch_event("change")
    expect(phone.locator("#people-rows > li")).to_have_count(3)  # Marc, Léa and Théo
    assert "team=HoReCa" in phone.url
