"""Moderation: anyone reports a post or a comment; moderators hide, restore or dismiss; all is logged."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from comptoir.core import clock
from comptoir.core.permissions import Cap, PermissionDenied403, has_cap
from comptoir.feed import access, search
from comptoir.feed.models import Comment, ModerationLog, Post, Report
from comptoir.notifications.services import notify
from comptoir.org.models import User

KIND = "feed_moderation"
REASON_MAX = 500


def _require_moderator(user: User) -> None:
    if not has_cap(user, Cap.MODERATE):
        raise PermissionDenied403(_("Only moderators may do this."))


@transaction.atomic
def report_create(*, post: Post, reporter: User, reason: str, comment: Comment | None = None) -> Report:
    if not access.can_see(reporter, post):
        raise PermissionDenied403(_("You may not report this post."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say what is wrong, for the moderators.")})
    if len(reason) > REASON_MAX:
        raise ValidationError(
            {"reason": _("This text is too long (%(max)s characters at most).") % {"max": REASON_MAX}}
        )
    if comment is not None and comment.post_id != post.pk:
        raise ValidationError({"comment": _("This comment does not belong to this post.")})
    now = clock.now()
    report = Report.objects.create(
        post=post, comment=comment, reporter=reporter, reason=reason, created_at=now
    )
    ModerationLog.objects.create(
        actor=reporter,
        action=ModerationLog.Action.REPORTED,
        post=post,
        comment=comment,
        report=report,
        note=reason,
        at=now,
    )
    return report


def _resolve(post: Post, comment: Comment | None, by: User, status: str) -> None:
    reports = Report.objects.filter(post=post, status=Report.Status.OPEN)
    reports = reports.filter(comment=comment) if comment is not None else reports.filter(comment__isnull=True)
    reports.update(status=status, resolved_at=clock.now(), resolved_by=by)


@transaction.atomic
def hide(*, by: User, post: Post, comment: Comment | None = None, note: str = "") -> None:
    """Hide a post or a comment from everyone but its author and the moderators."""
    _require_moderator(by)
    target: Post | Comment = comment if comment is not None else post
    target.is_hidden = True
    target.save(update_fields=["is_hidden"])
    _resolve(post, comment, by, Report.Status.HIDDEN)
    ModerationLog.objects.create(
        actor=by,
        action=ModerationLog.Action.HIDDEN,
        post=post,
        comment=comment,
        note=note[:500],
        at=clock.now(),
    )
    search.index_post(post)
    author = comment.author if comment is not None else post.author
    notify(
        recipient=author,
        actor=by,
        kind=KIND,
        title=_("A moderator hid one of your posts or comments"),
        body=note,
        url=post.get_absolute_url(),
    )


@transaction.atomic
def restore(*, by: User, post: Post, comment: Comment | None = None, note: str = "") -> None:
    _require_moderator(by)
    target: Post | Comment = comment if comment is not None else post
    target.is_hidden = False
    target.save(update_fields=["is_hidden"])
    ModerationLog.objects.create(
        actor=by,
        action=ModerationLog.Action.RESTORED,
        post=post,
        comment=comment,
        note=note[:500],
        at=clock.now(),
    )
    search.index_post(post)


@transaction.atomic
def dismiss(*, by: User, report: Report, note: str = "") -> None:
    _require_moderator(by)
    report.status, report.resolved_at, report.resolved_by = Report.Status.DISMISSED, clock.now(), by
    report.save(update_fields=["status", "resolved_at", "resolved_by"])
    ModerationLog.objects.create(
        actor=by,
        action=ModerationLog.Action.DISMISSED,
        post_id=report.post_id,
        comment_id=report.comment_id,
        report=report,
        note=note[:500],
        at=clock.now(),
    )
