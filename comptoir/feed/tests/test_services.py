"""The core writes of the feed: posting, commenting, liking, congratulating, reading."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from comptoir.core.permissions import PermissionDenied403
from comptoir.feed import services
from comptoir.feed.models import Comment, Congratulation, Post, PostRead, Reaction
from comptoir.feed.selectors import posts_for_agreement, visible_posts
from comptoir.feed.tests.factories import jpeg_bytes, post, topic
from comptoir.notifications.models import Notification
from comptoir.org.testing import Cast


def test_a_post_gets_the_author_unit_and_region_and_its_topics(cast: Cast) -> None:
    demo = topic()
    created = post(cast.rep, topics=[demo])
    assert list(created.units.all()) == [cast.rep.unit]
    assert created.region == cast.rep.region
    assert list(created.topics.all()) == [demo]
    assert created.author_team == cast.team
    assert created.visibility == Post.Visibility.COMPANY


def test_the_body_is_rendered_escaped_with_the_markdown_subset(cast: Cast) -> None:
    created = post(cast.rep, body="**Gras** et <script>alert(1)</script> [lien](javascript:alert(1))")
    assert "<strong>Gras</strong>" in created.body_html
    assert "<script>" not in created.body_html
    assert 'href="javascript' not in created.body_html


def test_an_empty_body_or_an_unknown_kind_is_refused_and_nothing_is_written(cast: Cast) -> None:
    with pytest.raises(ValidationError):
        post(cast.rep, body="   ")
    with pytest.raises(ValidationError):
        post(cast.rep, kind="poem")
    assert Post.objects.count() == 0


def test_photos_are_reencoded_with_thumbnails_and_a_bad_one_writes_nothing(cast: Cast) -> None:
    created = post(cast.rep, photos=[jpeg_bytes(exif=True), jpeg_bytes(800, 600)])
    photos = list(created.photos.all())
    assert [p.position for p in photos] == [0, 1]
    assert created.photo_count == 2
    assert photos[1].width == 800 and photos[1].thumbnail.name
    with pytest.raises(ValidationError):
        post(cast.rep, photos=[jpeg_bytes(), b"GIF89a not really"])
    with pytest.raises(ValidationError):
        post(cast.rep, photos=[jpeg_bytes()] * 7)
    assert Post.objects.count() == 1


def test_restricted_posts_are_seen_only_in_their_unit_or_team(cast: Cast) -> None:
    unit_post = post(cast.rep, visibility="unit")
    team_post = post(cast.rep, visibility="team")
    company_post = post(cast.rep)
    assert set(visible_posts(cast.outsider)) == {company_post}
    assert set(visible_posts(cast.director)) == {company_post, unit_post}
    assert set(visible_posts(cast.teammate)) == {company_post, unit_post, team_post}
    assert set(visible_posts(cast.manager)) == {company_post, unit_post, team_post}
    assert set(visible_posts(cast.hq)) == {company_post, unit_post, team_post}


def test_comments_have_one_level_of_replies_and_notify_the_author(cast: Cast) -> None:
    created = post(cast.rep)
    first = services.comment_create(post=created, author=cast.manager, body="Bravo !")
    reply = services.comment_create(post=created, author=cast.teammate, body="Merci", parent=first)
    deeper = services.comment_create(post=created, author=cast.rep, body="Oui", parent=reply)
    assert deeper.parent == first
    created.refresh_from_db()
    assert created.comment_count == 3
    assert Notification.objects.filter(recipient=cast.rep, kind="feed_comment").count() == 2
    assert Notification.objects.filter(recipient=cast.manager, kind="feed_comment").count() == 2
    assert Comment.objects.filter(parent__isnull=True).count() == 1


def test_a_mention_notifies_the_person_mentioned(cast: Cast) -> None:
    created = post(cast.rep, body="Merci @teammate pour l'astuce")
    note = Notification.objects.get(recipient=cast.teammate, kind="feed_mention")
    assert "Léa" in note.title
    assert 'class="mention"' in created.body_html


def test_a_like_counts_once(cast: Cast) -> None:
    created = post(cast.rep)
    assert services.react(post=created, person=cast.manager) is True
    assert services.react(post=created, person=cast.manager) is False
    created.refresh_from_db()
    assert created.like_count == 1 and Reaction.objects.count() == 1
    assert services.unreact(post=created, person=cast.manager) is True
    created.refresh_from_db()
    assert created.like_count == 0


def test_a_restricted_post_cannot_be_liked_or_commented_from_outside(cast: Cast) -> None:
    created = post(cast.rep, visibility="team")
    with pytest.raises(PermissionDenied403):
        services.react(post=created, person=cast.outsider)
    with pytest.raises(PermissionDenied403):
        services.comment_create(post=created, author=cast.outsider, body="Hello")


@pytest.mark.parametrize(
    ("who", "role"), [("director", "director"), ("manager", "manager"), ("hq", "hq"), ("teammate", "")]
)
def test_a_congratulation_says_who_of_the_hierarchy_gave_it(cast: Cast, who: str, role: str) -> None:
    created = post(cast.rep)
    congratulation = services.congratulate(post=created, by=getattr(cast, who), message="Superbe travail")
    assert congratulation.from_role == role
    assert congratulation.from_hierarchy is bool(role)
    assert Notification.objects.filter(recipient=cast.rep, kind="feed_congratulation").count() == 1
    created.refresh_from_db()
    assert created.congratulation_count == 1


def test_nobody_congratulates_themselves(cast: Cast) -> None:
    with pytest.raises(ValidationError):
        services.congratulate(post=post(cast.rep), by=cast.rep, message="Moi")
    assert Congratulation.objects.count() == 0


def test_reads_are_recorded_once(cast: Cast) -> None:
    created = post(cast.rep)
    assert services.mark_read(post=created, person=cast.manager) is True
    assert services.mark_read(post=created, person=cast.manager) is False
    services.mark_read_many(post_ids=[created.pk], person=cast.manager)
    assert PostRead.objects.count() == 1


def test_an_edit_keeps_the_history_and_a_deleted_post_disappears(cast: Cast) -> None:
    created = post(cast.rep, body="Premier jet")
    services.post_edit(post=created, editor=cast.rep, body="Version corrigée")
    assert list(created.revisions.values_list("body", flat=True)) == ["Premier jet"]
    with pytest.raises(PermissionDenied403):
        services.post_edit(post=created, editor=cast.teammate, body="Pirate")
    services.post_delete(post=created, by=cast.rep)
    assert not visible_posts(cast.rep).exists()


def test_activity_is_announced_for_posts_comments_and_likes(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    from comptoir.core.signals import person_acted

    seen: list[str] = []

    def listener(**kwargs: Any) -> None:
        seen.append(kwargs["kind"])

    person_acted.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            created = post(cast.rep)
            services.comment_create(post=created, author=cast.manager, body="Top")
            services.react(post=created, person=cast.manager)
    finally:
        person_acted.disconnect(listener)
    assert seen == ["post", "comment", "reaction"]


def test_posts_for_agreement_are_the_visible_ones(cast: Cast) -> None:
    from comptoir.customers.models import Account, FrameworkAgreement

    group = Account.objects.create(name="Groupe Test", unit=cast.units["horeca"], region=cast.regions["idf"])
    agreement = FrameworkAgreement.objects.create(
        name="Accord", kam=cast.kam, group=group, starts_on="2026-01-01"
    )
    shown = post(cast.rep, agreement=agreement, account=group)
    post(cast.rep, agreement=agreement, visibility="team")
    assert posts_for_agreement(cast.kam, agreement, 10) == [shown]
