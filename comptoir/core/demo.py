"""The demo organisation, built by every app in turn.

Each app that has data to show ships a `demo.py` module with `build(ctx: DemoContext)`. The `demo`
command runs them in INSTALLED_APPS order (which is dependency order), so an app adds its own part
of the demo without editing a central file. Everything is drawn from one seeded random generator:
the same command builds the same organisation every time.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from comptoir.core.extensions import app_modules
from comptoir.core.progress import ProgressBar

DEMO_PASSWORD = "comptoir-demo"  # noqa: S105 - printed to the person running the demo on purpose


@dataclass
class DemoContext:
    stdout: Any
    seed: int = 2026
    people: int = 285
    scale: bool = False
    logins: list[tuple[str, str]] = field(default_factory=list)
    shared: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)

    def factor(self) -> float:
        """How many times the reference organisation (285 people) this demo is."""
        return self.people / 285

    def progress(self, label: str, total: int) -> ProgressBar:
        return ProgressBar(label, total, stream=self.stdout)

    def add_login(self, role_label: str, email: str) -> None:
        self.logins.append((role_label, email))


def demo_builders() -> list[tuple[str, Callable[[DemoContext], None]]]:
    return [
        (module.__name__.split(".")[1], module.build) for module in app_modules("demo") if hasattr(module, "build")
    ]


PRACTICE_TOPICS = [
    ("Démonstration petit-déjeuner", "Breakfast demo"),
    ("Mise en avant en point de vente", "Point-of-sale display"),
    ("Stickers et PLV", "Stickers and displays"),
    ("Dégustation", "Tasting"),
    ("Machines à café", "Coffee machines"),
    ("Gammes de cafés", "Coffee ranges"),
    ("Promotions", "Promotions"),
    ("Offre HoReCa", "HoReCa offer"),
    ("Offre Trade", "Trade offer"),
    ("Offre Office", "Office offer"),
    ("Fidélisation client", "Customer loyalty"),
    ("Prospection", "Prospecting"),
]


def build(ctx: DemoContext) -> None:
    """The shared taxonomy of practice topics, used by posts, quizzes and badges."""
    from django.utils.text import slugify

    from comptoir.core.models import PracticeTopic

    PracticeTopic.objects.bulk_create(
        [
            PracticeTopic(name=name, name_en=name_en, slug=slugify(name_en), order=position)
            for position, (name, name_en) in enumerate(PRACTICE_TOPICS)
        ],
        ignore_conflicts=True,
    )
