"""The pages: post, inbox tabs, detail, transitions, comments, with fixed query counts."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from comptoir.actions.models import Action, ActionComment
from comptoir.core import clock

pytestmark = pytest.mark.django_db


def test_the_agent_posts_an_action_prefilled_from_the_account(
    cast: Any, login: Any, account: Any, kind: Any
) -> None:
    client = login(cast.agent)
    page = client.get(reverse("actions:new") + f"?account={account.pk}")
    assert page.status_code == 200
    assert page.context["form"].initial["assignee"] == cast.rep.pk
    due = (clock.today() + dt.timedelta(days=2)).isoformat()
    response = client.post(
        reverse("actions:new"),
        {
            "assignee": cast.rep.pk,
            "account": account.pk,
            "kind": kind.pk,
            "title": "Rappeler",
            "due_on": due,
            "priority": 3,
        },
    )
    action = Action.objects.get()
    assert response.status_code == 302 and response.url == reverse("actions:detail", args=[action.pk])
    assert action.account == account and action.unit == cast.rep.unit and action.team == cast.team


def test_a_bad_form_redisplays_with_errors_and_posts_nothing(cast: Any, login: Any, kind: Any) -> None:
    client = login(cast.agent)
    past = (clock.today() - dt.timedelta(days=2)).isoformat()
    response = client.post(
        reverse("actions:new"),
        {"assignee": cast.rep.pk, "kind": kind.pk, "title": "x", "due_on": past, "priority": 2},
    )
    assert response.status_code == 400
    assert "due_on" in response.context["form"].errors
    response = client.post(
        reverse("actions:new"), {"kind": kind.pk, "title": "x", "due_on": past, "priority": 2}
    )
    assert response.status_code == 400
    assert Action.objects.count() == 0


def test_the_rep_closes_the_loop_from_the_page(cast: Any, login: Any, post_action: Any) -> None:
    action = post_action()
    client = login(cast.rep)
    url = reverse("actions:transition", args=[action.pk])
    response = client.post(url, {"to": "done", "note": ""})
    assert response.status_code == 400
    action.refresh_from_db()
    assert action.status == "open"
    response = client.post(url, {"to": "done", "note": "Appelé, avoir envoyé"})
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == "done"


def test_a_stranger_gets_404_and_a_watcher_403(cast: Any, login: Any, post_action: Any) -> None:
    action = post_action()
    assert login(cast.outsider).get(reverse("actions:detail", args=[action.pk])).status_code == 404
    assert (
        login(cast.outsider)
        .post(reverse("actions:transition", args=[action.pk]), {"to": "done", "note": "x"})
        .status_code
        == 404
    )
    # The manager sees it but is not the addressee: closing is refused.
    assert (
        login(cast.manager)
        .post(reverse("actions:transition", args=[action.pk]), {"to": "done", "note": "x"})
        .status_code
        == 403
    )


def test_comment_with_an_attachment_served_only_to_those_who_see_the_action(
    cast: Any, login: Any, post_action: Any
) -> None:
    action = post_action()
    upload = SimpleUploadedFile("bon.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    response = login(cast.rep).post(
        reverse("actions:comment", args=[action.pk]), {"body": "Voir le bon", "attachment": upload}
    )
    assert response.status_code == 302
    comment = ActionComment.objects.get()
    assert comment.attachment_name == "bon.pdf"
    url = reverse("actions:attachment", args=[comment.pk])
    assert login(cast.agent).get(url).status_code == 200
    assert login(cast.outsider).get(url).status_code == 404
    assert login(cast.rep).post(reverse("actions:comment", args=[action.pk]), {"body": ""}).status_code == 400


@pytest.mark.parametrize("tab", ["mine", "team", "written", "all"])
def test_inbox_tabs_run_a_fixed_number_of_queries(
    cast: Any, login: Any, post_action: Any, tab: str, django_assert_max_num_queries: Any
) -> None:
    viewer = {"mine": cast.rep, "team": cast.manager, "written": cast.agent, "all": cast.agent}[tab]
    client = login(viewer)
    url = reverse("actions:inbox") + f"?tab={tab}"
    post_action()
    client.get(url)  # warm-up: the first visit of the day is recorded once (engagement insights)
    with django_assert_max_num_queries(12) as few:
        client.get(url)
    for _i in range(30):
        post_action()
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200
    assert len(response.context["page"].items) == 25
    assert response.context["page"].next_cursor
    second = client.get(url + "&after=" + response.context["page"].next_cursor)
    assert len(second.context["page"].items) == 6


def test_customer_relations_filters(cast: Any, login: Any, post_action: Any) -> None:
    post_action()
    post_action(assignee=cast.rep_trade, title="Trade")
    client = login(cast.agent)
    trade = client.get(reverse("actions:inbox"), {"tab": "all", "unit": cast.units["trade"].pk})
    assert [a.title for a in trade.context["page"].items] == ["Trade"]
    overdue = client.get(reverse("actions:inbox"), {"tab": "all", "overdue": "on"})
    assert overdue.context["page"].items == []
    assert client.get(reverse("actions:inbox"), {"tab": "all", "unit": "999999"}).status_code == 400
    assert client.get(reverse("actions:inbox"), {"tab": "all", "after": "garbage"}).status_code == 400


def test_the_home_page_lists_my_actions_overdue_first(cast: Any, login: Any, post_action: Any) -> None:
    late = post_action(title="En retard", due_on=clock.today())
    Action.objects.filter(pk=late.pk).update(due_on=clock.today() - dt.timedelta(days=4))
    post_action(title="Plus tard", due_on=clock.today() + dt.timedelta(days=9))
    html = login(cast.rep).get("/").content.decode()
    assert html.index("En retard") < html.index("Plus tard")
    assert "overdue" in html


def test_the_detail_page_runs_a_fixed_number_of_queries(
    cast: Any, login: Any, post_action: Any, django_assert_max_num_queries: Any
) -> None:
    from comptoir.actions import services

    action = post_action()
    client = login(cast.rep)
    with django_assert_max_num_queries(14) as few:
        client.get(reverse("actions:detail", args=[action.pk]))
    for i in range(10):
        services.action_comment(action=action, author=cast.agent, body=f"Relance {i}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(reverse("actions:detail", args=[action.pk])).status_code == 200


def test_metrics_page_for_customer_relations_only(
    cast: Any, login: Any, post_action: Any, make_response: Any, django_assert_max_num_queries: Any
) -> None:
    from comptoir.actions import services

    action = post_action(response=make_response(nps=2))
    make_response(nps=4)
    services.action_transition(action=action, actor=cast.rep, to="done", note="ok")
    client = login(cast.agent)
    page = client.get(reverse("actions:metrics"))
    assert page.status_code == 200
    html = page.content.decode().replace("\u2019", "'")
    assert "50 % des détracteurs ont été suivis d'une action (1 sur 2, 12 derniers mois)." in html
    assert page.context["figures"][-1].followed_pct == 50.0
    assert page.context["followed_chart"].count("<svg") == 1
    assert html.count('data-testid="breakdown"') == 2
    # Session, user, the two roll-ups for the months, then per breakdown (unit, region) the
    # closed-loop roll-up and the voice's breakdown (current, previous period, labels), the menus.
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("actions:metrics"), {"unit": cast.units["horeca"].pk})
    for nps in (0, 1, 3):
        post_action(response=make_response(nps=nps))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(reverse("actions:metrics"), {"unit": cast.units["horeca"].pk}).status_code == 200
    assert login(cast.rep).get(reverse("actions:metrics")).status_code == 403
