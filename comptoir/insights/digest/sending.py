"""Sending the digest: in batches, once per person and week, resumable after a crash.

For each person: claim (a committed `DigestDelivery` row, unique per person and week, "sending", leased
for `lease`), hand the message to SMTP marking the row "handed" just before the end of its DATA (see
`handover`), then "sent". A worker killed on the way leaves its row "sending" or "handed"; once the
lease has run out, the next run takes it back and sends again:

- "sending": the server never had the whole message, so it delivered nothing: resending loses nothing
  and duplicates nothing;
- "handed": the message was sent up to its final "." (and maybe that too), and no answer came back;
  the server may have delivered it.
  Not resending risks a loss that nobody sees (the person simply gets no digest that week); resending
  risks a second copy, which the person sees and which costs them one glance. We resend, with the same
  Message-ID as the first copy, so mail clients and servers that recognise it keep one; the window is
  one network round trip per message, and the run's log counts these as unconfirmed.

Everyone not yet claimed is sent by the next run of the same day, so a restarted worker simply carries
on; two workers never send the same person's week at once (the claim is one conditional write).
"""

from __future__ import annotations

import datetime as dt
import email.policy
import functools
import logging
import smtplib
import time
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, mailers
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q, QuerySet, Value
from django.db.models.functions import Concat
from django.template.loader import render_to_string
from django.utils import translation

from comptoir.core import clock
from comptoir.insights.digest.content import DigestWeek, digest_content, has_news
from comptoir.insights.digest.handover import hand_over
from comptoir.insights.digest.tokens import unsubscribe_path
from comptoir.insights.models import DigestDelivery, DigestPreference, DigestRun
from comptoir.insights.rollups import week_start
from comptoir.org.models import User

log = logging.getLogger(__name__)
DEFAULT_WEEKDAY = 0  # Monday, for people who never chose
# Longer than any live hand-over (a few SMTP commands of at most EMAIL_TIMEOUT each), so a claim is only
# taken back from a worker that is gone.
LEASE = dt.timedelta(minutes=2)
IN_FLIGHT = (DigestDelivery.Status.SENDING, DigestDelivery.Status.HANDED)


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
    # Done, or in the hands of a live worker; a claim whose lease ran out is due again.
    delivered = (
        DigestDelivery.objects.filter(week=week_start(day))
        .exclude(status__in=IN_FLIGHT, lease_until__lt=clock.now())
        .values("user_id")
    )
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
            # The same for a copy resent after a crash, so that a client that has the first keeps one.
            "Message-ID": f"<digest.{week_start(week.day).isoformat()}.{person.pk}@{message_domain()}>",
        },
    )
    message.attach_alternative(html, "text/html")
    return message


def message_domain() -> str:
    return urlsplit(settings.SITE_URL).hostname or "comptoir.invalid"


def _claim(person_id: int, week: dt.date, lease: dt.timedelta) -> str | None:
    """Claim the person's week: None if someone else has it, else what was left of an earlier try
    ("" for a first try, "sending" or "handed" for one a dead worker left)."""
    now = clock.now()
    try:
        with transaction.atomic():
            DigestDelivery.objects.create(
                user_id=person_id, week=week, claimed_at=now, lease_until=now + lease
            )
            return ""
    except IntegrityError:
        pass
    left = DigestDelivery.objects.filter(
        user_id=person_id, week=week, status__in=IN_FLIGHT, lease_until__lt=now
    )
    before = left.values_list("status", flat=True).first()
    taken = left.filter(status=before).update(
        status=DigestDelivery.Status.SENDING,
        claimed_at=now,
        lease_until=now + lease,
        attempts=F("attempts") + 1,
    )
    return before if taken and before else None


