from __future__ import annotations

import time
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from comptoir.core.demo import DEMO_PASSWORD, DemoContext, demo_builders


class Command(BaseCommand):
    help = "Build the demo organisation (deterministic). --scale N builds benchmark volumes for N people."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", type=int, default=0, help="number of people for a benchmark build")
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--if-empty", action="store_true", help="do nothing when people already exist")
        parser.add_argument("--only", nargs="*", default=None, help="only these apps (labels)")

    def handle(self, *args: Any, **options: Any) -> None:
        from comptoir.org.models import User

        if options["if_empty"] and User.objects.exists():
            self.stdout.write("The database already holds an organisation: demo left as it is.")
            self.print_logins(User)
            return
        call_command("createcachetable", verbosity=0)
        ctx = DemoContext(
            stdout=self.stdout,
            seed=options["seed"],
            people=options["scale"] or 285,
            scale=bool(options["scale"]),
        )
        started = time.monotonic()
        for label, build in demo_builders():
            if options["only"] is not None and label not in options["only"]:
                continue
            step, step_cpu = time.monotonic(), time.process_time()
            with transaction.atomic():
                build(ctx)
            # CPU time too: on a machine shared with other work, wall time counts the waits for a core.
            wall, cpu = time.monotonic() - step, time.process_time() - step_cpu
            self.stdout.write(f"  {label}: {wall:.1f}s ({cpu:.1f}s CPU)")
        self.stdout.write(self.style.SUCCESS(f"Demo built in {time.monotonic() - started:.1f}s."))
        self.print_logins(User)

    def print_logins(self, user_model: Any) -> None:
        from comptoir.org.demo import demo_logins

        self.stdout.write("\nDemo logins (password for all: %s):" % DEMO_PASSWORD)
        for role, email in demo_logins():
            self.stdout.write(f"  {role:<28} {email}")
