from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from comptoir.voice.services import invitations_expire
from comptoir.voice.tasks import send_reminders


class Command(BaseCommand):
    help = "Queue the survey reminders that are due and expire old invitations (run daily, e.g. from cron)."

    def handle(self, *args: Any, **options: Any) -> None:
        expired = invitations_expire()
        send_reminders.enqueue()
        self.stdout.write(f"{expired} invitations expired; reminders queued")
