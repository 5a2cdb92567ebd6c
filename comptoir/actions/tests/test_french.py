from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from comptoir.actions.models import Action

pytestmark = pytest.mark.django_db


def test_pages_speak_french(cast: Any, login: Any, post_action: Any) -> None:
    action = post_action()
    client = login(cast.rep)
    client.cookies["django_language"] = "fr"
    html = client.get(reverse("actions:detail", args=[action.pk]), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Boucler la boucle" in html
    assert "Je m'en occupe" in html
    assert "Projets d" in client.get(reverse("projects:list"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    with translation.override("fr"):
        assert str(Action.Status.DONE.label) == "Faite"
