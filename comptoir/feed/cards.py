"""Post cards rendered in Python: the one hot path of the feed.

A feed page shows 20 cards; through the template engine ({% include %}, {% url %}, filters) they cost
ten times the rest of the page. Here each card is a handful of string joins, with every piece of
text escaped (`escape`) and only `body_html` (rendered by `markup`, escaped there) taken as is.
`_post_card.html` stays as the readable reference of the same markup.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.timesince import timesince
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from comptoir.core import clock
from comptoir.feed.models import Congratulation, Post


def _media(name: str) -> str:
    return escape(f"{settings.MEDIA_URL}{name}")


def _avatar(person: Any) -> str:
    if person.photo:
        return f'<img src="{_media(person.photo.name)}" alt="" class="avatar">'
    return f'<span class="avatar" aria-hidden="true">{escape(person.initials)}</span>'


class CardRenderer:
    """Renders the cards of one page for one viewer (the URLs and labels are worked out once)."""

    def __init__(self, request: Any) -> None:
        self.csrf = escape(get_token(request))
        self.now = clock.now()
        self.feed_root = reverse("feed:home")
        self.all_url = reverse("feed:all")
        self.kinds = {k: escape(str(label)) for k, label in Post.Kind.choices}
        self.visibility = {k: escape(str(label)) for k, label in Post.Visibility.choices}
        self.roles = {k: escape(str(label)) for k, label in Congratulation.FromRole.choices}
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

    def card(self, post: Post) -> str:
        extras = post.extras  # type: ignore[attr-defined]
        url = f"{self.feed_root}{post.pk}/"
        author = post.author
        badges = "".join(
            f' <span class="{escape(b.css_class)}" title="{escape(b.title)}">{escape(b.label)}</span>'
            for b in extras.badges
        )
        meta = [
            f'<span class="pill kind">{self.kinds.get(post.kind, "")}</span>',
            f'<time datetime="{post.created_at.isoformat()}">{self.when(post)}</time>',
        ]
        if post.visibility != Post.Visibility.COMPANY:
            meta.append(f'<span class="pill restricted">{self.visibility.get(post.visibility, "")}</span>')
        if post.is_hidden:
            meta.append(f"<strong>{self.text['hidden']}</strong>")
        parts = [
            f'<article class="post-card kind-{escape(post.kind)}" id="post-{post.pk}"><header>',
            f'<span class="post-author">{_avatar(author)}<a href="{self.feed_root}people/{author.pk}/">'
            f"{escape(author.full_name)}</a>{badges}</span>",
            f'<small class="muted">{" · ".join(meta)}</small></header>',
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
        liked = bool(getattr(post, "liked", False))
        like_url = f"{url}like/"
        parts.append(
            '<footer class="post-actions">'
            f'<form method="post" action="{like_url}" class="inline like-form" hx-post="{like_url}" hx-swap="outerHTML">'
            f'<input type="hidden" name="csrfmiddlewaretoken" value="{self.csrf}">'
            + ('<input type="hidden" name="undo" value="1">' if liked else "")
            + f'<button class="linklike like{" liked" if liked else ""}" aria-pressed="{"true" if liked else "false"}"'
            f' data-testid="like">♥ <span>{post.like_count}</span> <span class="sr-only">{self.text["like"]}</span></button></form>'
            f'<a href="{url}#comments">{escape(self.comments(post.comment_count))}</a>'
            f'<a href="{url}#congratulations">★ {escape(self.congratulations(post.congratulation_count))}</a>'
            f'<a href="{url}" class="open">{self.text["open"]}</a></footer></article>'
        )
        return "".join(parts)

    def cards(self, posts: Iterable[Post]) -> SafeString:
        return mark_safe("".join(self.card(p) for p in posts))


def render_cards(request: Any, posts: Iterable[Post]) -> SafeString:
    return CardRenderer(request).cards(posts)
