"""Feed pages for recommendations to HQ, search and moderation."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from comptoir.core.pagination import InvalidCursor, keyset_page
from comptoir.core.permissions import Cap, has_cap
from comptoir.core.typing import AuthedRequest
from comptoir.feed import access, moderation, recommendations, selectors
from comptoir.feed.cards import render_cards
from comptoir.feed.forms import FilterForm, RecommendationForm, RecommendationMoveForm
from comptoir.feed.models import Comment, ModerationLog, Recommendation, Report
from comptoir.feed.views import _filters, denied_as_403

INBOX_ORDERING = ("created_at", "id")


def recommendation_inbox(request: AuthedRequest) -> HttpResponse:
    """HQ's inbox (and what a rep raised): filters by team and state, the age of each, the late ones."""
    viewer = request.user
    team = request.GET.get("team") or ""
    status = request.GET.get("status") or ""
    mine = request.GET.get("mine") == "1"
    late = request.GET.get("late") == "1"
    if status and status not in Recommendation.Status.values:
        return HttpResponseBadRequest(_("Unknown filter."))
    recos = recommendations.inbox(
        viewer, team=int(team) if team.isdigit() else None, status=status or None, overdue_only=late
    )
    if mine:
        recos = recos.filter(raised_by=viewer)
    try:
        page = keyset_page(recos, ordering=INBOX_ORDERING, cursor=request.GET.get("after"), size=25)
    except InvalidCursor:
        return HttpResponseBadRequest(_("This page link is no longer valid."))
    for reco in page.items:
        reco.age = recommendations.age_days(reco)  # type: ignore[attr-defined]
        reco.late = recommendations.is_late(reco)  # type: ignore[attr-defined]
    query = {
        k: v
        for k, v in {
            "team": team,
            "status": status,
            "mine": "1" if mine else "",
            "late": "1" if late else "",
        }.items()
        if v
    }
    return render(
        request,
        "feed/recommendations.html",
        {
            "page": page,
            "teams": list(recommendations.hq_teams()),
            "statuses": Recommendation.Status.choices,
            "team": team,
            "status": status,
            "mine": mine,
            "late": late,
            "answer_days": recommendations.answer_days(),
            "more_url": "?" + urlencode({**query, "after": page.next_cursor or ""}) if page.has_next else "",
            "feed": "recommendations",
            "sees_all": has_cap(viewer, Cap.SEE_ALL_POSTS),
        },
    )


def recommendation_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    viewer = request.user
    reco = access.recommendation_for(viewer, pk)
    may_answer = access.may_answer(viewer, reco)
    allowed = recommendations.TRANSITIONS.get(reco.status, ())
    form = RecommendationMoveForm()
    form.fields["status"].choices = [(s, Recommendation.Status(s).label) for s in allowed]  # type: ignore[attr-defined]
    return render(
        request,
        "feed/recommendation.html",
        {
            "reco": reco,
            "events": list(reco.events.select_related("actor").order_by("at", "id")),
            "may_answer": may_answer and bool(allowed),
            "form": form,
            "follows": reco.followers.filter(pk=viewer.pk).exists(),
            "age": recommendations.age_days(reco),
            "late": recommendations.is_late(reco),
        },
    )


@require_POST
@denied_as_403
def recommendation_raise(request: AuthedRequest, pk: int) -> HttpResponse:
    post = access.post_for(request.user, pk, for_change=True)
    form = RecommendationForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the recommendation a title and choose an HQ team."))
        return redirect(post.get_absolute_url())
    try:
        reco = recommendations.recommendation_raise(
            post=post, by=request.user, title=form.cleaned_data["title"], hq_team=form.cleaned_data["hq_team"]
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(post.get_absolute_url())
    messages.success(request, _("Your recommendation is sent to HQ."))
    return redirect(reco.get_absolute_url())


@require_POST
@denied_as_403
def recommendation_move(request: AuthedRequest, pk: int) -> HttpResponse:
    reco = access.recommendation_for(request.user, pk, for_answer=True)
    status = request.POST.get("status", "")
    answer = request.POST.get("answer", "")
    try:
        recommendations.recommendation_move(recommendation=reco, by=request.user, to=status, answer=answer)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The author is told."))
    return redirect(reco.get_absolute_url())


@require_POST
def recommendation_follow(request: AuthedRequest, pk: int) -> HttpResponse:
    reco = access.recommendation_for(request.user, pk)
    recommendations.recommendation_follow(
        recommendation=reco, person=request.user, follow=not request.POST.get("undo")
    )
    return redirect(reco.get_absolute_url())


def search(request: AuthedRequest) -> HttpResponse:
    viewer = request.user
    query = (request.GET.get("q") or "").strip()[:200]
    form = FilterForm(request.GET)
    if not form.is_valid():
        return HttpResponseBadRequest(_("Unknown filter."))
    try:
        page_number = int(request.GET.get("page", "1"))
    except ValueError:
        page_number = 1
    filters = _filters(form)
    posts: list[Any] = []
    has_more = False
    if query:
        posts, has_more = selectors.search_posts(viewer, query=query, filters=filters, page=page_number)
    base = {"q": query, **filters.as_query()}
    return render(
        request,
        "feed/search.html",
        {
            "q": query,
            "form": form,
            "filters": filters,
            "posts": posts,
            "cards": render_cards(request, posts),
            "page_number": page_number,
            "next_url": "?" + urlencode({**base, "page": page_number + 1}) if has_more else "",
            "prev_url": "?" + urlencode({**base, "page": page_number - 1}) if page_number > 1 else "",
            "feed": "search",
            "sees_all": has_cap(viewer, Cap.SEE_ALL_POSTS),
        },
    )


def _require_moderator(request: AuthedRequest) -> None:
    if not has_cap(request.user, Cap.MODERATE):
        raise PermissionDenied


def moderation_queue(request: AuthedRequest) -> HttpResponse:
    _require_moderator(request)
    reports = list(
        Report.objects.filter(status=Report.Status.OPEN)
        .select_related("post", "post__author", "comment", "comment__author", "reporter")
        .order_by("-created_at", "-id")[:100]
    )
    log = list(ModerationLog.objects.select_related("actor", "post", "comment").order_by("-at", "-id")[:100])
    return render(request, "feed/moderation.html", {"reports": reports, "log": log})


@require_POST
@denied_as_403
def moderation_act(request: AuthedRequest, pk: int) -> HttpResponse:
    """Hide, restore or dismiss, on a post (pk) or one of its comments (`comment` in the form)."""
    _require_moderator(request)
    action = request.POST.get("action", "")
    note = request.POST.get("note", "")[:500]
    from comptoir.feed.models import Post

    post = Post.objects.filter(pk=pk, is_deleted=False).select_related("author").first()
    if post is None:
        raise Http404
    comment = None
    if request.POST.get("comment", "").isdigit():
        comment = (
            Comment.objects.filter(pk=int(request.POST["comment"]), post=post)
            .select_related("author")
            .first()
        )
        if comment is None:
            raise Http404
    if action == "hide":
        moderation.hide(by=request.user, post=post, comment=comment, note=note)
    elif action == "restore":
        moderation.restore(by=request.user, post=post, comment=comment, note=note)
    elif action == "dismiss" and request.POST.get("report", "").isdigit():
        report = Report.objects.filter(pk=int(request.POST["report"]), post=post).first()
        if report is None:
            raise Http404
        moderation.dismiss(by=request.user, report=report, note=note)
    else:
        return HttpResponseBadRequest(_("Unknown moderation step."))
    messages.success(request, _("Done, and written in the moderation log."))
    return redirect("feed:moderation")
