"""CSV versions of every insights table: same figures as the pages, one row per line of the table.

Semicolon-separated UTF-8 with a BOM, which French Excel opens as it is; BI tools read it as well.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from django.http import HttpResponse

from comptoir.insights.selectors import ActivityOverview, Participation


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> HttpResponse:
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def activity_table(overview: ActivityOverview) -> tuple[list[str], list[list[Any]]]:
    """Per week and per group: accounts, active people, share (the trend and the breakdown in one table)."""
    header = ["period", "start", overview.by, "group", "accounts", "active", "share_pct"]
    rows: list[list[Any]] = []
    labels = {r.key: r.label for r in overview.rows}
    for kind, figures in (("week", overview.weeks), ("month", overview.months)):
        for fig in figures:
            rows.append(
                [kind, fig.start.isoformat(), "", "all", fig.total.whole, fig.total.part, fig.total.pct]
            )
            for key in sorted(fig.groups, key=lambda k: (labels.get(k, ""), k)):
                share = fig.groups[key]
                rows.append(
                    [
                        kind,
                        fig.start.isoformat(),
                        key,
                        labels.get(key, str(key)),
                        share.whole,
                        share.part,
                        share.pct,
                    ]
                )
    return header, rows


def participation_table(p: Participation) -> tuple[list[str], list[list[Any]]]:
    header = [
        "kind",
        "population",
        "participants",
        "total",
        "gini",
        *[f"decile_{i}_share" for i in range(1, 11)],
    ]
    rows = [
        [
            kind,
            s.population,
            s.participants,
            s.total,
            None if s.gini is None else round(s.gini, 3),
            *[round(d, 4) for d in s.deciles],
        ]
        for kind, s in p.by_kind.items()
    ]
    return header, rows


def attention_table(data: Any) -> tuple[list[str], list[list[Any]]]:
    header = ["team", "posts", "reached", "share_pct", "median_hours"]
    rows = [
        [
            t.label,
            t.reached.whole,
            t.reached.part,
            t.reached.pct,
            None if t.median_hours is None else round(t.median_hours, 1),
        ]
        for t in [*data.teams]
    ]
    total = data.total
    rows.append(
        [
            "all",
            total.reached.whole,
            total.reached.part,
            total.reached.pct,
            None if total.median_hours is None else round(total.median_hours, 1),
        ]
    )
    return header, rows


def recommendations_table(data: Any) -> tuple[list[str], list[list[Any]]]:
    header = [
        "month",
        "raised",
        "answered",
        "answered_pct",
        "adopted_or_planned",
        "adopted_pct_of_answered",
        "median_days_to_answer",
    ]
    rows = [
        [
            m.month.isoformat(),
            m.raised,
            m.answered.part,
            m.answered.pct,
            m.adopted.part,
            m.adopted.pct,
            None if m.median_days is None else round(m.median_days, 1),
        ]
        for m in [*data.months, data.total]
    ]
    rows[-1][0] = "all"
    return header, rows


def practices_table(data: Any) -> tuple[list[str], list[list[Any]]]:
    header = [
        "section",
        "name",
        "posts",
        "reads",
        "reads_other_units",
        "reactions_other_units",
        "crossed_posts",
        "units_reached",
    ]
    rows: list[list[Any]] = [
        [
            "topic",
            t.topic,
            t.posts,
            t.reads,
            t.reads_elsewhere,
            t.reactions_elsewhere,
            t.crossed,
            len(t.units),
        ]
        for t in data.topics
    ]
    rows += [
        ["link", f"{link.source} -> {link.target}", None, None, link.reads, link.reactions, None, None]
        for link in data.links
    ]
    return header, rows
