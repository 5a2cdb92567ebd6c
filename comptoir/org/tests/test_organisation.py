"""The organisation: people, units, regions, teams, the reporting line, roles and who may see what."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404

from comptoir.core.permissions import CAP_LABELS, DEFAULT_ROLE_CAPABILITIES, Cap, has_cap
from comptoir.org import access
from comptoir.org.models import OrgUnit, Role, User
from comptoir.org.selectors import managers_above, people_visible_to, report_ids, team_member_ids
from comptoir.org.services import creates_cycle, person_set_manager


def test_the_user_model_is_ours_and_logs_in_by_email(db):
    from django.contrib.auth import get_user_model

    assert get_user_model() is User
    person = User.objects.create_user("Camille.Durand@Example.FR ", "a-long-password", first_name="Camille", last_name="Durand")
    assert person.email == "camille.durand@example.fr"
    assert User.objects.get_by_natural_key("CAMILLE.durand@example.fr") == person


def test_two_people_cannot_share_an_e_mail_whatever_its_case(db):
    User.objects.create_user("same@example.fr", "x", first_name="A", last_name="B")
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.bulk_create([User(email="SAME@example.fr", first_name="C", last_name="D")])


def test_passwords_are_hashed_with_argon2_in_production():
    from django.conf import settings

    from comptoir import settings as production

    assert production.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    assert settings.AUTH_USER_MODEL == "org.User"


def test_units_are_business_units_and_departments(cast):
    kinds = dict(OrgUnit.objects.values_list("code", "kind"))
    assert kinds == {
        "horeca": "business_unit",
        "trade": "business_unit",
        "office": "business_unit",
        "hq": "department",
        "key-accounts": "department",
        "customer-relations": "department",
    }


def test_names_follow_the_interface_language(cast):
    from django.utils import translation

    hq = cast.units["hq"]
    with translation.override("fr"):
        assert str(hq) == "Siège (ventes, marketing)"
    with translation.override("en"):
        assert str(hq) == "HQ (sales operations, marketing)"


def test_every_team_has_a_manager_and_members(cast):
    assert cast.team.manager == cast.manager
    assert team_member_ids(cast.manager) >= {cast.rep.pk, cast.teammate.pk}
    assert cast.rep_trade.pk not in team_member_ids(cast.manager)


def test_the_reporting_line_goes_rep_manager_director(cast):
    assert managers_above(cast.rep) == [cast.manager.pk, cast.director.pk]
    assert report_ids(cast.director) >= {cast.manager.pk, cast.rep.pk, cast.teammate.pk}
    assert report_ids(cast.director, transitive=False) == {cast.manager.pk}


def test_a_reporting_line_that_loops_is_refused(cast):
    with pytest.raises(ValidationError) as refused:
        person_set_manager(person=cast.director, manager=cast.rep)
    assert refused.value.code == "reporting_cycle"
    cast.director.refresh_from_db()
    assert cast.director.manager_id is None


def test_nobody_is_their_own_manager_even_in_the_database(cast):
    with pytest.raises(ValidationError):
        person_set_manager(person=cast.rep, manager=cast.rep)
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.filter(pk=cast.rep.pk).update(manager=cast.rep)


def test_a_legal_change_of_manager_is_saved(cast):
    person_set_manager(person=cast.rep, manager=cast.manager_trade)
    cast.rep.refresh_from_db()
    assert cast.rep.manager == cast.manager_trade


def test_cycle_detection_stops_on_a_chain_that_already_loops():
    assert creates_cycle(1, 2, {2: 3, 3: 2}) is True
    assert creates_cycle(1, 2, {2: 3, 3: None}) is False
    assert creates_cycle(1, None, {}) is False


def test_the_shipped_roles_are_data_with_capabilities(cast):
    assert set(Role.objects.values_list("code", flat=True)) == {
        "rep", "manager", "director", "kam", "hq", "cr_agent", "admin"
    }
    for role in Role.objects.all():
        assert set(role.capabilities) <= {c.value for c in Cap}
        assert set(role.capabilities) == {c.value for c in DEFAULT_ROLE_CAPABILITIES[role.code]}


def test_every_capability_has_a_label():
    assert set(CAP_LABELS) == set(Cap)


@pytest.mark.parametrize(
    ("who", "cap", "expected"),
    [
        ("rep", Cap.POST_TO_FEED, True),
        ("rep", Cap.VIEW_TEAM_ACTIVITY, False),
        ("manager", Cap.VIEW_TEAM_ACTIVITY, True),
        ("director", Cap.READ_LOVE_SCORE, True),
        ("manager", Cap.READ_LOVE_SCORE, False),
        ("kam", Cap.OWN_AGREEMENTS, True),
        ("rep", Cap.OWN_AGREEMENTS, False),
        ("hq", Cap.SEE_ALL_POSTS, True),
        ("hq", Cap.IMPORT_DATA, False),
        ("agent", Cap.RUN_SURVEYS, True),
        ("agent", Cap.MANAGE_ORGANISATION, False),
        ("admin", Cap.MANAGE_ORGANISATION, True),
        ("admin", Cap.IMPORT_DATA, True),
    ],
)
def test_what_each_role_may_do(cast, who, cap, expected):
    assert has_cap(getattr(cast, who), cap) is expected


def test_an_inactive_or_anonymous_person_may_do_nothing(cast):
    from django.contrib.auth.models import AnonymousUser

    cast.admin.is_active = False
    assert not has_cap(cast.admin, Cap.IMPORT_DATA)
    assert not has_cap(AnonymousUser(), Cap.POST_TO_FEED)
    assert not has_cap(None, Cap.POST_TO_FEED)


def test_people_who_left_are_hidden_except_from_those_who_maintain_the_organisation(cast):
    cast.outsider.is_active = False
    cast.outsider.save()
    assert cast.outsider not in people_visible_to(cast.rep)
    assert cast.outsider in people_visible_to(cast.admin)
    with pytest.raises(Http404):
        access.person_for(cast.rep, cast.outsider.pk)
    assert access.person_for(cast.admin, cast.outsider.pk) == cast.outsider


def test_fetchers_return_404_for_what_does_not_exist(cast):
    for fetch in (access.person_for, access.team_for, access.unit_for):
        with pytest.raises(Http404):
            fetch(cast.rep, 999_999)
    assert access.team_for(cast.rep, cast.team.pk) == cast.team
    assert access.unit_for(cast.rep, cast.units["horeca"].pk) == cast.units["horeca"]
