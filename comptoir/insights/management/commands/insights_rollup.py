"""Scheduled (nightly, or hourly for fresher pages): `manage.py insights_rollup [--full | --since DATE]`.

Records manager changes, recounts the recent days from the raw events, rewrites the weeks and months
they touch, and purges the raw detail past its retention period.
"""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from comptoir.insights import rollups


class Command(BaseCommand):
    help = "Rebuild the engagement roll-ups (recent periods by default, --full for everything)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--full", action="store_true", help="Rebuild every period since the first activity."
        )
        parser.add_argument(
            "--since", type=dt.date.fromisoformat, help="Rebuild the periods from this day (YYYY-MM-DD)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        report = rollups.rollup_all(since=options.get("since"), full=options["full"])
        figures = ", ".join(f"{k}={v}" for k, v in report.items())
        self.stdout.write(f"insights roll-up: {figures} ({time.monotonic() - started:.1f}s)")
