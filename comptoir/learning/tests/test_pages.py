"""The pages: who sees which quiz, one question per screen without its answer, the result, the
author's pages, and fixed query counts."""

from __future__ import annotations

import re
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from comptoir.learning import attempts
from comptoir.learning.models import Attempt, Quiz
from comptoir.learning.tests.conftest import picks_for, take


def test_a_team_quiz_is_for_the_team_and_its_author_only(cast: Any, make_quiz: Any, login: Any) -> None:
    quiz = make_quiz()
    assert "Les machines à café" in login(cast.rep).get("/quizzes/").content.decode()
    assert "Les machines à café" not in login(cast.outsider).get("/quizzes/").content.decode()
    assert login(cast.outsider).get(f"/quizzes/{quiz.pk}/").status_code == 404
    assert login(cast.rep_trade).post(f"/quizzes/{quiz.pk}/start/").status_code == 404
    assert login(cast.manager).get(f"/quizzes/{quiz.pk}/manage/").status_code == 200
    assert login(cast.rep).get(f"/quizzes/{quiz.pk}/manage/").status_code == 403
    assert login(cast.hq).get(f"/quizzes/{quiz.pk}/").status_code == 200  # national programmes see all


def test_unit_and_region_audiences(cast: Any, make_quiz: Any, login: Any) -> None:
    unit_quiz = make_quiz(
        author=cast.director, title="Offre HoReCa", audience="unit", unit=cast.units["horeca"], team=None
    )
    region_quiz = make_quiz(title="Île-de-France", audience="region", region=cast.regions["idf"], team=None)
    assert login(cast.rep).get(f"/quizzes/{unit_quiz.pk}/").status_code == 200
    assert login(cast.rep).get(f"/quizzes/{region_quiz.pk}/").status_code == 200
    assert login(cast.rep_trade).get(f"/quizzes/{unit_quiz.pk}/").status_code == 404
    assert login(cast.rep_office).get(f"/quizzes/{region_quiz.pk}/").status_code == 404


def test_a_draft_is_invisible_to_the_audience(cast: Any, make_quiz: Any, login: Any) -> None:
    quiz = make_quiz(publish=False)
    assert login(cast.rep).get(f"/quizzes/{quiz.pk}/").status_code == 404


def test_a_rep_cannot_build_a_quiz_and_a_manager_cannot_address_the_company(cast: Any, login: Any) -> None:
    assert login(cast.rep).get("/quizzes/new/").status_code == 403
    response = login(cast.manager).post(
        "/quizzes/new/", {"title": "Tout le monde", "audience": "company", "pass_mark": 70, "bank_draw": 0}
    )
    assert response.status_code == 400
    assert not Quiz.objects.exists()


def test_a_manager_builds_a_quiz_from_the_pages(cast: Any, login: Any, topic: Any) -> None:
    client = login(cast.manager)
    response = client.post(
        "/quizzes/new/",
        {
            "title": "Dégustation",
            "audience": "team",
            "team": cast.team.pk,
            "pass_mark": 60,
            "bank_draw": 0,
            "topic": topic.pk,
        },
    )
    quiz = Quiz.objects.get()
    assert response.status_code == 302 and quiz.team_id == cast.team.pk
    response = client.post(
        f"/quizzes/{quiz.pk}/questions/new/",
        {
            "kind": "single",
            "text": "Combien de grammes pour un espresso ?",
            "choices": "4 g\n*7 g\n12 g",
            "explanation": "Sept grammes.",
        },
    )
    assert response.status_code == 302
    bad = client.post(
        f"/quizzes/{quiz.pk}/questions/new/",
        {"kind": "single", "text": "Sans bonne réponse", "choices": "a\nb"},
    )
    assert bad.status_code == 400 and quiz.questions.count() == 1
    client.post(f"/quizzes/{quiz.pk}/publish/")
    quiz.refresh_from_db()
    assert quiz.published


