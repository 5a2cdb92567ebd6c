"""Recommendations to HQ: volume, share answered, median time to answer, share adopted, by hand."""

from __future__ import annotations

from typing import Any

import pytest

from comptoir.core import clock
from comptoir.feed.models import Post, Recommendation
from comptoir.insights.tests.conftest import at
from comptoir.org.models import Team


def reco(author: Any, hq_team: Team, raised: str, answered: str | None, status: str) -> Recommendation:
    moment = at(raised, 9)
    post = Post.objects.create(author=author, body="Idée", created_at=moment, updated_at=moment)
    return Recommendation.objects.create(
        post=post,
        title="Idée",
        hq_team=hq_team,
        raised_by=author,
        status=status,
        created_at=moment,
        status_changed_at=moment,
        answered_at=at(answered, 9) if answered else None,
    )


def test_recommendation_figures_by_hand(cast: Any, login: Any) -> None:
    hq_team = Team.objects.create(name="Marketing", unit=cast.units["hq"], manager=cast.hq)
    reco(cast.rep, hq_team, "2026-10-05", "2026-10-07", "adopted")  # 2 days
    reco(cast.rep, hq_team, "2026-10-20", "2026-10-30", "declined")  # 10 days
    reco(cast.rep_trade, hq_team, "2026-11-02", "2026-11-06", "planned")  # 4 days
    reco(cast.rep_trade, hq_team, "2026-11-09", None, "received")
    with clock.frozen(at("2026-11-20")):
        data = login(cast.hq).get("/api/insights/recommendations").json()
        mine = login(cast.manager).get("/api/insights/recommendations").json()
        page = login(cast.hq).get("/insights/recommendations/")
        csv = login(cast.hq).get("/insights/recommendations/?format=csv").content.decode("utf-8-sig")
        assert login(cast.rep).get("/insights/recommendations/").status_code == 403
    total = data["total"]
    assert (total["raised"], total["answered"], total["adopted_or_planned"]) == (4, 3, 2)
    assert total["answered_pct"] == 75.0 and total["adopted_pct_of_answered"] == 66.7
    assert total["median_days_to_answer"] == 4.0 and data["open_now"] == 1
    october = next(m for m in data["months"] if m["month"] == "2026-10-01")
    assert october["raised"] == 2
    assert october["median_days_to_answer"] == pytest.approx(
        6.0, abs=0.05
    )  # 2 and 10 days (and the hour of winter time)
    assert mine["total"]["raised"] == 2  # the manager: his rep's only
    assert page.status_code == 200 and 'data-testid="reco-months"' in page.content.decode()
    assert "all;4;3;75.0;2;66.7;4.0" in csv
