"""The customer's voice in the API: surveys, invitations and events, responses, every dashboard figure.

Same services, fetchers and rules as the pages. Submitting an answer needs no login (the personal
token is the credential). No endpoint gives a score per person, and breakdowns come in name order.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import File, Form, Query, Router, Schema
from ninja.files import UploadedFile

from comptoir.api.errors import ApiError
from comptoir.api.schemas import PageOut
from comptoir.core.importjobs import import_file, import_kinds
from comptoir.core.permissions import Cap, has_cap
from comptoir.customers.models import Account, Contact
from comptoir.voice import access, analytics, selectors, services
from comptoir.voice.api_query import AnalyticsQuery, DashboardQuery, NpsQuery, PrioritiesQuery
from comptoir.voice.import_preview import VOICE_KINDS, import_preview
from comptoir.voice.models import JourneyStep, Response, Survey
from comptoir.voice.services import SurveyLinkError

PREFIX = "voice"
router = Router(tags=["customer's voice"])


class SurveyOut(Schema):
    id: int
    name: str
    kind: str
    status: str
    step_id: int | None
    title: str
    title_en: str
    nps_question: str
    nps_question_en: str
    ces_question: str
    ces_question_en: str
    comment_question: str
    comment_question_en: str
    anonymous_token: str | None


class SurveyIn(Schema):
    name: str
    kind: str = "relational"
    step: str | None = None  # journey step code
    title: str = ""
    title_en: str = ""
    intro: str = ""
    intro_en: str = ""
    nps_question: str = ""
    nps_question_en: str = ""
    ces_question: str = ""
    ces_question_en: str = ""
    comment_question: str = ""
    comment_question_en: str = ""
    status: str = "draft"


class InviteIn(Schema):
    contact_ids: list[int]


class InviteOut(Schema):
    invited: int
    no_consent: int
    unsubscribed: int
    no_email: int
    throttled: int


class EventIn(Schema):
    account_id: int | None = None
    account_external_id: str | None = None
    step: str  # journey step code
    occurred_on: dt.date
    external_ref: str = ""


class EventOut(Schema):
    event_id: int
    replayed: bool
    invited: int


class AnswerIn(Schema):
    token: str
    nps: int | None = None
    ces: int | None = None
    comment: str = ""
    extra: dict[str, str] = {}


class ResponseOut(Schema):
    id: int
    survey_id: int | None
    account_id: int | None
    contact_id: int | None
    step_id: int | None
    unit_id: int | None
    region_id: int | None
    segment_id: int | None
    nps: int | None
    ces: int | None
    comment: str
    source: str
    answered_at: dt.datetime


def _survey_step(code: str | None) -> JourneyStep | None:
    if not code:
        return None
    step = JourneyStep.objects.filter(code=code).first()
    if step is None:
        raise ApiError(422, "invalid_input", "Unknown journey step.", [{"field": "step", "message": code}])
    return step


@router.get("/surveys", response=list[SurveyOut])
def list_surveys(request: HttpRequest) -> list[Survey]:
    access.require_run_surveys(request.user)
    return list(access.surveys_for(request.user)[:500])


@router.post("/surveys", response={201: SurveyOut})
def create_survey(request: HttpRequest, payload: SurveyIn) -> tuple[int, Survey]:
    access.require_run_surveys(request.user)
    values = payload.dict()
    status = values.pop("status")
    values["step"] = _survey_step(values.pop("step"))
    survey = services.survey_create(by=request.user, **values)  # type: ignore[arg-type]
    if status != survey.status:
        services.survey_set_status(by=request.user, survey=survey, status=status)  # type: ignore[arg-type]
    return 201, survey


@router.get("/surveys/{survey_id}", response=SurveyOut)
def get_survey(request: HttpRequest, survey_id: int) -> Survey:
    return access.survey_for(request.user, survey_id, manage=True)


class SurveyPatch(Schema):
    name: str | None = None
    title: str | None = None
    title_en: str | None = None
    intro: str | None = None
    intro_en: str | None = None
    nps_question: str | None = None
    nps_question_en: str | None = None
    ces_question: str | None = None
    ces_question_en: str | None = None
    comment_question: str | None = None
    comment_question_en: str | None = None
    status: str | None = None
    anonymous_link: bool | None = None


@router.patch("/surveys/{survey_id}", response=SurveyOut)
def update_survey(request: HttpRequest, survey_id: int, payload: SurveyPatch) -> Survey:
    """Change a survey's texts (an empty question text gets the standard one back), its status, and
    whether it has a survey-wide link."""
    survey = access.survey_for(request.user, survey_id, manage=True)
    values = payload.dict(exclude_unset=True)
    status, anonymous = values.pop("status", None), values.pop("anonymous_link", None)
    if values:
        survey = services.survey_update(by=request.user, survey=survey, **values)  # type: ignore[arg-type]
    if status is not None or anonymous is not None:
        survey = services.survey_set_status(
            by=request.user,  # type: ignore[arg-type]
            survey=survey,
            status=status or survey.status,
            anonymous_link=anonymous,
        )
    return survey


class QuestionIn(Schema):
    kind: str = "text"
    text: str
    text_en: str = ""
    choices: list[str] = []  # one-choice answers, each "Français | English"
    required: bool = False


class QuestionOut(Schema):
    id: int
    rank: int
    kind: str
    text: str
    text_en: str
    choices: list[dict[str, str]]
    required: bool


@router.get("/surveys/{survey_id}/questions", response=list[QuestionOut])
def list_questions(request: HttpRequest, survey_id: int) -> list[Any]:
    survey = access.survey_for(request.user, survey_id, manage=True)
    return list(survey.questions.order_by("rank", "id"))


def _question_values(payload: QuestionIn) -> dict[str, Any]:
    return {
        "kind": payload.kind,
        "text": payload.text,
        "text_en": payload.text_en,
        "choices": services.choices_parse("\n".join(payload.choices)),
        "required": payload.required,
    }


@router.post("/surveys/{survey_id}/questions", response={201: QuestionOut})
def add_question(request: HttpRequest, survey_id: int, payload: QuestionIn) -> tuple[int, Any]:
    survey = access.survey_for(request.user, survey_id, manage=True)
    question = services.question_create(by=request.user, survey=survey, **_question_values(payload))  # type: ignore[arg-type]
    return 201, question


@router.put("/surveys/{survey_id}/questions/{question_id}", response=QuestionOut)
def update_question(request: HttpRequest, survey_id: int, question_id: int, payload: QuestionIn) -> Any:
    question = access.question_for(request.user, survey_id, question_id)
    return services.question_update(by=request.user, question=question, **_question_values(payload))  # type: ignore[arg-type]


@router.delete("/surveys/{survey_id}/questions/{question_id}", response={204: None})
def delete_question(request: HttpRequest, survey_id: int, question_id: int) -> tuple[int, None]:
    question = access.question_for(request.user, survey_id, question_id)
    services.question_delete(by=request.user, question=question)  # type: ignore[arg-type]
    return 204, None


@router.post("/surveys/{survey_id}/invitations", response=InviteOut)
def invite(request: HttpRequest, survey_id: int, payload: InviteIn) -> dict[str, int]:
    survey = access.survey_for(request.user, survey_id, manage=True)
    if len(payload.contact_ids) > 5000:
        raise ApiError(422, "invalid_input", "At most 5000 contacts per call.")
    contacts = list(Contact.objects.filter(pk__in=payload.contact_ids))
    result = services.invitations_create(survey=survey, contacts=contacts, by=request.user)  # type: ignore[arg-type]
    return result.as_dict()


@router.post("/events", response=EventOut)
def record_event(request: HttpRequest, payload: EventIn) -> dict[str, Any]:
    """A journey step happened for an account: invites its contacts to that step's active
    transactional survey. Replaying the same `external_ref` changes nothing."""
    if not (has_cap(request.user, Cap.RUN_SURVEYS) or has_cap(request.user, Cap.IMPORT_DATA)):
        raise ApiError(403, "forbidden", "You may not record journey events.")
    if payload.account_id:
        account = get_object_or_404(Account, pk=payload.account_id)
    elif payload.account_external_id:
        account = get_object_or_404(Account, external_id=payload.account_external_id)
    else:
        raise ApiError(422, "invalid_input", "Give account_id or account_external_id.")
    step = _survey_step(payload.step)
    assert step is not None
    event, result = services.journey_event_record(
        account=account,
        step=step,
        occurred_on=payload.occurred_on,
        external_ref=payload.external_ref,
        by=request.user,  # type: ignore[arg-type]
    )
    return {
        "event_id": event.pk,
        "replayed": result is None,
        "invited": len(result.invitations) if result else 0,
    }


@router.post(
    "/responses/submit", auth=None, response={201: ResponseOut, 404: dict, 409: dict, 410: dict, 422: dict}
)
def submit(request: HttpRequest, payload: AnswerIn) -> tuple[int, Any]:
    """Answer a personal invitation (the token is the credential; no login). One answer per token."""
    status = {"unknown": 404, "expired": 410, "closed": 410, "answered": 409}
    try:
        response = services.response_submit(
            token=payload.token[:64],
            # Extra answers are keyed q<id>; anything else in `extra` cannot override the scores.
            data={
                **{k: v for k, v in payload.extra.items() if k.startswith("q")},
                "nps": payload.nps,
                "ces": payload.ces,
                "comment": payload.comment,
            },
            source=Response.Source.API,
        )
    except SurveyLinkError as exc:
        raise ApiError(
            status.get(exc.code, 400), exc.code, f"This link cannot take an answer ({exc.code})."
        ) from exc
    return 201, response


@router.get("/responses", response=PageOut[ResponseOut])
def list_responses(
    request: HttpRequest,
    band: str = "",
    step: int | None = None,
    unit: int | None = None,
    region: int | None = None,
    segment: int | None = None,
    account: int | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    words: str = "",
    with_comment: bool = False,
    cursor: str | None = None,
    size: int = 50,
) -> dict[str, Any]:
    """Responses the caller may read (reps and managers: their own accounts'), newest first."""
    if not 1 <= size <= 500:
        raise ApiError(422, "invalid_input", "size must be between 1 and 500.")
    qs = selectors.verbatims_filter(
        access.responses_for(request.user),
        band=band,
        step=step,
        unit=unit,
        region=region,
        segment=segment,
        account=account,
        start=start,
        end=end,
        words=words,
        with_comment=with_comment,
    )
    page = selectors.verbatims_page(qs, cursor=cursor, size=size)
    return {"items": page.items, "next_cursor": page.next_cursor}


class ImportReportOut(Schema):
    applied: bool
    total_rows: int
    created: int
    updated: int
    unchanged: int
    deactivated: int
    file_error: str
    errors: list[dict[str, Any]]


class ImportPreviewOut(Schema):
    file_error: str
    missing_columns: list[str]
    columns: list[dict[str, str]]
    total_rows: int
    bad_rows: int
    errors: list[dict[str, Any]]
    sample: list[dict[str, Any]]


@router.post(
    "/responses/import",
    response={200: ImportReportOut | ImportPreviewOut, 422: ImportReportOut | ImportPreviewOut},
)
def import_responses(
    request: HttpRequest,
    file: File[UploadedFile],
    kind: Form[str] = "voice_responses",
    dry_run: Form[bool] = False,
    partial: Form[bool] = False,
) -> tuple[int, dict[str, object]]:
    """Import responses (kind voice_responses, or voice_responses_3rows for a survey tool's export
    with three header rows) or journey events (voice_events). Nothing is stored if a row is bad,
    unless `partial`. With `dry_run` nothing is stored at all: the answer is the preview (each
    column and what it is read as, the first rows, every bad row), as on the import page."""
    kinds = import_kinds()
    if kind not in VOICE_KINDS or kind not in kinds:
        raise ApiError(422, "invalid_input", "Unknown import kind.")
    if not has_cap(request.user, kinds[kind].capability):
        raise ApiError(403, "forbidden", "You may not import this.")
    data = file.read()
    if dry_run:
        preview = import_preview(kinds[kind], data, file.name or "upload.csv")
        return (200 if preview.readable and not preview.errors else 422), preview.as_dict()
    report = import_file(kinds[kind], data, file.name or "upload.csv", partial=partial)
    return (200 if report.applied else 422), report.as_dict()


# --- Analytics -------------------------------------------------------------------------------------


@router.get("/analytics/dashboard")
def dashboard(request: HttpRequest, params: Query[DashboardQuery]) -> dict[str, Any]:
    """Every figure of the love-score dashboard: overall, trend, breakdowns, effort map."""
    access.require_love_score(request.user)
    f = params.filters()
    data = analytics.dashboard(f, params.grain)
    overall = data["overall"]
    return {
        "period": {"start": f.start, "end": f.last_day},
        "overall": {
            "current": overall["current"].as_dict(),
            "previous": overall["previous"].as_dict(),
            "change": overall["change"],
            "significant": overall["significant"],
        },
        "trend": [
            {"start": p.start, "label": p.label, **p.figures.as_dict(), "significant": p.significant}
            for p in data["trend"]
        ],
        "breakdowns": {dim: [_row(r) for r in rows] for dim, rows in data["breakdowns"].items()},
        "effort_map": _effort_map(data["effort_map"]),
    }


def _row(r: analytics.BreakdownRow) -> dict[str, Any]:
    return {
        "id": r.key or None,
        "label": r.label,
        **r.figures.as_dict(),
        "change": r.change,
        "significant": r.significant,
        "share": round(r.share, 1),
    }


def _effort_map(heat: analytics.EffortMap) -> list[dict[str, Any]]:
    return [
        {"step_id": s or None, "unit_id": u or None, "region_id": r or None, **cell.effort.as_dict()}
        for (s, u, r), cell in sorted(heat.cells.items())
    ]


@router.get("/analytics/breakdown/{dimension}")
def breakdown(request: HttpRequest, dimension: str, params: Query[AnalyticsQuery]) -> list[dict[str, Any]]:
    """By unit, region, step, segment or team, in name order (never a ranking; no per-person view)."""
    access.require_love_score(request.user)
    if dimension not in analytics.DIMENSIONS:
        raise ApiError(404, "not_found", "Unknown breakdown.")
    return [_row(r) for r in analytics.breakdown(params.filters(), dimension)]


@router.get("/analytics/effort")
def effort(request: HttpRequest, params: Query[AnalyticsQuery]) -> list[dict[str, Any]]:
    """CES per journey step × business unit × region (one entry per cell with answers)."""
    access.require_love_score(request.user)
    return _effort_map(analytics.effort_map(params.filters()))


@router.get("/analytics/priorities")
def priorities(request: HttpRequest, params: Query[PrioritiesQuery]) -> dict[str, Any]:
    access.require_love_score(request.user)
    f = params.filters()
    data = analytics.priorities(f)
    return {
        "overall": data["overall"].as_dict(),
        "cells": [
            {
                "step": r.step,
                "segment": r.segment,
                **r.figures.as_dict(),
                "share": round(r.share, 1),
                "impact": r.impact,
            }
            for r in data["rows"]
        ],
        "change_sources": analytics.change_sources(f, params.by),
    }


@router.get("/analytics/nps")
def nps(request: HttpRequest, params: Query[NpsQuery]) -> dict[str, Any]:
    """NPS with counts and interval for any date range (from the responses; the projects' measure)."""
    access.require_love_score(request.user)
    filters = {
        f"{name}_id": value
        for name in ("unit", "region", "step", "segment", "team", "account")
        if (value := getattr(params, name))
    }
    return selectors.nps_between(params.start, params.end, responses=None, **filters).as_dict()


@router.get("/analytics/accounts")
def accounts(request: HttpRequest, months: int = 6) -> list[dict[str, Any]]:
    access.require_love_score(request.user)
    if months not in (3, 6, 12):
        raise ApiError(422, "invalid_input", "months is 3, 6 or 12.")
    end = dt.date.today()
    middle = analytics.add_months(analytics.month_start(end), -(months - 1))
    return selectors.account_scores(
        access.responses_for(request.user),
        start=analytics.add_months(middle, -months),
        middle=middle,
        end=end,
    )


@router.get("/analytics/themes")
def themes(
    request: HttpRequest, band: str = "", step: int | None = None, unit: int | None = None
) -> list[dict[str, Any]]:
    access.require_love_score(request.user)
    qs = selectors.verbatims_filter(access.responses_for(request.user), band=band, step=step, unit=unit)
    return [{**t, "label": str(t["label"])} for t in selectors.theme_counts(qs)]
