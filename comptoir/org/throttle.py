"""Login attempts limited per account and per address, so guessing passwords is slow everywhere."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache


def _key(kind: str, value: str) -> str:
    digest = hashlib.sha256(value.strip().lower().encode()).hexdigest()[:32]
    return f"login-failures:{kind}:{digest}"


def login_blocked(*, email: str, address: str) -> bool:
    failures = cache.get_many([_key("account", email), _key("address", address)])
    return (
        failures.get(_key("account", email), 0) >= settings.LOGIN_MAX_FAILURES_PER_ACCOUNT
        or failures.get(_key("address", address), 0) >= settings.LOGIN_MAX_FAILURES_PER_ADDRESS
    )


def login_failed(*, email: str, address: str) -> None:
    for key in (_key("account", email), _key("address", address)):
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, timeout=settings.LOGIN_FAILURE_WINDOW_SECONDS)


def login_succeeded(*, email: str) -> None:
    cache.delete(_key("account", email))


def client_address(request_meta: dict[str, str]) -> str:
    # Behind a trusted proxy the application server sees the proxy; REMOTE_ADDR is set by the
    # WSGI server and cannot be forged by the client, unlike X-Forwarded-For.
    return request_meta.get("REMOTE_ADDR", "") or "unknown"
