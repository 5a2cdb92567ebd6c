"""The demo organisation: a realistic French sales force, deterministic, with one login per role."""

import io

from django.core.management import call_command

from comptoir.core.demo import DEMO_PASSWORD
from comptoir.org.models import OrgUnit, Region, Team, User


def build(*args: str) -> str:
    out = io.StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


def test_the_demo_builds_the_reference_organisation_and_prints_one_login_per_role(db):
    output = build("--only", "org")
    assert User.objects.count() == 285
    assert OrgUnit.objects.filter(kind="business_unit").count() == 3
    assert 6 <= Region.objects.count() <= 8
    counts = {code: User.objects.filter(role__code=code).count() for code in ("rep", "manager", "director", "kam", "hq", "cr_agent", "admin")}
    assert counts["director"] == 3 and counts["admin"] == 1 and counts["rep"] > 200
    assert all(counts.values())
    for role in ("Sales rep", "Regional sales manager", "Sales director", "Key-account manager", "HQ / sales operations", "Customer-relations agent", "Administrator"):
        assert role in output
    rep = User.objects.get(email="lea.martin@comptoir-demo.fr")
    assert rep.check_password(DEMO_PASSWORD) and rep.language == "fr"
    manager = User.objects.get(reports=rep)
    assert manager.role_code == "manager"
    assert User.objects.get(reports=manager).role_code == "director"
    assert Team.objects.get(members=rep).manager_id == manager.pk


def test_every_team_has_a_manager_and_every_rep_a_team(db):
    build("--only", "org")
    assert not Team.objects.filter(manager__isnull=True).exists()
    assert not User.objects.filter(role__code="rep", team__isnull=True).exists()
    assert not User.objects.filter(role__code="rep", manager__isnull=True).exists()


def test_the_demo_is_deterministic(db):
    build("--only", "org")
    first = list(User.objects.order_by("id").values_list("email", "first_name", "last_name", "role__code", "team__name"))
    User.objects.update(manager=None, team=None)
    Team.objects.all().delete()
    User.objects.all().delete()
    build("--only", "org")
    assert list(User.objects.order_by("id").values_list("email", "first_name", "last_name", "role__code", "team__name")) == first


def test_if_empty_leaves_an_existing_organisation_alone_and_still_prints_the_logins(db):
    build("--only", "org")
    before = User.objects.count()
    output = build("--if-empty")
    assert User.objects.count() == before
    assert "lea.martin@comptoir-demo.fr" in output and "admin.comptoir@comptoir-demo.fr" in output


def test_scale_keeps_the_proportions_with_more_teams(db):
    output = build("--only", "org", "--scale", "1200")
    assert User.objects.count() == 1200
    assert Team.objects.count() > 21
    assert "100%" in output  # the progress bar
