"""Recommendations to HQ: raising one, moving it through its states with an answer, flagging the late.

received -> under review -> adopted / planned / declined. Every move past "received" carries an answer
the author and the followers read; every move notifies them; every step is an event (the history).
A recommendation still open after `FEED_RECOMMENDATION_ANSWER_DAYS` days is flagged to the manager of
the HQ team it was addressed to (`feed_flag_overdue`, once per recommendation).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from comptoir.core import clock
from comptoir.core.permissions import PermissionDenied403
from comptoir.feed import access
from comptoir.feed.models import Post, Recommendation, RecommendationEvent
from comptoir.notifications.services import notify
from comptoir.org.models import OrgUnit, Team, User

S = Recommendation.Status
KIND_NEWS = "feed_recommendation"
KIND_NEW = "feed_recommendation_new"
KIND_OVERDUE = "feed_recommendation_overdue"
ANSWER_MAX = 5000
DEFAULT_ANSWER_DAYS = 14

TRANSITIONS: dict[str, tuple[str, ...]] = {
    S.RECEIVED: (S.UNDER_REVIEW, S.ADOPTED, S.PLANNED, S.DECLINED),
    S.UNDER_REVIEW: (S.ADOPTED, S.PLANNED, S.DECLINED),
    S.PLANNED: (S.ADOPTED, S.DECLINED),
    S.ADOPTED: (),
    S.DECLINED: (S.UNDER_REVIEW,),
}


def _later(message: Any, params: dict[str, Any]) -> Any:
    return lazy(lambda: str(message) % params, str)()


def answer_days() -> int:
    return int(getattr(settings, "FEED_RECOMMENDATION_ANSWER_DAYS", DEFAULT_ANSWER_DAYS))


def hq_teams() -> QuerySet[Team]:
    """The teams a recommendation can be addressed to: those of HQ departments."""
    return Team.objects.filter(unit__kind=OrgUnit.Kind.DEPARTMENT).order_by("name")


def _hq_people(reco: Recommendation) -> list[User]:
    team = reco.hq_team
    people = list(User.objects.filter(team=team, is_active=True))
    if team.manager is not None and team.manager.is_active and team.manager not in people:
        people.append(team.manager)
    return people


@transaction.atomic
def recommendation_raise(*, post: Post, by: User, title: str, hq_team: Team | int) -> Recommendation:
    """Turn a post into a recommendation addressed to an HQ team (its author only; once per post).

    `hq_team` may be the id the person chose: the team is looked up here, once, with its manager
    (who is notified), rather than once by the caller and again to check it is an HQ team."""
    if post.author_id != by.pk:
        raise PermissionDenied403(_("Only the author may raise a post to HQ."))
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("This field is required.")})
    if len(title) > 200:
        raise ValidationError(
            {"title": _("This text is too long (%(max)s characters at most).") % {"max": 200}}
        )
    team_id = hq_team if isinstance(hq_team, int) else hq_team.pk
    team = hq_teams().select_related("manager").filter(pk=team_id).first()
    if team is None:
        raise ValidationError({"hq_team": _("Recommendations go to an HQ team.")})
    if Recommendation.objects.filter(post=post).exists():
        raise ValidationError({"title": _("This post is already a recommendation.")})
    now = clock.now()
    reco = Recommendation.objects.create(
        post=post, title=title, hq_team=team, raised_by=by, created_at=now, status_changed_at=now
    )
    reco.followers.add(by)
    RecommendationEvent.objects.create(
        recommendation=reco, actor=by, from_status="", to_status=S.RECEIVED, at=now
    )
    for person in _hq_people(reco):
        if person.pk == by.pk:
            continue
        notify(
            recipient=person,
            actor=by,
            kind=KIND_NEW,
            title=_later(
                _("New recommendation from %(name)s: %(title)s"), {"name": by.full_name, "title": title}
            ),
            url=reco.get_absolute_url(),
        )
    return reco


@transaction.atomic
def recommendation_move(*, recommendation: Recommendation, by: User, to: str, answer: str) -> Recommendation:
    """Move a recommendation to `to` with an answer; the author and the followers are told."""
    reco = (
        Recommendation.objects.select_for_update().select_related("hq_team", "post").get(pk=recommendation.pk)
    )
    if not access.may_answer(by, reco):
        raise PermissionDenied403(_("Only the HQ team addressed may answer."))
    if to not in TRANSITIONS.get(reco.status, ()):
        raise ValidationError({"status": _("This recommendation cannot move to that state.")})
    answer = (answer or "").strip()
    if not answer:
        raise ValidationError({"answer": _("Every step is explained to the author: write an answer.")})
    if len(answer) > ANSWER_MAX:
        raise ValidationError(
            {"answer": _("This text is too long (%(max)s characters at most).") % {"max": ANSWER_MAX}}
        )
    now = clock.now()
    RecommendationEvent.objects.create(
        recommendation=reco, actor=by, from_status=reco.status, to_status=to, note=answer, at=now
    )
    reco.status, reco.status_changed_at, reco.answer, reco.answered_by = to, now, answer, by
    if reco.answered_at is None:
        reco.answered_at = now
    reco.save(update_fields=["status", "status_changed_at", "answer", "answered_by", "answered_at"])
    label = S(to).label
    for person in {*reco.followers.filter(is_active=True), reco.raised_by}:
        if person.pk == by.pk:
            continue
        notify(
            recipient=person,
            actor=by,
            kind=KIND_NEWS,
            title=_later(
                _("Your recommendation is now “%(status)s”: %(title)s"),
                {"status": label, "title": reco.title},
            ),
            body=answer,
            url=reco.get_absolute_url(),
        )
    return reco


def recommendation_follow(*, recommendation: Recommendation, person: User, follow: bool = True) -> None:
    if follow:
        recommendation.followers.add(person)
    else:
        recommendation.followers.remove(person)


def overdue(now: dt.datetime | None = None, days: int | None = None) -> QuerySet[Recommendation]:
    """Open recommendations older than the answer time and not flagged yet."""
    limit = (now or clock.now()) - dt.timedelta(days=days if days is not None else answer_days())
    return Recommendation.objects.filter(
        status__in=(S.RECEIVED, S.UNDER_REVIEW), created_at__lt=limit, flagged_overdue_at__isnull=True
    )


def flag_overdue(*, days: int | None = None) -> int:
    """Tell each HQ team's manager about the recommendations waiting too long; flag each once."""
    now = clock.now()
    flagged = 0
    for reco in (
        overdue(now, days).select_related("hq_team__manager", "raised_by").order_by("created_at", "id")[:1000]
    ):
        with transaction.atomic():
            claimed = Recommendation.objects.filter(pk=reco.pk, flagged_overdue_at__isnull=True).update(
                flagged_overdue_at=now
            )
            if not claimed:
                continue  # another run took it
            manager = reco.hq_team.manager
            if manager is not None and manager.is_active:
                waited = (now - reco.created_at).days
                notify(
                    recipient=manager,
                    kind=KIND_OVERDUE,
                    title=_later(
                        _("A recommendation to %(team)s waits for an answer for %(days)s days: %(title)s"),
                        {"team": reco.hq_team.name, "days": waited, "title": reco.title},
                    ),
                    url=reco.get_absolute_url(),
                )
            flagged += 1
    return flagged


def inbox(
    viewer: User, *, team: int | None = None, status: str | None = None, overdue_only: bool = False
) -> QuerySet[Recommendation]:
    """The HQ inbox: recommendations the viewer may read, oldest waiting first."""
    recos = access.recommendations_visible_to(viewer).select_related("hq_team", "raised_by", "post")
    if team:
        recos = recos.filter(hq_team_id=team)
    if status:
        recos = recos.filter(status=status)
    if overdue_only:
        limit = clock.now() - dt.timedelta(days=answer_days())
        recos = recos.filter(status__in=(S.RECEIVED, S.UNDER_REVIEW), created_at__lt=limit)
    return recos


def age_days(reco: Recommendation) -> int:
    return max(0, (clock.now() - reco.created_at).days)


def is_late(reco: Recommendation) -> bool:
    return reco.is_open and age_days(reco) >= answer_days()
