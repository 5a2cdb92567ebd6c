"""Admin for customer data. Imports go through the import pages (Imports > accounts, contacts,
agreement sites), which validate every row; these screens are for one-off corrections."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from comptoir.customers import services
from comptoir.customers.models import (
    Account,
    AccountOwnership,
    AgreementSite,
    Contact,
    FrameworkAgreement,
    Segment,
    SiteStatusChange,
)


@admin.register(Segment)
class SegmentAdmin(admin.ModelAdmin[Segment]):
    list_display = ("code", "name", "name_en", "rank")


class ContactInline(admin.TabularInline[Contact, Account]):
    model = Contact
    extra = 0
    fields = ("first_name", "last_name", "job_title", "email", "phone", "language", "survey_consent")


class OwnershipInline(admin.TabularInline[AccountOwnership, Account]):
    model = AccountOwnership
    extra = 0
    fk_name = "account"
    readonly_fields = ("owner", "started_at", "ended_at", "changed_by")
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Account)
class AccountAdmin(admin.ModelAdmin[Account]):
    list_display = ("name", "external_id", "unit", "region", "owner", "segment", "status", "city")
    list_filter = ("unit", "region", "segment", "status")
    search_fields = ("name", "external_id", "city", "postcode")
    raw_id_fields = ("owner", "parent")
    list_select_related = ("unit", "region", "owner", "segment")
    inlines = (ContactInline, OwnershipInline)
    show_full_result_count = False

    def save_model(self, request: HttpRequest, obj: Account, form: Any, change: bool) -> None:
        # An owner changed here still goes through the dated ownership history.
        new_owner = obj.owner
        if change and "owner" in form.changed_data:
            obj.owner = Account.objects.get(pk=obj.pk).owner
            super().save_model(request, obj, form, change)
            services.account_reassign(account=obj, owner=new_owner, by=request.user)  # type: ignore[arg-type]
            return
        super().save_model(request, obj, form, change)
        if not change and new_owner is not None:
            AccountOwnership.objects.create(account=obj, owner=new_owner, started_at=obj.created_at, changed_by=request.user)  # type: ignore[misc]


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin[Contact]):
    list_display = ("__str__", "account", "job_title", "email", "language", "survey_consent")
    search_fields = ("last_name", "first_name", "email", "external_id")
    raw_id_fields = ("account",)
    list_select_related = ("account",)
    show_full_result_count = False


class SiteInline(admin.TabularInline[AgreementSite, FrameworkAgreement]):
    model = AgreementSite
    extra = 0
    raw_id_fields = ("account",)
    readonly_fields = ("status", "status_changed_at", "status_changed_by")


@admin.register(FrameworkAgreement)
class FrameworkAgreementAdmin(admin.ModelAdmin[FrameworkAgreement]):
    list_display = ("name", "external_id", "group", "kam", "status", "starts_on", "rollout_due_on")
    list_filter = ("status",)
    search_fields = ("name", "external_id")
    raw_id_fields = ("group", "kam")
    list_select_related = ("group", "kam")
    inlines = (SiteInline,)


@admin.register(SiteStatusChange)
class SiteStatusChangeAdmin(admin.ModelAdmin[SiteStatusChange]):
    list_display = ("site", "agreement", "from_status", "to_status", "changed_at", "changed_by")
    list_select_related = ("agreement", "changed_by")
    raw_id_fields = ("site", "agreement", "changed_by")
    show_full_result_count = False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
