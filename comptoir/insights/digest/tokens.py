"""One-click unsubscribe: a signed token naming the person, valid as long as the secret key is."""

from __future__ import annotations

from django.core import signing
from django.urls import reverse

from comptoir.core import clock
from comptoir.insights.models import DigestPreference

SALT = "comptoir.insights.digest.unsubscribe"


def unsubscribe_token(user_id: int) -> str:
    """`<id>:<signature>`, the same every week: a link from an old digest still works."""
    return signing.Signer(salt=SALT).sign(str(user_id))


def user_from_token(token: str) -> int | None:
    try:
        value = signing.Signer(salt=SALT).unsign(token)
    except signing.BadSignature:
        return None
    return int(value) if value.isdigit() else None


def unsubscribe_path(user_id: int) -> str:
    return reverse("insights:digest_unsubscribe", args=[unsubscribe_token(user_id)])


def digest_unsubscribe(user_id: int) -> None:
    """Stop the digest for the person (their other e-mails are untouched)."""
    DigestPreference.objects.update_or_create(
        user_id=user_id, defaults={"weekday": DigestPreference.NEVER, "updated_at": clock.now()}
    )
