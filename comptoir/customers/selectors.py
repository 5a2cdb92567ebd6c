"""Reads of customer accounts and agreements, each in a fixed number of queries whatever the size
of the data: lists are keyset pages, progress figures are GROUP BY over one agreement's sites."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from comptoir.core import clock
from comptoir.core.charts import Point, Series, line_chart
from comptoir.core.pagination import Page, keyset_page
from comptoir.core.permissions import Cap, has_cap
from comptoir.customers import access, search
from comptoir.customers.models import (
    Account,
    AccountOwnership,
    AgreementSite,
    Contact,
    FrameworkAgreement,
    Segment,
    SiteStatusChange,
)
from comptoir.org.models import OrgUnit, Region, User

ACCOUNT_ORDERING = ("name", "id")
AGREEMENT_ORDERING = ("name", "id")
Rollout = AgreementSite.Rollout
OPEN_STATUSES = (Rollout.NOT_STARTED, Rollout.IN_PROGRESS)
LATE_SITES_SHOWN = 50
PER_REP_SHOWN = 30


def _label(name: str, name_en: str) -> str:
    return name_en if (get_language() or "fr").startswith("en") and name_en else name


# --- Accounts -------------------------------------------------------------------------------------


def _account_keys(
    *,
    viewer: User,
    query: str,
    unit: int | None,
    region: int | None,
    owner: int | None,
    segment: int | None,
    status: str,
    agreement: int | None,
    cursor: str | None,
    size: int,
) -> tuple[list[int], str | None]:
    accounts = search.matching(access.accounts_visible_to(viewer), query)
    filters: dict[str, Any] = {
        "unit_id": unit,
        "region_id": region,
        "owner_id": owner,
        "segment_id": segment,
        "status": status,
        "agreement_sites__agreement_id": agreement,
    }
    accounts = accounts.filter(**{k: v for k, v in filters.items() if v})
    # Two steps. The page's keys first, selecting only (id, name): for a viewer whose scope is a
    # list of owners (a director answers for thousands of people), SQLite then reads the covering
    # index (owner, name, id) and sorts small index entries, instead of fetching and sorting every
    # joined row in scope (95 ms at 100,000 accounts). Then the 25 rows themselves, by primary key.
    keys = keyset_page(accounts.values("id", "name"), ordering=ACCOUNT_ORDERING, cursor=cursor, size=size)
    return [key["id"] for key in keys.items], keys.next_cursor


def account_list(
    *,
    viewer: User,
    query: str = "",
    unit: int | None = None,
    region: int | None = None,
    owner: int | None = None,
    segment: int | None = None,
    status: str = "",
    agreement: int | None = None,
    cursor: str | None = None,
    size: int = 25,
) -> Page[Account]:
    """One page of the accounts `viewer` sees, as model instances (the API serialises them)."""
    ids, next_cursor = _account_keys(
        viewer=viewer, query=query, unit=unit, region=region, owner=owner, segment=segment,
        status=status, agreement=agreement, cursor=cursor, size=size,
    )  # fmt: skip
    rows = Account.objects.select_related("owner", "unit", "region", "segment").in_bulk(ids)
    return Page(items=[rows[pk] for pk in ids if pk in rows], next_cursor=next_cursor)


class AccountRow(NamedTuple):
    """One line of an account list, read as a tuple: building 25 model instances and their four
    related objects was a third of the list's server time."""

    pk: int
    name: str
    status: str
    postcode: str
    city: str
    unit: str
    region: str
    segment: str  # "" without a segment
    owner: str | None  # the owner's name, None without an owner


_ROW_FIELDS = (
    "id", "name", "status", "postcode", "city",
    "unit__name", "unit__name_en", "region__name", "region__name_en", "segment__name", "segment__name_en",
    "owner_id", "owner__first_name", "owner__last_name", "owner__email",
)  # fmt: skip


def _account_rows(values: Iterable[tuple[Any, ...]]) -> list[AccountRow]:
    english = (get_language() or "fr").startswith("en")
    rows = []
    for pk, name, status, postcode, city, unit, unit_en, region, region_en, seg, seg_en, owner_id, first, last, email in values:
        owner = (f"{first} {last}".strip() or email) if owner_id else None
        if english:
            unit, region, seg = unit_en or unit, region_en or region, seg_en or seg
        rows.append(AccountRow(pk, name, status, postcode, city, unit, region, seg or "", owner))
    return rows


