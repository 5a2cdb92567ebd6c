from typing import Any

from django.http import HttpRequest


def unread_notifications(request: HttpRequest) -> dict[str, Any]:
    """The unread count of the header, computed lazily: pages that do not show it pay nothing."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def count() -> int:
        from comptoir.notifications.selectors import unread_count

        return unread_count(user)  # type: ignore[arg-type]

    return {"unread_notifications": count}
