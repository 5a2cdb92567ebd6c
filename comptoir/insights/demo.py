"""The insights in the demo: six months of daily activity for everyone, then the roll-ups.

People differ (a few every day, most a few times a week, some rarely), new joiners start mid-way,
and the feed's posts and reactions (if the feed demo made any) feed the hierarchy's attention.
Runs last (insights comes after every app that announces activity), with bulk writes only.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from comptoir.core import clock
from comptoir.core.demo import DemoContext
from comptoir.insights import rollups
from comptoir.insights.models import DailyActivity
from comptoir.org.models import User

DAYS = 183


def build(ctx: DemoContext) -> None:
    rng = ctx.rng
    today = clock.today()
    # The demo organisation is created today, but its company has been on Comptoir for a while: date the
    # accounts back (a few joined during the period) so that "share of account holders" means something.
    now = clock.now()
    ids = list(User.objects.filter(date_joined__gte=now - dt.timedelta(days=2)).values_list("id", flat=True))
    newcomers = set(rng.sample(ids, len(ids) // 20)) if ids else set()
    User.objects.filter(pk__in=[i for i in ids if i not in newcomers]).update(
        date_joined=now - dt.timedelta(days=400)
    )
    for pk in newcomers:
        User.objects.filter(pk=pk).update(date_joined=now - dt.timedelta(days=rng.randrange(7, DAYS)))
    people = list(User.objects.filter(is_active=True).values_list("id", "date_joined"))
    rollups.spans_reconcile(clock.now() - dt.timedelta(days=DAYS + 7))
    bar = ctx.progress("Insights: activity", len(people))
    rows: list[DailyActivity] = []
    for n, (person, joined) in enumerate(people, 1):
        keen = rng.betavariate(1.3, 1.8)
        first = max(today - dt.timedelta(days=DAYS), timezone.localdate(joined))
        day = first
        while day <= today:
            if day.weekday() < 5 and rng.random() < keen:
                rows.append(
                    DailyActivity(
                        user_id=person,
                        day=day,
                        visited=True,
                        posts=int(rng.random() < keen * 0.08),
                        comments=int(rng.random() < keen * 0.15),
                        reactions=int(rng.random() < keen * 0.4),
                        quizzes=int(rng.random() < 0.02),
                    )
                )
            day += dt.timedelta(days=1)
        if len(rows) > 20_000 or n == len(people):
            DailyActivity.objects.bulk_create(rows, batch_size=5000, ignore_conflicts=True)
            rows = []
        bar.update(n)
    bar.finish()
    rollups.rollup_all(since=today - dt.timedelta(days=DAYS))
