"""Who sees which action: the addressee, their team (when addressed to it), the author, the managers
above, and customer relations; nobody else."""

from __future__ import annotations

from typing import Any

import pytest
from django.http import Http404

from comptoir.actions import access

pytestmark = pytest.mark.django_db


def visible(person: Any) -> set[int]:
    return set(access.actions_visible_to(person).values_list("id", flat=True))


def test_an_action_to_a_rep_is_seen_by_the_rep_their_managers_the_author_and_customer_relations(
    cast: Any, post_action: Any
) -> None:
    action = post_action()
    for person in (cast.rep, cast.manager, cast.director, cast.agent, cast.admin):
        assert action.pk in visible(person), person
        assert access.action_for(person, action.pk) == action
    for person in (cast.teammate, cast.rep_trade, cast.manager_trade, cast.outsider, cast.kam):
        assert action.pk not in visible(person), person
        with pytest.raises(Http404):
            access.action_for(person, action.pk)


def test_an_action_to_a_team_is_seen_by_its_members(cast: Any, post_action: Any) -> None:
    action = post_action(assignee=None, team=cast.team)
    assert action.pk in visible(cast.teammate)
    assert action.pk in visible(cast.rep)
    assert action.pk not in visible(cast.outsider)


def test_what_a_rep_wrote_stays_visible_to_them(cast: Any, post_action: Any) -> None:
    action = post_action(author=cast.rep, assignee=cast.rep_trade)
    assert action.pk in visible(cast.rep)
    assert action.pk in visible(cast.manager_trade)
    assert action.pk not in visible(cast.teammate)


def test_transitions_offered_per_person(cast: Any, post_action: Any) -> None:
    action = post_action()
    assert access.allowed_transitions(cast.rep, action) == ["in_progress", "done", "cancelled"]
    assert access.allowed_transitions(cast.agent, action) == ["cancelled"]
    assert access.allowed_transitions(cast.teammate, action) == []
