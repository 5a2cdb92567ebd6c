"""Recommendations to HQ: raised from a post, answered at every step, late ones flagged."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from comptoir.core import clock
from comptoir.core.permissions import PermissionDenied403
from comptoir.feed import recommendations
from comptoir.feed.models import Recommendation
from comptoir.feed.tests.factories import post
from comptoir.notifications.models import Notification
from comptoir.org.models import Team
from comptoir.org.testing import Cast


@pytest.fixture
def marketing(cast: Cast) -> Team:
    team = Team.objects.create(name="Marketing", unit=cast.units["hq"], manager=cast.admin)
    cast.hq.team = team
    cast.hq.save()
    return team


def test_a_rep_raises_a_post_and_hq_moves_it_with_answers(cast: Cast, marketing: Team) -> None:
    reco = recommendations.recommendation_raise(
        post=post(cast.rep), by=cast.rep, title="Des stickers pour toutes les machines", hq_team=marketing
    )
    assert Notification.objects.filter(recipient=cast.hq, kind="feed_recommendation_new").exists()
    recommendations.recommendation_move(
        recommendation=reco, by=cast.hq, to="under_review", answer="On regarde"
    )
    recommendations.recommendation_move(recommendation=reco, by=cast.hq, to="planned", answer="Prévu en mars")
    reco.refresh_from_db()
    assert reco.status == "planned" and reco.answer == "Prévu en mars"
    assert [e.to_status for e in reco.events.all()] == ["received", "under_review", "planned"]
    assert Notification.objects.filter(recipient=cast.rep, kind="feed_recommendation").count() == 2


def test_every_move_needs_an_answer_and_a_legal_state(cast: Cast, marketing: Team) -> None:
    reco = recommendations.recommendation_raise(
        post=post(cast.rep), by=cast.rep, title="Idée", hq_team=marketing
    )
    with pytest.raises(ValidationError):
        recommendations.recommendation_move(recommendation=reco, by=cast.hq, to="adopted", answer="  ")
    recommendations.recommendation_move(recommendation=reco, by=cast.hq, to="adopted", answer="Oui")
    with pytest.raises(ValidationError):
        recommendations.recommendation_move(recommendation=reco, by=cast.hq, to="planned", answer="Non")


def test_only_hq_answers_and_only_the_author_raises(cast: Cast, marketing: Team) -> None:
    created = post(cast.rep)
    with pytest.raises(PermissionDenied403):
        recommendations.recommendation_raise(post=created, by=cast.teammate, title="Idée", hq_team=marketing)
    reco = recommendations.recommendation_raise(post=created, by=cast.rep, title="Idée", hq_team=marketing)
    with pytest.raises(PermissionDenied403):
        recommendations.recommendation_move(recommendation=reco, by=cast.manager, to="adopted", answer="Oui")
    with pytest.raises(ValidationError):
        recommendations.recommendation_raise(post=created, by=cast.rep, title="Encore", hq_team=marketing)


def test_a_late_recommendation_is_flagged_once_to_the_team_manager(cast: Cast, marketing: Team) -> None:
    start = dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)
    with clock.frozen(start):
        recommendations.recommendation_raise(
            post=post(cast.rep), by=cast.rep, title="Idée", hq_team=marketing
        )
    with clock.frozen(start + dt.timedelta(days=15)):
        out = StringIO()
        call_command("feed_flag_overdue", stdout=out)
        assert out.getvalue().startswith("1 recommendation")
        call_command("feed_flag_overdue", stdout=StringIO())
    assert Notification.objects.filter(recipient=cast.admin, kind="feed_recommendation_overdue").count() == 1


def test_the_inbox_and_the_page(cast: Cast, marketing: Team, login: Any) -> None:
    created = post(cast.rep)
    response = login(cast.rep).post(
        reverse("feed:raise", args=[created.pk]), {"title": "Présentoirs", "hq_team": marketing.pk}
    )
    reco = Recommendation.objects.get()
    assert response["Location"] == reco.get_absolute_url()
    html = login(cast.hq).get(reverse("feed:recommendations") + f"?team={marketing.pk}").content.decode()
    assert "Présentoirs" in html
    login(cast.hq).post(
        reverse("feed:recommendation_move", args=[reco.pk]), {"status": "declined", "answer": "Trop cher"}
    )
    html = login(cast.rep).get(reco.get_absolute_url()).content.decode()
    assert "Trop cher" in html
    assert (
        login(cast.rep)
        .post(reverse("feed:recommendation_move", args=[reco.pk]), {"status": "under_review", "answer": "x"})
        .status_code
        == 403
    )


def test_raising_looks_the_hq_team_up_once(cast: Cast, marketing: Team) -> None:
    created = post(cast.rep)
    with CaptureQueriesContext(connection) as queries:
        recommendations.recommendation_raise(post=created, by=cast.rep, title="Idée", hq_team=marketing.pk)
    team_table = Team._meta.db_table
    team_lookups = [q["sql"] for q in queries.captured_queries if f'FROM "{team_table}"' in q["sql"]]
    assert len(team_lookups) == 1, team_lookups


def test_a_team_outside_hq_is_refused_and_nothing_is_raised(cast: Cast, marketing: Team, login: Any) -> None:
    created = post(cast.rep)
    field_team = cast.rep.team
    assert field_team is not None
    with pytest.raises(ValidationError):
        recommendations.recommendation_raise(post=created, by=cast.rep, title="Idée", hq_team=field_team.pk)
    response = login(cast.rep).post(
        reverse("feed:raise", args=[created.pk]), {"title": "Idée", "hq_team": field_team.pk}
    )
    assert response.status_code == 302 and response.url == created.get_absolute_url()
    assert not Recommendation.objects.exists()