def account_list_rows(
    *,
    viewer: User,
    query: str = "",
    unit: int | None = None,
    region: int | None = None,
    owner: int | None = None,
    segment: int | None = None,
    status: str = "",
    agreement: int | None = None,
    cursor: str | None = None,
    size: int = 25,
) -> Page[AccountRow]:
    """The same page as `account_list`, as display rows for the HTML list: two queries."""
    ids, next_cursor = _account_keys(
        viewer=viewer, query=query, unit=unit, region=region, owner=owner, segment=segment,
        status=status, agreement=agreement, cursor=cursor, size=size,
    )  # fmt: skip
    found = {row.pk: row for row in _account_rows(Account.objects.filter(pk__in=ids).order_by().values_list(*_ROW_FIELDS))}
    return Page(items=[found[pk] for pk in ids if pk in found], next_cursor=next_cursor)


def my_accounts(*, viewer: User, cursor: str | None = None, size: int = 25) -> Page[AccountRow]:
    """The accounts a rep owns themselves (not their team's): their day's work list, in one query."""
    accounts = Account.objects.filter(owner=viewer).values(*_ROW_FIELDS)
    page = keyset_page(accounts, ordering=ACCOUNT_ORDERING, cursor=cursor, size=size)
    return Page(items=_account_rows(tuple(row[f] for f in _ROW_FIELDS) for row in page.items), next_cursor=page.next_cursor)


OWNER_CHOICES_MAX = 300
# An organisation this large (people in scope, most of them reps) has more owners than a menu shows:
# no need to ask the database to find out.
OWNER_SCOPE_WITHOUT_MENU = 4 * OWNER_CHOICES_MAX
AGREEMENT_CHOICES_MAX = 50


def _owner_candidates(viewer: User) -> QuerySet[User]:
    owners = User.objects.filter(is_active=True, role__code__in=("rep", "manager"))
    if not access.sees_all_accounts(viewer) and not has_cap(viewer, Cap.MANAGE_ORGANISATION):
        owners = owners.filter(access.owner_in(access.owner_ids_in_scope(viewer), "pk"))
    return owners


@dataclass(frozen=True)
class Choice:
    """One entry of a menu: read as a tuple, not a model instance (300 of them per page)."""

    pk: int
    label: str

    @property
    def full_name(self) -> str:
        return self.label

    @property
    def name(self) -> str:
        return self.label


def owner_choices(viewer: User) -> tuple[list[Choice], bool]:
    """The people a filter or a reassignment may name, and whether that list is complete: past
    OWNER_CHOICES_MAX (a director's organisation, a national head office) the page asks for an
    e-mail instead of a long menu.

    The menu is read unordered and cut at OWNER_CHOICES_MAX + 1, then sorted here: ordering by
    name in SQL would sort every rep of the company (9,000 at scale) to show none of them."""
    organisation_only = not access.sees_all_accounts(viewer) and not has_cap(viewer, Cap.MANAGE_ORGANISATION)
    if organisation_only and len(access.owner_ids_in_scope(viewer)) > OWNER_SCOPE_WITHOUT_MENU:
        return [], False
    owners = list(
        _owner_candidates(viewer).order_by().values_list("id", "first_name", "last_name", "email")[: OWNER_CHOICES_MAX + 1]
    )
    if len(owners) > OWNER_CHOICES_MAX:
        return [], False
    owners.sort(key=lambda o: (o[2], o[1], o[0]))
    return [Choice(pk, f"{first} {last}".strip() or email) for pk, first, last, email in owners], True


def owner_in_scope(viewer: User, value: str | int) -> User | None:
    """The person named by id or e-mail, if `viewer` may name them as an owner."""
    text = str(value).strip()
    owners = _owner_candidates(viewer)
    if text.isdigit():
        return owners.filter(pk=int(text)).first()
    if "@" in text:
        return owners.filter(email__iexact=text).first()
    return None


