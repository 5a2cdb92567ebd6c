"""Sending the digest: in batches, at most once per person and week, resumable after a crash.

For each person: claim (a committed `DigestDelivery` row, unique per person and week), hand the
message to SMTP, confirm. A worker killed between the claim and the confirmation leaves one claimed
row: that person is not sent the digest again automatically (it may have left), and the run's log
counts them as unconfirmed. Everyone not yet claimed is sent by the next run of the same day, so a
restarted worker simply carries on.
"""

from __future__ import annotations

import datetime as dt
import email.policy
import logging
import smtplib
import time
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.db.models import F, Q, QuerySet, Value
from django.db.models.functions import Concat
from django.template.loader import render_to_string
from django.utils import translation

from comptoir.core import clock
from comptoir.insights.digest.content import DigestWeek, digest_content, has_news
from comptoir.insights.digest.tokens import unsubscribe_path
from comptoir.insights.models import DigestDelivery, DigestPreference, DigestRun
from comptoir.insights.rollups import week_start
from comptoir.org.models import User

log = logging.getLogger(__name__)
DEFAULT_WEEKDAY = 0  # Monday, for people who never chose
STALE_CLAIM = dt.timedelta(minutes=10)


class DigestEmail(EmailMultiAlternatives):
    """Headers are never folded into RFC 2047 encoded words: a long List-Unsubscribe URL must stay a
    plain URL for mail clients to offer the one-click button (RFC 8058), so the line limit is the
    protocol's 998 characters instead of the policy's 78."""

    def message(self, *, policy: Any = email.policy.default) -> Any:
        return super().message(policy=policy.clone(max_line_length=998))


def recipients_due(day: dt.date) -> QuerySet[User]:
    """People whose digest day is `day`'s weekday and who have not had this week's digest."""
    weekday = day.weekday()
    chosen = Q(digest_preference__weekday=weekday)
    if weekday == DEFAULT_WEEKDAY:
        chosen |= Q(digest_preference__isnull=True)
    delivered = DigestDelivery.objects.filter(week=week_start(day)).values("user_id")
    return (
        User.objects.filter(chosen, is_active=True, email_notifications=True)
        .exclude(email="")
        .exclude(pk__in=delivered)
        .order_by("id")
    )


def _language(person: User) -> str:
    pref = getattr(person, "digest_preference", None)
    return (pref.language if pref is not None and pref.language else person.language) or "fr"


def render_digest(person: User, week: DigestWeek, content: dict[str, list[Any]]) -> EmailMultiAlternatives:
    language = _language(person)
    unsubscribe_url = settings.SITE_URL + unsubscribe_path(person.pk)
    context = {
        "person": person,
        "week": week,
        "site_url": settings.SITE_URL,
        "unsubscribe_url": unsubscribe_url,
        "settings_url": settings.SITE_URL + "/insights/digest/",
        **content,
    }
    with translation.override(language):
        subject = " ".join(render_to_string("insights/email/digest_subject.txt", context).split())
        text = render_to_string("insights/email/digest.txt", context)
        html = render_to_string("insights/email/digest.html", context)
    message = DigestEmail(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[person.email],
        headers={
            # RFC 8058: mail clients offer a one-click unsubscribe that POSTs to this address.
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "List-Id": "Comptoir weekly digest <digest.comptoir>",
            "Auto-Submitted": "auto-generated",
            "X-Comptoir-Digest": f"{person.pk}:{week_start(week.day).isoformat()}",
        },
    )
    message.attach_alternative(html, "text/html")
    return message


def _claim(person_id: int, week: dt.date) -> DigestDelivery | None:
    try:
        with transaction.atomic():
            return DigestDelivery.objects.create(user_id=person_id, week=week, claimed_at=clock.now())
    except IntegrityError:
        return None  # another worker (or an earlier run) has it


