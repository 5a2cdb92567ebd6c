from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from comptoir.api.models import ApiToken, hash_token
from comptoir.core import clock


class TokenAuth(HttpBearer):
    """`Authorization: Bearer cpt_…` with a personal API token."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = (
            ApiToken.objects.select_related("user", "user__role")
            .filter(key_hash=hash_token(token), revoked=False, user__is_active=True)
            .first()
        )
        if found is None:
            return None
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=clock.now())
        request.user = found.user
        return found.user


class ActiveSessionAuth(SessionAuth):
    """The browser's session (with its CSRF check on writes), for the pages' own htmx calls."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        if user is not None and not getattr(user, "is_active", False):
            return None
        return user


AUTH = [TokenAuth(), ActiveSessionAuth()]
