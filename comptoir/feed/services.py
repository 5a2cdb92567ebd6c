"""Every write on the feed: posts, photos, comments, likes, congratulations, reads, follows.

The pages, the API, the demo and the jobs call these functions, so each rule (validation, the
counters, the notifications, the search index, the activity announced to the insights) is written
once. Bad input raises `ValidationError` before anything is written. Recommendations and moderation
have their own modules (`recommendations`, `moderation`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from comptoir.core import clock
from comptoir.core.images import ImageRejected, ProcessedImage, process_image
from comptoir.core.permissions import Cap, PermissionDenied403, has_cap
from comptoir.core.signals import announce_activity
from comptoir.feed import markup, search
from comptoir.feed.models import (
    Comment,
    Congratulation,
    Mention,
    PersonFollow,
    Post,
    PostPhoto,
    PostRead,
    PostRevision,
    Reaction,
    TopicFollow,
)
from comptoir.notifications.services import notify
from comptoir.org.models import OrgUnit, Team, User
from comptoir.org.selectors import managers_above

BODY_MAX = 10_000
COMMENT_MAX = 3_000
CONGRATULATION_MAX = 280
MAX_PHOTOS = 6

KIND_MENTION = "feed_mention"
KIND_COMMENT = "feed_comment"
KIND_CONGRATULATION = "feed_congratulation"


def _later(message: Any, params: dict[str, Any]) -> Any:
    """`message % params`, translated when rendered (in the recipient's language, by `notify`)."""
    return lazy(lambda: str(message) % params, str)()


def _text(value: str, field: str, *, max_length: int, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({field: _("This field is required.")})
    if len(value) > max_length:
        raise ValidationError(
            {field: _("This text is too long (%(max)s characters at most).") % {"max": max_length}}
        )
    return value


def _read_bytes(photo: Any) -> bytes:
    if isinstance(photo, bytes | bytearray):
        return bytes(photo)
    if hasattr(photo, "seek"):
        photo.seek(0)
    data = photo.read()
    return bytes(data)


def process_photos(photos: Sequence[Any]) -> list[ProcessedImage]:
    """Check and re-encode every photo before anything is written (one bad photo: nothing is)."""
    if len(photos) > MAX_PHOTOS:
        raise ValidationError({"photos": _("At most %(max)s photos per post.") % {"max": MAX_PHOTOS}})
    processed = []
    for index, photo in enumerate(photos, start=1):
        try:
            processed.append(process_image(_read_bytes(photo)))
        except ImageRejected as exc:
            raise ValidationError(
                {"photos": _("Photo %(n)s: %(error)s") % {"n": index, "error": exc}}
            ) from exc
    return processed


def _save_photos(post: Post, processed: Iterable[ProcessedImage], start: int = 0) -> int:
    count = 0
    for position, image in enumerate(processed, start=start):
        photo = PostPhoto(post=post, position=position, width=image.width, height=image.height)
        photo.image.save(f"p{post.pk}-{position}.jpg", image.full, save=False)
        photo.thumbnail.save(f"p{post.pk}-{position}-t.jpg", image.thumbnail, save=False)
        photo.save()
        count += 1
    return count


def mentioned_people(text: str, *, limit: int = 20) -> dict[str, User]:
    """The active people @mentioned in `text`, keyed by handle (the part of the e-mail before @)."""
    handles = markup.mention_handles(text)[:limit]
    if not handles:
        return {}
    found: dict[str, User] = {}
    from django.db.models import Q

    condition = Q()
    for handle in handles:
        condition |= Q(email__istartswith=f"{handle}@")
    for person in User.objects.filter(condition, is_active=True):
        handle = person.email.split("@", 1)[0].lower()
        found.setdefault(handle, person)
    return found


def _render(text: str, people: dict[str, User]) -> str:
    return markup.render(text, {h: reverse("org:profile", args=[p.pk]) for h, p in people.items()})


def _check_visibility(
    author: User, visibility: str, unit: OrgUnit | None, team: Team | None
) -> tuple[OrgUnit | None, Team | None]:
    if visibility not in Post.Visibility.values:
        raise ValidationError({"visibility": _("Unknown visibility.")})
    if visibility == Post.Visibility.COMPANY:
        return None, None
    if visibility == Post.Visibility.UNIT:
        unit = unit or author.unit
        if unit is None:
            raise ValidationError({"visibility": _("Choose the business unit that may read this post.")})
        return unit, None
    team = team or author.team
    if team is None:
        raise ValidationError({"visibility": _("Choose the team that may read this post.")})
    return None, team


def _check_tags(account: Any, agreement: Any) -> None:
    # The account may be the agreement's group or one of its sites; any other account is refused.
    if (
        agreement is not None
        and account is not None
        and agreement.group_id != account.pk
        and not agreement.sites.filter(account=account).exists()
    ):
        raise ValidationError({"account": _("This account is not part of the chosen agreement.")})


def _notify_mentions(*, people: dict[str, User], actor: User, post: Post, comment: Comment | None) -> None:
    already = set(
        Mention.objects.filter(post=post, comment=comment, person__in=people.values()).values_list(
            "person_id", flat=True
        )
    )
    new = [p for p in people.values() if p.pk not in already and p.pk != actor.pk]
    Mention.objects.bulk_create([Mention(post=post, comment=comment, person=p) for p in new])
    url = comment.get_absolute_url() if comment is not None else post.get_absolute_url()
    for person in new:
        if not _readable_by(person, post):
            continue  # the mention of someone who may not read the post tells them nothing
        notify(
            recipient=person,
            actor=actor,
            kind=KIND_MENTION,
            title=_later(_("%(name)s mentioned you"), {"name": actor.full_name}),
            body=markup.plain_excerpt(comment.body if comment else post.body),
            url=url,
        )


def _readable_by(person: User, post: Post) -> bool:
    from comptoir.feed.access import can_see

    return can_see(person, post)


@transaction.atomic
def post_create(
    *,
    author: User,
    kind: str,
    body: str,
    topics: Iterable[Any] = (),
    units: Iterable[OrgUnit] = (),
    region: Any = None,
    account: Any = None,
    agreement: Any = None,
    visibility: str = "company",
    team: Team | None = None,
    unit: OrgUnit | None = None,
    photos: Sequence[Any] = (),
) -> Post:
    """Publish a post. Units default to the author's unit and the region to the author's region."""
    if not has_cap(author, Cap.POST_TO_FEED):
        raise PermissionDenied403(_("You may not post to the feed."))
    if kind not in Post.Kind.values:
        raise ValidationError({"kind": _("Unknown kind of post.")})
    body = _text(body, "body", max_length=BODY_MAX)
    visible_unit, visible_team = _check_visibility(author, visibility, unit, team)
    _check_tags(account, agreement)
    processed = process_photos(list(photos))
    people = mentioned_people(body)
    now = clock.now()
    unit_list: list[OrgUnit] = list(units) or ([author.unit] if author.unit is not None else [])
    post = Post.objects.create(
        author=author,
        kind=kind,
        body=body,
        body_html=_render(body, people),
        created_at=now,
        updated_at=now,
        region=region if region is not None else author.region,
        account=account,
        agreement=agreement,
        author_team_id=author.team_id,
        visibility=visibility,
        visible_unit=visible_unit,
        visible_team=visible_team,
        photo_count=len(processed),
    )
    _set_tags(post, topics=list(topics), units=unit_list)
    _save_photos(post, processed)
    _notify_mentions(people=people, actor=author, post=post, comment=None)
    search.index_post(post)
    announce_activity(author.pk, "post", now, f"feed.post:{post.pk}")
    return post


def _set_tags(post: Post, *, topics: list[Any] | None, units: list[OrgUnit] | None) -> None:
    fields = []
    if topics is not None:
        post.topics.set(topics)
        post.topic_ids = sorted({t if isinstance(t, int) else t.pk for t in topics})
        fields.append("topic_ids")
    if units is not None:
        post.units.set(units)
        post.unit_ids = sorted({u if isinstance(u, int) else u.pk for u in units})
        fields.append("unit_ids")
    if fields:
        Post.objects.filter(pk=post.pk).update(**{f: getattr(post, f) for f in fields})


_UNSET: Any = object()


@transaction.atomic
def post_edit(
    *,
    post: Post,
    editor: User,
    body: str | None = None,
    kind: str | None = None,
    topics: Iterable[Any] | None = None,
    units: Iterable[OrgUnit] | None = None,
    region: Any = _UNSET,
    account: Any = _UNSET,
    agreement: Any = _UNSET,
    visibility: str | None = None,
    team: Team | None = None,
    unit: OrgUnit | None = None,
    add_photos: Sequence[Any] = (),
    remove_photo_ids: Iterable[int] = (),
) -> Post:
    """Change a post (its author only); the text before the change is kept as a revision."""
    if editor.pk != post.author_id:
        raise PermissionDenied403(_("Only the author may edit this post."))
    if post.is_deleted:
        raise ValidationError(_("This post was deleted."))
    new_body = _text(body, "body", max_length=BODY_MAX) if body is not None else post.body
    new_kind = kind if kind is not None else post.kind
    if new_kind not in Post.Kind.values:
        raise ValidationError({"kind": _("Unknown kind of post.")})
    if visibility is not None:
        post.visible_unit, post.visible_team = _check_visibility(editor, visibility, unit, team)
        post.visibility = visibility
    new_account = post.account if account is _UNSET else account
    new_agreement = post.agreement if agreement is _UNSET else agreement
    _check_tags(new_account, new_agreement)
    removed = set(remove_photo_ids)
    kept = post.photos.exclude(pk__in=removed).count()
    if kept + len(add_photos) > MAX_PHOTOS:
        raise ValidationError({"photos": _("At most %(max)s photos per post.") % {"max": MAX_PHOTOS}})
    processed = process_photos(list(add_photos))
    now = clock.now()
    if new_body != post.body or new_kind != post.kind:
        PostRevision.objects.create(
            post=post, body=post.body, kind=post.kind, edited_at=now, edited_by=editor
        )
        post.edited_at = now
    people = mentioned_people(new_body)
    post.body, post.kind = new_body, new_kind
    post.body_html = _render(new_body, people)
    post.account, post.agreement = new_account, new_agreement
    if region is not _UNSET:
        post.region = region
    post.updated_at = now
    if removed:
        post.photos.filter(pk__in=removed).delete()
    last = post.photos.order_by("-position").values_list("position", flat=True).first()
    _save_photos(post, processed, start=(last + 1) if last is not None else 0)
    post.photo_count = kept + len(processed)
    post.save()
    _set_tags(
        post, topics=None if topics is None else list(topics), units=None if units is None else list(units)
    )
    _notify_mentions(people=people, actor=editor, post=post, comment=None)
    search.index_post(post)
    return post


@transaction.atomic
def post_delete(*, post: Post, by: User) -> None:
    """Delete a post (its author, or a moderator): it leaves every feed, page and search result."""
    if by.pk != post.author_id and not has_cap(by, Cap.MODERATE):
        raise PermissionDenied403(_("Only the author may delete this post."))
    post.is_deleted = True
    post.deleted_at = clock.now()
    post.save(update_fields=["is_deleted", "deleted_at"])
    search.index_post(post)
    if by.pk != post.author_id:
        from comptoir.feed.models import ModerationLog

        ModerationLog.objects.create(
            actor=by, action=ModerationLog.Action.DELETED, post=post, at=post.deleted_at
        )


@transaction.atomic
def comment_create(*, post: Post, author: User, body: str, parent: Comment | None = None) -> Comment:
    """Comment on a post, or reply to a top-level comment (one level of replies)."""
    if not _readable_by(author, post):
        raise PermissionDenied403(_("You may not comment on this post."))
    body = _text(body, "body", max_length=COMMENT_MAX)
    if parent is not None:
        if parent.post_id != post.pk or parent.is_deleted:
            raise ValidationError({"parent": _("This reply does not belong to this post.")})
        if parent.parent_id is not None:
            parent = parent.parent  # a reply to a reply joins the same thread
    people = mentioned_people(body)
    now = clock.now()
    comment = Comment.objects.create(
        post=post, author=author, parent=parent, body=body, body_html=_render(body, people), created_at=now
    )
    Post.objects.filter(pk=post.pk).update(comment_count=F("comment_count") + 1)
    _notify_mentions(people=people, actor=author, post=post, comment=comment)
    told = {author.pk} | {p.pk for p in people.values()}
    if post.author_id not in told:
        notify(
            recipient=post.author,
            actor=author,
            kind=KIND_COMMENT,
            title=_later(_("%(name)s commented on your post"), {"name": author.full_name}),
            body=markup.plain_excerpt(body),
            url=comment.get_absolute_url(),
        )
        told.add(post.author_id)
    if parent is not None and parent.author_id not in told:
        notify(
            recipient=parent.author,
            actor=author,
            kind=KIND_COMMENT,
            title=_later(_("%(name)s replied to your comment"), {"name": author.full_name}),
            body=markup.plain_excerpt(body),
            url=comment.get_absolute_url(),
        )
    search.index_post(post)
    announce_activity(author.pk, "comment", now, f"feed.comment:{comment.pk}")
    return comment


@transaction.atomic
def comment_delete(*, comment: Comment, by: User) -> None:
    if by.pk != comment.author_id and not has_cap(by, Cap.MODERATE):
        raise PermissionDenied403(_("Only the author may delete this comment."))
    if comment.is_deleted:
        return
    comment.is_deleted = True
    comment.save(update_fields=["is_deleted"])
    Post.objects.filter(pk=comment.post_id, comment_count__gt=0).update(comment_count=F("comment_count") - 1)
    search.index_post(comment.post)


def react(*, post: Post, person: User) -> bool:
    """Like `post`. Returns False when `person` already liked it (nothing changes then).

    Two requests racing for the same like: the unique constraint lets one insert win; the loser's
    savepoint rolls back with its counter increment, so the counter never counts a like twice.
    """
    if not _readable_by(person, post):
        raise PermissionDenied403(_("You may not react to this post."))
    now = clock.now()
    try:
        with transaction.atomic():
            Reaction.objects.create(post=post, person=person, created_at=now)
            Post.objects.filter(pk=post.pk).update(like_count=F("like_count") + 1)
    except IntegrityError:
        return False
    announce_activity(person.pk, "reaction", now, f"feed.post:{post.pk}")
    return True


def unreact(*, post: Post, person: User) -> bool:
    with transaction.atomic():
        deleted, _detail = Reaction.objects.filter(post=post, person=person).delete()
        if deleted:
            Post.objects.filter(pk=post.pk, like_count__gt=0).update(like_count=F("like_count") - 1)
    return bool(deleted)


def hierarchy_role(by: User, author: User) -> str:
    """How `by` stands to `author`: "manager", "director", "hq" or "" (a colleague)."""
    if by.pk == author.pk:
        return ""
    chain = managers_above(author)
    if by.pk in chain:
        if by.role_code == "director" or chain.index(by.pk) > 0:
            return Congratulation.FromRole.DIRECTOR
        return Congratulation.FromRole.MANAGER
    if by.role_code == "director" and by.unit_id and by.unit_id == author.unit_id:
        return Congratulation.FromRole.DIRECTOR
    if by.role_code == "hq" or (has_cap(by, Cap.SEE_ALL_POSTS) and has_cap(by, Cap.ANSWER_RECOMMENDATIONS)):
        return Congratulation.FromRole.HQ
    return ""


@transaction.atomic
def congratulate(*, post: Post, by: User, message: str) -> Congratulation:
    """Congratulate the author publicly; a manager's, director's or HQ's is marked as such.

    Once per person and post: a second congratulation is refused and changes nothing."""
    if not _readable_by(by, post):
        raise PermissionDenied403(_("You may not congratulate on this post."))
    if by.pk == post.author_id:
        raise ValidationError({"message": _("You cannot congratulate yourself.")})
    message = _text(message, "message", max_length=CONGRATULATION_MAX)
    already = _("You have already congratulated the author on this post.")
    if Congratulation.objects.filter(post=post, by=by).exists():
        raise ValidationError(already)
    author = post.author
    role = hierarchy_role(by, author)
    now = clock.now()
    try:
        with transaction.atomic():  # two clicks at once: the database's constraint keeps one
            congratulation = Congratulation.objects.create(
                post=post,
                by=by,
                to=author,
                message=message,
                created_at=now,
                from_hierarchy=bool(role),
                from_role=role,
            )
    except IntegrityError:
        raise ValidationError(already) from None
    Post.objects.filter(pk=post.pk).update(congratulation_count=F("congratulation_count") + 1)
    notify(
        recipient=author,
        actor=by,
        kind=KIND_CONGRATULATION,
        title=_later(_("%(name)s congratulated you"), {"name": by.full_name})
        if not role
        else _later(
            _("%(name)s (%(role)s) congratulated you"),
            {"name": by.full_name, "role": Congratulation.FromRole(role).label},
        ),
        body=message,
        url=reverse("feed:post", args=[post.pk]) + f"#congratulation-{congratulation.pk}",
    )
    announce_activity(by.pk, "reaction", now, f"feed.congratulation:{congratulation.pk}")
    return congratulation


def mark_read(*, post: Post | int, person: User) -> bool:
    """Record that `person` saw `post` (the first time only). Returns True when it is the first."""
    post_id = post if isinstance(post, int) else post.pk
    _row, created = PostRead.objects.get_or_create(
        post_id=post_id, person=person, defaults={"first_read_at": clock.now()}
    )
    return created


def mark_read_many(*, post_ids: Iterable[int], person: User) -> None:
    """Record the posts of a feed page as seen: one insert that skips those already recorded."""
    now = clock.now()
    PostRead.objects.bulk_create(
        [PostRead(post_id=pk, person=person, first_read_at=now) for pk in post_ids], ignore_conflicts=True
    )


def follow_person(*, follower: User, followed: User, follow: bool = True) -> None:
    if follower.pk == followed.pk:
        raise ValidationError(_("You cannot follow yourself."))
    if follow:
        PersonFollow.objects.get_or_create(follower=follower, followed=followed)
    else:
        PersonFollow.objects.filter(follower=follower, followed=followed).delete()


def follow_topic(*, follower: User, topic: Any, follow: bool = True) -> None:
    if follow:
        TopicFollow.objects.get_or_create(follower=follower, topic=topic)
    else:
        TopicFollow.objects.filter(follower=follower, topic=topic).delete()
