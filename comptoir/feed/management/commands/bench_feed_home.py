"""Benchmark of the feed's home-page section, "what I follow" and the @mention suggestions at scale.

Build once, then measure as often as needed (on a quiet machine, `--reuse` only measures):
    COMPTOIR_SQLITE_PATH=/tmp/feedux-scale.sqlite3 python manage.py migrate
    COMPTOIR_SQLITE_PATH=/tmp/feedux-scale.sqlite3 python manage.py bench_feed_home --people 10000
    COMPTOIR_SQLITE_PATH=/tmp/feedux-scale.sqlite3 python manage.py bench_feed_home --reuse

Each page is requested through the whole Django stack as the person it is for (a rep, a manager, a
director, HQ) with `comptoir.core.bench`; the number of queries must not pass 10 whatever the size.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import translation

from comptoir.core.bench import HEADER, served_as_in_production, time_callable, time_page
from comptoir.feed.home import parts_for
from comptoir.feed.models import PersonFollow, Post, Recommendation, TopicFollow
from comptoir.org.models import Team, User

MAX_QUERIES = 10


class Command(BaseCommand):
    help = "Time the home page's feed section, 'what I follow' and mention suggestions at scale."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--people", type=int, default=10_000)
        parser.add_argument("--runs", type=int, default=30)
        parser.add_argument("--reuse", action="store_true", help="measure a database a previous run built")

    def handle(self, *args: object, **options: int | bool) -> None:
        if not options["reuse"]:
            if User.objects.exists():
                raise CommandError("The database already has people: pass --reuse to measure it as it is.")
            call_command("demo", scale=options["people"], only=["core", "org", "feed"])
        people = self.people()
        self.stdout.write(
            f"{User.objects.count()} people, {Post.objects.count()} posts, "
            f"{Recommendation.objects.count()} recommendations"
        )
        self.stdout.write(HEADER)
        rep, manager, director, hq = people
        mentions = reverse("feed:mentions")
        # The whole home page gathers every app's section: its count is reported, not held to the
        # bound; the feed's own section is timed alone (selectors and template) and held to it.
        pages = [
            (rep, reverse("home"), "home page, a rep"),
            (manager, reverse("home"), "home page, a manager"),
            (director, reverse("home"), "home page, a director"),
            (hq, reverse("home"), "home page, HQ"),
        ]
        checked = [
            (rep, reverse("feed:following"), "what I follow, a rep"),
            (rep, f"{mentions}?q=mar", "mention suggestions ?q=mar"),
            (rep, "/api/feed/mentions?q=cam", "API mentions ?q=cam"),
            (rep, "/api/feed/follows/people", "API people I follow"),
        ]
        runs = int(options["runs"])
        over = []
        with served_as_in_production():
            for person, url, label in pages + checked:
                client = Client()
                client.force_login(person)
                timing = time_page(client, url, label=label, runs=runs)
                self.stdout.write(timing.row())
                if (person, url, label) in checked and timing.queries > MAX_QUERIES:
                    over.append(label)
            for person, label in [
                (rep, "a rep"),
                (manager, "a manager"),
                (director, "a director"),
                (hq, "HQ"),
            ]:
                timing = time_callable(f"feed section alone, {label}", self.section(person), runs=runs)
                self.stdout.write(timing.row())
                if timing.queries > MAX_QUERIES:
                    over.append(timing.label)
        if over:
            raise CommandError(f"More than {MAX_QUERIES} queries: {', '.join(over)}")

    @staticmethod
    def section(person: User) -> Callable[[], str]:
        def render() -> str:
            with translation.override(person.language):
                return render_to_string("feed/_home.html", {"section": {"parts": parts_for(person)}})

        return render

    def people(self) -> tuple[User, User, User, User]:
        """Whom to measure as: a rep, a manager of a team, a director with reports, HQ."""
        # A rep who follows people or topics when the demo has one: their "For me" is the widest.
        follows = Exists(PersonFollow.objects.filter(follower_id=OuterRef("pk"))) | Exists(
            TopicFollow.objects.filter(follower_id=OuterRef("pk"))
        )
        rep = (
            User.objects.filter(role__code="rep", is_active=True, team__isnull=False)
            .annotate(follows=follows)
            .order_by("-follows", "id")
            .first()
        )
        manager = (
            User.objects.filter(
                pk__in=Team.objects.filter(manager__role__code="manager").values("manager_id")
            )
            .order_by("id")
            .first()
        )
        director = (
            User.objects.filter(role__code="director", is_active=True, reports__isnull=False)
            .order_by("id")
            .first()
        )
        hq = User.objects.filter(role__code="hq", is_active=True).order_by("id").first()
        if rep is None or manager is None or director is None or hq is None:
            raise CommandError("The demo has no rep, manager, director or HQ person to measure as.")
        return rep, manager, director, hq
