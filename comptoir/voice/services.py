"""Every write of the customer's voice: surveys, invitations, answers, corrections, unsubscribes.

The HTML pages, the API, the tasks, the imports and the demo all come here, so a rule (consent,
throttling, one answer per invitation, exact roll-ups) is written once.
"""

from __future__ import annotations

import datetime as dt
import hmac
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from comptoir.core import clock
from comptoir.core.permissions import Cap, PermissionDenied403, has_cap
from comptoir.core.text import fold
from comptoir.customers.models import Account, AccountOwnership, AgreementSite, Contact, FrameworkAgreement
from comptoir.org.models import User
from comptoir.voice.models import (
    CES_MAX,
    CES_MIN,
    COMMENT_MAX_LENGTH,
    NPS_MAX,
    NPS_MIN,
    Campaign,
    Invitation,
    JourneyEvent,
    JourneyStep,
    Response,
    Survey,
    SurveyQuestion,
    VoiceSettings,
    new_token,
)
from comptoir.voice.rollups import rollups_apply, snapshot_of
from comptoir.voice.signals import announce_rescored

# How long the page that submitted an answer may still correct it ("until the page is closed": the
# page holds the edit key; the window bounds a key left open in a tab).
CORRECTION_WINDOW = dt.timedelta(hours=2)
EXTRA_TEXT_MAX_LENGTH = 500
LIVE_AGREEMENTS = (
    FrameworkAgreement.Status.SIGNED,
    FrameworkAgreement.Status.ROLLING_OUT,
    FrameworkAgreement.Status.COMPLETED,
)


