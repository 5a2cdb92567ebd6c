"""Reads of the customer's voice. Other apps (projects, insights, customers) use these, never the tables.

The love score is a diagnostic for customer relations, never a person's objective: no function here
groups scores by person (owner) and none may be added. Breakdowns by team exist for customer
relations to see where to help, and the analytics pages show no ranking of reps or teams.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from comptoir.voice.models import CES_EASY_MIN, DETRACTOR_MAX, PROMOTER_MIN, Response, VoiceSettings
from comptoir.voice.stats import Effort, Nps


def nps_of(responses: QuerySet[Response], *, min_responses: int | None = None) -> Nps:
    """NPS of any (already filtered) queryset of responses, in one query.

    Returns a `stats.Nps`: `.score` (promoters% - detractors%, -100..100, None without answers),
    `.promoters`, `.passives`, `.detractors`, `.n`, `.low`/`.high` (95 % interval), `.enough`
    (at least `min_responses`, default the configured minimum) and `.as_dict()`.
    Responses without an NPS score (effort only) are not in the denominator.

    Example (projects app, effect of a project on a unit):
        nps_of(Response.objects.filter(unit=unit, answered_at__date__range=(start, end)))
    """
    counts = responses.aggregate(
        promoters=Count("pk", filter=Q(nps__gte=PROMOTER_MIN)),
        passives=Count("pk", filter=Q(nps__gt=DETRACTOR_MAX, nps__lt=PROMOTER_MIN)),
        detractors=Count("pk", filter=Q(nps__lte=DETRACTOR_MAX)),
    )
    if min_responses is None:
        min_responses = VoiceSettings.current().min_responses
    return Nps(counts["promoters"], counts["passives"], counts["detractors"], min_responses=min_responses)


def nps_between(
    start: dt.date,
    end: dt.date,
    *,
    responses: QuerySet[Response] | None = None,
    min_responses: int | None = None,
    **filters: Any,
) -> Nps:
    """NPS of the responses answered from `start` to `end` (both included, local dates), optionally
    narrowed by `responses` (a base queryset) and by field filters (`unit=…`, `region=…`,
    `step=…`, `segment=…`, `account=…`, `survey=…`)."""
    base = responses if responses is not None else Response.objects.all()
    qs = base.filter(answered_at__date__gte=start, answered_at__date__lte=end, **filters)
    return nps_of(qs, min_responses=min_responses)


def effort_of(responses: QuerySet[Response], *, min_responses: int | None = None) -> Effort:
    """Customer effort (CES mean and % easy) of any filtered queryset of responses, in one query."""
    agg = responses.aggregate(
        count=Count("ces"), total=Sum("ces"), easy=Count("pk", filter=Q(ces__gte=CES_EASY_MIN))
    )
    if min_responses is None:
        min_responses = VoiceSettings.current().min_responses
    return Effort(agg["count"] or 0, agg["total"] or 0, agg["easy"] or 0, min_responses=min_responses)


# --- Verbatims, themes, accounts ------------------------------------------------------------------

VERBATIM_ORDERING = ("-answered_at", "-id")
BANDS = {
    "promoter": Q(nps__gte=PROMOTER_MIN),
    "passive": Q(nps__gt=DETRACTOR_MAX, nps__lt=PROMOTER_MIN),
    "detractor": Q(nps__lte=DETRACTOR_MAX),
}

# What customers talk about, recognised by words (French and English, accent-free, lower case).
# Kept short and readable: customer relations reads the verbatims behind each theme.
THEMES: dict[str, tuple[str, ...]] = {
    "delivery_slot": (
        "creneau",
        "retard",
        "en retard",
        "horaire",
        "livreur",
        "livraison",
        "late",
        "delivery",
        "slot",
    ),
    "breakdown": (
        "panne",
        "machine",
        "technicien",
        "reparation",
        "sav",
        "intervention",
        "breakdown",
        "repair",
    ),
    "rebate": ("remise", "promo", "promotion", "ristourne", "avoir", "rebate", "discount"),
    "invoice": ("facture", "facturation", "erreur de prix", "prelevement", "invoice", "billing"),
    "product": ("produit", "qualite", "rupture", "manquant", "casse", "quality", "missing", "out of stock"),
    "service": (
        "accueil",
        "conseil",
        "commercial",
        "service client",
        "reponse",
        "joignable",
        "helpful",
        "answer",
    ),
    "ordering": ("commande", "site", "appli", "application", "en ligne", "order", "website", "app"),
}


def theme_labels() -> dict[str, Any]:
    from django.utils.translation import gettext_lazy as _

    return {
        "delivery_slot": _("Delivery and slots"),
        "breakdown": _("Machine breakdowns and repairs"),
        "rebate": _("Rebates and promotions"),
        "invoice": _("Invoices"),
        "product": _("Products and availability"),
        "service": _("Advice and service"),
        "ordering": _("Ordering"),
    }


def themes_of(comment: str) -> list[str]:
    from comptoir.core.text import fold

    text = f" {fold(comment)} "
    return [theme for theme, words in THEMES.items() if any(word in text for word in words)]


def verbatims_filter(
    responses: QuerySet[Response],
    *,
    band: str = "",
    step: int | None = None,
    unit: int | None = None,
    region: int | None = None,
    segment: int | None = None,
    account: int | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    words: str = "",
    with_comment: bool = True,
) -> QuerySet[Response]:
    qs = responses
    if with_comment:
        qs = qs.exclude(comment="")
    if band in BANDS:
        qs = qs.filter(BANDS[band])
    for name, value in (
        ("step_id", step),
        ("unit_id", unit),
        ("region_id", region),
        ("segment_id", segment),
        ("account_id", account),
    ):
        if value:
            qs = qs.filter(**{name: value})
    if start:
        qs = qs.filter(answered_at__date__gte=start)
    if end:
        qs = qs.filter(answered_at__date__lte=end)
    for word in search_words(words):
        qs = qs.filter(comment_folded__contains=word)
    return qs


def search_words(text: str) -> list[str]:
    """The words of a verbatim search, accent-free and lower-case, French plurals reduced to their
    singular stem ("Créneaux" -> "creneau", "livraisons" -> "livraison"), at most five."""
    from comptoir.core.text import fold

    out = []
    for word in fold(text).split()[:5]:
        if len(word) > 4 and word[-1] in "sx":
            word = word[:-1]
        out.append(word)
    return out


def verbatims_page(responses: QuerySet[Response], *, cursor: str | None, size: int = 30) -> Any:
    from comptoir.core.pagination import keyset_page

    qs = responses.select_related("account", "step", "unit", "region")
    return keyset_page(qs, ordering=VERBATIM_ORDERING, cursor=cursor, size=size)


def theme_counts(responses: QuerySet[Response], *, sample: int = 2000) -> list[dict[str, Any]]:
    """The themes of the latest `sample` comments of a filtered set, with their NPS: the causes."""
    counts: dict[str, list[int]] = {t: [0, 0, 0] for t in THEMES}  # answers, promoters, detractors
    rows = responses.exclude(comment="").order_by(*VERBATIM_ORDERING).values_list("comment", "nps")[:sample]
    total = 0
    for comment, nps in rows:
        total += 1
        for theme in themes_of(comment):
            counts[theme][0] += 1
            if nps is not None and nps >= PROMOTER_MIN:
                counts[theme][1] += 1
            elif nps is not None and nps <= DETRACTOR_MAX:
                counts[theme][2] += 1
    labels = theme_labels()
    out = [
        {
            "theme": theme,
            "label": labels[theme],
            "comments": n,
            "share": round(100 * n / total, 1) if total else 0.0,
            "nps": round(100 * (p - d) / n, 1) if n else None,
        }
        for theme, (n, p, d) in counts.items()
        if n
    ]
    return sorted(out, key=lambda r: -r["comments"])


def account_scores(
    responses: QuerySet[Response], *, start: dt.date, middle: dt.date, end: dt.date, limit: int = 50
) -> list[dict[str, Any]]:
    """Accounts answered by several contacts (B2B): each account's NPS before and after `middle`,
    the accounts whose score fell most first."""
    qs = responses.filter(
        account__isnull=False, nps__isnull=False, answered_at__date__gte=start, answered_at__date__lte=end
    )
    early = Q(answered_at__date__lt=middle)
    late = Q(answered_at__date__gte=middle)
    rows = (
        qs.values("account_id", "account__name")
        .annotate(
            n0=Count("pk", filter=early),
            p0=Count("pk", filter=early & BANDS["promoter"]),
            d0=Count("pk", filter=early & BANDS["detractor"]),
            n1=Count("pk", filter=late),
            p1=Count("pk", filter=late & BANDS["promoter"]),
            d1=Count("pk", filter=late & BANDS["detractor"]),
        )
        .filter(n0__gt=0, n1__gt=0)
        .order_by()
    )
    out = []
    for r in rows:
        before = 100 * (r["p0"] - r["d0"]) / r["n0"]
        after = 100 * (r["p1"] - r["d1"]) / r["n1"]
        out.append(
            {
                "account_id": r["account_id"],
                "account": r["account__name"],
                "before": round(before, 1),
                "after": round(after, 1),
                "change": round(after - before, 1),
                "responses": r["n0"] + r["n1"],
            }
        )
    out.sort(key=lambda r: (r["change"], r["account"]))
    return out[:limit]


def agreement_breakdown(
    responses: QuerySet[Response], *, start: dt.date, end: dt.date
) -> list[dict[str, Any]]:
    """NPS per framework agreement (the answers of the sites it covers), in name order."""
    minimum = VoiceSettings.current().min_responses
    rows = (
        responses.filter(agreement__isnull=False, answered_at__date__gte=start, answered_at__date__lte=end)
        .values("agreement_id", "agreement__name")
        .annotate(
            p=Count("pk", filter=BANDS["promoter"]),
            pa=Count("pk", filter=BANDS["passive"]),
            d=Count("pk", filter=BANDS["detractor"]),
        )
        .order_by("agreement__name")
    )
    return [
        {"label": r["agreement__name"], "nps": Nps(r["p"], r["pa"], r["d"], min_responses=minimum)}
        for r in rows
    ]
