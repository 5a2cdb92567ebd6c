"""The JSON API: one NinjaAPI that mounts the `router` of every app's api.py under `/api/<prefix>/`."""

from __future__ import annotations

from typing import Any

from django.urls import URLPattern, URLResolver
from ninja import NinjaAPI

from comptoir.api.auth import AUTH
from comptoir.api.errors import install_error_handlers
from comptoir.core.extensions import app_modules

api = NinjaAPI(
    title="Comptoir API",
    version="1",
    description="Everything a person does in Comptoir, for the integrations (CRM, HR system, BI tools). "
    "Authenticate with the browser session or `Authorization: Bearer <token>`. Errors come as "
    '`{"error": {"code", "message", "fields"}}` with a 4xx status. Lists use keyset pagination: '
    "pass `next_cursor` back as `cursor`.",
    auth=AUTH,
    urls_namespace="api",
    docs_url="/docs",
)
install_error_handlers(api)

for module in app_modules("api"):
    if module.__name__ == "comptoir.api.api":
        continue
    router = getattr(module, "router", None)
    if router is not None:
        api.add_router(f"/{module.PREFIX}/", router)


def _open_to_token_clients(patterns: list[Any]) -> list[Any]:
    # The site-wide LoginRequiredMiddleware would redirect token-authenticated integrations to
    # the login page; the API authenticates every operation itself (session or token).
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            _open_to_token_clients(pattern.url_patterns)
        elif isinstance(pattern, URLPattern):
            pattern.callback.login_required = False  # type: ignore[attr-defined]
    return patterns


urlpatterns = _open_to_token_clients([*api.urls[0]])
app_name = "api"
