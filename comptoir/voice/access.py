"""Who may see what of the customer's voice: the one place each rule is written.

- Customer relations, HQ and directors (Cap.READ_LOVE_SCORE) read every response and the analytics.
- Managers and reps read the responses and comments of their own accounts (accounts they own, or
  that people they manage own), because they act on them, and nothing else: no analytics, no score
  of a person or a team. The love score is never a person's objective (PRODUCT.md).
- Running surveys (create, invite, delete a response) needs Cap.RUN_SURVEYS.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from comptoir.core.permissions import Cap, has_cap
from comptoir.customers.models import Account
from comptoir.org.selectors import managed_people_ids
from comptoir.voice.models import JourneyStep, Response, Survey, SurveyQuestion


def can_read_love_score(user: Any) -> bool:
    return has_cap(user, Cap.READ_LOVE_SCORE)


def can_run_surveys(user: Any) -> bool:
    return has_cap(user, Cap.RUN_SURVEYS)


def require_love_score(user: Any) -> None:
    if not can_read_love_score(user):
        raise PermissionDenied


def require_run_surveys(user: Any) -> None:
    if not can_run_surveys(user):
        raise PermissionDenied


def own_account_owner_ids(user: Any) -> set[int]:
    """The people whose accounts `user` acts on: themself and everyone they manage."""
    return {user.pk, *managed_people_ids(user)}


def responses_for(viewer: Any) -> QuerySet[Response]:
    """Every response `viewer` may read (the base of every list, export and API of responses)."""
    if not getattr(viewer, "is_authenticated", False):
        return Response.objects.none()
    if can_read_love_score(viewer) or can_run_surveys(viewer):
        return Response.objects.all()
    owners = own_account_owner_ids(viewer)
    return Response.objects.filter(Q(account__owner_id__in=owners))


def response_for(viewer: Any, pk: int) -> Response:
    found = (
        responses_for(viewer)
        .select_related("account", "contact", "step", "unit", "region")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404
    return found


def account_responses_for(viewer: Any, account: Account) -> QuerySet[Response]:
    """The responses of one account the viewer may see (the account page section). The same rule
    as `responses_for`, decided without a query when the viewer owns the account (the account
    page has a query budget)."""
    if not getattr(viewer, "is_authenticated", False):
        return Response.objects.none()
    if can_read_love_score(viewer) or can_run_surveys(viewer) or account.owner_id == viewer.pk:
        return Response.objects.filter(account=account)
    if account.owner_id in own_account_owner_ids(viewer):
        return Response.objects.filter(account=account)
    return Response.objects.none()


def surveys_for(viewer: Any) -> QuerySet[Survey]:
    if can_run_surveys(viewer) or can_read_love_score(viewer):
        return Survey.objects.all()
    return Survey.objects.none()


def survey_for(viewer: Any, pk: int, *, manage: bool = False) -> Survey:
    if manage:
        require_run_surveys(viewer)
    found = surveys_for(viewer).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def question_for(viewer: Any, survey_pk: int, pk: int) -> SurveyQuestion:
    """An extra question of a survey, for those who run surveys (404 if not that survey's)."""
    survey = survey_for(viewer, survey_pk, manage=True)
    found = SurveyQuestion.objects.filter(survey=survey, pk=pk).select_related("survey").first()
    if found is None:
        raise Http404
    return found


def step_for(viewer: Any, pk: int) -> JourneyStep:
    """A journey step, for those who maintain them (customer relations: Cap.RUN_SURVEYS)."""
    require_run_surveys(viewer)
    found = JourneyStep.objects.filter(pk=pk).first()
    if found is None:
        raise Http404
    return found
