"""The feed's demo, as `--scale` builds it: bulk-loaded rows that the product reads like its own."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db.models import Count

from comptoir.feed import services
from comptoir.feed.models import Comment, Post, Reaction, SearchEntry
from comptoir.feed.selectors import search_posts
from comptoir.org.models import User


@pytest.fixture
def small_scale_demo(db: None, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("COMPTOIR_FEED_POSTS", "300")
    monkeypatch.setenv("COMPTOIR_FEED_COMMENTS", "500")
    monkeypatch.setenv("COMPTOIR_FEED_LIKES", "1500")
    out = io.StringIO()
    call_command("demo", "--only", "core", "org", "feed", "--scale", "120", stdout=out)
    return out.getvalue()


def test_the_scale_demo_bulk_loads_rows_the_product_reads_like_its_own(small_scale_demo: str) -> None:
    # One build for the whole test: it is the slow part.
    assert Post.objects.count() == 300
    assert Comment.objects.count() > 0 and Reaction.objects.count() > 0
    assert "Feed: posts" in small_scale_demo and "100%" in small_scale_demo

    # The counters a feed page shows match the rows they count.
    likes = dict(Reaction.objects.values("post_id").annotate(n=Count("id")).values_list("post_id", "n"))
    comments = dict(Comment.objects.values("post_id").annotate(n=Count("id")).values_list("post_id", "n"))
    for pk, like_count, comment_count in Post.objects.values_list("id", "like_count", "comment_count"):
        assert (pk, like_count, comment_count) == (pk, likes.get(pk, 0), comments.get(pk, 0))

    # Every post went into the search index, filled in one pass after the load.
    assert SearchEntry.objects.count() == Post.objects.count()
    reader = User.objects.filter(role__code="hq").order_by("id").first()
    assert reader is not None
    found, _more = search_posts(reader, query="présentoir", size=500)
    assert found and all("présentoir" in p.body for p in found)

    # The index is kept for live writes after the bulk load: a new post is found at once.
    author = User.objects.filter(role__code="rep").order_by("id").first()
    assert author is not None
    services.post_create(author=author, kind="practice", body="Un zanzibar inattendu")
    assert [p.body for p in search_posts(reader, query="zanzibar")[0]] == ["Un zanzibar inattendu"]