class SurveyLinkError(Exception):
    """The link cannot take an answer. `code`: unknown, expired, closed, answered, limit."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


# --- Answers -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Answers:
    nps: int | None
    ces: int | None
    comment: str
    extra: dict[str, str] = field(default_factory=dict)


def _score(
    value: Any, low: int, high: int, *, name: str, required: bool, errors: dict[str, str]
) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            errors[name] = _("Please choose a score.")
        return None
    try:
        number = int(str(value).strip())
    except ValueError:
        errors[name] = _("The score must be a whole number from %(low)s to %(high)s.") % {
            "low": low,
            "high": high,
        }
        return None
    if not low <= number <= high:
        errors[name] = _("The score must be a whole number from %(low)s to %(high)s.") % {
            "low": low,
            "high": high,
        }
        return None
    return number


def answers_clean(
    survey: Survey | None, data: Mapping[str, Any], questions: Iterable[SurveyQuestion] = ()
) -> Answers:
    """Check submitted answers; raise ValidationError({field: message}) and store nothing if bad."""
    del survey  # the questions come with it; kept in the signature for survey-specific rules
    errors: dict[str, str] = {}
    nps = _score(data.get("nps"), NPS_MIN, NPS_MAX, name="nps", required=True, errors=errors)
    ces = _score(data.get("ces"), CES_MIN, CES_MAX, name="ces", required=False, errors=errors)
    comment = str(data.get("comment") or "").strip()
    if len(comment) > COMMENT_MAX_LENGTH:
        errors["comment"] = _("The comment is too long (%(n)s characters, at most %(max)s).") % {
            "n": len(comment),
            "max": COMMENT_MAX_LENGTH,
        }
    extra: dict[str, str] = {}
    for question in questions:
        name = f"q{question.pk}"
        value = str(data.get(name) or "").strip()
        if not value:
            if question.required:
                errors[name] = _("Please answer this question.")
            continue
        if len(value) > EXTRA_TEXT_MAX_LENGTH:
            errors[name] = _("The answer is too long (at most %(max)s characters).") % {
                "max": EXTRA_TEXT_MAX_LENGTH
            }
        elif question.kind == SurveyQuestion.Kind.CHOICE and value not in {
            c.get("value") for c in question.choices
        }:
            errors[name] = _("Please pick one of the proposed answers.")
        elif question.kind == SurveyQuestion.Kind.YES_NO and value not in {"yes", "no"}:
            errors[name] = _("Please answer yes or no.")
        else:
            extra[name] = value
    if errors:
        raise ValidationError(errors)
    return Answers(nps=nps, ces=ces, comment=comment, extra=extra)


# --- Snapshots: who owned the account, in which team, unit, region, segment, agreement ----------


class OwnerHistory:
    """Resolves "who owned account A at time T" for many accounts from one query."""

    def __init__(self, account_ids: Iterable[int]) -> None:
        self.periods: dict[int, list[tuple[dt.datetime, dt.datetime | None, int, int | None]]] = {}
        rows = AccountOwnership.objects.filter(account_id__in=set(account_ids)).values_list(
            "account_id", "started_at", "ended_at", "owner_id", "owner__team_id"
        )
        for account_id, started, ended, owner_id, team_id in rows:
            self.periods.setdefault(account_id, []).append((started, ended, owner_id, team_id))

    def at(self, account_id: int, moment: dt.datetime) -> tuple[int, int | None] | None:
        for started, ended, owner_id, team_id in self.periods.get(account_id, ()):
            if started <= moment and (ended is None or moment < ended):
                return owner_id, team_id
        return None


def agreements_of(account_ids: Iterable[int]) -> dict[int, int]:
    """The live framework agreement covering each account (as a site, or as the group itself)."""
    ids = set(account_ids)
    found: dict[int, int] = {}
    for agreement_id, group_id in FrameworkAgreement.objects.filter(
        group_id__in=ids, status__in=LIVE_AGREEMENTS
    ).values_list("id", "group_id"):
        found.setdefault(group_id, agreement_id)
    for account_id, agreement_id in AgreementSite.objects.filter(
        account_id__in=ids, agreement__status__in=LIVE_AGREEMENTS
    ).values_list("account_id", "agreement_id"):
        found.setdefault(account_id, agreement_id)
    return found


def account_snapshot(
    account: Account,
    moment: dt.datetime,
    *,
    history: OwnerHistory | None = None,
    agreements: dict[int, int] | None = None,
) -> dict[str, Any]:
    """The response fields frozen at answer time. The owner comes from the dated ownership history
    (the current owner only if the history has no period covering the moment)."""
    history = history or OwnerHistory([account.pk])
    agreements = agreements if agreements is not None else agreements_of([account.pk])
    owner = history.at(account.pk, moment)
    if owner is None and account.owner_id:
        owner_team = account.owner.team_id if account.owner else None
        owner = (account.owner_id, owner_team)
    return {
        "account_id": account.pk,
        "owner_id": owner[0] if owner else None,
        "team_id": owner[1] if owner else None,
        "unit_id": account.unit_id,
        "region_id": account.region_id,
        "segment_id": account.segment_id,
        "agreement_id": agreements.get(account.pk),
    }


# --- Answering -----------------------------------------------------------------------------------


def invitation_check(invitation: Invitation | None, *, now: dt.datetime | None = None) -> Invitation:
    """The invitation if it can take an answer, else SurveyLinkError with the reason to show."""
    now = now or clock.now()
    if invitation is None:
        raise SurveyLinkError("unknown")
    if invitation.status == Invitation.Status.ANSWERED or invitation.answered_at is not None:
        raise SurveyLinkError("answered")
    if (
        invitation.status in (Invitation.Status.CANCELLED, Invitation.Status.EXPIRED)
        or invitation.expires_at <= now
    ):
        raise SurveyLinkError("expired")
    if invitation.survey.status != Survey.Status.ACTIVE:
        raise SurveyLinkError("closed")
    return invitation


def response_submit(
    *, token: str, data: Mapping[str, Any], source: str = Response.Source.EMAIL, edit_key: str | None = None
) -> Response:
    """Store the answer to one invitation. A second submit (double click, replay, a concurrent
    request) raises SurveyLinkError("answered") and changes nothing. Fixed number of queries."""
    now = clock.now()
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update(of=("self",))
            .select_related("survey", "account", "account__owner", "contact")
            .filter(token=token)
            .first()
        )
        invitation_check(invitation, now=now)
        assert invitation is not None
        answers = answers_clean(invitation.survey, data, invitation.survey.questions.all())
        snapshot = account_snapshot(invitation.account, now)
        try:
            with transaction.atomic():
                response = Response.objects.create(
                    survey=invitation.survey,
                    invitation=invitation,
                    contact=invitation.contact,
                    step_id=invitation.step_id or invitation.survey.step_id,
                    nps=answers.nps,
                    ces=answers.ces,
                    comment=answers.comment,
                    extra=answers.extra,
                    language=invitation.language,
                    source=source,
                    answered_at=now,
                    updated_at=now,
                    edit_key=edit_key or new_token(),
                    **snapshot,
                )
        except IntegrityError as exc:
            # The one-to-one on invitation: a concurrent submit won the race.
            raise SurveyLinkError("answered") from exc
        Invitation.objects.filter(pk=invitation.pk).update(status=Invitation.Status.ANSWERED, answered_at=now)
        rollups_apply([(snapshot_of(response), +1)])
    return response


def anonymous_submit(*, survey_token: str, client_hash: str, data: Mapping[str, Any]) -> Response:
    """An answer through a survey-wide link (counters, events): no contact, no account, limited to
    a few answers per device and day so a kiosk cannot be used to stuff the score."""
    now = clock.now()
    survey = Survey.objects.filter(anonymous_token=survey_token).first() if survey_token else None
    if survey is None:
        raise SurveyLinkError("unknown")
    if survey.status != Survey.Status.ACTIVE:
        raise SurveyLinkError("closed")
    limit = VoiceSettings.current().anonymous_max_per_day
    since = now - dt.timedelta(days=1)
    if Response.objects.filter(client_hash=client_hash, answered_at__gte=since).count() >= limit:
        raise SurveyLinkError("limit")
    answers = answers_clean(survey, data, survey.questions.all())
    with transaction.atomic():
        response = Response.objects.create(
            survey=survey,
            step_id=survey.step_id,
            nps=answers.nps,
            ces=answers.ces,
            comment=answers.comment,
            extra=answers.extra,
            source=Response.Source.ANONYMOUS,
            client_hash=client_hash,
            answered_at=now,
            updated_at=now,
        )
        rollups_apply([(snapshot_of(response), +1)])
    return response


def response_correct(*, response_id: int, edit_key: str, data: Mapping[str, Any]) -> Response:
    """Correct an answer from the page that gave it (it holds the edit key), within the window."""
    now = clock.now()
    with transaction.atomic():
        response = (
            Response.objects.select_for_update(of=("self",))
            .select_related("survey")
            .filter(pk=response_id)
            .first()
        )
        if response is None or not edit_key or not hmac.compare_digest(response.edit_key, edit_key):
            raise SurveyLinkError("unknown")
        if response.answered_at + CORRECTION_WINDOW < now:
            raise SurveyLinkError("expired")
        questions = response.survey.questions.all() if response.survey else SurveyQuestion.objects.none()
        answers = answers_clean(response.survey, data, questions)
        before = snapshot_of(response)
        nps_before = response.nps
        response.nps, response.ces, response.comment = answers.nps, answers.ces, answers.comment
        response.extra = answers.extra
        response.updated_at = now
        response.save(update_fields=["nps", "ces", "comment", "extra", "updated_at"])
        rollups_apply([(before, -1), (snapshot_of(response), +1)])
        announce_rescored(response, nps_before=nps_before)
    return response


def response_delete(*, by: User, response: Response) -> None:
    """Remove a response (a customer's erasure request, a test answer): roll-ups follow."""
    if not has_cap(by, Cap.RUN_SURVEYS):
        raise PermissionDenied403(_("You may not delete responses."))
    with transaction.atomic():
        # Locked first, so that an action being raised from it at the same moment is counted
        # before, or sees the response gone (the closed loop's roll-up stays exact).
        list(Response.objects.select_for_update().filter(pk=response.pk).values_list("pk"))
        before = snapshot_of(response)
        announce_rescored(response, nps_before=response.nps, deleted=True)
        response.delete()
        rollups_apply([(before, -1)])


def responses_bulk_create(responses: list[Response], *, batch_size: int = 5000) -> int:
    """Insert many responses (imports, demo) and fold them into the roll-ups in one pass."""
    for response in responses:
        response.comment_folded = fold(response.comment or "")  # bulk_create does not call save()
    with transaction.atomic():
        Response.objects.bulk_create(responses, batch_size=batch_size)
        rollups_apply([(snapshot_of(r), +1) for r in responses])
    return len(responses)


# --- Surveys -------------------------------------------------------------------------------------

DEFAULT_TEXTS = {
    "nps_question": "Quelle est la probabilité que vous recommandiez {company} à un confrère ?",
    "nps_question_en": "How likely are you to recommend {company} to a colleague?",
    "ces_question": "{company} m'a facilité la tâche pour {phrase}.",
    "ces_question_en": "{company} made it easy for me to {phrase}.",
    "comment_question": "Qu'est-ce qui explique votre note ? Que devrions-nous améliorer ?",
    "comment_question_en": "What is the main reason for your score? What should we improve?",
}
COMPANY = "Comptoir"


def survey_defaults(step: JourneyStep | None) -> dict[str, str]:
    phrase = step.effort_phrase if step and step.effort_phrase else "travailler avec vous"
    phrase_en = step.effort_phrase_en if step and step.effort_phrase_en else "work with you"
    return {
        key: text.format(company=COMPANY, phrase=phrase_en if key.endswith("_en") else phrase)
        for key, text in DEFAULT_TEXTS.items()
    }


SURVEY_FIELDS = (
    "name",
    "kind",
    "step",
    "title",
    "title_en",
    "intro",
    "intro_en",
    "nps_question",
    "nps_question_en",
    "ces_question",
    "ces_question_en",
    "comment_question",
    "comment_question_en",
)


def survey_create(*, by: User, **values: Any) -> Survey:
    if not has_cap(by, Cap.RUN_SURVEYS):
        raise PermissionDenied403(_("You may not run surveys."))
    step = values.get("step")
    texts = {k: v for k, v in survey_defaults(step).items() if not values.get(k)}
    survey = Survey(created_by=by, **{**{k: v for k, v in values.items() if k in SURVEY_FIELDS}, **texts})
    if not survey.title:
        survey.title = survey.name
    if not survey.title_en:
        survey.title_en = survey.title
    survey.full_clean()
    survey.save()
    return survey


def survey_update(*, by: User, survey: Survey, **values: Any) -> Survey:
    """Change a survey's texts; a question text left empty gets the standard one back. Bad input
    raises ValidationError and leaves the stored survey as it was."""
    if not has_cap(by, Cap.RUN_SURVEYS):
        raise PermissionDenied403(_("You may not run surveys."))
    changed = Survey.objects.get(pk=survey.pk)
    for key, value in values.items():
        if key in SURVEY_FIELDS:
            setattr(changed, key, value)
    for key, text in survey_defaults(changed.step).items():
        if not getattr(changed, key):
            setattr(changed, key, text)
    if not changed.title:
        changed.title = changed.name
    if not changed.title_en:
        changed.title_en = changed.title
    changed.full_clean()
    changed.save()
    return changed


# --- Extra questions -------------------------------------------------------------------------------

MAX_QUESTIONS = 10
MAX_CHOICES = 20


def choices_parse(text: str) -> list[dict[str, str]]:
    """ "Français | English" per line -> [{"value", "fr", "en"}]; the value is stable across wording
    fixes of the English side and unique within the question."""
    from django.utils.text import slugify

    out: list[dict[str, str]] = []
    seen: set[str] = set()
    for line in text.splitlines():
        if not line.strip():
            continue
        fr, _sep, en = (part.strip() for part in line.partition("|"))
        value = slugify(fr)[:40] or f"c{len(out) + 1}"
        while value in seen:
            value = f"{value}-{len(out) + 1}"
        seen.add(value)
        out.append({"value": value, "fr": fr[:200], "en": (en or fr)[:200]})
    return out


def _question_check(kind: str, text: str, choices: list[dict[str, str]]) -> None:
    errors: dict[str, str] = {}
    if kind not in SurveyQuestion.Kind.values:
        errors["kind"] = _("Unknown kind of question.")
    if not text.strip():
        errors["text"] = _("Write the question in French.")
    if kind == SurveyQuestion.Kind.CHOICE and not 2 <= len(choices) <= MAX_CHOICES:
        errors["choices"] = _("A one-choice question needs from 2 to %(max)s answers, one per line.") % {
            "max": MAX_CHOICES
        }
    if errors:
        raise ValidationError(errors)


def question_create(
    *,
    by: User,
    survey: Survey,
    kind: str,
    text: str,
    text_en: str = "",
    choices: list[dict[str, str]] | None = None,
    required: bool = False,
) -> SurveyQuestion:
    if not has_cap(by, Cap.RUN_SURVEYS):
        raise PermissionDenied403(_("You may not run surveys."))
    choices = choices if kind == SurveyQuestion.Kind.CHOICE else []
    _question_check(kind, text, choices or [])
    if survey.questions.count() >= MAX_QUESTIONS:
        raise ValidationError(
            _("A survey has at most %(max)s extra questions: keep it short.") % {"max": MAX_QUESTIONS}
        )
    last = survey.questions.order_by("-rank").values_list("rank", flat=True).first()
    question = SurveyQuestion(
        survey=survey,
        rank=(last or 0) + 1,
        kind=kind,
        text=text.strip(),
        text_en=text_en.strip() or text.strip(),
        choices=choices or [],
        required=required,
    )
    question.full_clean()
    question.save()
    return question


def question_update(
    *,
    by: User,
    question: SurveyQuestion,
    kind: str,
    text: str,
    text_en: str = "",
    choices: list[dict[str, str]] | None = None,
    required: bool = False,
) -> SurveyQuestion:
    if not has_cap(by, Cap.RUN_SURVEYS):
        raise PermissionDenied403(_("You may not run surveys."))
    choices = choices if kind == SurveyQuestion.Kind.CHOICE else []
    _question_check(kind, text, choices or [])
    question.kind, question.text = kind, text.strip()
    question.text_en = text_en.strip() or text.strip()
    question.choices, question.required = choices or [], required
    question.full_clean()
    question.save()
    return question


def question_move(*, by: User, question: SurveyQuestion, up: bool) -> None:
    """Swap the question with its neighbour (ranks renumbered 1..n so they stay distinct)."""
    if not has_cap(by, Cap.RUN_SURVEYS):
        raise PermissionDenied403(_("You may not run surveys."))
    with transaction.atomic():
        questions = list(SurveyQuestion.objects.select_for_update().filter(survey_id=question.survey_id))
        index = next(i for i, q in enumerate(questions) if q.pk == question.pk)
        other = index - 1 if up else index + 1
        if 0 <= other < len(questions):
            questions[index], questions[other] = questions[other], questions[index]
        for rank, q in enumerate(questions, start=1):
            q.rank = rank
        SurveyQuestion.objects.bulk_update(questions, ["rank"])


def question_delete(*, by: User, question: SurveyQuestion) -> None:
    """Answers already given keep their value in `Response.extra` (history is not rewritten)."""
    if not has_cap(by, Cap.RUN_SURVEYS):
        raise PermissionDenied403(_("You may not run surveys."))
    question.delete()


def survey_set_status(*, by: User, survey: Survey, status: str, anonymous_link: bool | None = None) -> Survey:
    if not has_cap(by, Cap.RUN_SURVEYS):
        raise PermissionDenied403(_("You may not run surveys."))
    if status not in Survey.Status.values:
        raise ValidationError({"status": _("Unknown status.")})
    survey.status = status
    if anonymous_link is True and not survey.anonymous_token:
        survey.anonymous_token = new_token()
    elif anonymous_link is False:
        survey.anonymous_token = None
    survey.save(update_fields=["status", "anonymous_token", "updated_at"])
    return survey


# --- Invitations ---------------------------------------------------------------------------------


@dataclass
class InviteResult:
    invitations: list[Invitation] = field(default_factory=list)
    no_consent: int = 0
    unsubscribed: int = 0
    no_email: int = 0
    throttled: int = 0

    @property
    def skipped(self) -> int:
        return self.no_consent + self.unsubscribed + self.no_email + self.throttled

    def as_dict(self) -> dict[str, int]:
        return {
            "invited": len(self.invitations),
            "no_consent": self.no_consent,
            "unsubscribed": self.unsubscribed,
            "no_email": self.no_email,
            "throttled": self.throttled,
        }


def invitations_create(
    *,
    survey: Survey,
    contacts: Iterable[Contact] | QuerySet[Contact],
    by: User | None = None,
    campaign: Campaign | None = None,
    event: JourneyEvent | None = None,
    send: bool = True,
) -> InviteResult:
    """Invite contacts, skipping those who did not consent, unsubscribed, have no e-mail, or were
    asked (by any survey) within the throttle period. The e-mails leave after commit."""
    if survey.status != Survey.Status.ACTIVE:
        raise ValidationError({"survey": _("Only an active survey can send invitations.")})
    settings = VoiceSettings.current()
    now = clock.now()
    result = InviteResult()
    candidates: list[Contact] = []
    for contact in contacts:
        if contact.unsubscribed_at is not None:
            result.unsubscribed += 1
        elif not contact.survey_consent:
            result.no_consent += 1
        elif not contact.email:
            result.no_email += 1
        else:
            candidates.append(contact)
    since = now - dt.timedelta(days=settings.throttle_days)
    recent = set(
        Invitation.objects.filter(contact_id__in=[c.pk for c in candidates], created_at__gte=since)
        .exclude(status=Invitation.Status.CANCELLED)
        .values_list("contact_id", flat=True)
    )
    seen: set[int] = set()
    new: list[Invitation] = []
    for contact in candidates:
        if contact.pk in recent or contact.pk in seen:
            result.throttled += 1
            continue
        seen.add(contact.pk)
        new.append(
            Invitation(
                survey=survey,
                campaign=campaign,
                event=event,
                contact=contact,
                account_id=contact.account_id,
                step_id=event.step_id if event else survey.step_id,
                language=contact.language or "fr",
                created_at=now,
                expires_at=now + dt.timedelta(days=settings.invitation_valid_days),
                created_by=by,
            )
        )
    with transaction.atomic():
        Invitation.objects.bulk_create(new)
        if campaign is not None:
            Campaign.objects.filter(pk=campaign.pk).update(invited=len(new), skipped=result.skipped)
        if send and new:
            from comptoir.voice.tasks import send_invitations

            ids = (
                [i.pk for i in new]
                if all(i.pk for i in new)
                else list(
                    Invitation.objects.filter(token__in=[i.token for i in new]).values_list("pk", flat=True)
                )
            )
            transaction.on_commit(lambda: send_invitations.enqueue(invitation_ids=ids))
    result.invitations = new
    return result


def campaign_launch(
    *, by: User, survey: Survey, name: str, contacts: QuerySet[Contact]
) -> tuple[Campaign, InviteResult]:
    """A relational wave: invite a population (the throttle keeps anyone from being over-asked)."""
    if not has_cap(by, Cap.RUN_SURVEYS):
        raise PermissionDenied403(_("You may not run surveys."))
    with transaction.atomic():
        campaign = Campaign.objects.create(survey=survey, name=name, created_by=by)
        result = invitations_create(survey=survey, contacts=contacts, by=by, campaign=campaign)
    campaign.invited, campaign.skipped = len(result.invitations), result.skipped
    return campaign, result


def journey_event_record(
    *,
    account: Account,
    step: JourneyStep,
    occurred_on: dt.date,
    external_ref: str = "",
    by: User | None = None,
) -> tuple[JourneyEvent, InviteResult | None]:
    """ "Delivery done for account X on date Y": invites the account's contacts to the active
    transactional survey of that step. Replaying the same `external_ref` changes nothing."""
    if external_ref:
        existing = JourneyEvent.objects.filter(external_ref=external_ref).first()
        if existing is not None:
            return existing, None
    with transaction.atomic():
        event = JourneyEvent.objects.create(
            account=account, step=step, occurred_on=occurred_on, external_ref=external_ref or None
        )
        survey = (
            Survey.objects.filter(status=Survey.Status.ACTIVE, kind=Survey.Kind.TRANSACTIONAL, step=step)
            .order_by("-created_at", "-id")
            .first()
        )
        if survey is None:
            return event, InviteResult()
        result = invitations_create(survey=survey, contacts=account.contacts.all(), by=by, event=event)
        JourneyEvent.objects.filter(pk=event.pk).update(invitations=len(result.invitations))
        event.invitations = len(result.invitations)
    return event, result


def invitation_mark_sent(invitation_ids: list[int], *, reminder: bool = False) -> None:
    now = clock.now()
    if reminder:
        Invitation.objects.filter(pk__in=invitation_ids).update(reminded_at=now)
    else:
        Invitation.objects.filter(pk__in=invitation_ids, status=Invitation.Status.PENDING).update(
            status=Invitation.Status.SENT, sent_at=now
        )


def reminders_due(*, now: dt.datetime | None = None) -> QuerySet[Invitation]:
    """Sent, unanswered, not yet reminded invitations whose reminder delay has passed."""
    now = now or clock.now()
    delay = dt.timedelta(days=VoiceSettings.current().reminder_after_days)
    return Invitation.objects.filter(
        status=Invitation.Status.SENT,
        survey__status=Survey.Status.ACTIVE,  # a closed survey reminds no one
        reminded_at__isnull=True,
        answered_at__isnull=True,
        sent_at__lte=now - delay,
        expires_at__gt=now,
        contact__unsubscribed_at__isnull=True,
        contact__survey_consent=True,
    )


def contact_unsubscribe(*, token: str) -> Contact:
    """Honoured at once: the contact is marked and every unanswered invitation is cancelled, so no
    reminder or queued e-mail reaches them (the sender re-checks consent at send time)."""
    invitation = Invitation.objects.select_related("contact").filter(token=token).first()
    if invitation is None:
        raise SurveyLinkError("unknown")
    now = clock.now()
    with transaction.atomic():
        contact = invitation.contact
        if contact.unsubscribed_at is None:
            Contact.objects.filter(pk=contact.pk).update(unsubscribed_at=now)
            contact.unsubscribed_at = now
        Invitation.objects.filter(contact=contact, answered_at__isnull=True).filter(
            Q(status=Invitation.Status.PENDING) | Q(status=Invitation.Status.SENT)
        ).update(status=Invitation.Status.CANCELLED)
    return contact


def invitations_expire(*, now: dt.datetime | None = None) -> int:
    now = now or clock.now()
    return Invitation.objects.filter(
        status__in=[Invitation.Status.PENDING, Invitation.Status.SENT], expires_at__lte=now
    ).update(status=Invitation.Status.EXPIRED)


def new_responses(values: Iterable[dict[str, Any]]) -> list[Response]:
    """Response objects from field dicts (imports, demo), with the edit key and timestamps set."""
    out = []
    for v in values:
        out.append(
            Response(
                updated_at=v.get("updated_at") or v["answered_at"],
                **{k: x for k, x in v.items() if k != "updated_at"},
            )
        )
    return out
