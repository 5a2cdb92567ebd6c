"""Who may see and change what on the feed: the one fetcher per object type, and the rules.

A post is visible to the whole company, or only to a business unit or a team (and always to its
author and to those who read the whole feed: HQ, admins). A team-restricted post is also visible to
the team's manager. Hidden posts (moderation) stay visible to their author and the moderators;
deleted posts to nobody.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from comptoir.core.models import PracticeTopic
from comptoir.core.permissions import Cap, PermissionDenied403, has_cap
from comptoir.feed.models import Comment, Post, Reaction, Recommendation
from comptoir.org.models import User


def visibility_q(viewer: User, prefix: str = "") -> Q:
    """The condition a post (reached through `prefix`, e.g. "post__") must meet for `viewer`."""
    p = prefix
    scope = Q(**{f"{p}visibility": Post.Visibility.COMPANY}) | Q(**{f"{p}author_id": viewer.pk})
    if viewer.unit_id:
        scope |= Q(**{f"{p}visibility": Post.Visibility.UNIT, f"{p}visible_unit_id": viewer.unit_id})
    if viewer.team_id:
        scope |= Q(**{f"{p}visibility": Post.Visibility.TEAM, f"{p}visible_team_id": viewer.team_id})
    scope |= Q(**{f"{p}visibility": Post.Visibility.TEAM, f"{p}visible_team__manager_id": viewer.pk})
    return scope


def posts_visible_to(viewer: User) -> QuerySet[Post]:
    """Every post `viewer` may read (hidden ones only for their author and the moderators)."""
    posts = Post.objects.filter(is_deleted=False)
    if not has_cap(viewer, Cap.SEE_ALL_POSTS):
        posts = posts.filter(visibility_q(viewer))
    if not has_cap(viewer, Cap.MODERATE):
        posts = posts.filter(Q(is_hidden=False) | Q(author_id=viewer.pk))
    return posts


def can_see(viewer: User, post: Post) -> bool:
    if post.is_deleted:
        return False
    if post.is_hidden and post.author_id != viewer.pk and not has_cap(viewer, Cap.MODERATE):
        return False
    if has_cap(viewer, Cap.SEE_ALL_POSTS) or post.author_id == viewer.pk:
        return True
    if post.visibility == Post.Visibility.COMPANY:
        return True
    if post.visibility == Post.Visibility.UNIT:
        return post.visible_unit_id is not None and post.visible_unit_id == viewer.unit_id
    if post.visible_team_id is None:
        return False
    if post.visible_team_id == viewer.team_id:
        return True
    return post.visible_team is not None and post.visible_team.manager_id == viewer.pk


def post_for(viewer: User, pk: int, *, for_change: bool = False) -> Post:
    """The post `pk` if `viewer` may read it (404 otherwise); `for_change`: only its author (403)."""
    post = (
        posts_visible_to(viewer)
        .select_related(
            "author",
            "author__role",
            # The author's chain of managers, for "who of the hierarchy read it", in the same query.
            "author__manager__role",
            "author__manager__manager__role",
            "author__manager__manager__manager__role",
            "account",
            "agreement",
            "visible_unit",
            "visible_team",
            "recommendation",
        )
        .annotate(liked=Exists(Reaction.objects.filter(post_id=OuterRef("pk"), person_id=viewer.pk)))
        .filter(pk=pk)
        .first()
    )
    if post is None:
        raise Http404
    if for_change and post.author_id != viewer.pk:
        raise PermissionDenied403("Only the author may change this post.")
    return post


def comment_for(viewer: User, pk: int, *, for_change: bool = False) -> Comment:
    comment = (
        Comment.objects.select_related("post", "author")
        .filter(pk=pk, is_deleted=False, post__in=posts_visible_to(viewer))
        .first()
    )
    if comment is None or (
        comment.is_hidden and comment.author_id != viewer.pk and not has_cap(viewer, Cap.MODERATE)
    ):
        raise Http404
    if for_change and comment.author_id != viewer.pk and not has_cap(viewer, Cap.MODERATE):
        raise PermissionDenied403("Only the author may change this comment.")
    return comment


def may_answer(viewer: User, recommendation: Recommendation) -> bool:
    """HQ people who answer recommendations, and the members and manager of the team addressed."""
    if has_cap(viewer, Cap.ANSWER_RECOMMENDATIONS):
        return True
    team = recommendation.hq_team
    return viewer.team_id == team.pk or team.manager_id == viewer.pk


def recommendations_visible_to(viewer: User) -> QuerySet[Recommendation]:
    """A recommendation is read by whoever may read its post, and always by the HQ team addressed."""
    recos = Recommendation.objects.filter(post__is_deleted=False)
    if has_cap(viewer, Cap.SEE_ALL_POSTS) or has_cap(viewer, Cap.ANSWER_RECOMMENDATIONS):
        return recos
    scope = visibility_q(viewer, "post__") | Q(hq_team__manager_id=viewer.pk)
    if viewer.team_id:
        scope |= Q(hq_team_id=viewer.team_id)
    return recos.filter(scope)


def recommendation_for(viewer: User, pk: int, *, for_answer: bool = False) -> Recommendation:
    reco = (
        recommendations_visible_to(viewer)
        .select_related("post", "post__author", "hq_team", "hq_team__manager", "raised_by", "answered_by")
        .filter(pk=pk)
        .first()
    )
    if reco is None:
        raise Http404
    if for_answer and not may_answer(viewer, reco):
        raise PermissionDenied403("Only the HQ team addressed may answer.")
    return reco


def topic_for(viewer: User, pk: int) -> PracticeTopic:
    """A practice topic (the taxonomy is public inside the company), or 404."""
    topic = PracticeTopic.objects.filter(pk=pk).first()
    if topic is None:
        raise Http404
    return topic
