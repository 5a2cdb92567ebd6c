"""Post cards are rendered once per version of a post and kept: every change shows at once all the
same, each viewer still sees their own like, and what they may not read stays out."""

from __future__ import annotations

import re
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from comptoir.feed import cards, moderation, services
from comptoir.feed.models import Comment, Post, PostRead
from comptoir.feed.tests.factories import jpeg_bytes, post, topic
from comptoir.learning.models import Badge
from comptoir.org.testing import Cast


def _card(client: Any, created: Post, url: str = "") -> str:
    """The card of `created` on the "For me" page, as `client` receives it."""
    html: str = client.get(url or reverse("feed:home")).content.decode()
    found = html.find(f'id="post-{created.pk}"')
    assert found >= 0, "the post is not on the page"
    start = html.rfind("<article", 0, found)
    return html[start : html.find("</article>", start)]


def _fresh(created: Post) -> Post:
    return Post.objects.get(pk=created.pk)


def test_a_card_seen_again_comes_from_the_store_and_shows_the_same(cast: Cast, login: Any) -> None:
    created = post(cast.teammate, body="Présentoir posé au comptoir", photos=[jpeg_bytes()])
    client = login(cast.rep)
    first = _card(client, created)
    assert len(cards.store) == 1
    with CaptureQueriesContext(connection) as seen_again:
        again = _card(client, created)
    # The same card, but for the form token, which is masked anew on every page.
    token = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')
    assert token.sub("", again) == token.sub("", first)
    # Kept: neither the photos nor the hierarchy's congratulations were read again.
    assert not any("feed_postphoto" in q["sql"] for q in seen_again.captured_queries)


def test_each_viewer_sees_their_own_like_on_the_same_kept_card(cast: Cast, login: Any) -> None:
    created = post(cast.teammate, body="Dégustation réussie")
    rep, manager = login(cast.rep), login(cast.manager)
    assert 'aria-pressed="false"' in _card(rep, created)
    services.react(post=_fresh(created), person=cast.manager)
    liked = _card(manager, created)
    assert 'aria-pressed="true"' in liked and 'name="undo"' in liked and "<span>1</span>" in liked
    not_liked = _card(rep, created)
    assert 'aria-pressed="false"' in not_liked and 'name="undo"' not in not_liked
    assert "<span>1</span>" in not_liked


def test_likes_and_unlikes_show_at_once(cast: Cast, login: Any) -> None:
    created = post(cast.teammate)
    client = login(cast.rep)
    assert "<span>0</span>" in _card(client, created)
    services.react(post=_fresh(created), person=cast.manager)
    assert "<span>1</span>" in _card(client, created)
    services.unreact(post=_fresh(created), person=cast.manager)
    assert "<span>0</span>" in _card(client, created)


def test_an_edit_shows_at_once_text_kind_tags_and_photos(cast: Cast, login: Any) -> None:
    created = post(cast.teammate, body="Première version")
    client = login(cast.rep)
    assert "Première version" in _card(client, created)
    demo = topic()
    services.post_edit(
        post=_fresh(created),
        editor=cast.teammate,
        body="Deuxième version",
        kind=Post.Kind.SUCCESS,
        topics=[demo],
        add_photos=[jpeg_bytes()],
    )
    card = _card(client, created)
    assert "Deuxième version" in card and "Première version" not in card
    assert "kind-success" in card and f"?topic={demo.pk}" in card and 'class="thumbs"' in card


def test_comments_and_their_deletion_show_at_once(cast: Cast, login: Any) -> None:
    created = post(cast.teammate)
    client = login(cast.rep)
    assert '#comments">0 ' in _card(client, created)
    comment = services.comment_create(post=_fresh(created), author=cast.manager, body="Bravo")
    assert '#comments">1 ' in _card(client, created)
    services.comment_delete(comment=Comment.objects.get(pk=comment.pk), by=cast.manager)
    assert '#comments">0 ' in _card(client, created)


def test_a_congratulation_from_the_hierarchy_shows_at_once(cast: Cast, login: Any) -> None:
    created = post(cast.teammate)
    client = login(cast.rep)
    assert "hierarchy-congrats" not in _card(client, created)
    services.congratulate(post=_fresh(created), by=cast.manager, message="Bravo !")
    card = _card(client, created)
    assert "hierarchy-congrats" in card and cast.manager.full_name in card


