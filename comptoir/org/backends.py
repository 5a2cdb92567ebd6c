"""The authentication backend: Django's, fetching the signed-in person with their role in one query."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend

from comptoir.org.models import User


class PersonBackend(ModelBackend):
    def get_user(self, user_id: Any) -> User | None:
        # Every page checks the role (the permission vocabulary reads it): fetch it with the person
        # instead of one more query per request.
        try:
            user = User._default_manager.select_related("role").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
