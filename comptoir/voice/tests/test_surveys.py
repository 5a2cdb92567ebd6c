"""Customer relations edits a survey's texts and its extra questions from pages (and the API); the
customer sees them in their language; bad input re-displays with the error and changes nothing."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse

from comptoir.voice import services
from comptoir.voice.models import Response, Survey, SurveyQuestion

from .conftest import World, invite


def test_the_texts_are_edited_from_a_page_and_empty_questions_get_the_standard_text(
    world: World, login: Any
) -> None:
    client = login(world.cast.agent)
    url = reverse("voice:survey_edit", args=[world.survey.pk])
    page = client.get(url)
    assert page.status_code == 200 and "Votre livraison" in page.text
    done = client.post(
        url,
        {
            "name": "Après livraison (v2)",
            "kind": "transactional",
            "step": world.delivery.pk,
            "title": "Votre dernière livraison",
            "title_en": "Your last delivery",
            "nps_question": "",
            "nps_question_en": "",
        },
    )
    assert done.status_code == 302
    survey = Survey.objects.get(pk=world.survey.pk)
    assert survey.name == "Après livraison (v2)" and survey.title == "Votre dernière livraison"
    assert survey.nps_question.startswith("Quelle est la probabilité")  # the standard text is back
    assert survey.nps_question_en.startswith("How likely")


def test_a_bad_edit_re_displays_with_the_error_and_changes_nothing(world: World, login: Any) -> None:
    client = login(world.cast.agent)
    bad = client.post(
        reverse("voice:survey_edit", args=[world.survey.pk]),
        {"name": "Sans étape", "kind": "transactional", "step": ""},
    )
    assert bad.status_code == 400 and 'class="voice-error"' in bad.text
    long = client.post(
        reverse("voice:survey_edit", args=[world.survey.pk]),
        {"name": "x" * 161, "kind": "relational"},
    )
    assert long.status_code == 400
    assert Survey.objects.get(pk=world.survey.pk).name == "Après livraison"


def test_extra_questions_are_added_edited_moved_and_removed_from_a_page(world: World, login: Any) -> None:
    client = login(world.cast.agent)
    url = reverse("voice:questions", args=[world.survey.pk])
    assert client.get(url).status_code == 200
    added = client.post(
        url,
        {
            "new-kind": "choice",
            "new-text": "Qui a livré ?",
            "new-text_en": "Who delivered?",
            "new-choices": "Notre chauffeur | Our driver\nUn transporteur | A carrier",
            "new-required": "on",
        },
    )
    assert added.status_code == 302
    client.post(url, {"new-kind": "yes_no", "new-text": "Livraison complète ?"})
    first, second = SurveyQuestion.objects.order_by("rank")
    assert first.choices == [
        {"value": "notre-chauffeur", "fr": "Notre chauffeur", "en": "Our driver"},
        {"value": "un-transporteur", "fr": "Un transporteur", "en": "A carrier"},
    ]
    assert first.required and second.text_en == "Livraison complète ?"  # English falls back
    saved = client.post(
        reverse("voice:question", args=[world.survey.pk, first.pk]),
        {f"q{first.pk}-kind": "text", f"q{first.pk}-text": "Le nom du chauffeur ?"},
    )
    assert saved.status_code == 302
    first.refresh_from_db()
    assert (first.kind, first.text, first.choices, first.required) == (
        "text",
        "Le nom du chauffeur ?",
        [],
        False,
    )
    client.post(reverse("voice:question_move", args=[world.survey.pk, second.pk]), {"direction": "up"})
    assert list(SurveyQuestion.objects.order_by("rank").values_list("pk", flat=True)) == [second.pk, first.pk]
    client.post(reverse("voice:question_delete", args=[world.survey.pk, first.pk]))
    assert list(SurveyQuestion.objects.values_list("pk", flat=True)) == [second.pk]


def test_bad_questions_are_refused_with_a_message(world: World, login: Any) -> None:
    client = login(world.cast.agent)
    url = reverse("voice:questions", args=[world.survey.pk])
    one_choice = client.post(
        url, {"new-kind": "choice", "new-text": "Laquelle ?", "new-choices": "Une seule"}
    )
    assert one_choice.status_code == 400 and "voice-error" in one_choice.text
    no_text = client.post(url, {"new-kind": "text", "new-text": "   "})
    assert no_text.status_code == 400
    bad_kind = client.post(url, {"new-kind": "slider", "new-text": "Note ?"})
    assert bad_kind.status_code == 400
    question = services.question_create(
        by=world.cast.agent, survey=world.survey, kind="text", text="Un mot ?"
    )
    bad_edit = client.post(
        reverse("voice:question", args=[world.survey.pk, question.pk]),
        {f"q{question.pk}-kind": "choice", f"q{question.pk}-text": "Un mot ?", f"q{question.pk}-choices": ""},
    )
    assert bad_edit.status_code == 400
    question.refresh_from_db()
    assert question.kind == "text" and SurveyQuestion.objects.count() == 1


def test_only_those_who_run_surveys_edit_them(world: World, login: Any) -> None:
    question = services.question_create(
        by=world.cast.agent, survey=world.survey, kind="text", text="Un mot ?"
    )
    for who in (world.cast.rep, world.cast.manager, world.cast.hq, world.cast.director):
        client = login(who)
        assert client.get(reverse("voice:survey_edit", args=[world.survey.pk])).status_code == 403
        assert client.get(reverse("voice:questions", args=[world.survey.pk])).status_code == 403
        assert (
            client.post(reverse("voice:question_delete", args=[world.survey.pk, question.pk])).status_code
            == 403
        )
    other = services.survey_create(by=world.cast.agent, name="Autre", kind="relational")
    # A question is reached through its own survey only.
    wrong = login(world.cast.agent).post(reverse("voice:question_delete", args=[other.pk, question.pk]))
    assert wrong.status_code == 404 and SurveyQuestion.objects.count() == 1


def test_the_customer_answers_the_extra_questions_in_their_language(world: World, login: Any) -> None:
    choice = services.question_create(
        by=world.cast.agent,
        survey=world.survey,
        kind="choice",
        text="Qui a livré ?",
        text_en="Who delivered?",
        choices=services.choices_parse("Notre chauffeur | Our driver\nUn transporteur | A carrier"),
        required=True,
    )
    text = services.question_create(by=world.cast.agent, survey=world.survey, kind="text", text="Un mot ?")
    preview = login(world.cast.agent).get(
        reverse("voice:survey_preview", args=[world.survey.pk]), {"lang": "en"}
    )
    assert preview.status_code == 200 and "Who delivered?" in preview.text and "disabled" in preview.text
    invitation = invite(world, world.contact_en)
    url = reverse("voice:answer", args=[invitation.token])
    page = Client().get(url)
    assert "Who delivered?" in page.text and "Our driver" in page.text
    missing = Client().post(url, {"nps": "9", "edit_key": "k" * 43})
    assert missing.status_code == 422 and Response.objects.count() == 0
    wrong = Client().post(url, {"nps": "9", f"q{choice.pk}": "a-drone", "edit_key": "k" * 43})
    assert wrong.status_code == 422 and Response.objects.count() == 0
    too_long = Client().post(
        url, {"nps": "9", f"q{choice.pk}": "notre-chauffeur", f"q{text.pk}": "x" * 501, "edit_key": "k" * 43}
    )
    assert too_long.status_code == 422 and Response.objects.count() == 0
    # The page keeps what was typed when it shows an error.
    assert 'value="' + "x" * 501 + '"' in too_long.text
    ok = Client().post(
        url, {"nps": "9", f"q{choice.pk}": "notre-chauffeur", f"q{text.pk}": "Parfait", "edit_key": "k" * 43}
    )
    assert ok.status_code == 200
    assert Response.objects.get().extra == {f"q{choice.pk}": "notre-chauffeur", f"q{text.pk}": "Parfait"}


def test_surveys_and_their_questions_in_the_api(world: World, login: Any) -> None:
    client = login(world.cast.agent)
    base = f"/api/voice/surveys/{world.survey.pk}"
    patched = client.patch(
        base, {"title": "Livraison", "anonymous_link": True}, content_type="application/json"
    )
    assert patched.status_code == 200 and patched.json()["title"] == "Livraison"
    assert patched.json()["anonymous_token"]
    bad = client.patch(base, {"status": "paused"}, content_type="application/json")
    assert bad.status_code == 422 and bad.json()["error"]["fields"][0]["field"] == "status"
    added = client.post(
        f"{base}/questions",
        {"kind": "choice", "text": "Qui ?", "choices": ["Chauffeur | Driver", "Transporteur | Carrier"]},
        content_type="application/json",
    )
    assert added.status_code == 201 and added.json()["choices"][1]["en"] == "Carrier"
    qid = added.json()["id"]
    refused = client.post(
        f"{base}/questions", {"kind": "choice", "text": "Qui ?"}, content_type="application/json"
    )
    assert refused.status_code == 422 and refused.json()["error"]["fields"][0]["field"] == "choices"
    changed = client.put(
        f"{base}/questions/{qid}", {"kind": "text", "text": "Un mot ?"}, content_type="application/json"
    )
    assert changed.status_code == 200 and changed.json()["choices"] == []
    assert [q["id"] for q in client.get(f"{base}/questions").json()] == [qid]
    assert login(world.cast.rep).get(f"{base}/questions").status_code == 403
    assert login(world.cast.hq).delete(f"{base}/questions/{qid}").status_code == 403
    assert client.delete(f"{base}/questions/{qid}").status_code == 204
    assert not SurveyQuestion.objects.exists()


def test_customer_relations_tunes_the_settings_from_a_page(world: World, login: Any) -> None:
    from comptoir.voice.models import VoiceSettings

    client = login(world.cast.agent)
    url = reverse("voice:settings")
    assert client.get(url).status_code == 200
    values = {
        "throttle_days": 45,
        "reminder_after_days": 4,
        "invitation_valid_days": 20,
        "min_responses": 25,
        "anonymous_max_per_day": 2,
    }
    assert client.post(url, values).status_code == 302
    assert VoiceSettings.current().throttle_days == 45 and VoiceSettings.current().min_responses == 25
    bad = client.post(url, {**values, "reminder_after_days": 30, "min_responses": 0})
    assert bad.status_code == 400 and "voice-error" in bad.text
    assert VoiceSettings.current().reminder_after_days == 4 and VoiceSettings.current().min_responses == 25
    assert client.post(url, {**values, "throttle_days": -3}).status_code == 400
    for who in (world.cast.rep, world.cast.hq, world.cast.director):
        assert login(who).get(url).status_code == 403
