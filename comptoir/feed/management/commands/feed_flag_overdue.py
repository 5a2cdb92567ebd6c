"""Flag to each HQ team's manager the recommendations left without an answer too long (run daily)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from comptoir.feed.recommendations import answer_days, flag_overdue


class Command(BaseCommand):
    help = "Tell HQ team managers about recommendations waiting longer than the answer time."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--days", type=int, default=None, help="answer time in days (default: the setting)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        days = options["days"] if options["days"] is not None else answer_days()
        flagged = flag_overdue(days=days)
        self.stdout.write(f"{flagged} recommendation(s) flagged (answer time: {days} days).")