def _question_html(client: Any, attempt: Attempt, position: int) -> str:
    response = client.get(f"/quizzes/attempts/{attempt.pk}/q/{position}/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_page_does_not_hold_the_correct_answer_before_answering(
    cast: Any, make_quiz: Any, login: Any
) -> None:
    quiz = make_quiz()
    client = login(cast.rep)
    response = client.post(f"/quizzes/{quiz.pk}/start/")
    attempt = Attempt.objects.get()
    assert response.url == f"/quizzes/attempts/{attempt.pk}/"
    html = _question_html(client, attempt, 1)
    assert "Quelle pression" in html
    assert "Neuf bars donnent la crème" not in html  # the explanation comes after answering
    assert "✔" not in html
    values = re.findall(r'name="pick" value="([^"]+)"', html)
    assert values == ["0", "1", "2"]  # indices in the drawn order, never choice ids
    choice_ids = {str(i) for i in attempt.answers.get(position=1).choice_order}
    assert not any(f'"{cid}"' in html for cid in choice_ids if int(cid) > 2)
    # Asking for a later question before answering this one shows the current one instead.
    assert client.get(f"/quizzes/attempts/{attempt.pk}/q/2/").status_code == 302
    right = picks_for(attempt, 1)
    response = client.post(f"/quizzes/attempts/{attempt.pk}/q/1/", {"pick": right})
    assert response.status_code == 302
    html = _question_html(client, attempt, 1)
    assert "Neuf bars donnent la crème" in html and "✔" in html


def test_a_whole_attempt_through_the_pages_and_its_result(cast: Any, make_quiz: Any, login: Any) -> None:
    quiz = make_quiz()
    client = login(cast.rep)
    client.post(f"/quizzes/{quiz.pk}/start/")
    attempt = Attempt.objects.get()
    for position in (1, 2, 3):
        client.post(f"/quizzes/attempts/{attempt.pk}/q/{position}/", {"pick": picks_for(attempt, position)})
    order = picks_for(attempt, 4, right=False)
    ranks = {f"rank_{index}": str(place) for place, index in enumerate(order, start=1)}
    client.post(f"/quizzes/attempts/{attempt.pk}/q/4/", ranks)
    last = client.get(f"/quizzes/attempts/{attempt.pk}/q/4/")  # the last answer's feedback, attempt finished
    assert last.status_code == 200 and 'data-testid="see-result"' in last.content.decode()
    html = client.get(f"/quizzes/attempts/{attempt.pk}/result/").content.decode()
    assert "75 %" in html
    wrong = html.split('<li class="bad"')[1]
    assert "Dans quel ordre" in wrong  # the question to review, with its correct order
    assert client.post(f"/quizzes/attempts/{attempt.pk}/q/1/", {"pick": ["0"]}).status_code in (302, 400)
    attempt.refresh_from_db()
    assert attempt.score == 75.0


def test_resuming_after_a_closed_tab_goes_back_to_the_question(cast: Any, make_quiz: Any, login: Any) -> None:
    quiz = make_quiz()
    attempt = attempts.attempt_start(quiz=quiz, user=cast.rep)
    attempts.attempt_answer(attempt=attempt, position=1, picks=picks_for(attempt, 1))
    client = login(cast.rep)  # a new session, as on another phone
    response = client.post(f"/quizzes/{quiz.pk}/start/", follow=True)
    assert response.redirect_chain[-1][0] == f"/quizzes/attempts/{attempt.pk}/q/2/"


def test_nobody_else_reads_an_attempt(cast: Any, make_quiz: Any, login: Any) -> None:
    attempt = attempts.attempt_start(quiz=make_quiz(), user=cast.rep)
    for person in (cast.teammate, cast.manager, cast.hq):
        assert login(person).get(f"/quizzes/attempts/{attempt.pk}/q/1/").status_code == 404


def test_own_results_are_always_visible_and_no_leaderboard_unless_turned_on(
    cast: Any, make_quiz: Any, login: Any
) -> None:
    quiz = make_quiz()
    take(attempts.attempt_start(quiz=quiz, user=cast.rep), right=4)
    take(attempts.attempt_start(quiz=quiz, user=cast.teammate), right=2)
    page = login(cast.teammate).get(f"/quizzes/{quiz.pk}/").content.decode()
    assert "leaderboard" not in page and cast.rep.full_name not in page
    assert "Les machines à café" in login(cast.teammate).get("/quizzes/results/").content.decode()
    Quiz.objects.filter(pk=quiz.pk).update(leaderboard=True)
    page = login(cast.teammate).get(f"/quizzes/{quiz.pk}/").content.decode()
    assert 'data-testid="leaderboard"' in page and cast.rep.full_name in page


