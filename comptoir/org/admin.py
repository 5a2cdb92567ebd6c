from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from comptoir.org.models import OrgUnit, Region, Role, Team, User
from comptoir.org.selectors import manager_of_map
from comptoir.org.services import creates_cycle


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin[Role]):
    list_display = ["code", "name", "name_en"]


@admin.register(OrgUnit)
class OrgUnitAdmin(admin.ModelAdmin[OrgUnit]):
    list_display = ["code", "name", "name_en", "kind"]
    list_filter = ["kind"]


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin[Region]):
    list_display = ["code", "name", "name_en"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin[Team]):
    list_display = ["name", "unit", "region", "manager"]
    list_filter = ["unit", "region"]
    autocomplete_fields = ["manager"]
    search_fields = ["name"]


class PersonChangeForm(UserChangeForm):  # type: ignore[type-arg]
    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        manager = data.get("manager")
        if self.instance.pk and manager is not None and creates_cycle(self.instance.pk, manager.pk, manager_of_map()):
            raise ValidationError({"manager": _("The reporting line would loop.")})
        return data


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["last_name", "first_name"]
    list_display = ["email", "first_name", "last_name", "role", "unit", "region", "team", "manager", "is_active"]
    list_filter = ["is_active", "role", "unit", "region", "team"]
    list_select_related = ["role", "unit", "region", "team", "manager"]
    search_fields = ["email", "first_name", "last_name"]
    autocomplete_fields = ["manager", "team"]
    readonly_fields = ["last_login", "date_joined", "deactivated_at"]
    change_list_template = "admin/org/user/change_list.html"
    form = PersonChangeForm
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Person"), {"fields": ("first_name", "last_name", "job_title", "phone", "photo", "language", "email_notifications")}),
        (_("Organisation"), {"fields": ("role", "unit", "region", "team", "manager")}),
        (_("Access"), {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        (_("Dates"), {"fields": ("last_login", "date_joined", "deactivated_at")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "first_name", "last_name", "role", "password1", "password2")}),
    )

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        if obj.manager_id and creates_cycle(obj.pk, obj.manager_id, manager_of_map()):
            raise ValidationError(_("The reporting line would loop."))
        super().save_model(request, obj, form, change)