FILTER_MENUS_KEY = "customers:filter-menus:v1:{language}"
FILTER_MENUS_LANGUAGES = ("fr", "en")
FILTER_MENUS_TIMEOUT = 24 * 3600


def _menus_language() -> str:
    return "en" if (get_language() or "fr").startswith("en") else "fr"


def filter_menus() -> dict[str, list[tuple[int, str]]]:
    """The units, regions and segments the account list filters on, as (id, label) in the page's
    language: one cache read instead of three queries. Saving or deleting any of them forgets the
    cached menus (`forget_filter_menus`, connected in the app config)."""
    key = FILTER_MENUS_KEY.format(language=_menus_language())
    menus: dict[str, list[tuple[int, str]]] | None = cache.get(key)
    if menus is None:
        menus = {
            "units": [(u.pk, u.label) for u in OrgUnit.objects.filter(kind=OrgUnit.Kind.BUSINESS_UNIT)],
            "regions": [(r.pk, r.label) for r in Region.objects.all()],
            "segments": [(s.pk, s.label) for s in Segment.objects.all()],
        }
        cache.set(key, menus, FILTER_MENUS_TIMEOUT)
    return menus


def forget_filter_menus(**_kwargs: Any) -> None:
    cache.delete_many([FILTER_MENUS_KEY.format(language=language) for language in FILTER_MENUS_LANGUAGES])


def account_filter_choices(viewer: User) -> dict[str, Any]:
    owners, complete = owner_choices(viewer)
    return {
        **filter_menus(),
        "owners": owners,
        "owners_complete": complete,
        "agreements_max": AGREEMENT_CHOICES_MAX,
        # A menu of agreements up to AGREEMENT_CHOICES_MAX; past that (HQ) the agreement page's
        # "see the sites" link fills the filter instead.
        "agreements": [
            Choice(pk, name)
            for pk, name in access.agreements_visible_to(viewer)
            .order_by("name", "id")
            .values_list("id", "name")[: AGREEMENT_CHOICES_MAX + 1]
        ],
    }


@dataclass
class SiteRow:
    site: AgreementSite
    may_update: bool


@dataclass
class AccountPage:
    account: Account
    contacts: list[Contact]
    ownerships: list[AccountOwnership]
    sites: list[SiteRow]
    children: list[Account]
    group_agreements: list[FrameworkAgreement]
    sections: list[Any] = field(default_factory=list)


ACCOUNT_CHILDREN_SHOWN = 20


def account_page(*, viewer: User, account: Account) -> AccountPage:
    contacts = list(account.contacts.all())
    ownerships = list(account.ownerships.select_related("owner", "changed_by"))
    sites = list(
        account.agreement_sites.select_related("agreement", "agreement__kam", "status_changed_by").order_by(
            "agreement__name", "id"
        )
    )
    for site in sites:
        site.account = account  # the fetcher already loaded it: no query per row
    children = list(
        access.accounts_visible_to(viewer).filter(parent=account).order_by(*ACCOUNT_ORDERING)[:ACCOUNT_CHILDREN_SHOWN]
    )
    visible_agreements = access.agreements_visible_to(viewer)
    group_agreements = list(visible_agreements.filter(group=account).order_by(*AGREEMENT_ORDERING))
    return AccountPage(
        account=account,
        contacts=contacts,
        ownerships=ownerships,
        sites=[SiteRow(site, access.may_update_site(viewer, site)) for site in sites],
        children=children,
        group_agreements=group_agreements,
    )


# --- Agreements -----------------------------------------------------------------------------------


def _with_progress(agreements: QuerySet[FrameworkAgreement]) -> QuerySet[FrameworkAgreement]:
    return agreements.annotate(
        site_count=Count("sites"),
        deployed_count=Count("sites", filter=Q(sites__status=Rollout.DEPLOYED)),
        in_progress_count=Count("sites", filter=Q(sites__status=Rollout.IN_PROGRESS)),
    )