def test_duplicate_makes_a_draft_copy(cast: Any, make_quiz: Any, login: Any) -> None:
    quiz = make_quiz()
    take(attempts.attempt_start(quiz=quiz, user=cast.rep), right=1)
    response = login(cast.manager).post(f"/quizzes/{quiz.pk}/duplicate/")
    copy = Quiz.objects.exclude(pk=quiz.pk).get()
    assert response.url == f"/quizzes/{copy.pk}/manage/"
    assert (copy.published, copy.questions.count(), copy.attempts.count()) == (False, 4, 0)
    assert copy.title.startswith("Les machines à café (")


def test_questions_no_longer_change_once_people_took_the_quiz(cast: Any, make_quiz: Any, login: Any) -> None:
    quiz = make_quiz()
    attempts.attempt_start(quiz=quiz, user=cast.rep)
    question = quiz.questions.first()
    response = login(cast.manager).post(f"/quizzes/{quiz.pk}/questions/{question.pk}/delete/")
    assert response.status_code == 302 and quiz.questions.count() == 4


def _count(client: Any, method: str, url: str, data: Any = None) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = getattr(client, method)(url, data or {})
        assert response.status_code in (200, 201, 302), response.content[:300]
    return len(queries.captured_queries)


def test_starting_and_answering_take_a_fixed_number_of_queries(
    cast: Any, make_quiz: Any, login: Any, topic: Any
) -> None:
    from comptoir.learning import services
    from comptoir.learning.tests.conftest import coffee_questions

    services.bank_add_many(actor=cast.manager, topic=topic, specs=coffee_questions() * 5)
    small = make_quiz(title="Petit")
    large = make_quiz(title="Grand", questions=coffee_questions() * 4, bank_draw=10)
    client = login(cast.rep)
    client.get("/quizzes/")  # warm-up: the first visit of the day is recorded once
    counts = []
    for quiz in (small, large):
        start = _count(client, "post", f"/quizzes/{quiz.pk}/start/")
        attempt = Attempt.objects.get(quiz=quiz)
        show = _count(client, "get", f"/quizzes/attempts/{attempt.pk}/q/1/")
        answer = _count(
            client, "post", f"/quizzes/attempts/{attempt.pk}/q/1/", {"pick": picks_for(attempt, 1)}
        )
        counts.append((start, show, answer))
    assert counts[0] == counts[1], counts


def test_analytics_for_the_author_with_who_has_not_taken_it(cast: Any, make_quiz: Any, login: Any) -> None:
    quiz = make_quiz()
    take(attempts.attempt_start(quiz=quiz, user=cast.rep), right=1)
    client = login(cast.manager)
    client.get("/quizzes/")
    client.get(f"/quizzes/{quiz.pk}/analytics/")  # warm-up: the audience's head counts are cached
    first = _count(client, "get", f"/quizzes/{quiz.pk}/analytics/")
    html = client.get(f"/quizzes/{quiz.pk}/analytics/").content.decode()
    assert cast.teammate.full_name in html.split('data-testid="not-taken"')[1].split("</ul>")[0]
    assert "<svg" in html
    take(attempts.attempt_start(quiz=quiz, user=cast.teammate), right=4)
    assert _count(client, "get", f"/quizzes/{quiz.pk}/analytics/") == first
    csv_text = b"".join(client.get(f"/quizzes/{quiz.pk}/analytics.csv").streaming_content).decode("utf-8-sig")
    assert cast.rep.email in csv_text and cast.teammate.email in csv_text
    assert login(cast.rep).get(f"/quizzes/{quiz.pk}/analytics/").status_code == 403
    assert login(cast.rep).get(f"/quizzes/{quiz.pk}/analytics.csv").status_code == 403


def test_a_question_may_carry_a_picture_checked_and_re_encoded(cast: Any, make_quiz: Any, login: Any) -> None:
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    quiz = make_quiz(publish=False)
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (120, 60, 20)).save(buffer, format="PNG")
    picture = SimpleUploadedFile("machine.png", buffer.getvalue(), content_type="image/png")
    data = {
        "kind": "true_false",
        "text": "Cette machine a deux groupes.",
        "correct": "vrai",
        "image": picture,
    }
    assert login(cast.manager).post(f"/quizzes/{quiz.pk}/questions/new/", data).status_code == 302
    question = quiz.questions.order_by("-position").first()
    assert question is not None and question.image.name.endswith(".jpg")
    fake = SimpleUploadedFile("virus.png", b"not a picture", content_type="image/png")
    data = {"kind": "true_false", "text": "Encore ?", "correct": "vrai", "image": fake}
    assert login(cast.manager).post(f"/quizzes/{quiz.pk}/questions/new/", data).status_code == 400
