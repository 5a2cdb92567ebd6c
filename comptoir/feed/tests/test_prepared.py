"""The feed's page query, compiled once per shape, answers exactly what the ORM answers."""

from __future__ import annotations

from typing import Any

from comptoir.core.pagination import keyset_page
from comptoir.feed import moderation, selectors, services
from comptoir.feed.models import Post
from comptoir.feed.prepared import PreparedQueries, prepared
from comptoir.feed.tests.factories import post, topic
from comptoir.org.testing import Cast


def _by_the_orm(viewer: Any, feed: str, filters: selectors.FeedFilters, cursor: str | None) -> Any:
    posts = selectors._with_viewer(selectors.feed_queryset(viewer, feed=feed, filters=filters), viewer)
    return keyset_page(posts, ordering=selectors.FEED_ORDERING, cursor=cursor, size=3)


def _shown(post: Any) -> tuple[int, bool, bool]:
    return post.pk, post.liked, post.seen


def test_every_viewer_feed_filter_and_page_matches_the_orm(cast: Cast) -> None:
    demo = topic()
    people = [cast.rep, cast.teammate, cast.rep_office, cast.outsider, cast.manager, cast.director, cast.hq]
    for n, author in enumerate(people * 2):
        created = post(
            author,
            body=f"Pratique {n}",
            topics=[demo] if n % 3 == 0 else [],
            visibility="team" if n % 4 == 1 and author.team_id else "company",
            kind=Post.Kind.SUCCESS if n % 2 else Post.Kind.PRACTICE,
        )
        if n % 5 == 0:
            services.react(post=created, person=cast.rep)
        if n == 6:
            moderation.hide(by=cast.admin, post=created)
    services.follow_topic(follower=cast.outsider, topic=demo)
    filters = [
        selectors.FeedFilters(),
        selectors.FeedFilters(region=cast.rep.region_id, kind="success"),
        selectors.FeedFilters(topic=demo.pk),
        selectors.FeedFilters(author=cast.rep.pk),
        selectors.FeedFilters(unit=cast.rep.unit_id),
    ]
    for viewer in [*people, cast.admin, cast.agent]:
        for feed in ("for_me", "all"):
            for chosen in filters:
                cursor = None
                for _page in range(3):
                    got = selectors.feed_page(viewer, feed=feed, filters=chosen, cursor=cursor, size=3)
                    expected = _by_the_orm(viewer, feed, chosen, cursor)
                    assert [_shown(p) for p in got.items] == [_shown(p) for p in expected.items], (
                        viewer.email,
                        feed,
                        chosen,
                    )
                    assert got.next_cursor == expected.next_cursor
                    if not got.next_cursor:
                        break
                    cursor = got.next_cursor
    assert not prepared.refused


def test_a_shape_whose_stand_ins_do_not_check_out_is_always_built_by_the_orm(cast: Cast) -> None:
    mine = post(cast.rep, body="Le mien")
    post(cast.teammate, body="Le sien")
    queries = PreparedQueries()

    def build(values: dict[str, Any]) -> Any:
        # A build that looks at the value itself: the stand-in gives another statement.
        posts = Post.objects.all()
        return posts.filter(author_id=values["author"]) if values["author"] > 0 else posts.none()

    for _again in range(2):
        rows = queries.rows("mine", build, {"author": cast.rep.pk})
        assert [p.pk for p in rows] == [mine.pk]
    assert queries.refused == {"mine"}
