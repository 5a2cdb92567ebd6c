"""The demo fills the insights: everyone has months of activity and the pages have figures."""

from __future__ import annotations

import io
from typing import Any

from comptoir.core.demo import DemoContext
from comptoir.insights import demo as insights_demo
from comptoir.insights.models import DailyActivity, GroupPeriod, PeriodActivity
from comptoir.org import demo as org_demo
from comptoir.org.models import User


def test_demo_builds_activity_and_roll_ups(db: Any, login: Any) -> None:
    ctx = DemoContext(stdout=io.StringIO(), people=60)
    org_demo.build(ctx)
    insights_demo.build(ctx)
    assert DailyActivity.objects.values("user_id").distinct().count() > 0.8 * User.objects.count()
    assert PeriodActivity.objects.filter(kind="w").exists() and GroupPeriod.objects.filter(kind="m").exists()
    hq = User.objects.filter(role__code="hq").first()
    data = login(hq).get("/api/insights/activity").json()
    assert data["total"]["month"]["active"] > 0
