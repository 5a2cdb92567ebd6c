"""The small lists a feed page names things from (topics, units, regions), kept for a minute.

They change a few times a year and have tens of rows. They are kept in the process, not in the
shared cache: the default cache is the database, and a cache read would be one more query on every
page. A change made in this process is seen at once (the app forgets the lists on save, see
`apps.py`); other processes see it within a minute.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from functools import cached_property

from comptoir.core.models import PracticeTopic
from comptoir.org.models import OrgUnit, Region, Team

CACHE_SECONDS = 60


@dataclass(frozen=True)
class Tag:
    pk: int
    name: str
    name_en: str

    @property
    def label(self) -> str:
        from django.utils.translation import get_language

        if self.name_en and (get_language() or "").startswith("en"):
            return self.name_en
        return self.name

    def __str__(self) -> str:
        return self.label


@dataclass(frozen=True)
class Taxonomy:
    topics: dict[int, Tag]
    units: dict[int, Tag]
    regions: dict[int, Tag]
    active_topic_ids: tuple[int, ...]
    business_unit_ids: tuple[int, ...]
    hq_teams: tuple[tuple[int, str], ...] = ()  # (id, name): where recommendations can be addressed

    @cached_property
    def stamp(self) -> int:
        """Changes when a name shown on a post card changes (kept cards are keyed on it)."""
        return hash((tuple(self.topics.values()), tuple(self.units.values()), tuple(self.regions.values())))


_kept: list[tuple[float, Taxonomy]] = []


def _load() -> Taxonomy:
    topics = list(PracticeTopic.objects.all())
    units = list(OrgUnit.objects.all())
    return Taxonomy(
        topics={t.pk: Tag(t.pk, t.name, t.name_en) for t in topics},
        units={u.pk: Tag(u.pk, u.name, u.name_en) for u in units},
        regions={r.pk: Tag(r.pk, r.name, r.name_en) for r in Region.objects.all()},
        active_topic_ids=tuple(t.pk for t in topics if t.active),
        business_unit_ids=tuple(u.pk for u in units if u.kind == OrgUnit.Kind.BUSINESS_UNIT),
        hq_teams=tuple(
            Team.objects.filter(unit__kind=OrgUnit.Kind.DEPARTMENT).order_by("name").values_list("pk", "name")
        ),
    )


def taxonomy() -> Taxonomy:
    now = time.monotonic()
    if _kept and _kept[0][0] > now:
        return _kept[0][1]
    found = _load()
    _kept[:] = [(now + CACHE_SECONDS, found)]
    return found


def forget(**_kwargs: object) -> None:
    _kept.clear()