def agreement_list(
    *, viewer: User, query: str = "", status: str = "", cursor: str | None = None, size: int = 25
) -> Page[FrameworkAgreement]:
    agreements = access.agreements_visible_to(viewer).select_related("kam", "group")
    if query:
        agreements = agreements.filter(name__icontains=query)
    if status:
        agreements = agreements.filter(status=status)
    # The page's ids first, then the counts for those 25 only: the GROUP BY never runs over
    # the whole table, whatever the number of agreements.
    page = keyset_page(agreements, ordering=AGREEMENT_ORDERING, cursor=cursor, size=size)
    counted = {a.pk: a for a in _with_progress(FrameworkAgreement.objects.filter(pk__in=[a.pk for a in page.items]))}
    for item in page.items:
        found = counted[item.pk]
        item.site_count, item.deployed_count, item.in_progress_count = (  # type: ignore[attr-defined]
            found.site_count,  # type: ignore[attr-defined]
            found.deployed_count,  # type: ignore[attr-defined]
            found.in_progress_count,  # type: ignore[attr-defined]
        )
    return page


def agreements_of_kam(kam: User, limit: int = 10) -> list[FrameworkAgreement]:
    return list(
        _with_progress(FrameworkAgreement.objects.filter(kam=kam).select_related("group")).order_by(*AGREEMENT_ORDERING)[
            :limit
        ]
    )


@dataclass
class ProgressRow:
    key: int | None
    label: str
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def deployed(self) -> int:
        return self.counts.get(Rollout.DEPLOYED, 0)

    @property
    def in_progress(self) -> int:
        return self.counts.get(Rollout.IN_PROGRESS, 0)

    @property
    def not_started(self) -> int:
        return self.counts.get(Rollout.NOT_STARTED, 0)

    @property
    def refused(self) -> int:
        return self.counts.get(Rollout.REFUSED, 0)

    @property
    def percent_deployed(self) -> int:
        return round(100 * self.deployed / self.total) if self.total else 0


@dataclass
class AgreementPage:
    agreement: FrameworkAgreement
    overall: ProgressRow
    per_region: list[ProgressRow]
    per_rep: list[ProgressRow]
    per_rep_hidden: int
    late_sites: list[AgreementSite]
    late_count: int
    chart: SafeString
    chart_rows: list[tuple[str, float, float]]
    posts: AgreementPosts


def agreement_progress(agreement: FrameworkAgreement) -> tuple[ProgressRow, list[ProgressRow], list[ProgressRow]]:
    """Progress overall, per region and per rep from one GROUP BY (region, owner, status): its rows
    number the agreement's reps times four at most, whatever its number of sites."""
    counted = (
        AgreementSite.objects.filter(agreement=agreement)
        .values_list(
            "account__region_id", "account__region__name", "account__region__name_en",
            "account__owner_id", "account__owner__first_name", "account__owner__last_name", "status",
        )
        .annotate(n=Count("id"))
        .order_by()
    )  # fmt: skip
    overall = ProgressRow(None, _("All sites"), {})
    regions: dict[int, ProgressRow] = {}
    reps: dict[int | None, ProgressRow] = {}
    no_owner = _("No owner")
    for region_id, region, region_en, owner_id, first, last, status, n in counted:
        overall.counts[status] = overall.counts.get(status, 0) + n
        row = regions.get(region_id) or regions.setdefault(region_id, ProgressRow(region_id, _label(region, region_en), {}))
        row.counts[status] = row.counts.get(status, 0) + n
        row = reps.get(owner_id) or reps.setdefault(
            owner_id, ProgressRow(owner_id, f"{first or ''} {last or ''}".strip() or no_owner, {})
        )
        row.counts[status] = row.counts.get(status, 0) + n

    def ranked(rows: Iterable[ProgressRow]) -> list[ProgressRow]:
        return sorted(rows, key=lambda r: (-r.percent_deployed, r.label))

    return overall, ranked(regions.values()), ranked(reps.values())


def late_sites(agreement: FrameworkAgreement, *, today: dt.date | None = None) -> tuple[list[AgreementSite], int]:
    """Sites still not deployed once the roll-out was due (none are late before the due date)."""
    today = today or clock.today()
    if agreement.rollout_due_on is None or agreement.rollout_due_on >= today:
        return [], 0
    late = AgreementSite.objects.filter(agreement=agreement, status__in=OPEN_STATUSES)
    rows = list(
        late.select_related("account", "account__owner", "account__region").order_by("status_changed_at", "id")[
            :LATE_SITES_SHOWN
        ]
    )
    count = len(rows) if len(rows) < LATE_SITES_SHOWN else late.count()
    return rows, count


