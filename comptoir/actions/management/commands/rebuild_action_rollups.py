from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from comptoir.actions import rollups


class Command(BaseCommand):
    help = "Recompute the closed-loop roll-up from the actions."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"{rollups.rebuild()} roll-up rows written.")
