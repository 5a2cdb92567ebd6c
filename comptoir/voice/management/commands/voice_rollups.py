from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from comptoir.voice.rollups import rollups_rebuild


class Command(BaseCommand):
    help = "Rebuild the love-score roll-ups from the responses (after a bulk load, or to repair them)."

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        cells = rollups_rebuild()
        if options["verbosity"]:
            self.stdout.write(f"{cells} roll-up cells rebuilt in {time.perf_counter() - started:.1f} s")
