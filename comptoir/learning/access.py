"""Who may see, take, change and read the analytics of a quiz: the fetchers every view and API uses."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from comptoir.core.permissions import Cap, PermissionDenied403, has_cap
from comptoir.learning.models import Attempt, Question, Quiz
from comptoir.org.models import OrgUnit, Region, Team, User


def is_national(viewer: User) -> bool:
    return has_cap(viewer, Cap.RUN_NATIONAL_PROGRAMMES)


def audience_q(viewer: User, prefix: str = "") -> Q:
    """Quizzes addressed to `viewer`: the company, their unit, region or team, or a team they manage."""
    p = prefix
    scope = Q(**{f"{p}audience": Quiz.Audience.COMPANY})
    if viewer.unit_id:
        scope |= Q(**{f"{p}audience": Quiz.Audience.UNIT, f"{p}unit_id": viewer.unit_id})
    if viewer.region_id:
        scope |= Q(**{f"{p}audience": Quiz.Audience.REGION, f"{p}region_id": viewer.region_id})
    teams = Q(**{f"{p}team__manager_id": viewer.pk})
    if viewer.team_id:
        teams |= Q(**{f"{p}team_id": viewer.team_id})
    scope |= Q(**{f"{p}audience": Quiz.Audience.TEAM}) & teams
    return scope


def quizzes_visible_to(viewer: User) -> QuerySet[Quiz]:
    """Published quizzes addressed to the viewer, and every quiz they wrote; national programme
    owners (HQ) see every quiz."""
    quizzes = Quiz.objects.all()
    if is_national(viewer):
        return quizzes
    return quizzes.filter((Q(published=True) & audience_q(viewer)) | Q(author_id=viewer.pk))


def may_change(viewer: User, quiz: Quiz) -> bool:
    return has_cap(viewer, Cap.BUILD_QUIZZES) and (quiz.author_id == viewer.pk or is_national(viewer))


def quiz_for(viewer: User, pk: int, *, for_change: bool = False) -> Quiz:
    """The quiz `pk` as `viewer` may see it (404 otherwise); `for_change`: 403 unless they may edit it."""
    quiz = (
        quizzes_visible_to(viewer)
        .select_related("author", "topic", "unit", "region", "team")
        .filter(pk=pk)
        .first()
    )
    if quiz is None:
        raise Http404
    if for_change and not may_change(viewer, quiz):
        raise PermissionDenied403
    return quiz


def may_take(viewer: User, quiz: Quiz) -> bool:
    """Published and addressed to the viewer (an author tries their own quiz from the preview instead)."""
    if not quiz.published:
        return False
    return Quiz.objects.filter(audience_q(viewer), pk=quiz.pk).exists()


def in_audience(viewer: User, quiz: Quiz) -> bool:
    """The same rule as `audience_q`, on a loaded quiz (no query)."""
    if quiz.audience == Quiz.Audience.COMPANY:
        return True
    if quiz.audience == Quiz.Audience.UNIT:
        return quiz.unit_id == viewer.unit_id
    if quiz.audience == Quiz.Audience.REGION:
        return quiz.region_id == viewer.region_id
    return quiz.team_id == viewer.team_id or (quiz.team is not None and quiz.team.manager_id == viewer.pk)


def may_read_analytics(viewer: User, quiz: Quiz) -> bool:
    """The author, the national programme owners, and managers whose people the quiz is for."""
    if quiz.author_id == viewer.pk or is_national(viewer):
        return True
    return has_cap(viewer, Cap.VIEW_TEAM_ACTIVITY) and in_audience(viewer, quiz)


def analytics_quiz_for(viewer: User, pk: int) -> Quiz:
    quiz = quiz_for(viewer, pk)
    if not may_read_analytics(viewer, quiz):
        raise PermissionDenied403
    return quiz


def attempt_for(viewer: User, pk: int) -> Attempt:
    """One's own attempt; nobody else reads an attempt (authors read the roll-ups)."""
    attempt = (
        Attempt.objects.select_related("quiz", "quiz__topic", "quiz__team", "user")
        .filter(pk=pk, user_id=viewer.pk)
        .first()
    )
    if attempt is None:
        raise Http404
    return attempt


