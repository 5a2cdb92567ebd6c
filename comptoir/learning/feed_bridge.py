"""The learning app's two doors into the feed: share a passed quiz as a success post, and add a
manager's congratulation to that post (shown on the feed like any congratulation). Kept in one small
module so the feed's signatures are followed in one place."""

from __future__ import annotations

from typing import Any

from comptoir.feed import services as feed
from comptoir.feed.models import Post


def share(*, author: Any, body: str, topic: Any) -> int:
    """Create a success post by `author`, tagged with the quiz's practice topic; return its id."""
    post = feed.post_create(
        author=author, kind=Post.Kind.SUCCESS, body=body, topics=(topic,) if topic else ()
    )
    return int(post.pk)


def congratulate(*, post_id: int, by: Any, message: str) -> None:
    post = Post.objects.select_related("author").get(pk=post_id)
    feed.congratulate(post=post, by=by, message=message)
