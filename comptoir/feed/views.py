"""Feed pages: the feeds, a post, writing and editing, likes, comments, congratulations, a person.

Thin views: every read goes through `selectors` / `access`, every write through `services`.
Recommendations, search and moderation have their own view modules.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.dateparse import parse_datetime
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from comptoir.core.htmx import is_htmx
from comptoir.core.pagination import InvalidCursor
from comptoir.core.permissions import Cap, PermissionDenied403, has_cap
from comptoir.core.typing import AuthedRequest
from comptoir.feed import access, selectors, services
from comptoir.feed.cards import render_cards
from comptoir.feed.forms import (
    CommentForm,
    CongratulationForm,
    FilterForm,
    PostForm,
    RecommendationForm,
    ReportForm,
)
from comptoir.feed.models import Comment, PersonFollow, Post, TopicFollow
from comptoir.org.access import person_for

FEEDS = ("for_me", "all", "hq")


def denied_as_403[F: Callable[..., Any]](view: F) -> F:
    """Services refuse with PermissionDenied403; a page answers that with Django's 403."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return view(*args, **kwargs)
        except PermissionDenied403 as exc:
            raise PermissionDenied(str(exc)) from exc

    return wrapper  # type: ignore[return-value]


def _filters(form: FilterForm) -> selectors.FeedFilters:
    data = form.cleaned_data
    return selectors.FeedFilters(
        unit=data.get("unit"),
        region=data.get("region"),
        topic=data.get("topic"),
        account=data.get("account"),
        agreement=data.get("agreement"),
        author=data.get("author"),
        kind=data.get("kind") or None,
    )


def _feed(request: AuthedRequest, feed: str) -> HttpResponse:
    viewer = request.user
    form = FilterForm(request.GET)
    if not form.is_valid():
        return HttpResponseBadRequest(_("Unknown filter."))
    filters = _filters(form)
    try:
        page = selectors.feed_page(
            viewer, feed=feed, filters=filters, cursor=form.cleaned_data.get("after") or None, decorated=False
        )
    except InvalidCursor:
        return HttpResponseBadRequest(_("This page link is no longer valid."))
    trending = (
        selectors.trending(viewer, filters=filters)
        if feed == "hq" and not form.cleaned_data.get("after")
        else []
    )
    # The cards decorate what they have not kept (see `cards`); the trending list shows no card.
    # Only the posts the viewer had not seen yet are written down: a page seen again writes nothing.
    services.mark_read_many(post_ids=[p.pk for p in page.items if not p.seen], person=viewer)  # type: ignore[attr-defined]
    context: dict[str, Any] = {
        "feed": feed,
        "page": page,
        "form": form,
        "filters": filters,
        "query": filters.as_query(),
        "top": page.items[0] if page.items and not form.cleaned_data.get("after") else None,
        "sees_all": has_cap(viewer, Cap.SEE_ALL_POSTS),
        "cards": render_cards(request, page.items),
    }
    base = reverse({"for_me": "feed:home", "all": "feed:all", "hq": "feed:window"}[feed])
    context["more_url"] = (
        f"{base}?{urlencode({**context['query'], 'after': page.next_cursor or ''})}" if page.has_next else ""
    )
    top = context["top"]
    if top is not None:
        context["poll_url"] = (
            reverse("feed:new")
            + "?"
            + urlencode({**context["query"], "feed": feed, "since": since_value(top), "since_id": top.pk})
        )
    if is_htmx(request) and form.cleaned_data.get("after"):
        return render(request, "feed/_page.html", context)
    if filters.topic and not form.cleaned_data.get("after"):
        # "For me" includes the topics a person follows: offer it where the topic is being read.
        context["topic_followed"] = TopicFollow.objects.filter(
            follower=viewer, topic_id=filters.topic
        ).exists()
    if feed == "hq" and not form.cleaned_data.get("after"):
        context["trending"] = trending
    return render(request, "feed/feed.html", context)


def for_me(request: AuthedRequest) -> HttpResponse:
    return _feed(request, "for_me")


def all_posts(request: AuthedRequest) -> HttpResponse:
    return _feed(request, "all")


def window(request: AuthedRequest) -> HttpResponse:
    """HQ's window on the field: the whole feed with its filters and this week's trending posts."""
    if not has_cap(request.user, Cap.SEE_ALL_POSTS):
        raise PermissionDenied
    return _feed(request, "hq")


