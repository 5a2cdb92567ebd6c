"""What a person's digest says. Sections shared by many people (the company's best posts, a unit's, a
team's news) are computed once per run and reused; personal sections cost a query or two each.

Each section is a function of (person, DigestWeek) returning a list; an empty list hides the section.
Sections that depend on an app that is not installed yet simply return nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import F, QuerySet
from django.urls import reverse
from django.utils import timezone

from comptoir.actions import selectors as action_selectors
from comptoir.actions.models import OPEN_STATES, Action
from comptoir.core import clock
from comptoir.feed.models import Congratulation, Post
from comptoir.insights import attention
from comptoir.learning import selectors as learning_selectors
from comptoir.org.models import Team, User

MAX_ITEMS = 5


@dataclass
class DigestWeek:
    """The week the digest covers (the seven days before the sending day) and the run's shared caches."""

    day: dt.date
    since: dt.datetime = field(init=False)
    until: dt.datetime = field(init=False)
    cache: dict[Any, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.until = timezone.make_aware(dt.datetime.combine(self.day, dt.time.min))
        self.since = self.until - dt.timedelta(days=7)

    def shared(self, key: Any, compute: Callable[[], Any]) -> Any:
        if key not in self.cache:
            self.cache[key] = compute()
        return self.cache[key]

    def prefetch(self, people: list[User]) -> None:
        """Read the personal sections of a whole batch in one query each, instead of one per person."""
        ids = [p.pk for p in people]
        actions: dict[int, list[Any]] = {pk: [] for pk in ids}
        # The rule of actions.selectors.my_actions (open, addressed to the person, by due date), for a batch.
        for action in Action.objects.filter(assignee_id__in=ids, status__in=OPEN_STATES).order_by(
            "assignee_id", "due_on", "id"
        ):
            mine = actions[action.assignee_id]  # type: ignore[index]
            if len(mine) < MAX_ITEMS:
                mine.append(action)
        self.cache["actions"] = actions
        congrats: dict[int, list[Congratulation]] = {pk: [] for pk in ids}
        received = Congratulation.objects.filter(
            to_id__in=ids, created_at__gte=self.since, created_at__lt=self.until, post__is_deleted=False
        ).select_related("by")
        for congratulation in received.order_by("-created_at", "-id"):
            congrats[congratulation.to_id].append(congratulation)
        self.cache["congratulations"] = congrats


def open_actions(person: User, week: DigestWeek) -> list[Any]:
    prefetched = week.cache.get("actions", {})
    if person.pk in prefetched:
        found = prefetched[person.pk]
    else:
        found = action_selectors.my_actions(viewer=person, size=MAX_ITEMS).items
    today = clock.today()
    return [{"action": a, "overdue": a.due_on < today} for a in found]


# --- The feed -------------------------------------------------------------------------------------


def _item(post: Post, score: int | None = None) -> dict[str, Any]:
    return {
        "title": str(post),
        "author": post.author.full_name,
        "url": post.get_absolute_url(),
        "score": score,
        "visibility": post.visibility,
        "visible_unit_id": post.visible_unit_id,
        "visible_team_id": post.visible_team_id,
        "author_id": post.author_id,
    }


def _visible(person: User, item: dict[str, Any]) -> bool:
    """The feed's visibility rule on the few fields the digest keeps (see feed.access.can_see)."""
    if item["author_id"] == person.pk or item["visibility"] == Post.Visibility.COMPANY:
        return True
    if item["visibility"] == Post.Visibility.UNIT:
        return item["visible_unit_id"] == person.unit_id
    return item["visible_team_id"] is not None and item["visible_team_id"] == person.team_id


def _week_posts(week: DigestWeek) -> QuerySet[Post]:
    return Post.objects.filter(
        created_at__gte=week.since, created_at__lt=week.until, is_deleted=False, is_hidden=False
    ).select_related("author")


def _best(posts: QuerySet[Post]) -> list[dict[str, Any]]:
    scored = posts.annotate(
        score=F("like_count") + 2 * F("comment_count") + 3 * F("congratulation_count")
    ).filter(score__gt=0)
    return [_item(p, p.score) for p in scored.order_by("-score", "-created_at", "-id")[:MAX_ITEMS]]  # type: ignore[attr-defined]


def company_posts(person: User, week: DigestWeek) -> list[Any]:
    return week.shared("company", lambda: _best(_week_posts(week).filter(visibility=Post.Visibility.COMPANY)))


def unit_posts(person: User, week: DigestWeek) -> list[Any]:
    if not person.unit_id:
        return []
    company = {item["url"] for item in company_posts(person, week)}
    best = week.shared(
        ("unit", person.unit_id),
        lambda: _best(
            _week_posts(week).filter(author__unit_id=person.unit_id).exclude(visibility=Post.Visibility.TEAM)
        ),
    )
    return [item for item in best if item["url"] not in company and _visible(person, item)]


def team_news(person: User, week: DigestWeek) -> list[Any]:
    if not person.team_id:
        return []
    news = week.shared(
        ("team", person.team_id),
        lambda: [
            _item(p)
            for p in _week_posts(week)
            .filter(author_team_id=person.team_id)
            .order_by("-created_at", "-id")[: 2 * MAX_ITEMS]
        ],
    )
    return [item for item in news if item["author_id"] != person.pk and _visible(person, item)][:MAX_ITEMS]


def congratulations(person: User, week: DigestWeek) -> list[Any]:
    prefetched = week.cache.get("congratulations", {})
    if person.pk in prefetched:
        found = prefetched[person.pk][:MAX_ITEMS]
    else:
        found = list(
            Congratulation.objects.filter(
                to=person, created_at__gte=week.since, created_at__lt=week.until, post__is_deleted=False
            )
            .select_related("by")
            .order_by("-created_at", "-id")[:MAX_ITEMS]
        )
    return [
        {
            "author": c.by.full_name,
            "message": c.message,
            "from_role": c.get_from_role_display() if c.from_role else "",
        }
        for c in found
    ]


def awaiting_reaction(person: User, week: DigestWeek) -> list[Any]:
    managers = week.shared("managers", _people_with_reports)
    if person.pk not in managers:
        return []
    posts, _total = attention.awaiting_reaction(person, limit=MAX_ITEMS)
    return [_item(p) for p in posts]


def quizzes(person: User, week: DigestWeek) -> list[Any]:
    """Open quizzes addressed to the person that they have not passed yet (the learning app's rule)."""
    found = learning_selectors.quizzes_to_take(viewer=person, size=MAX_ITEMS)
    english = _language_of(person) == "en"
    return [
        {
            "title": (q.title_en if english and q.title_en else q.title),
            "url": reverse("learning:detail", args=[q.pk]),
        }
        for q in found
    ]


def _language_of(person: User) -> str:
    pref = getattr(person, "digest_preference", None)
    return (pref.language if pref is not None and pref.language else person.language) or "fr"


def _people_with_reports() -> set[int]:
    with_reports = set(User.objects.filter(manager__isnull=False).values_list("manager_id", flat=True))
    return with_reports | set(Team.objects.filter(manager__isnull=False).values_list("manager_id", flat=True))


SECTIONS: list[tuple[str, Callable[[User, DigestWeek], list[Any]]]] = [
    ("awaiting_reaction", awaiting_reaction),
    ("open_actions", open_actions),
    ("congratulations", congratulations),
    ("quizzes", quizzes),
    ("team_news", team_news),
    ("unit_posts", unit_posts),
    ("company_posts", company_posts),
]


def digest_content(person: User, week: DigestWeek) -> dict[str, list[Any]]:
    return {name: build(person, week) for name, build in SECTIONS}


def has_news(content: dict[str, list[Any]]) -> bool:
    return any(content.values())
