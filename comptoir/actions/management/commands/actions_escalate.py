from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from comptoir.actions import services


class Command(BaseCommand):
    help = "Flag overdue actions to the addressee's manager, once each (run it every hour from cron or a worker)."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"{services.actions_escalate()} action(s) escalated.")