def new_posts(request: AuthedRequest) -> HttpResponse:
    """The "new posts" indicator, polled by htmx: how many posts appeared above the viewer's top one."""
    feed = request.GET.get("feed", "all")
    if feed not in FEEDS:
        feed = "all"
    form = FilterForm(request.GET)
    since = parse_datetime(request.GET.get("since", ""))
    try:
        since_id = int(request.GET.get("since_id", "0"))
    except ValueError:
        since_id = 0
    if not form.is_valid() or since is None:
        return HttpResponseBadRequest(_("Unknown filter."))
    count = selectors.newer_count(
        request.user, feed=feed, filters=_filters(form), since=since, since_id=since_id
    )
    return render(
        request, "feed/_new_posts.html", {"count": count, "poll_query": request.GET.urlencode(), "feed": feed}
    )


def post_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    viewer = request.user
    post = access.post_for(viewer, pk)
    page = selectors.post_page(viewer, post)
    services.mark_read_many(post_ids=[post.pk], person=viewer)
    reply_to = request.GET.get("reply")
    return render(
        request,
        "feed/post.html",
        {
            "page": page,
            "post": post,
            "comment_form": CommentForm(),
            "congratulation_form": CongratulationForm(),
            "recommendation_form": RecommendationForm() if post.author_id == viewer.pk else None,
            "reply_to": int(reply_to) if reply_to and reply_to.isdigit() else None,
            "is_author": post.author_id == viewer.pk,
            "may_moderate": has_cap(viewer, Cap.MODERATE),
        },
    )


def _photos(request: AuthedRequest) -> list[Any]:
    return request.FILES.getlist("photos")