def test_moderation_hides_and_restores_at_once(cast: Cast, login: Any) -> None:
    created = post(cast.rep, body="Un post signalé")
    author = login(cast.rep)
    teammate = login(cast.teammate)
    assert "<strong>" not in _card(author, created)
    _card(teammate, created)
    moderation.hide(by=cast.admin, post=_fresh(created), note="hors sujet")
    assert "<strong>" in _card(author, created)  # "hidden by a moderator", for the author only
    assert "Un post signalé" not in teammate.get(reverse("feed:home")).content.decode()
    moderation.restore(by=cast.admin, post=_fresh(created))
    assert "<strong>" not in _card(author, created)
    assert "Un post signalé" in _card(teammate, created)


def test_a_deleted_post_leaves_the_feed_at_once(cast: Cast, login: Any) -> None:
    created = post(cast.teammate, body="Bientôt supprimé")
    client = login(cast.rep)
    _card(client, created)
    services.post_delete(post=_fresh(created), by=cast.teammate)
    assert "Bientôt supprimé" not in client.get(reverse("feed:home")).content.decode()


def test_a_restricted_card_kept_for_one_reader_is_not_shown_to_another(cast: Cast, login: Any) -> None:
    created = post(cast.rep, body="Secret d'équipe", visibility="team")
    _card(login(cast.teammate), created)  # kept now
    assert "Secret d" not in login(cast.outsider).get(reverse("feed:all")).content.decode()


def test_renaming_the_author_or_a_topic_shows_at_once(cast: Cast, login: Any) -> None:
    demo = topic()
    created = post(cast.teammate, topics=[demo])
    client = login(cast.rep)
    assert "Coéquipier" in _card(client, created)
    cast.teammate.last_name = "Renommé"
    cast.teammate.save(update_fields=["last_name"])
    demo.name = "Nouveau nom du thème"
    demo.save(update_fields=["name"])
    card = _card(client, created)
    assert "Renommé" in card and "Coéquipier" not in card
    assert "Nouveau nom du thème" in card


def test_a_badge_earned_later_shows_on_kept_cards(cast: Cast, login: Any) -> None:
    demo = topic()
    created = post(cast.teammate, topics=[demo])
    client = login(cast.rep)
    assert "expertise" not in _card(client, created)
    now = timezone.now()
    Badge.objects.create(
        user=cast.teammate, topic=demo, level=2, quizzes_passed=3, earned_at=now, updated_at=now
    )
    assert "badge expertise level-2" in _card(client, created)


def test_text_stays_escaped_on_kept_cards(cast: Cast, login: Any) -> None:
    cast.teammate.first_name = "<script>alert(1)</script>"
    cast.teammate.save(update_fields=["first_name"])
    created = post(cast.teammate, body="<img src=x onerror=alert(2)> texte")
    client = login(cast.rep)
    for _view in range(2):  # rendered, then kept
        card = _card(client, created)
        assert "<script>" not in card and "&lt;script&gt;" in card
        assert "<img src=x" not in card


def test_a_page_seen_again_writes_no_read_and_new_posts_are_recorded(cast: Cast, login: Any) -> None:
    first = post(cast.teammate, body="Premier")
    client = login(cast.rep)
    client.get(reverse("feed:home"))
    assert PostRead.objects.filter(person=cast.rep, post=first).exists()
    with CaptureQueriesContext(connection) as again:
        client.get(reverse("feed:home"))
    assert not any("feed_postread" in q["sql"] and "INSERT" in q["sql"] for q in again.captured_queries)
    second = post(cast.teammate, body="Second")
    client.get(reverse("feed:home"))
    assert PostRead.objects.filter(person=cast.rep, post__in=[first, second]).count() == 2


def test_the_store_keeps_a_bounded_number_of_cards() -> None:
    store = cards.CardStore(size=3)
    store.set_many({n: ("a", "b", "c", str(n)) for n in range(5)})
    assert len(store) == 3 and set(store.get_many([0, 1, 2, 3, 4])) == {2, 3, 4}
    expired = cards.CardStore(seconds=-1)
    expired.set_many({1: ("a", "b", "c", "d")})
    assert expired.get_many([1]) == {}