def _months(start: dt.date, end: dt.date) -> list[dt.date]:
    months: list[dt.date] = []
    current = start.replace(day=1)
    while current <= end and len(months) < 120:
        months.append(current)
        current = (current.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return months


def _share(part: int, total: int) -> float:
    return round(100 * part / total, 1) if total else 0.0


def _monthly_changes_by_trunc(agreement: FrameworkAgreement) -> dict[dt.date, tuple[int, int]]:
    """Per local month, the change in the number of sites deployed and started, by TruncMonth (on
    SQLite a Python function called per row: kept for changes dated before the agreement starts)."""
    started = [Rollout.IN_PROGRESS, Rollout.DEPLOYED]
    per_month = (
        SiteStatusChange.objects.filter(agreement=agreement)
        .annotate(month=TruncMonth("changed_at"))
        .values("month")
        .annotate(
            deployed_in=Count("id", filter=Q(to_status=Rollout.DEPLOYED)),
            deployed_out=Count("id", filter=Q(from_status=Rollout.DEPLOYED)),
            started_in=Count("id", filter=Q(to_status__in=started) & ~Q(from_status__in=started)),
            started_out=Count("id", filter=Q(from_status__in=started) & ~Q(to_status__in=started)),
        )
        .order_by("month")
    )
    delta: dict[dt.date, tuple[int, int]] = {}
    for row in per_month:
        month = row["month"]
        if isinstance(month, dt.datetime):
            month = timezone.localtime(month).date() if timezone.is_aware(month) else month.date()
        month = month.replace(day=1)
        d, s = delta.get(month, (0, 0))
        delta[month] = (d + row["deployed_in"] - row["deployed_out"], s + row["started_in"] - row["started_out"])
    return delta


_MONTHLY_CHANGES_SQL = """
SELECT {bucket} AS bucket,
       SUM(CASE WHEN to_status = %s THEN 1 ELSE 0 END) - SUM(CASE WHEN from_status = %s THEN 1 ELSE 0 END),
       SUM(CASE WHEN to_status IN (%s, %s) AND from_status NOT IN (%s, %s) THEN 1 ELSE 0 END)
         - SUM(CASE WHEN from_status IN (%s, %s) AND to_status NOT IN (%s, %s) THEN 1 ELSE 0 END)
FROM {table} WHERE agreement_id = %s GROUP BY 1
"""


def monthly_changes(agreement: FrameworkAgreement, months: list[dt.date]) -> dict[dt.date, tuple[int, int]] | None:
    """Per month of `months` (local months, in order), the change in the number of sites deployed
    and started, in one query whose buckets are the months' start instants: plain comparisons, where
    TruncMonth runs a Python function per row on SQLite. None when a change falls before the first
    month (the caller then asks `_monthly_changes_by_trunc`); changes after the last month are left out."""
    if not months:
        return {}
    tz = timezone.get_current_timezone()
    following = (months[-1].replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    edges = [
        connection.ops.adapt_datetimefield_value(dt.datetime.combine(month, dt.time(), tzinfo=tz))
        for month in [*months, following]
    ]
    bucket = "CASE " + " ".join(f"WHEN changed_at < %s THEN {index}" for index in range(len(edges))) + f" ELSE {len(edges)} END"
    sql = _MONTHLY_CHANGES_SQL.format(bucket=bucket, table=SiteStatusChange._meta.db_table)
    started = [Rollout.IN_PROGRESS.value, Rollout.DEPLOYED.value]
    deployed = Rollout.DEPLOYED.value
    params = [*edges, deployed, deployed, *started, *started, *started, *started, agreement.pk]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    delta: dict[dt.date, tuple[int, int]] = {}
    for index, deployed_change, started_change in rows:
        if index == 0:
            return None
        if index <= len(months):
            delta[months[index - 1]] = (int(deployed_change or 0), int(started_change or 0))
    return delta


def rollout_over_time(agreement: FrameworkAgreement, total: int) -> tuple[SafeString, list[tuple[str, float, float]]]:
    """Share of sites deployed, and started (in progress or deployed), at the end of each month,
    rebuilt from the status changes in one grouped query."""
    months = _months(agreement.starts_on, clock.today())
    delta = monthly_changes(agreement, months)
    if delta is None:  # some change is older than the agreement: start the chart there
        delta = _monthly_changes_by_trunc(agreement)
        months = _months(min([*delta, agreement.starts_on]), clock.today())
    deployed = begun = 0
    table: list[tuple[str, float, float]] = []
    for month in months:
        d, s = delta.get(month, (0, 0))
        deployed, begun = deployed + d, begun + s
        table.append((month.strftime("%m/%Y"), _share(deployed, total), _share(begun, total)))
    series = [
        Series(_("Deployed"), [Point(label, value) for label, value, _s in table]),
        Series(_("Started"), [Point(label, value) for label, _d, value in table], css_class="line line-started"),
    ]
    chart = line_chart(series, title=_("Roll-out over time (% of sites)"), y_min=0, y_max=100, unit="%")
    return chart, table


# --- The field posts tied to an agreement (the feed app provides them) ---------------------------

PostsProvider = Callable[[User, FrameworkAgreement, int], Iterable[Any]]
_posts_provider_override: list[PostsProvider] = []
AGREEMENT_POSTS_SHOWN = 10


def register_agreement_posts_provider(provider: PostsProvider | None) -> None:
    """Put `provider` in place of `comptoir.feed.selectors.posts_for_agreement` (None: back to it).
    Meant for tests and for an installation without the feed."""
    _posts_provider_override.clear()
    if provider is not None:
        _posts_provider_override.append(provider)


def agreement_posts_provider() -> PostsProvider | None:
    if _posts_provider_override:
        return _posts_provider_override[0]
    try:
        from comptoir.feed import selectors as feed_selectors  # type: ignore[attr-defined,unused-ignore]
    except ImportError:
        return None
    provider: PostsProvider | None = getattr(feed_selectors, "posts_for_agreement", None)
    return provider


@dataclass
class AgreementPosts:
    available: bool
    items: list[Any]


def agreement_posts(viewer: User, agreement: FrameworkAgreement, limit: int = AGREEMENT_POSTS_SHOWN) -> AgreementPosts:
    provider = agreement_posts_provider()
    if provider is None:
        return AgreementPosts(available=False, items=[])
    return AgreementPosts(available=True, items=list(provider(viewer, agreement, limit))[:limit])


SITES_TO_REMOVE_SHOWN = 20


def agreement_sites_matching(agreement: FrameworkAgreement, query: str) -> list[AgreementSite]:
    """The agreement's sites whose account matches `query` (name, town, CRM id), to pick one to
    take out: at most SITES_TO_REMOVE_SHOWN, by name, in one query."""
    accounts = search.matching(Account.objects.all(), query) if query.strip() else Account.objects.none()
    sites = AgreementSite.objects.filter(agreement=agreement, account__in=accounts)
    return list(sites.select_related("account", "account__owner").order_by("account__name", "id")[:SITES_TO_REMOVE_SHOWN])


def agreement_page(*, viewer: User, agreement: FrameworkAgreement) -> AgreementPage:
    overall, per_region, per_rep = agreement_progress(agreement)
    # A national agreement may span hundreds of reps: the page shows those with the most sites
    # still to deploy (where a call helps), the API gives every row.
    shown = sorted(per_rep, key=lambda r: (-(r.not_started + r.in_progress), r.label))[:PER_REP_SHOWN]
    hidden = len(per_rep) - len(shown)
    kept = {id(row) for row in shown}
    per_rep = [row for row in per_rep if id(row) in kept]
    late, late_count = late_sites(agreement)
    chart, chart_rows = rollout_over_time(agreement, overall.total)
    return AgreementPage(
        agreement=agreement,
        overall=overall,
        per_region=per_region,
        per_rep=per_rep,
        per_rep_hidden=hidden,
        late_sites=late,
        late_count=late_count,
        chart=chart,
        chart_rows=chart_rows,
        posts=agreement_posts(viewer, agreement),
    )