@denied_as_403
def post_new(request: AuthedRequest) -> HttpResponse:
    viewer = request.user
    if not has_cap(viewer, Cap.POST_TO_FEED):
        raise PermissionDenied
    # "Share a success" (home page) opens the form with its kind chosen: `?kind=success`.
    kind = request.GET.get("kind", "")
    initial = {"kind": kind} if kind in Post.Kind.values else {}
    form = PostForm(request.POST or None, request.FILES or None, viewer=viewer, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            post = services.post_create(
                author=viewer,
                kind=data["kind"],
                body=data["body"],
                topics=data["topics"],
                units=data["units"],
                account=data["account"],
                agreement=data["agreement"],
                visibility=data["visibility"],
                photos=_photos(request),
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Your post is published."))
            return redirect(post.get_absolute_url())
    return render(
        request, "feed/post_form.html", {"form": form, "editing": None}, status=400 if form.errors else 200
    )


def _add_errors(form: Any, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


@denied_as_403
def post_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    viewer = request.user
    post = access.post_for(viewer, pk, for_change=True)
    initial = {
        "kind": post.kind,
        "body": post.body,
        "topics": post.topic_ids,
        "units": post.unit_ids,
        "account": post.account_id,
        "agreement": post.agreement_id,
        "visibility": post.visibility,
    }
    form = PostForm(request.POST or None, request.FILES or None, viewer=viewer, initial=initial)
    photos = list(post.photos.all())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        remove = [int(v) for v in request.POST.getlist("remove_photo") if v.isdigit()]
        try:
            services.post_edit(
                post=post,
                editor=viewer,
                kind=data["kind"],
                body=data["body"],
                topics=data["topics"],
                units=list(data["units"]) or post.unit_ids,
                account=data["account"],
                agreement=data["agreement"],
                visibility=data["visibility"],
                team=post.visible_team,
                unit=post.visible_unit,
                add_photos=_photos(request),
                remove_photo_ids=remove,
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Your post is updated."))
            return redirect(post.get_absolute_url())
    return render(
        request,
        "feed/post_form.html",
        {"form": form, "editing": post, "photos": photos},
        status=400 if form.errors else 200,
    )


def post_history(request: AuthedRequest, pk: int) -> HttpResponse:
    post = access.post_for(request.user, pk)
    revisions = list(post.revisions.select_related("edited_by").order_by("-edited_at", "-id")[:100])
    return render(request, "feed/history.html", {"post": post, "revisions": revisions})


@require_POST
@denied_as_403
def post_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    post = access.post_for(request.user, pk)
    services.post_delete(post=post, by=request.user)
    messages.success(request, _("The post is deleted."))
    return redirect("feed:home")


@require_POST
@denied_as_403
def like(request: AuthedRequest, pk: int) -> HttpResponse:
    """Like or unlike (a toggle); htmx swaps the button, a plain form goes back to the post."""
    viewer = request.user
    post = access.post_for(viewer, pk)
    if request.POST.get("undo"):
        services.unreact(post=post, person=viewer)
        liked = False
    else:
        services.react(post=post, person=viewer)
        liked = True
    post.refresh_from_db(fields=["like_count"])
    post.liked = liked  # type: ignore[attr-defined]
    if is_htmx(request):
        return render(request, "feed/_like.html", {"post": post})
    return redirect(request.POST.get("next") or post.get_absolute_url())


@require_POST
@denied_as_403
def comment(request: AuthedRequest, pk: int) -> HttpResponse:
    viewer = request.user
    post = access.post_for(viewer, pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        parent = None
        if form.cleaned_data.get("parent"):
            parent = Comment.objects.filter(pk=form.cleaned_data["parent"], post=post).first()
            if parent is None:
                raise Http404
        try:
            created = services.comment_create(
                post=post, author=viewer, body=form.cleaned_data["body"], parent=parent
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            return redirect(created.get_absolute_url())
    else:
        messages.error(request, _("Your comment is empty or too long."))
    return redirect(post.get_absolute_url())


@require_POST
@denied_as_403
def comment_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    found = access.comment_for(request.user, pk, for_change=True)
    services.comment_delete(comment=found, by=request.user)
    return redirect(found.post.get_absolute_url())


@require_POST
@denied_as_403
def congratulate(request: AuthedRequest, pk: int) -> HttpResponse:
    post = access.post_for(request.user, pk)
    form = CongratulationForm(request.POST)
    if form.is_valid():
        try:
            services.congratulate(post=post, by=request.user, message=form.cleaned_data["message"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Your congratulations are published."))
    else:
        messages.error(request, _("Write a short message (280 characters at most)."))
    return redirect(post.get_absolute_url() + "#congratulations")


@require_POST
@denied_as_403
def report(request: AuthedRequest, pk: int) -> HttpResponse:
    from comptoir.feed import moderation

    post = access.post_for(request.user, pk)
    form = ReportForm(request.POST)
    if form.is_valid():
        target = None
        if form.cleaned_data.get("comment"):
            target = access.comment_for(request.user, form.cleaned_data["comment"])
        try:
            moderation.report_create(
                post=post, reporter=request.user, reason=form.cleaned_data["reason"], comment=target
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Thank you: a moderator will look at it."))
    else:
        messages.error(request, _("Say what is wrong, for the moderators."))
    return redirect(post.get_absolute_url())


def _back(request: AuthedRequest, default: str) -> HttpResponse:
    """Back to the page the form came from ("what I follow", a profile, a topic), if it is ours."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect(default)


@require_POST
def follow(request: AuthedRequest, pk: int) -> HttpResponse:
    person = person_for(request.user, pk)
    try:
        services.follow_person(follower=request.user, followed=person, follow=not request.POST.get("undo"))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return _back(request, reverse("feed:person", args=[person.pk]))


@require_POST
def follow_topic(request: AuthedRequest, pk: int) -> HttpResponse:
    topic = access.topic_for(request.user, pk)
    services.follow_topic(follower=request.user, topic=topic, follow=not request.POST.get("undo"))
    return _back(request, f"{reverse('feed:all')}?topic={topic.pk}")


def person(request: AuthedRequest, pk: int) -> HttpResponse:
    """A person's posts and the congratulations they received (linked from their profile)."""
    viewer = request.user
    someone = person_for(viewer, pk)
    try:
        page = selectors.feed_page(
            viewer,
            feed="all",
            filters=selectors.FeedFilters(author=someone.pk),
            cursor=request.GET.get("after"),
            decorated=False,
        )
    except InvalidCursor:
        return HttpResponseBadRequest(_("This page link is no longer valid."))
    more = f"{reverse('feed:person', args=[someone.pk])}?{urlencode({'after': page.next_cursor or ''})}"
    if is_htmx(request) and request.GET.get("after"):
        return render(
            request,
            "feed/_page.html",
            {
                "page": page,
                "more_url": more if page.has_next else "",
                "cards": render_cards(request, page.items),
            },
        )
    return render(
        request,
        "feed/person.html",
        {
            "person": someone,
            "page": page,
            "more_url": more if page.has_next else "",
            "cards": render_cards(request, page.items),
            "feed": "person",
            "congratulations": selectors.person_congratulations(viewer, someone),
            "follows": PersonFollow.objects.filter(follower=viewer, followed=someone).exists(),
        },
    )


def since_value(post: Post) -> str:
    return post.created_at.astimezone(dt.UTC).isoformat()
