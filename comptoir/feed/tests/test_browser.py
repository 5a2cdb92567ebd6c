"""In Chromium: a rep posts a practice with a photo from a phone, a director congratulates it on a
desktop, and the rep sees the congratulation on the post and in the notifications."""

from __future__ import annotations

import os
from typing import Any

import pytest

from comptoir.core.models import PracticeTopic
from comptoir.feed.models import Congratulation, Post
from comptoir.feed.tests.factories import jpeg_bytes
from comptoir.org.testing import build_cast

PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}


def login(page: Any, base_url: str, email: str) -> None:
    page.goto(f"{base_url}/login/")
    page.fill("#id_username", email)
    page.fill("#id_password", "a-long-test-password")
    page.locator("main button[type=submit]").click()
    page.wait_for_url(f"{base_url}/")


@pytest.mark.django_db(transaction=True)
def test_a_rep_posts_a_practice_with_a_photo_and_the_director_congratulates_it(
    live_server: Any, chromium: Any, screenshot_dir: str, tmp_path: Any
) -> None:
    from comptoir.feed.taxonomy import forget

    forget()
    cast = build_cast()
    topic = PracticeTopic.objects.create(name="Démonstration petit-déjeuner", slug="breakfast-demo")
    photo = tmp_path / "demo.jpg"
    photo.write_bytes(jpeg_bytes(1200, 900, exif=True))

    rep_context = chromium.new_context(**PHONE)
    rep = rep_context.new_page()
    login(rep, live_server.url, cast.rep.email)
    rep.goto(f"{live_server.url}/feed/")
    rep.locator('[data-testid="new-post"]').tap()
    rep.fill("#id_body", "Démo petit-déjeuner chez un hôtel : **trois machines** placées en une matinée.")
    rep.locator(f'input[name="topics"][value="{topic.pk}"]').check()
    rep.set_input_files("#id_photos", str(photo))
    rep.locator('[data-testid="publish"]').tap()
    rep.wait_for_selector(".post-full")
    created = Post.objects.get()
    assert created.photo_count == 1
    assert rep.locator(".post-full strong").first.inner_text() == "trois machines"

    director_context = chromium.new_context(viewport={"width": 1280, "height": 900})
    director = director_context.new_page()
    login(director, live_server.url, cast.director.email)
    director.goto(f"{live_server.url}/feed/")
    director.locator(f"#post-{created.pk} .open").click()
    director.fill('input[name="message"]', "Bravo Léa, une démo exemplaire !")
    director.locator('[data-testid="congratulate"]').click()
    director.wait_for_selector(".congratulations li.from-hierarchy")
    director.goto(f"{live_server.url}/feed/all/")
    director.wait_for_selector(f"#post-{created.pk} .hierarchy-congrats")
    director.screenshot(path=os.path.join(screenshot_dir, "feed-desktop.png"), full_page=False)
    director_context.close()
    assert Congratulation.objects.get().from_role == "director"

    rep.goto(f"{live_server.url}/feed/{created.pk}/")
    congratulation = rep.locator(".congratulations li.from-hierarchy").first.inner_text()
    assert "Bravo Léa" in congratulation and "Hélène Directrice" in congratulation
    rep.goto(f"{live_server.url}/notifications/")
    assert "Hélène Directrice" in rep.locator("main").inner_text()
    rep.goto(f"{live_server.url}/feed/")
    rep.wait_for_selector(f"#post-{created.pk}")
    rep.screenshot(path=os.path.join(screenshot_dir, "feed-phone.png"), full_page=False)
    rep_context.close()
