"""The hierarchy's attention, against a fixture computed by hand, with a change of manager in the middle."""

from __future__ import annotations

from typing import Any

import pytest

from comptoir.core import clock
from comptoir.feed.models import Comment, Congratulation, Post, Reaction
from comptoir.insights import attention, rollups
from comptoir.insights.access import Scope
from comptoir.insights.tests.conftest import at
from comptoir.org.models import User


def post(author: Any, when: str, hour: int, team: Any) -> Post:
    moment = at(when, hour)
    return Post.objects.create(
        author=author, body=f"Pratique du {when}", created_at=moment, updated_at=moment, author_team=team
    )


def like(person: Any, p: Post, when: str, hour: int) -> None:
    Reaction.objects.create(post=p, person=person, created_at=at(when, hour))


@pytest.fixture
def story(cast: Any) -> dict[str, Post]:
    """The rep's manager is Marc until 3 November 10:00, then Nina (who reports to nobody).

    P1 rep, 2 Nov 10:00: teammate likes 2 Nov 11:00 (a colleague: no), Nina likes 4 Nov 10:00 (her manager
        then: yes, 48 h), Marc comments 5 Nov (no longer her manager: no)                  -> 48 h, manager
    P2 rep, 2 Nov 12:00: Marc likes 2 Nov 18:00 (her manager then: yes)                     -> 6 h, manager
    P3 rep, 6 Nov 09:00: Marc likes 6 Nov 10:00, Hélène congratulates 6 Nov 11:00 (Marc's manager, so no
        longer above the rep)                                                               -> never
    P4 teammate, 1 Nov 09:00: Hélène (the teammate's director) comments 1 Nov 21:00         -> 12 h, director
    """
    User.objects.update(date_joined=at("2026-01-05"))
    with clock.frozen(at("2026-10-01")):
        rollups.spans_reconcile()
    team = cast.team
    p1, p2 = post(cast.rep, "2026-11-02", 10, team), post(cast.rep, "2026-11-02", 12, team)
    p4 = post(cast.teammate, "2026-11-01", 9, team)
    like(cast.teammate, p1, "2026-11-02", 11)
    like(cast.manager, p2, "2026-11-02", 18)
    Comment.objects.create(post=p4, author=cast.director, body="Bravo", created_at=at("2026-11-01", 21))
    cast.rep.manager = cast.manager_trade
    cast.rep.save()
    with clock.frozen(at("2026-11-03", 10)):
        rollups.spans_reconcile()
    like(cast.manager_trade, p1, "2026-11-04", 10)
    Comment.objects.create(post=p1, author=cast.manager, body="Top", created_at=at("2026-11-05", 9))
    p3 = post(cast.rep, "2026-11-06", 9, team)
    like(cast.manager, p3, "2026-11-06", 10)
    Congratulation.objects.create(
        post=p3, by=cast.director, to=cast.rep, message="Bravo", created_at=at("2026-11-06", 11)
    )
    with clock.frozen(at("2026-11-10", 12)):
        attention.attention_rebuild(at("2026-09-01"))
    return {"p1": p1, "p2": p2, "p3": p3, "p4": p4}


def test_first_reaction_from_above_follows_the_manager_of_the_moment(story: dict[str, Post]) -> None:
    from comptoir.insights.models import PostAttention

    rows = {r.post_id: r for r in PostAttention.objects.all()}
    got = {name: (rows[p.pk].hours, rows[p.pk].relation) for name, p in story.items()}
    assert got == {
        "p1": (48.0, "manager"),
        "p2": (6.0, "manager"),
        "p3": (None, ""),
        "p4": (12.0, "director"),
    }


def test_share_reached_and_median_time_by_team(story: dict[str, Post], cast: Any) -> None:
    with clock.frozen(at("2026-11-10", 12)):
        result = attention.attention_overview(Scope(everyone=True))
    (team,) = result.teams
    assert team.label == "HoReCa Île-de-France"
    assert (team.reached.part, team.reached.whole, team.median_hours) == (3, 4, 12.0)
    assert result.total.median_hours == 12.0


def test_the_manager_to_do_list_holds_the_posts_still_without_their_reaction(
    story: dict[str, Post], cast: Any
) -> None:
    with clock.frozen(at("2026-11-10", 12)):
        nina, nina_total = attention.awaiting_reaction(cast.manager_trade)
        marc, _marc_total = attention.awaiting_reaction(cast.manager)
        rep_list = attention.awaiting_reaction(cast.rep)
    assert [p.pk for p in nina] == [story["p2"].pk, story["p3"].pk] and nina_total == 2
    assert [p.pk for p in marc] == [story["p4"].pk]
    assert rep_list == ([], 0)


def test_the_attention_page_shows_the_team_and_my_to_do_list(
    story: dict[str, Post], cast: Any, login: Any
) -> None:
    with clock.frozen(at("2026-11-10", 12)):
        page = login(cast.manager_trade).get("/insights/attention/")
        html = page.content.decode()
        assert page.status_code == 200
        assert 'data-testid="todo"' in html and f"/feed/{story['p2'].pk}/" in html
        api = login(cast.manager_trade).get("/api/insights/attention").json()
        assert [p["id"] for p in api["awaiting_my_reaction"]] == [story["p2"].pk, story["p3"].pk]
        csv = login(cast.hq).get("/insights/attention/?format=csv").content.decode("utf-8-sig")
        assert "HoReCa Île-de-France;4;3;75.0;12.0" in csv
        assert login(cast.rep).get("/insights/attention/").status_code == 403


def test_a_manager_reads_the_attention_of_their_people_only(
    story: dict[str, Post], cast: Any, login: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with clock.frozen(at("2026-11-10", 12)):
        trade = login(cast.manager_office).get("/api/insights/attention").json()
        assert trade["total"]["posts"] == 0
        marc = login(cast.manager).get("/api/insights/attention").json()
        assert marc["total"]["posts"] == 4  # the rep still in his team, and the teammate
