"""The home page's love score, for the people who may read it (customer relations, HQ, directors).

The last three months against the three before, and the monthly trend of the last twelve with its
confidence band. Read from the roll-ups: a fixed handful of queries whatever the number of answers.
Reps and managers get no score here (the love score is never a person's objective, PRODUCT.md).
"""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _

from comptoir.core.navigation import HomeSection
from comptoir.voice import access, analytics
from comptoir.voice.views import nps_chart


def sections(request: HttpRequest) -> list[HomeSection]:
    if not access.can_read_love_score(request.user):
        return []
    minimum = analytics.min_responses()
    quarter = analytics.Filters.last_months(3)
    year = analytics.Filters.last_months(12)
    overall = analytics.overall(quarter, minimum=minimum)
    points = analytics.trend(year, "month", minimum=minimum)
    return [
        HomeSection(
            template="voice/_home.html",
            context={
                "overall": overall,
                "trend": points,
                "chart": nps_chart(
                    points, _("NPS by month over twelve months, with its confidence band (95 %)")
                ),
                "period": quarter,
            },
            order=30,
        )
    ]