def hierarchy_q(viewer: User, prefix: str = "user__") -> Q:
    """People `viewer` stands above: the team they manage, and up to three levels of reports."""
    p = prefix
    return (
        Q(**{f"{p}team__manager_id": viewer.pk})
        | Q(**{f"{p}manager_id": viewer.pk})
        | Q(**{f"{p}manager__manager_id": viewer.pk})
        | Q(**{f"{p}manager__manager__manager_id": viewer.pk})
    )


def congratulable_attempt_for(viewer: User, pk: int) -> Attempt:
    """A passed attempt of someone in the viewer's hierarchy (their manager, their team's manager, the
    managers above), or of anyone for HQ; never one's own."""
    attempts = Attempt.objects.select_related("quiz", "quiz__topic", "user", "user__team").filter(
        pk=pk, passed=True
    )
    if not is_national(viewer):
        attempts = attempts.filter(hierarchy_q(viewer))
    attempt = attempts.exclude(user_id=viewer.pk).first()
    if attempt is None:
        raise Http404
    return attempt


def may_change_bank_question(viewer: User, question: Question) -> bool:
    """A bank question is changed by its author or by national programme owners."""
    return has_cap(viewer, Cap.BUILD_QUIZZES) and (question.author_id == viewer.pk or is_national(viewer))


def bank_question_for(viewer: User, topic_id: int, pk: int, *, for_change: bool = False) -> Question:
    """A live question of the bank of `topic_id`: quiz builders read every bank (404 otherwise);
    `for_change`: 403 unless they may change it."""
    if not has_cap(viewer, Cap.BUILD_QUIZZES):
        raise PermissionDenied403
    question = (
        Question.objects.select_related("topic")
        .prefetch_related("choices")
        .filter(pk=pk, quiz=None, topic_id=topic_id, retired_at=None)
        .first()
    )
    if question is None:
        raise Http404
    if for_change and not may_change_bank_question(viewer, question):
        raise PermissionDenied403
    return question


def audience_choices(viewer: User) -> dict[str, QuerySet]:  # type: ignore[type-arg]
    """What a builder may address: everything for national programme owners; otherwise their own
    unit, their own region, their own team and the teams they manage."""
    if is_national(viewer):
        return {
            "unit": OrgUnit.objects.filter(kind=OrgUnit.Kind.BUSINESS_UNIT),
            "region": Region.objects.all(),
            "team": Team.objects.all(),
        }
    teams = Q(manager_id=viewer.pk)
    if viewer.team_id:
        teams |= Q(pk=viewer.team_id)
    return {
        "unit": OrgUnit.objects.filter(pk=viewer.unit_id or 0),
        "region": Region.objects.filter(pk=viewer.region_id or 0),
        "team": Team.objects.filter(teams),
    }


def check_audience(
    viewer: User, audience: str, unit: OrgUnit | None, region: Region | None, team: Team | None
) -> None:
    """Raise PermissionDenied403 when `viewer` may not address this audience."""
    if not has_cap(viewer, Cap.BUILD_QUIZZES):
        raise PermissionDenied403("Only managers, directors and HQ build quizzes.")
    if is_national(viewer):
        return
    if audience == Quiz.Audience.COMPANY:
        raise PermissionDenied403("Only national programme owners address the whole company.")
    if audience == Quiz.Audience.UNIT and (unit is None or unit.pk != viewer.unit_id):
        raise PermissionDenied403("You may address your own business unit only.")
    if audience == Quiz.Audience.REGION and (region is None or region.pk != viewer.region_id):
        raise PermissionDenied403("You may address your own region only.")
    if audience == Quiz.Audience.TEAM and (
        team is None or (team.pk != viewer.team_id and team.manager_id != viewer.pk)
    ):
        raise PermissionDenied403("You may address your own team or the teams you manage.")
