"""In Chromium: a rep takes a quiz on a phone-sized window, passes, shares it to the feed, and her
manager congratulates her from the notification."""

from __future__ import annotations

import os
from typing import Any

import pytest

from comptoir.core.models import PracticeTopic
from comptoir.learning import services
from comptoir.learning.models import Attempt
from comptoir.learning.tests.conftest import coffee_questions, picks_for
from comptoir.org.testing import build_cast

PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}


def login_as(page: Any, base_url: str, email: str) -> None:
    page.goto(f"{base_url}/login/")
    page.fill("#id_username", email)
    page.fill("#id_password", "a-long-test-password")
    page.locator("main button[type=submit]").click()
    page.wait_for_url(f"{base_url}/")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_rep_passes_a_quiz_on_a_phone_shares_it_and_the_manager_congratulates(
    live_server: Any, chromium: Any, screenshot_dir: str
) -> None:
    cast = build_cast()
    topic = PracticeTopic.objects.create(
        name="Machines à café", name_en="Coffee machines", slug="coffee-machines"
    )
    quiz = services.quiz_create(
        author=cast.manager,
        settings=services.QuizSettings(
            title="Les machines à café", audience="team", team=cast.team, topic=topic
        ),
        questions=coffee_questions(),
    )
    services.quiz_publish(quiz=quiz, actor=cast.manager)

    phone = chromium.new_context(**PHONE)
    rep = phone.new_page()
    login_as(rep, live_server.url, cast.rep.email)
    rep.locator(f'a[href="/quizzes/{quiz.pk}/"]').first.tap()  # from the home page's quizzes to take
    rep.locator('[data-testid="start-quiz"]').tap()
    rep.wait_for_selector('[data-testid="answer-form"]')
    attempt = Attempt.objects.get()
    for position in range(1, attempt.question_count + 1):
        rep.wait_for_selector('[data-testid="answer-form"]')
        assert f"{position}" in rep.locator("#progress-label").inner_text()
        picks = picks_for(attempt, position)
        if rep.locator('select[name^="rank_"]').count():
            for place, index in enumerate(picks, start=1):
                rep.select_option(f'select[name="rank_{index}"]', str(place))
        else:
            for index in picks:
                rep.locator(f'input[name="pick"][value="{index}"]').check()
        if position == 1:
            rep.screenshot(path=os.path.join(screenshot_dir, "learning-question-phone.png"), full_page=True)
        rep.locator('[data-testid="submit-answer"]').tap()
        rep.wait_for_selector('[data-testid="feedback"]')
        nxt = rep.locator('[data-testid="next-question"], [data-testid="see-result"]')
        nxt.first.tap()
    rep.wait_for_selector('[data-testid="score"]')
    assert "100" in rep.locator('[data-testid="score"]').inner_text()
    rep.fill("textarea[name=message]", "Merci à l'équipe pour les révisions !")
    rep.locator('[data-testid="share"]').tap()
    rep.wait_for_selector('[data-testid="shared"]')
    rep.screenshot(path=os.path.join(screenshot_dir, "learning-result-phone.png"), full_page=True)
    phone.close()
    attempt.refresh_from_db()
    assert attempt.passed and attempt.shared_post_id

    # The manager, on his phone too: one tap on "Congratulate" in the notification list.
    phone = chromium.new_context(**PHONE)
    manager = phone.new_page()
    login_as(manager, live_server.url, cast.manager.email)
    manager.goto(f"{live_server.url}/notifications/")
    button = manager.locator(
        f'form[action="/quizzes/attempts/{attempt.pk}/congratulate/"] [data-testid="one-tap"]'
    )
    with manager.expect_navigation():
        button.tap()  # the one tap, back to the list
    manager.screenshot(path=os.path.join(screenshot_dir, "learning-congratulated-phone.png"), full_page=True)
    from comptoir.feed.models import Congratulation

    assert Congratulation.objects.get().post_id == attempt.shared_post_id
    with manager.expect_navigation():
        button.tap()  # a second tap congratulates once all the same
    assert Congratulation.objects.count() == 1
    manager.goto(f"{live_server.url}/feed/{attempt.shared_post_id}/")
    body = manager.locator("main").inner_text()
    assert "Les machines à café" in body and "Marc Manager" in body
    manager.screenshot(path=os.path.join(screenshot_dir, "learning-congratulated-feed.png"), full_page=True)
    phone.close()
