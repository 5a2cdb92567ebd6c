"""Benchmark of the feed's home-page section, "what I follow" and the @mention suggestions at scale.

Build once, then measure as often as needed (on a quiet machine, `--reuse` only measures):
    COMPTOIR_SQLITE_PATH=/tmp/feedux-scale.sqlite3 python manage.py migrate
    COMPTOIR_SQLITE_PATH=/tmp/feedux-scale.sqlite3 python manage.py bench_feed_home --people 10000
    COMPTOIR_SQLITE_PATH=/tmp/feedux-scale.sqlite3 python manage.py bench_feed_home --reuse

Each page is requested through the whole Django stack as the person it is for (a rep, a manager, a
director, HQ) with `comptoir.core.bench`; the number of queries must not pass 10 whatever the size.
"""

from __future__ import annotations

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Exists, OuterRef
from django.test import Client
from django.urls import reverse

from comptoir.core.bench import HEADER, served_as_in_production, time_page
from comptoir.feed.models import PersonFollow, Post, Recommendation
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
        pages = [
            (rep, reverse("home"), "home page, a rep (For me)"),
            (manager, reverse("home"), "home page, a manager (waiting + For me)"),
            (director, reverse("home"), "home page, a director"),
            (hq, reverse("home"), "home page, HQ (recommendations)"),
            (rep, reverse("feed:following"), "what I follow, a rep"),
            (rep, f"{mentions}?q=mar", "mention suggestions ?q=mar"),
            (rep, "/api/feed/mentions?q=cam", "API mentions ?q=cam"),
            (rep, "/api/feed/follows/people", "API people I follow"),
        ]
        over = []
        with served_as_in_production():
            for person, url, label in pages:
                client = Client()
                client.force_login(person)
                timing = time_page(client, url, label=label, runs=int(options["runs"]))
                self.stdout.write(timing.row())
                if timing.queries > MAX_QUERIES:
                    over.append(label)
        if over:
            raise CommandError(f"More than {MAX_QUERIES} queries: {', '.join(over)}")

    def people(self) -> tuple[User, User, User, User]:
        """The busiest person of each kind: a rep who follows people, a manager of a team, a director,
        HQ."""
        follows = Exists(PersonFollow.objects.filter(follower_id=OuterRef("pk")))
        rep = (
            User.objects.filter(role__code="rep", is_active=True, team__isnull=False)
            .filter(follows)
            .order_by("id")
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
