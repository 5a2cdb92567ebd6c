"""The feed's section of the home page: what each person should read or answer first.

A rep (and anyone who posts, below HQ) gets the newest posts of "For me", how many recent ones are
unread and an invitation to share a success; a manager or director also gets their people's posts
still waiting for a reaction from them; HQ gets the recommendations awaiting an answer.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from comptoir.core.navigation import HomeSection
from comptoir.core.permissions import Cap, has_cap
from comptoir.feed import home_selectors
from comptoir.feed.home_selectors import COUNT_CAP
from comptoir.feed.markup import plain_excerpt
from comptoir.feed.models import Post
from comptoir.feed.recommendations import age_days, answer_days
from comptoir.org.models import User


def _excerpts(posts: list[Post]) -> None:
    # A line of plain text per post: the list shows no Markdown marks and no markup.
    for post in posts:
        post.excerpt = plain_excerpt(post.body, 110)  # type: ignore[attr-defined]


def parts_for(viewer: User) -> list[dict[str, Any]]:
    """The parts of the section `viewer` gets, each with its template and what it shows."""
    if has_cap(viewer, Cap.ANSWER_RECOMMENDATIONS):
        recos = home_selectors.recommendations_awaiting_answer(viewer)
        return [
            {
                "template": "feed/_home_recommendations.html",
                "recos": recos,
                "rows": [(reco, age_days(reco)) for reco in recos.items],
                "late_after": answer_days(),
                "cap": COUNT_CAP,
            }
        ]
    parts: list[dict[str, Any]] = []
    if has_cap(viewer, Cap.VIEW_TEAM_ACTIVITY):
        waiting = home_selectors.awaiting_my_reaction(viewer)
        _excerpts(waiting.items)
        parts.append({"template": "feed/_home_team.html", "waiting": waiting, "cap": COUNT_CAP})
    if has_cap(viewer, Cap.POST_TO_FEED) and not has_cap(viewer, Cap.SEE_ALL_POSTS):
        newest, unread = home_selectors.for_me_digest(viewer)
        _excerpts(newest)
        parts.append(
            {"template": "feed/_home_for_me.html", "posts": newest, "unread": unread, "cap": COUNT_CAP}
        )
    return parts


def sections(request: HttpRequest) -> list[HomeSection]:
    parts = parts_for(request.user)  # type: ignore[arg-type]
    if not parts:
        return []
    return [HomeSection(template="feed/_home.html", context={"parts": parts}, order=12)]
