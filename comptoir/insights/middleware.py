"""Records that a signed-in person visited today, with at most one database write a day.

The guard is the session first (free: it is already loaded) and then the cache (which covers a second
device or browser); only when both say "not yet today" is the visit written, as one upsert.

The write waits for the transaction to commit (`on_commit`): outside a transaction, as in a normal
request, it happens at once; inside one it happens only if that transaction commits. The guards are
set by the same callback, so a visit that was not written is tried again on the next request.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse

from comptoir.core import clock
from comptoir.insights.activity import visit_record

SESSION_KEY = "insights_visit_day"


def _cache_key(user_id: int, day: str) -> str:
    return f"insights:visit:{user_id}:{day}"


class ActivityMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        # `is_authenticated` on the lazy user is what loads it; anonymous pages pay nothing more.
        if user is not None and user.is_authenticated and user.is_active:
            self.note_visit(request, user.pk)
        return self.get_response(request)

    @staticmethod
    def note_visit(request: HttpRequest, user_id: int) -> None:
        today = clock.today()
        day = today.isoformat()
        session = getattr(request, "session", None)
        if session is not None and session.get(SESSION_KEY) == day:
            return
        key = _cache_key(user_id, day)
        seen = cache.get(key) is not None

        def record() -> None:
            if not seen:
                visit_record(user_id, today)
                cache.set(key, 1, timeout=36 * 3600)
            if session is not None:
                session[SESSION_KEY] = day

        transaction.on_commit(record)
