from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from comptoir.actions import from_voice
from comptoir.core import clock


class Command(BaseCommand):
    help = "Raise the automatic actions of the rules for the responses of the last N hours (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--hours", type=int, default=24)

    def handle(self, *args: Any, **options: Any) -> None:
        since = clock.now() - dt.timedelta(hours=options["hours"])
        self.stdout.write(f"{from_voice.actions_apply_rules_since(since)} action(s) raised.")
