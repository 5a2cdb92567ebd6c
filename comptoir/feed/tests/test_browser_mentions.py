"""In Chromium: "@Cam" in the post form proposes Camille, the keyboard picks her, the post mentions
her and she is notified; on a phone, a tap picks her in a comment. Also the home page and "what I
follow" as a rep sees them."""

from __future__ import annotations

import os
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from comptoir.feed.models import Mention, Post
from comptoir.feed.services import KIND_MENTION
from comptoir.notifications.models import Notification
from comptoir.org.testing import build_cast, make_person
from conftest import browser_login

PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}


@pytest.mark.django_db(transaction=True)
def test_typing_at_cam_proposes_camille_and_the_mention_notifies_her(
    live_server: Any, chromium: Any, screenshot_dir: str
) -> None:
    from comptoir.feed.taxonomy import forget

    forget()
    cast = build_cast()
    camille = make_person(
        role=cast.roles["rep"],
        unit=cast.units["trade"],
        team=cast.team_trade,
        first_name="Camille",
        last_name="Martin",
        email="camille.martin@test.comptoir",
    )

    desktop = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = desktop.new_page()
    browser_login(page, live_server.url, cast.rep.email)
    page.goto(f"{live_server.url}/feed/new/")
    body = page.locator("#id_body")
    body.click()
    body.press_sequentially("Bravo à @Cam", delay=20)
    option = page.locator(".mention-list [role=option]").first
    option.wait_for()
    assert "Camille Martin" in option.inner_text() and cast.team_trade.name in option.inner_text()
    assert body.get_attribute("aria-expanded") == "true"
    page.screenshot(path=os.path.join(screenshot_dir, "feed-mention-suggestions.png"))
    body.press("Enter")
    assert page.locator(".mention-list").is_hidden()
    body.press_sequentially("pour le présentoir en caisse.", delay=5)
    assert body.input_value() == "Bravo à @camille.martin pour le présentoir en caisse."
    page.locator('[data-testid="publish"]').click()
    page.wait_for_selector(".post-full")

    created = Post.objects.get()
    assert list(Mention.objects.filter(post=created).values_list("person_id", flat=True)) == [camille.pk]
    assert Notification.objects.filter(recipient=camille, kind=KIND_MENTION).count() == 1
    assert page.locator(f'.post-full a[href="{reverse("org:profile", args=[camille.pk])}"]').count() == 1
    desktop.close()

    # On a phone, in a comment: Escape closes the list, a tap picks.
    phone = chromium.new_context(**PHONE)
    teammate = phone.new_page()
    browser_login(teammate, live_server.url, cast.teammate.email)
    teammate.goto(f"{live_server.url}{created.get_absolute_url()}")
    comment = teammate.locator(".comment-form textarea")
    comment.tap()
    comment.press_sequentially("Vu avec @cam", delay=20)
    teammate.locator(".mention-list [role=option]").first.wait_for()
    comment.press("Escape")
    assert teammate.locator(".mention-list").is_hidden()
    comment.press_sequentially("i", delay=20)  # "@cami": the list comes back
    teammate.locator(".mention-list [role=option]").first.tap()
    assert comment.input_value() == "Vu avec @camille.martin "
    teammate.locator('[data-testid="comment"]').tap()
    teammate.wait_for_selector(".comments .comment")
    phone.close()
    assert Mention.objects.filter(person=camille, comment__isnull=False).count() == 1
    assert Notification.objects.filter(recipient=camille, kind=KIND_MENTION).count() == 2


@pytest.mark.django_db(transaction=True)
def test_a_rep_reads_the_feed_on_the_home_page_and_unfollows_from_what_i_follow(
    live_server: Any, chromium: Any, screenshot_dir: str
) -> None:
    from comptoir.feed import services
    from comptoir.feed.taxonomy import forget

    forget()
    cast = build_cast()
    services.post_create(
        author=cast.teammate, body="Présentoir en caisse : **ventes doublées**", kind="success"
    )
    services.follow_person(follower=cast.rep, followed=cast.rep_trade)

    phone = chromium.new_context(**PHONE)
    page = phone.new_page()
    browser_login(page, live_server.url, cast.rep.email)
    section = page.locator('[data-testid="home-for-me"]')
    assert "Présentoir en caisse" in section.inner_text()
    assert "1 publication non lue" in section.locator('[data-testid="unread-count"]').inner_text()
    page.screenshot(path=os.path.join(screenshot_dir, "feed-home-phone.png"), full_page=True)
    section.locator('[data-testid="share-success"]').tap()
    assert page.locator("#id_kind").input_value() == "success"

    page.goto(f"{live_server.url}/feed/following/")
    followed = page.locator('[data-testid="followed-people"]')
    assert cast.rep_trade.full_name in followed.inner_text()
    # The page posts and comes back to itself: wait for that navigation, not for a URL it already has.
    with page.expect_navigation():
        followed.locator("button").first.tap()
    expect(page.locator('[data-testid="followed-people"]')).not_to_contain_text(cast.rep_trade.full_name)
    page.screenshot(path=os.path.join(screenshot_dir, "feed-following-phone.png"), full_page=True)
    phone.close()
    assert not cast.rep.feed_follows.exists()