def _log(run: DigestRun, line: str) -> None:
    stamp = clock.now().strftime("%H:%M:%S")
    DigestRun.objects.filter(pk=run.pk).update(
        log=Concat(F("log"), Value(f"{stamp} {line}\n")), heartbeat_at=clock.now()
    )
    log.info("digest %s: %s", run.day, line)


def run_start(day: dt.date) -> DigestRun:
    now = clock.now()
    run, created = DigestRun.objects.get_or_create(
        day=day, defaults={"week": week_start(day), "started_at": now, "heartbeat_at": now}
    )
    # Claims left by a worker that died: never resent, but said plainly in the log.
    stale = DigestDelivery.objects.filter(
        week=run.week, status=DigestDelivery.Status.CLAIMED, claimed_at__lt=now - STALE_CLAIM
    ).update(status=DigestDelivery.Status.UNCONFIRMED)
    remaining = recipients_due(day).count()
    DigestRun.objects.filter(pk=run.pk).update(
        total=F("sent") + F("failed") + F("unconfirmed") + remaining,
        unconfirmed=F("unconfirmed") + stale,
        finished_at=None,
    )
    _log(
        run,
        ("started" if created else "resumed")
        + f": {remaining} to send"
        + (f", {stale} unconfirmed" if stale else ""),
    )
    run.refresh_from_db()
    return run


def send_batch(run: DigestRun, *, size: int = 200, delay: float = 0.0, week: DigestWeek | None = None) -> int:
    """Send the next batch of the run's day; returns how many people were handled (0: the run is done).

    `week` carries the sections shared by everyone (best posts...) from one batch to the next."""
    week = week if week is not None and week.day == run.day else DigestWeek(run.day)
    people = list(recipients_due(run.day).select_related("role", "unit", "team", "digest_preference")[:size])
    if not people:
        DigestRun.objects.filter(pk=run.pk).update(finished_at=clock.now())
        _log(run, "finished")
        return 0
    week.prefetch(people)
    sent = failed = empty = 0
    connection = get_connection()
    try:
        connection.open()
        for person in people:
            claim = _claim(person.pk, run.week)
            if claim is None:
                continue
            content = digest_content(person, week)
            if not has_news(content):
                DigestDelivery.objects.filter(pk=claim.pk).update(status=DigestDelivery.Status.EMPTY)
                empty += 1
                continue
            message = render_digest(person, week, content)
            message.connection = connection
            try:
                message.send()
            except (smtplib.SMTPException, OSError) as exc:
                DigestDelivery.objects.filter(pk=claim.pk).update(
                    status=DigestDelivery.Status.FAILED, error=str(exc)[:300]
                )
                failed += 1
                connection.close()
                connection.open()
                continue
            DigestDelivery.objects.filter(pk=claim.pk).update(
                status=DigestDelivery.Status.SENT, sent_at=clock.now()
            )
            sent += 1
            if delay:
                time.sleep(delay)  # a gentle rate for a relay that throttles
    finally:
        connection.close()
    DigestRun.objects.filter(pk=run.pk).update(
        sent=F("sent") + sent, failed=F("failed") + failed, batches=F("batches") + 1
    )
    run.refresh_from_db()
    _log(
        run,
        f"batch {run.batches}: {sent} sent, {failed} failed, {empty} with nothing to say ({run.sent}/{run.total})",
    )
    return len(people)


def digest_run(
    day: dt.date | None = None, *, batch_size: int = 200, delay: float = 0.0, max_batches: int | None = None
) -> DigestRun:
    """Send (or resume sending) the digests of `day` in this process, batch after batch."""
    run = run_start(day or clock.today())
    week = DigestWeek(run.day)
    batches = 0
    while max_batches is None or batches < max_batches:
        if not send_batch(run, size=batch_size, delay=delay, week=week):
            break
        batches += 1
    run.refresh_from_db()
    return run


def preference_for(user: User) -> DigestPreference:
    found = DigestPreference.objects.filter(user=user).first()
    return found if found is not None else DigestPreference(user=user, weekday=DEFAULT_WEEKDAY, language="")
