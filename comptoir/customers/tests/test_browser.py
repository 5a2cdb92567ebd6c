"""In Chromium, on a phone-sized window: a rep marks a site deployed in two taps from the account
page, and the KAM sees the agreement's progress change."""

from __future__ import annotations

import os
from typing import Any

import pytest

from comptoir.customers.models import AgreementSite
from comptoir.customers.tests.factories import make_account, make_agreement
from comptoir.org.testing import build_cast


def phone_login(page: Any, base_url: str, email: str) -> None:
    # Not conftest.browser_login: its "button[type=submit]" matches the language switch in the
    # header first (reported to the lead); this one aims at the login form's own button.
    page.goto(f"{base_url}/login/")
    page.fill("#id_username", email)
    page.fill("#id_password", "a-long-test-password")
    page.locator("main button[type=submit]").tap()
    page.wait_for_url(f"{base_url}/")


PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}


@pytest.mark.django_db(transaction=True)
def test_a_rep_marks_a_site_deployed_in_two_taps_and_the_kam_sees_it(
    live_server: Any, chromium: Any, screenshot_dir: str
) -> None:
    cast = build_cast()
    group = make_account(owner=None, name="Groupe Hôtelier Azur", unit=cast.units["horeca"], region=cast.regions["idf"])
    site_account = make_account(owner=cast.rep, name="Hôtel Azur Opéra", parent=group)
    other = make_account(owner=cast.teammate, name="Hôtel Azur Gare", parent=group)
    agreement = make_agreement(kam=cast.kam, group=group, sites=[site_account, other], name="Accord Azur 2026")
    site = AgreementSite.objects.get(agreement=agreement, account=site_account)

    rep_context = chromium.new_context(**PHONE)
    page = rep_context.new_page()
    phone_login(page, live_server.url, cast.rep.email)
    page.goto(f"{live_server.url}/customers/{site_account.pk}/")
    row = page.locator(f"#site-{site.pk}")
    assert row.get_attribute("data-status") == "not_started"
    page.screenshot(path=os.path.join(screenshot_dir, "customers-account-phone.png"), full_page=True)
    row.locator("summary").tap()  # first tap: open the choices
    row.locator("button[value=deployed]").tap()  # second tap: deployed
    page.wait_for_selector(f'#site-{site.pk}[data-status="deployed"]')
    page.screenshot(path=os.path.join(screenshot_dir, "customers-site-deployed-phone.png"), full_page=True)
    site.refresh_from_db()
    assert (site.status, site.status_changed_by_id) == ("deployed", cast.rep.pk)
    rep_context.close()

    kam_context = chromium.new_context(**PHONE)
    kam_page = kam_context.new_page()
    phone_login(kam_page, live_server.url, cast.kam.email)
    assert kam_page.locator(f'[data-agreement="{agreement.pk}"]').count() == 1  # the KAM's home
    kam_page.goto(f"{live_server.url}/customers/agreements/{agreement.pk}/")
    overall = kam_page.locator('[data-testid="overall-progress"]').inner_text()
    assert "1" in overall and "2" in overall and "50" in overall
    kam_page.screenshot(path=os.path.join(screenshot_dir, "customers-agreement-phone.png"), full_page=True)
    kam_context.close()
