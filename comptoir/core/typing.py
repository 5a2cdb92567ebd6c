"""A request whose user is known to be logged in (LoginRequiredMiddleware guarantees it)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from comptoir.org.models import User


class AuthedRequest(HttpRequest):
    user: User  # type: ignore[assignment]
