"""The weekly digest: on each person's day and language, once a week, with one-click unsubscribe,
handed to a real SMTP server on loopback."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import Client

from comptoir.core import clock
from comptoir.insights.digest.sending import digest_run
from comptoir.insights.digest.tokens import unsubscribe_token
from comptoir.insights.models import DigestDelivery, DigestPreference
from comptoir.insights.tests.conftest import at
from comptoir.org.models import User

MONDAY = dt.date(2026, 11, 23)
TUESDAY = dt.date(2026, 11, 24)


def recipients(box: Any) -> list[str]:
    return sorted(m["To"] for m in box.messages)


def test_each_person_gets_the_digest_on_the_day_they_chose(with_open_actions: Any, smtp_server: Any) -> None:
    cast = with_open_actions
    DigestPreference.objects.create(user=cast.rep, weekday=1)
    DigestPreference.objects.create(user=cast.teammate, weekday=DigestPreference.NEVER)
    with clock.frozen(at("2026-11-23", 7)):
        run = digest_run(MONDAY, batch_size=4)
    everyone_else = User.objects.exclude(pk__in=[cast.rep.pk, cast.teammate.pk]).count()
    smtp_server.wait_for(everyone_else)
    assert run.sent == everyone_else and run.batches == (everyone_else + 3) // 4
    assert cast.rep.email not in recipients(smtp_server) and cast.teammate.email not in recipients(
        smtp_server
    )
    with clock.frozen(at("2026-11-24", 7)):
        digest_run(TUESDAY)
    smtp_server.wait_for(everyone_else + 1)
    assert recipients(smtp_server).count(cast.rep.email) == 1
    assert "batch 1:" in run.log and "finished" in run.log


def test_never_twice_the_same_week_even_after_changing_day(with_open_actions: Any, smtp_server: Any) -> None:
    cast = with_open_actions
    with clock.frozen(at("2026-11-23", 7)):
        digest_run(MONDAY)
        digest_run(MONDAY)  # the scheduler ran twice
    DigestPreference.objects.create(user=cast.rep, weekday=1)  # then the rep moves to Tuesday
    with clock.frozen(at("2026-11-24", 7)):
        second = digest_run(TUESDAY)
    assert second.sent == 0
    smtp_server.wait_for(User.objects.count())
    assert recipients(smtp_server) == sorted(User.objects.values_list("email", flat=True))


def test_the_digest_is_in_the_chosen_language_html_and_text_with_one_click_unsubscribe(
    with_open_actions: Any, smtp_server: Any
) -> None:
    from conftest import body_of

    cast = with_open_actions
    DigestPreference.objects.create(user=cast.rep, weekday=0, language="en")
    with clock.frozen(at("2026-11-23", 7)):
        digest_run(MONDAY)
    smtp_server.wait_for(User.objects.count())
    by_person = {m["To"]: m for m in smtp_server.messages}
    english, french = by_person[cast.rep.email], by_person[cast.teammate.email]
    assert english["Subject"].startswith("Your week on Comptoir")
    assert french["Subject"].startswith("Votre semaine sur Comptoir")
    assert "Rappeler le client de Léa" in body_of(english, "plain")
    html = body_of(english, "html")
    assert 'name="viewport"' in html and "max-width:600px" in html
    assert english["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = english["List-Unsubscribe"].strip("<>")
    assert url.endswith(f"/insights/digest/unsubscribe/{unsubscribe_token(cast.rep.pk)}/")

    # What a mail client does for RFC 8058: a POST, no session, no CSRF token.
    path = url.split("127.0.0.1:8000", 1)[-1]
    anonymous = Client(enforce_csrf_checks=True)
    assert anonymous.get(path).status_code == 200  # a link scanner's GET changes nothing
    assert DigestPreference.objects.get(user=cast.rep).weekday == 0
    assert anonymous.post(path, {"List-Unsubscribe": "One-Click"}).status_code == 200
    assert DigestPreference.objects.get(user=cast.rep).weekday == DigestPreference.NEVER
    with clock.frozen(at("2026-11-30", 7)):
        digest_run(dt.date(2026, 11, 30))
    smtp_server.wait_for(2 * User.objects.count() - 1)
    assert recipients(smtp_server).count(cast.rep.email) == 1


def test_a_forged_unsubscribe_token_is_refused(cast: Any) -> None:
    assert Client().post("/insights/digest/unsubscribe/42:forged/").status_code == 404


def test_a_person_with_nothing_to_read_gets_no_e_mail(cast: Any, smtp_server: Any) -> None:
    with clock.frozen(at("2026-11-23", 7)):
        run = digest_run(MONDAY)
    assert run.sent == 0 and not smtp_server.messages
    assert DigestDelivery.objects.filter(status="empty").count() == User.objects.count()


def test_the_settings_page_saves_the_day_and_language(cast: Any, login: Any) -> None:
    client = login(cast.rep)
    assert "/insights/digest/" in client.get("/people/me/").content.decode()
    response = client.post("/insights/digest/", {"weekday": "4", "language": "en"})
    assert response.status_code == 302
    pref = DigestPreference.objects.get(user=cast.rep)
    assert (pref.weekday, pref.language) == (4, "en")
    assert client.post("/insights/digest/", {"weekday": "9", "language": ""}).status_code == 400
    assert DigestPreference.objects.get(user=cast.rep).weekday == 4


def test_digest_settings_in_the_api(cast: Any, login: Any) -> None:
    client = login(cast.rep)
    assert client.get("/api/insights/digest").json() == {"weekday": 0, "language": ""}
    response = client.put(
        "/api/insights/digest", {"weekday": 2, "language": "fr"}, content_type="application/json"
    )
    assert response.status_code == 200
    assert (
        client.put("/api/insights/digest", {"weekday": 12}, content_type="application/json").status_code
        == 422
    )
    assert DigestPreference.objects.get(user=cast.rep).weekday == 2


def test_the_digest_tells_the_week_of_the_feed(cast: Any, smtp_server: Any) -> None:
    """A manager's digest: their team's post awaiting their reaction, the company's best post, the team's
    news, the congratulations they received. A post restricted to another team never shows."""
    from comptoir.feed.models import Congratulation, Post
    from conftest import body_of

    def post(author: Any, body: str, day: str, **fields: Any) -> Post:
        moment = at(day, 10)
        return Post.objects.create(
            author=author, body=body, created_at=moment, updated_at=moment, author_team=author.team, **fields
        )

    best = post(cast.rep_trade, "Trois machines placées grâce au petit-déjeuner", "2026-11-18", like_count=5)
    news = post(cast.rep, "Présentoir installé au Café des Arts", "2026-11-19")
    post(
        cast.rep_office,
        "Note interne à l'équipe Office",
        "2026-11-19",
        visibility="team",
        visible_team=cast.team_office,
        like_count=9,
    )
    post(cast.rep_trade, "Trop ancien pour ce résumé", "2026-11-10", like_count=50)
    mine = post(cast.manager, "Bilan du trimestre", "2026-11-17")
    Congratulation.objects.create(
        post=mine,
        by=cast.director,
        to=cast.manager,
        message="Excellent bilan",
        created_at=at("2026-11-18"),
        from_hierarchy=True,
        from_role="director",
    )
    with clock.frozen(at("2026-11-23", 7)):
        digest_run(MONDAY)
    smtp_server.wait_for(1)
    by_person = {m["To"]: m for m in smtp_server.messages}
    text = body_of(by_person[cast.manager.email], "plain")
    assert "Présentoir installé au Café des Arts" in text  # awaiting his reaction, and his team's news
    assert text.index("Présentoir") < text.index("Trois machines")
    assert "Trois machines placées" in text and "Excellent bilan" in text and "Hélène Directrice" in text
    assert "Note interne" not in text and "Trop ancien" not in text
    assert "Note interne" in body_of(by_person[cast.outsider.email], "plain")  # his own team's post
    assert f"/feed/{news.pk}/" in body_of(by_person[cast.manager.email], "html")
    assert best.pk


def test_the_digest_lists_the_quizzes_waiting(cast: Any, smtp_server: Any) -> None:
    from comptoir.learning.models import Quiz, QuizResult
    from conftest import body_of

    def quiz(title: str, **fields: Any) -> Quiz:
        now = clock.now()
        return Quiz.objects.create(
            title=title,
            title_en=f"{title} (EN)",
            author=cast.manager,
            published=True,
            created_at=now,
            updated_at=now,
            **fields,
        )

    with clock.frozen(at("2026-11-20", 9)):
        quiz("Les machines à café", audience="company")
        passed = quiz("Les gammes de café", audience="company")
        quiz("Réservé au Trade", audience="unit", unit=cast.units["trade"])
        QuizResult.objects.create(
            quiz=passed,
            user=cast.rep,
            attempts=1,
            best_score=90,
            last_score=90,
            passed=True,
            first_finished_at=clock.now(),
            passed_at=clock.now(),
        )
    DigestPreference.objects.create(user=cast.teammate, weekday=0, language="en")
    with clock.frozen(at("2026-11-23", 7)):
        digest_run(MONDAY)
    smtp_server.wait_for(User.objects.count())
    by_person = {m["To"]: m for m in smtp_server.messages}
    rep = body_of(by_person[cast.rep.email], "plain")
    assert "Les machines à café" in rep and "Les gammes de café" not in rep and "Réservé au Trade" not in rep
    assert "Réservé au Trade" in body_of(by_person[cast.rep_trade.email], "plain")
    assert "Les machines à café (EN)" in body_of(by_person[cast.teammate.email], "plain")
