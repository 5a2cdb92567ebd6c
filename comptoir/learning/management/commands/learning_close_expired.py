"""Finish the attempts whose time ran out (run every few minutes; the pages also do it lazily), so
results, badges and the managers' notifications do not wait for the taker to come back."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from comptoir.learning.attempts import close_expired


class Command(BaseCommand):
    help = "Finish quiz attempts past their deadline."

    def handle(self, *args: Any, **options: Any) -> None:
        closed = close_expired()
        self.stdout.write(f"{closed} attempt(s) finished as timed out.")