def _mark(person_id: int, week: dt.date, status: str, **fields: Any) -> None:
    DigestDelivery.objects.filter(user_id=person_id, week=week).update(status=status, **fields)


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
    left = dict(
        DigestDelivery.objects.filter(week=run.week, status__in=IN_FLIGHT, lease_until__lt=now)
        .values_list("status")
        .annotate(n=Count("id"))
        .order_by()
    )
    done = DigestDelivery.objects.filter(week=run.week).exclude(status__in=IN_FLIGHT).count()
    remaining = recipients_due(day).count()
    DigestRun.objects.filter(pk=run.pk).update(total=done + remaining, finished_at=None)
    cut, unanswered = left.get(DigestDelivery.Status.SENDING, 0), left.get(DigestDelivery.Status.HANDED, 0)
    _log(
        run,
        ("started" if created else "resumed")
        + f": {remaining} to send"
        + (f", of which {cut} cut off before the end of the message (never delivered)" if cut else "")
        + (f", of which {unanswered} handed over without an answer (may arrive twice)" if unanswered else ""),
    )
    run.refresh_from_db()
    return run


def send_batch(
    run: DigestRun,
    *,
    size: int = 200,
    delay: float = 0.0,
    week: DigestWeek | None = None,
    lease: dt.timedelta = LEASE,
) -> int:
    """Send the next batch of the run's day; returns how many people were handled (0: the run is done).

    `week` carries the sections shared by everyone (best posts...) from one batch to the next."""
    week = week if week is not None and week.day == run.day else DigestWeek(run.day)
    people = list(recipients_due(run.day).select_related("role", "unit", "team", "digest_preference")[:size])
    if not people:
        DigestRun.objects.filter(pk=run.pk).update(finished_at=clock.now())
        _log(run, "finished")
        return 0
    week.prefetch(people)
    sent = failed = empty = resumed = unconfirmed = 0
    connection = mailers.default
    try:
        connection.open()
        for person in people:
            before = _claim(person.pk, run.week, lease)
            if before is None:
                continue
            resumed += before == DigestDelivery.Status.SENDING
            unconfirmed += before == DigestDelivery.Status.HANDED
            content = digest_content(person, week)
            if not has_news(content):
                _mark(person.pk, run.week, DigestDelivery.Status.EMPTY)
                empty += 1
                continue
            message = render_digest(person, week, content)
            try:
                hand_over(
                    connection,
                    message,
                    functools.partial(_mark, person.pk, run.week, DigestDelivery.Status.HANDED),
                )
            except (smtplib.SMTPException, OSError) as exc:
                _mark(person.pk, run.week, DigestDelivery.Status.FAILED, error=str(exc)[:300])
                failed += 1
                connection.close()
                connection.open()
                continue
            _mark(person.pk, run.week, DigestDelivery.Status.SENT, sent_at=clock.now())
            sent += 1
            if delay:
                time.sleep(delay)  # a gentle rate for a relay that throttles
    finally:
        connection.close()
    DigestRun.objects.filter(pk=run.pk).update(
        sent=F("sent") + sent,
        failed=F("failed") + failed,
        resumed=F("resumed") + resumed,
        unconfirmed=F("unconfirmed") + unconfirmed,
        batches=F("batches") + 1,
    )
    run.refresh_from_db()
    _log(
        run,
        f"batch {run.batches}: {sent} sent, {failed} failed, {empty} with nothing to say ({run.sent}/{run.total})"
        + (f"; {resumed} resent after a cut before the end of the message" if resumed else "")
        + (
            f"; {unconfirmed} resent after a hand-over left unanswered (may arrive twice)"
            if unconfirmed
            else ""
        ),
    )
    return len(people)


def digest_run(
    day: dt.date | None = None,
    *,
    batch_size: int = 200,
    delay: float = 0.0,
    max_batches: int | None = None,
    lease: dt.timedelta = LEASE,
) -> DigestRun:
    """Send (or resume sending) the digests of `day` in this process, batch after batch."""
    run = run_start(day or clock.today())
    week = DigestWeek(run.day)
    batches = 0
    while max_batches is None or batches < max_batches:
        if not send_batch(run, size=batch_size, delay=delay, week=week, lease=lease):
            break
        batches += 1
    run.refresh_from_db()
    return run


def preference_for(user: User) -> DigestPreference:
    found = DigestPreference.objects.filter(user=user).first()
    return found if found is not None else DigestPreference(user=user, weekday=DEFAULT_WEEKDAY, language="")
