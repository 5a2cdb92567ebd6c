"""Attempts limited per account and per address, so guessing is slow from everywhere.

Two doors are guarded: logging in (failures count; a success clears the account's counter) and
asking for a password reset (every request counts: each one sends an e-mail, so an address that
asks a hundred times must not flood a mailbox or the outgoing relay). Counters live in the shared
cache, so every application server sees the same ones.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache


@dataclass(frozen=True)
class Limit:
    scope: str
    per_account: int
    per_address: int
    window_seconds: int


def login_limit() -> Limit:
    return Limit(
        "login",
        settings.LOGIN_MAX_FAILURES_PER_ACCOUNT,
        settings.LOGIN_MAX_FAILURES_PER_ADDRESS,
        settings.LOGIN_FAILURE_WINDOW_SECONDS,
    )


def password_reset_limit() -> Limit:
    return Limit(
        "password-reset",
        settings.PASSWORD_RESET_MAX_PER_ACCOUNT,
        settings.PASSWORD_RESET_MAX_PER_ADDRESS,
        settings.PASSWORD_RESET_WINDOW_SECONDS,
    )


def _key(scope: str, kind: str, value: str) -> str:
    # Hashed: the cache (a database table by default) never holds e-mail or IP addresses in clear.
    digest = hashlib.sha256(value.strip().lower().encode()).hexdigest()[:32]
    return f"throttle:{scope}:{kind}:{digest}"


def blocked(limit: Limit, *, email: str, address: str) -> bool:
    account, origin = _key(limit.scope, "account", email), _key(limit.scope, "address", address)
    counts = cache.get_many([account, origin])
    return counts.get(account, 0) >= limit.per_account or counts.get(origin, 0) >= limit.per_address


def count(limit: Limit, *, email: str, address: str) -> None:
    for key in (_key(limit.scope, "account", email), _key(limit.scope, "address", address)):
        # add() starts the window on the first attempt; incr() never extends it.
        if not cache.add(key, 1, timeout=limit.window_seconds):
            try:
                cache.incr(key)
            except ValueError:  # expired between add() and incr()
                cache.set(key, 1, timeout=limit.window_seconds)


def clear_account(limit: Limit, *, email: str) -> None:
    cache.delete(_key(limit.scope, "account", email))


def login_blocked(*, email: str, address: str) -> bool:
    return blocked(login_limit(), email=email, address=address)


def login_failed(*, email: str, address: str) -> None:
    count(login_limit(), email=email, address=address)


def login_succeeded(*, email: str) -> None:
    clear_account(login_limit(), email=email)


def client_address(request_meta: dict[str, str]) -> str:
    # Behind a trusted proxy the application server sees the proxy; REMOTE_ADDR is set by the
    # WSGI server and cannot be forged by the client, unlike X-Forwarded-For.
    return request_meta.get("REMOTE_ADDR", "") or "unknown"
