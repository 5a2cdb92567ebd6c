"""Expertise badges next to a post's author, on the post's topics (see `comptoir.core.badges`)."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from comptoir.core.badges import PersonBadge, PostRef
from comptoir.learning.models import Badge


def badges_for_posts(posts: Sequence[PostRef]) -> dict[int, list[PersonBadge]]:
    """One query for the whole page: the badges of the authors on the topics of their posts."""
    authors = {p.author_id for p in posts}
    topics = {t for p in posts for t in p.topic_ids}
    if not authors or not topics:
        return {}
    held: dict[tuple[int, int], Badge] = {
        (b.user_id, b.topic_id): b
        for b in Badge.objects.filter(user_id__in=authors, topic_id__in=topics).select_related("topic")
    }
    found: dict[int, list[PersonBadge]] = {}
    for post in posts:
        for topic_id in post.topic_ids:
            badge = held.get((post.author_id, topic_id))
            if badge is None:
                continue
            found.setdefault(post.post_id, []).append(
                PersonBadge(
                    label=_("Expert %(topic)s %(stars)s")
                    % {"topic": badge.topic.label, "stars": "★" * badge.level},
                    title=ngettext(
                        "Expertise badge %(topic)s, level %(level)s: %(n)s quiz passed, %(avg)s %% on average",
                        "Expertise badge %(topic)s, level %(level)s: %(n)s quizzes passed, %(avg)s %% on average",
                        badge.quizzes_passed,
                    )
                    % {
                        "topic": badge.topic.label,
                        "level": badge.level,
                        "n": badge.quizzes_passed,
                        "avg": round(badge.average_score),
                    },
                    level=badge.level,
                    css_class=f"badge expertise level-{badge.level}",
                )
            )
    return found
