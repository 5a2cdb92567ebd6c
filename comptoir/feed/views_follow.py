"""The "what I follow" page and the @mention suggestions the post and comment forms ask for."""

from __future__ import annotations

from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from comptoir.core.htmx import is_htmx
from comptoir.core.pagination import InvalidCursor
from comptoir.core.typing import AuthedRequest
from comptoir.feed import following as reads


@require_GET
def following(request: AuthedRequest) -> HttpResponse:
    """The people and topics I follow (each with its "stop following"), and whom and what to follow."""
    viewer = request.user
    try:
        people = reads.people_followed(viewer, cursor=request.GET.get("after") or None)
    except InvalidCursor:
        return HttpResponseBadRequest(_("This page link is no longer valid."))
    here = reverse("feed:following")
    context = {
        "people": people,
        "more_url": f"{here}?{urlencode({'after': people.next_cursor})}" if people.next_cursor else "",
        "here": here,
    }
    if is_htmx(request) and request.GET.get("after"):
        return render(request, "feed/_followed_people.html", context)
    topics = reads.topics_followed(viewer)
    context |= {
        "topics": topics,
        "suggested_topics": reads.suggested_topics(viewer, topics),
        "suggested_people": reads.suggested_people(viewer),
        "feed": "following",
    }
    return render(request, "feed/following.html", context)


@require_GET
def mentions(request: AuthedRequest) -> JsonResponse:
    """People to propose after "@" in a post or a comment: `?q=cam` -> at most 8, as the directory
    shows them to the viewer."""
    query = request.GET.get("q", "")
    if len(query) > reads.MENTION_QUERY_MAX:
        return JsonResponse({"error": _("The search is too long.")}, status=400)
    found = reads.mention_candidates(request.user, query)
    return JsonResponse({"results": [c.as_dict() for c in found]})
