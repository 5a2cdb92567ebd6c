"""In Chromium: head office opens the insights, breaks the active share down by team, and sees the charts."""

from __future__ import annotations

import datetime as dt
import os
import random
from typing import Any

import pytest

from comptoir.insights import rollups
from comptoir.insights.models import DailyActivity
from comptoir.org.models import User
from comptoir.org.testing import build_cast, make_person


@pytest.mark.django_db(transaction=True)
def test_head_office_reads_the_active_share_by_team(
    live_server: Any, chromium: Any, screenshot_dir: str
) -> None:
    from conftest import browser_login

    cast = build_cast()
    rng = random.Random(3)
    for team in (cast.team, cast.team_trade, cast.team_office):
        for _i in range(12):
            make_person(
                role=cast.roles["rep"], unit=team.unit, region=team.region, team=team, manager=team.manager
            )
    from django.utils import timezone

    User.objects.update(date_joined=timezone.now() - dt.timedelta(days=400))
    today = timezone.localdate()
    rows = []
    for person in User.objects.all():
        keen = rng.random()
        for back in range(120):
            if rng.random() < keen * 0.5:
                rows.append(
                    DailyActivity(
                        user=person,
                        day=today - dt.timedelta(days=back),
                        visited=True,
                        posts=int(rng.random() < keen * 0.2),
                    )
                )
    DailyActivity.objects.bulk_create(rows)
    rollups.periods_rebuild(today - dt.timedelta(days=120))

    context = chromium.new_context(viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    browser_login(page, live_server.url, cast.hq.email)
    page.goto(f"{live_server.url}/insights/")
    page.select_option('select[name="by"]', "team")
    page.locator('[data-testid="insights-filters"] button').click()
    page.wait_for_url("**/insights/?by=team*")
    table = page.locator('[data-testid="by-group"]').inner_text()
    assert "HoReCa Île-de-France" in table and "Trade Hauts-de-France" in table
    assert page.locator("svg.chart").count() == 3
    assert page.locator('[data-testid="wau"]').inner_text().endswith("%")
    page.screenshot(path=os.path.join(screenshot_dir, "insights-overview.png"), full_page=True)
    page.goto(f"{live_server.url}/insights/participation/")
    assert page.locator('[data-testid="deciles"]').count() == 1
    page.screenshot(path=os.path.join(screenshot_dir, "insights-participation.png"), full_page=True)
    context.close()
