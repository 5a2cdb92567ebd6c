"""The survey page customers reach from their personal link: no login, phone-first, their language.

The page holds an edit key (a random nonce generated when it is shown). Submitting stores the
answer once; a replay of the same page (double click, back-and-resubmit) finds its own answer and
says it is already recorded; the same page may correct the answer until it is closed. Another page
or device gets "already answered" and changes nothing.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.http import require_http_methods

from comptoir.voice import services
from comptoir.voice.models import Invitation, Response, Survey, new_token
from comptoir.voice.services import SurveyLinkError

_KEY = re.compile(r"^[A-Za-z0-9_-]{20,64}$")
LINK_STATUS = {"unknown": 404, "expired": 410, "closed": 410, "answered": 409, "limit": 429}


def _questions(survey: Survey, language: str) -> list[dict[str, Any]]:
    return [
        {
            "name": f"q{q.pk}",
            "label": q.label(language),
            "kind": q.kind,
            "required": q.required,
            "choices": [
                (c.get("value"), c.get("en") if language == "en" else c.get("fr")) for c in q.choices
            ],
        }
        for q in survey.questions.all()
    ]


def _page(
    request: HttpRequest,
    *,
    survey: Survey,
    language: str,
    action: str,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    edit_key: str = "",
    done: bool = False,
    replayed: bool = False,
    corrected: bool = False,
    status: int = 200,
    contact_name: str = "",
    unsubscribe_url: str = "",
    preview: bool = False,
) -> HttpResponse:
    values = values or {}
    context = {
        "survey": survey,
        "language": language,
        "title": survey.text("title", language),
        "intro": survey.text("intro", language),
        "nps_question": survey.text("nps_question", language),
        "ces_question": survey.text("ces_question", language),
        "comment_question": survey.text("comment_question", language),
        "questions": _questions(survey, language),
        "nps_choices": [str(i) for i in range(0, 11)],
        "ces_choices": [str(i) for i in range(1, 8)],
        "values": {k: str(v) for k, v in values.items() if v is not None},
        "errors": errors or {},
        "edit_key": edit_key or new_token(),
        "action": action,
        "done": done,
        "replayed": replayed,
        "corrected": corrected,
        "contact_name": contact_name,
        "unsubscribe_url": unsubscribe_url,
        "preview": preview,
    }
    with translation.override(language):
        return render(request, "voice/public/survey.html", context, status=status)


def _problem(request: HttpRequest, code: str, language: str = "fr") -> HttpResponse:
    with translation.override(language):
        return render(request, "voice/public/problem.html", {"code": code}, status=LINK_STATUS.get(code, 400))


def _language(request: HttpRequest, default: str) -> str:
    chosen = request.GET.get("lang") or request.POST.get("lang") or ""
    return chosen if chosen in ("fr", "en") else (default if default in ("fr", "en") else "fr")


def _submitted(request: HttpRequest) -> dict[str, Any]:
    return {k: v for k, v in request.POST.items() if k in ("nps", "ces", "comment") or k.startswith("q")}


def _values_of(response: Response) -> dict[str, Any]:
    return {"nps": response.nps, "ces": response.ces, "comment": response.comment, **response.extra}


@login_not_required
@require_http_methods(["GET", "POST"])
def answer(request: HttpRequest, token: str) -> HttpResponse:
    invitation = (
        Invitation.objects.select_related("survey", "contact").filter(token=token[:64]).first()
        if token
        else None
    )
    if invitation is None:
        return _problem(request, "unknown")
    language = _language(request, invitation.language)
    survey = invitation.survey
    common: dict[str, Any] = {
        "survey": survey,
        "language": language,
        "action": request.path,
        "contact_name": invitation.contact.first_name,
        "unsubscribe_url": f"{request.path}unsubscribe/",
    }
    edit_key = request.POST.get("edit_key", "")
    if edit_key and not _KEY.match(edit_key):
        edit_key = ""
    if request.method == "GET":
        try:
            services.invitation_check(invitation)
        except SurveyLinkError as exc:
            return _problem(request, exc.code, language)
        return _page(request, **common)
    data = _submitted(request)
    previous = Response.objects.filter(invitation=invitation).only("pk", "edit_key").first()
    if previous is not None:
        # Answered already: this very page may correct (or replay) its answer; others may not.
        if not edit_key or edit_key != previous.edit_key:
            return _problem(request, "answered", language)
        if request.POST.get("correct"):
            try:
                response = services.response_correct(response_id=previous.pk, edit_key=edit_key, data=data)
            except ValidationError as exc:
                return _page(
                    request,
                    **common,
                    values=data,
                    errors=_errors(exc),
                    edit_key=edit_key,
                    done=True,
                    status=422,
                )
            except SurveyLinkError as exc:
                return _problem(request, exc.code, language)
            return _page(
                request, **common, values=_values_of(response), edit_key=edit_key, done=True, corrected=True
            )
        previous_full = Response.objects.get(pk=previous.pk)
        return _page(
            request, **common, values=_values_of(previous_full), edit_key=edit_key, done=True, replayed=True
        )
    try:
        response = services.response_submit(token=invitation.token, data=data, edit_key=edit_key or None)
    except ValidationError as exc:
        return _page(request, **common, values=data, errors=_errors(exc), edit_key=edit_key, status=422)
    except SurveyLinkError as exc:
        return _problem(request, exc.code, language)
    return _page(request, **common, values=_values_of(response), edit_key=response.edit_key, done=True)


def _errors(exc: ValidationError) -> dict[str, str]:
    return {k: " ".join(str(m) for m in v) for k, v in exc.message_dict.items()}


def client_hash(request: HttpRequest) -> str:
    """A device fingerprint for the anonymous-link limit: address and browser, keyed with the
    site secret so the stored value reveals neither."""
    raw = f"{request.META.get('REMOTE_ADDR', '')}|{request.META.get('HTTP_USER_AGENT', '')}|{settings.SECRET_KEY}"
    return hashlib.sha256(raw.encode()).hexdigest()[:40]


@login_not_required
@require_http_methods(["GET", "POST"])
def anonymous(request: HttpRequest, token: str) -> HttpResponse:
    survey = Survey.objects.filter(anonymous_token=token[:64]).first() if token else None
    if survey is None:
        return _problem(request, "unknown")
    language = _language(request, translation.get_language() or "fr")
    common: dict[str, Any] = {"survey": survey, "language": language, "action": request.path}
    if survey.status != Survey.Status.ACTIVE:
        return _problem(request, "closed", language)
    if request.method == "GET":
        return _page(request, **common)
    data = _submitted(request)
    try:
        services.anonymous_submit(survey_token=token, client_hash=client_hash(request), data=data)
    except ValidationError as exc:
        return _page(request, **common, values=data, errors=_errors(exc), status=422)
    except SurveyLinkError as exc:
        return _problem(request, exc.code, language)
    with translation.override(language):
        return render(request, "voice/public/problem.html", {"code": "thanks"})


@login_not_required
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    invitation = (
        Invitation.objects.select_related("contact").filter(token=token[:64]).first() if token else None
    )
    if invitation is None:
        return _problem(request, "unknown")
    language = invitation.language
    if request.method == "POST":
        services.contact_unsubscribe(token=invitation.token)
        with translation.override(language):
            return render(request, "voice/public/problem.html", {"code": "unsubscribed"})
    with translation.override(language):
        return render(request, "voice/public/unsubscribe.html", {"action": request.path})
