from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.http import HttpRequest
from django.utils.translation import gettext as _

from comptoir.api.models import ApiToken, hash_token, new_secret


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin[ApiToken]):
    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "revoked"]
    list_filter = ["revoked"]
    search_fields = ["name", "prefix", "user__email"]
    readonly_fields = ["prefix", "created_at", "last_used_at"]
    raw_id_fields = ["user"]

    def get_fields(self, request: HttpRequest, obj: ApiToken | None = None) -> Any:
        # Adding a token asks for whom and what for; the secret is made here, never typed in.
        if obj is None:
            return ["user", "name"]
        return ["user", "name", "prefix", "created_at", "last_used_at", "revoked"]

    def get_readonly_fields(self, request: HttpRequest, obj: ApiToken | None = None) -> Any:
        return [*self.readonly_fields, "user"] if obj is not None else []

    def save_model(self, request: HttpRequest, obj: ApiToken, form: Any, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        raw = new_secret()
        obj.key_hash, obj.prefix = hash_token(raw), raw[4:12]
        super().save_model(request, obj, form, change)
        # Shown once: only the hash is stored, so nobody can read the token again.
        messages.warning(
            request,
            _("The token for %(name)s is %(token)s. Copy it now: it will not be shown again.")
            % {"name": obj.name, "token": raw},
        )
