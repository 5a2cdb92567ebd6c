"""The feed's pages as people use them: reading, posting with photos, liking, commenting, congratulating."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.http import urlencode

from comptoir.feed import services
from comptoir.feed.models import Post
from comptoir.feed.tests.factories import jpeg_bytes, post, topic
from comptoir.org.testing import Cast


def test_the_feeds_show_what_the_viewer_may_read(cast: Cast, login: Any) -> None:
    post(cast.rep, body="Présentoir posé au comptoir")
    post(cast.rep, body="Secret d'équipe", visibility="team")
    for name in ("feed:home", "feed:all"):
        html = login(cast.teammate).get(reverse(name)).content.decode()
        assert "Présentoir posé au comptoir" in html and "Secret d" in html
        html = login(cast.outsider).get(reverse(name)).content.decode()
        assert "Secret d" not in html
    assert "Présentoir posé au comptoir" in login(cast.outsider).get(reverse("feed:all")).content.decode()


def test_for_me_shows_my_unit_region_team_and_follows_not_everything(cast: Cast, login: Any) -> None:
    post(cast.rep_office, body="Nouvelle machine chez un client Office")
    html = login(cast.rep).get(reverse("feed:home")).content.decode()
    assert "Nouvelle machine" not in html
    services.follow_person(follower=cast.rep, followed=cast.rep_office)
    assert "Nouvelle machine" in login(cast.rep).get(reverse("feed:home")).content.decode()


def test_the_window_on_the_field_is_for_hq(cast: Cast, login: Any) -> None:
    created = post(cast.rep, body="Dégustation réussie")
    services.react(post=created, person=cast.manager)
    assert login(cast.rep).get(reverse("feed:window")).status_code == 403
    html = login(cast.hq).get(reverse("feed:window")).content.decode()
    assert "Trending this week" in html or "Tendances" in html


def test_a_rep_posts_with_photos_and_tags(cast: Cast, login: Any) -> None:
    demo = topic()
    client = login(cast.rep)
    response = client.post(
        reverse("feed:new_post"),
        {
            "kind": "practice",
            "body": "Démo petit-déjeuner : trois machines placées",
            "topics": [demo.pk],
            "visibility": "company",
            "photos": [SimpleUploadedFile("a.jpg", jpeg_bytes(exif=True), "image/jpeg")],
        },
    )
    created = Post.objects.get()
    assert response.status_code == 302 and response["Location"] == created.get_absolute_url()
    assert created.photo_count == 1 and created.topic_ids == [demo.pk]
    html = client.get(created.get_absolute_url()).content.decode()
    assert created.photos.get().thumbnail.url in html


def test_a_picture_that_is_not_one_is_refused_with_a_message(cast: Cast, login: Any) -> None:
    response = login(cast.rep).post(
        reverse("feed:new_post"),
        {
            "kind": "practice",
            "body": "Avec une fausse photo",
            "visibility": "company",
            "photos": [SimpleUploadedFile("photo.jpg", b"<?php echo 'x'; ?>", "image/jpeg")],
        },
    )
    assert response.status_code == 400
    assert Post.objects.count() == 0


def test_like_comment_reply_and_congratulate_from_the_post_page(cast: Cast, login: Any) -> None:
    created = post(cast.rep)
    director = login(cast.director)
    response = director.post(reverse("feed:like", args=[created.pk]), HTTP_HX_REQUEST="true")
    assert 'aria-pressed="true"' in response.content.decode()
    director.post(reverse("feed:comment", args=[created.pk]), {"body": "Très bonne idée"})
    first = created.comments.get()
    login(cast.rep).post(reverse("feed:comment", args=[created.pk]), {"body": "Merci !", "parent": first.pk})
    director.post(reverse("feed:congratulate", args=[created.pk]), {"message": "Bravo Léa"})
    html = login(cast.rep).get(created.get_absolute_url()).content.decode()
    assert "Bravo Léa" in html and "from-hierarchy" in html
    assert "Merci !" in html
    created.refresh_from_db()
    assert (created.like_count, created.comment_count, created.congratulation_count) == (1, 2, 1)


def test_the_post_page_says_who_of_the_hierarchy_read_it(cast: Cast, login: Any) -> None:
    created = post(cast.rep)
    login(cast.manager).get(created.get_absolute_url())
    html = login(cast.teammate).get(created.get_absolute_url()).content.decode()
    assert "Marc Manager" in html and "Hélène Directrice" in html
    assert "read it" in html or "lu" in html


def test_the_author_edits_and_the_history_is_visible(cast: Cast, login: Any) -> None:
    created = post(cast.rep, body="Premier jet")
    client = login(cast.rep)
    response = client.post(
        reverse("feed:edit", args=[created.pk]),
        {"kind": "success", "body": "Version finale", "visibility": "company"},
    )
    assert response.status_code == 302
    assert "Premier jet" in client.get(reverse("feed:history", args=[created.pk])).content.decode()
    assert login(cast.teammate).get(reverse("feed:edit", args=[created.pk])).status_code == 403


def test_a_person_page_lists_posts_and_congratulations_received(cast: Cast, login: Any) -> None:
    created = post(cast.rep, body="Stickers mousseur de lait")
    services.congratulate(post=created, by=cast.director, message="Exemplaire")
    html = login(cast.outsider).get(reverse("feed:person", args=[cast.rep.pk])).content.decode()
    assert "Stickers mousseur de lait" in html and "Exemplaire" in html


def test_the_new_posts_indicator_counts_posts_above_the_top_one(cast: Cast, login: Any) -> None:
    first = post(cast.rep)
    client = login(cast.teammate)
    html = client.get(reverse("feed:all")).content.decode()
    assert 'id="new-posts"' in html
    post(cast.rep, body="Un nouveau")
    query = urlencode({"feed": "all", "since": first.created_at.isoformat(), "since_id": str(first.pk)})
    html = client.get(reverse("feed:new") + "?" + query).content.decode()
    assert "1 new post" in html or "1 nouvelle publication" in html


def test_older_posts_come_by_keyset_pages(cast: Cast, login: Any) -> None:
    for n in range(25):
        post(cast.rep, body=f"Post numéro {n}")
    client = login(cast.rep)
    html = client.get(reverse("feed:all")).content.decode()
    assert "Post numéro 24" in html and "Post numéro 4" not in html
    page = client.get(reverse("feed:all")).context["page"]
    html = client.get(
        reverse("feed:all") + f"?after={page.next_cursor}", HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "Post numéro 4" in html and "Post numéro 5<" not in html
    assert client.get(reverse("feed:all") + "?after=garbage").status_code == 400


def test_following_a_topic_brings_its_posts_into_for_me(cast: Cast, login: Any) -> None:
    demo = topic()
    post(cast.rep_office, body="Dégustation au bureau", topics=[demo])
    client = login(cast.rep)
    assert "Dégustation au bureau" not in client.get(reverse("feed:home")).content.decode()
    assert "follow-topic" in client.get(reverse("feed:all") + f"?topic={demo.pk}").content.decode()
    client.post(reverse("feed:follow_topic", args=[demo.pk]))
    assert "Dégustation au bureau" in client.get(reverse("feed:home")).content.decode()
