"""Post cards: the one hot path of the feed, rendered once per version of a post and kept.

A feed page shows 20 cards. Each card is built in Python (a handful of string joins, every piece
of text escaped with `escape`, only `body_html`, sanitised by `markup`, taken as is) and the
result is kept in this process, split around the few pieces that differ per viewer or per
moment: the author's badges (another app awards them: one query for the page), "3 hours ago",
and the like button (the viewer's own like, their CSRF token). A page whose cards are all kept
then costs no query and almost no work for its cards.

The key of a kept card is the post's id plus everything of the post row the card shows (counts,
edit time, moderation, tags, the author's name and photo, a digest of the text), the language and
the taxonomy's names. A change made by any service, in any process, changes the row, hence the
key: a changed post is never shown from an old copy, and the old copy ages out of the store
(least recently used first, and after `KEEP_SECONDS` at the latest, which also bounds how long
a renamed congratulator keeps their old name on a card).

The store is per process, like the taxonomy (`feed.taxonomy`): the default cache is the database,
and a shared cache would cost one more query and a transfer on every page. `_post_card.html`
stays as the readable reference of the same markup.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Hashable, Iterable, Sequence
from typing import Any

from django.conf import settings
from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.timesince import timesince
from django.utils.translation import get_language, ngettext, pgettext
from django.utils.translation import gettext as _

from comptoir.core import clock
from comptoir.core.badges import PersonBadge, PostRef, badges_for_posts
from comptoir.feed.models import Congratulation, Post
from comptoir.feed.taxonomy import taxonomy

KEEP_CARDS = 5_000  # ~2 KB each: about 10 MB per process at most
KEEP_SECONDS = 3_600

# A kept card: the markup before the badges, before the time, before the like button's state, and
# the rest (see `CardRenderer.static_parts`).
Parts = tuple[str, str, str, str]


class CardStore:
    """A bounded least-recently-used store of rendered cards, safe for threaded servers."""

    def __init__(self, size: int = KEEP_CARDS, seconds: float = KEEP_SECONDS) -> None:
        self.size, self.seconds = size, seconds
        self._cards: OrderedDict[Hashable, tuple[float, Parts]] = OrderedDict()
        self._lock = threading.Lock()

    def get_many(self, keys: Sequence[Hashable]) -> dict[Hashable, Parts]:
        now = time.monotonic()
        found: dict[Hashable, Parts] = {}
        with self._lock:
            for key in keys:
                kept = self._cards.get(key)
                if kept is None:
                    continue
                if kept[0] < now:
                    del self._cards[key]
                    continue
                self._cards.move_to_end(key)
                found[key] = kept[1]
        return found

    def set_many(self, cards: dict[Hashable, Parts]) -> None:
        expires = time.monotonic() + self.seconds
        with self._lock:
            for key, parts in cards.items():
                self._cards[key] = (expires, parts)
                self._cards.move_to_end(key)
            while len(self._cards) > self.size:
                self._cards.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._cards.clear()

    def __len__(self) -> int:
        return len(self._cards)


store = CardStore()


def forget(**_kwargs: object) -> None:
    store.clear()


def card_key(post: Post, language: str, names: int) -> Hashable:
    """Everything a card shows, as a key: when any of it changes, the card is rendered again."""
    author = post.author
    return (
        post.pk,
        language,
        names,
        post.kind,
        post.created_at,
        post.updated_at,
        post.edited_at,
        post.visibility,
        post.is_hidden,
        post.like_count,
        post.comment_count,
        post.congratulation_count,
        post.photo_count,
        tuple(post.topic_ids or ()),
        tuple(post.unit_ids or ()),
        post.region_id,
        hash(post.body_html),
        post.author_id,
        author.first_name,
        author.last_name,
        author.email,
        author.photo.name if author.photo else "",
    )


def _media(name: str) -> str:
    return escape(f"{settings.MEDIA_URL}{name}")


def _avatar(person: Any) -> str:
    if person.photo:
        return f'<img src="{_media(person.photo.name)}" alt="" class="avatar">'
    return f'<span class="avatar" aria-hidden="true">{escape(person.initials)}</span>'


def _badges(badges: Iterable[PersonBadge]) -> str:
    return "".join(
        f' <span class="{escape(b.css_class)}" title="{escape(b.title)}">{escape(b.label)}</span>'
        for b in badges
    )


class CardRenderer:
    """Renders the cards of one page for one viewer (the URLs and labels are worked out once)."""

    def __init__(self, request: Any) -> None:
        self.csrf = escape(get_token(request))
        self.now = clock.now()
        self.feed_root = reverse("feed:home")
        self.all_url = reverse("feed:all")
        self.kinds = {k: escape(str(label)) for k, label in Post.Kind.choices}
        self.visibility = {k: escape(str(label)) for k, label in Post.Visibility.choices}
        self.text = {
            "photo": escape(_("Photo")),
            "like": escape(_("Like")),
            "open": escape(pgettext("open a post", "Open")),
            "hidden": escape(_("hidden by a moderator")),
            "ago": _("%(time)s ago"),
            "just_now": escape(_("just now")),
            "by": _("Congratulated by %(name)s (%(role)s)"),
        }

    @staticmethod
    def comments(count: int) -> str:
        return ngettext("%(n)s comment", "%(n)s comments", count) % {"n": count}

    @staticmethod
    def congratulations(count: int) -> str:
        return ngettext("%(n)s congratulation", "%(n)s congratulations", count) % {"n": count}

    def when(self, post: Post) -> str:
        if (self.now - post.created_at).total_seconds() < 60:
            return self.text["just_now"]
        return escape(self.text["ago"] % {"time": timesince(post.created_at, self.now, depth=1)})

    def static_parts(self, post: Post) -> Parts:
        """The card of `post` as every viewer sees it, cut where the per-viewer pieces go.

        `post.extras` (see `selectors.decorate`) must be set; its badges are not used here."""
        extras = post.extras  # type: ignore[attr-defined]
        url = f"{self.feed_root}{post.pk}/"
        author = post.author
        head = (
            f'<article class="post-card kind-{escape(post.kind)}" id="post-{post.pk}"><header>'
            f'<span class="post-author">{_avatar(author)}<a href="{self.feed_root}people/{author.pk}/">'
            f"{escape(author.full_name)}</a>"
        )
        before_time = (
            f'</span><small class="muted"><span class="pill kind">{self.kinds.get(post.kind, "")}</span> · '
            f'<time datetime="{post.created_at.isoformat()}">'
        )
        meta = [""]
        if post.visibility != Post.Visibility.COMPANY:
            meta.append(f'<span class="pill restricted">{self.visibility.get(post.visibility, "")}</span>')
        if post.is_hidden:
            meta.append(f"<strong>{self.text['hidden']}</strong>")
        parts = [
            "</time>",
            " · ".join(meta),
            "</small></header>",
            f'<div class="post-body clamp">{post.body_html}</div>',
        ]
        if extras.thumbnails:
            parts.append('<div class="thumbs">')
            for photo in extras.thumbnails:
                alt = escape(photo.alt) or self.text["photo"]
                parts.append(
                    f'<a href="{url}#photo-{photo.pk}"><img src="{_media(photo.thumbnail.name)}" alt="{alt}" loading="lazy"></a>'
                )
            parts.append("</div>")
        tags = [
            f'<a class="pill topic" href="{self.all_url}?topic={t.pk}">#{escape(t.label)}</a>'
            for t in extras.topics
        ]
        tags += [f'<span class="pill unit">{escape(u.label)}</span>' for u in extras.units]
        if extras.region is not None:
            tags.append(f'<span class="pill region">{escape(extras.region.label)}</span>')
        parts.append(f'<p class="tags">{" ".join(tags)}</p>')
        for c in extras.hierarchy_congratulations[:2]:
            text = self.text["by"] % {
                "name": c.by.full_name,
                "role": str(Congratulation.FromRole(c.from_role).label),
            }
            parts.append(f'<p class="hierarchy-congrats">★ {escape(text)}</p>')
        like_url = f"{url}like/"
        parts.append(
            '<footer class="post-actions">'
            f'<form method="post" action="{like_url}" class="inline like-form" hx-post="{like_url}" hx-swap="outerHTML">'
        )
        tail = (
            f' data-testid="like">♥ <span>{post.like_count}</span> <span class="sr-only">{self.text["like"]}</span></button></form>'
            f'<a href="{url}#comments">{escape(self.comments(post.comment_count))}</a>'
            f'<a href="{url}#congratulations">★ {escape(self.congratulations(post.congratulation_count))}</a>'
            f'<a href="{url}" class="open">{self.text["open"]}</a></footer></article>'
        )
        return head, before_time, "".join(parts), tail

    def like_button(self, liked: bool) -> str:
        """The start of the like form's inside: what differs per viewer (their token, their like)."""
        return (
            f'<input type="hidden" name="csrfmiddlewaretoken" value="{self.csrf}">'
            + ('<input type="hidden" name="undo" value="1">' if liked else "")
            + f'<button class="linklike like{" liked" if liked else ""}" aria-pressed="{"true" if liked else "false"}"'
        )

    def card(self, post: Post, parts: Parts, badges: Iterable[PersonBadge]) -> str:
        head, before_time, middle, tail = parts
        return "".join(
            (
                head,
                _badges(badges),
                before_time,
                self.when(post),
                middle,
                self.like_button(bool(getattr(post, "liked", False))),
                tail,
            )
        )

    def cards(self, posts: Iterable[Post]) -> SafeString:
        """The cards of `posts`: those kept are reused, the others are decorated, rendered and kept.

        Costs one query for the badges of the page, plus, for the cards not kept yet, the queries
        of `selectors.decorate` (photos, the hierarchy's congratulations): never one per post."""
        from comptoir.feed.selectors import decorate

        posts = list(posts)
        if not posts:
            return mark_safe("")
        language = get_language() or ""
        names = taxonomy().stamp
        keys = [card_key(p, language, names) for p in posts]
        kept = store.get_many(keys)
        missing = [p for p, key in zip(posts, keys, strict=True) if key not in kept]
        if missing:
            decorate([p for p in missing if not hasattr(p, "extras")], badges=False)
            rendered = {
                key: self.static_parts(p) for p, key in zip(posts, keys, strict=True) if key not in kept
            }
            store.set_many(rendered)
            kept.update(rendered)
        if all(hasattr(p, "extras") and p.extras.badges is not None for p in posts):  # type: ignore[attr-defined]
            badges = {p.pk: p.extras.badges for p in posts}  # type: ignore[attr-defined]
        else:
            badges = badges_for_posts([PostRef(p.pk, p.author_id, tuple(p.topic_ids or ())) for p in posts])
        return mark_safe(
            "".join(self.card(p, kept[key], badges.get(p.pk, ())) for p, key in zip(posts, keys, strict=True))
        )


def render_cards(request: Any, posts: Iterable[Post]) -> SafeString:
    return CardRenderer(request).cards(posts)
