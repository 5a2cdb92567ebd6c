"""`{% load feed_follow %}{% follow_button person %}`: follow or stop following a person, wherever
their name is shown outside the feed (their profile). One query; the form posts to the feed's own
follow view, which checks the person through the shared fetcher and comes back to this page."""

from __future__ import annotations

from typing import Any

from django import template

from comptoir.feed.following import follows_person

register = template.Library()


@register.inclusion_tag("feed/_follow_button.html", takes_context=True)
def follow_button(context: template.Context, person: Any) -> dict[str, Any]:
    request = context["request"]
    viewer = request.user
    mine = person is None or person.pk == viewer.pk
    follows = False if mine else follows_person(viewer, person)
    return {
        "person": person,
        # Someone who left can still be unfollowed, not followed anew.
        "show": not mine and (follows or person.is_active),
        "follows": follows,
        "next": request.get_full_path(),
        "csrf_token": context.get("csrf_token"),
    }
