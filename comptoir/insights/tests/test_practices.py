"""The spread of practices across units, against a fixture counted by hand."""

from __future__ import annotations

from typing import Any

from comptoir.core import clock
from comptoir.core.models import PracticeTopic
from comptoir.feed.models import Post, PostRead, Reaction
from comptoir.insights import practices
from comptoir.insights.access import Scope
from comptoir.insights.tests.conftest import at


def test_a_practice_read_and_liked_in_other_units_crossed_them(cast: Any, login: Any) -> None:
    demo, tasting = (
        PracticeTopic.objects.get_or_create(slug="t-demo", defaults={"name": "Démo petit-déj"})[0],
        PracticeTopic.objects.get_or_create(slug="t-tasting", defaults={"name": "Dégustation test"})[0],
    )
    moment = at("2026-11-02")
    p1 = Post.objects.create(
        author=cast.rep, body="Démo au petit-déjeuner", created_at=moment, updated_at=moment
    )
    p1.topics.set([demo])
    p2 = Post.objects.create(
        author=cast.rep_trade, body="Dégustation en magasin", created_at=moment, updated_at=moment
    )
    p2.topics.set([tasting])
    for reader in (cast.teammate, cast.rep_trade, cast.rep_office):
        PostRead.objects.create(post=p1, person=reader, first_read_at=at("2026-11-03"))
    Reaction.objects.create(post=p1, person=cast.rep_trade, created_at=at("2026-11-03"))
    PostRead.objects.create(post=p2, person=cast.manager_trade, first_read_at=at("2026-11-03"))
    with clock.frozen(at("2026-11-10")):
        practices.spread_rebuild(at("2026-10-01"))
        data = practices.practices_overview(Scope(everyone=True))
        page = login(cast.hq).get("/insights/practices/")
        api = login(cast.manager).get("/api/insights/practices").json()
        assert login(cast.rep).get("/api/insights/practices").status_code == 403
    by_topic = {t.topic: t for t in data.topics}
    t1 = by_topic["Démo petit-déj"]
    assert (t1.posts, t1.reads, t1.reads_elsewhere, t1.reactions_elsewhere, t1.crossed, len(t1.units)) == (
        1,
        3,
        2,
        1,
        1,
        3,
    )
    t2 = by_topic["Dégustation test"]
    assert (t2.posts, t2.reads, t2.reads_elsewhere, t2.crossed) == (1, 1, 0, 0)
    assert [(link.source, link.target, link.reads, link.reactions) for link in data.links] == [
        ("HoReCa", "Trade", 1, 1),
        ("HoReCa", "Office", 1, 0),
    ]
    assert [c.post.pk for c in data.crossing] == [p1.pk]
    assert page.status_code == 200 and "Démo petit-déj" in page.content.decode()
    assert [t["topic"] for t in api["topics"]] == ["Démo petit-déj"]  # the manager: his rep's post only
