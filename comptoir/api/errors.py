"""Machine-readable API errors: `{"error": {"code": "...", "message": "...", "fields": [...]}}`."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from comptoir.core.pagination import InvalidCursor
from comptoir.core.permissions import PermissionDenied403


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, fields: list[dict[str, Any]] | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.fields = status, code, message, fields or []


def error_body(code: str, message: str, fields: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "fields": fields or []}}


def install_error_handlers(api: NinjaAPI) -> None:
    def respond(request: HttpRequest, status: int, code: str, message: str, fields: Any = None) -> HttpResponse:
        return api.create_response(request, error_body(code, message, fields), status=status)

    @api.exception_handler(ApiError)
    def _api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
        return respond(request, exc.status, exc.code, exc.message, exc.fields)

    @api.exception_handler(NinjaValidationError)
    def _invalid(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        fields = [
            {"field": ".".join(str(p) for p in e.get("loc", [])[1:]), "message": e.get("msg", "")}
            for e in exc.errors
        ]
        return respond(request, 422, "invalid_input", "The request is not valid.", fields)

    @api.exception_handler(ValidationError)
    def _django_invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        if hasattr(exc, "error_dict"):
            fields = [{"field": k, "message": " ".join(str(m) for m in v[0].messages)} for k, v in exc.error_dict.items()]
        else:
            fields = []
        return respond(request, 422, "invalid_input", " ".join(exc.messages), fields)

    @api.exception_handler(InvalidCursor)
    def _cursor(request: HttpRequest, exc: InvalidCursor) -> HttpResponse:
        return respond(request, 400, "invalid_cursor", str(exc))

    @api.exception_handler(Http404)
    def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return respond(request, 404, "not_found", "Not found.")

    @api.exception_handler(PermissionDenied)
    def _denied(request: HttpRequest, exc: Exception) -> HttpResponse:
        return respond(request, 403, "forbidden", str(exc) or "You may not do this.")

    api.exception_handler(PermissionDenied403)(_denied)

    @api.exception_handler(AuthenticationError)
    def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return respond(request, 401, "unauthenticated", "Log in or send an API token.")

    @api.exception_handler(HttpError)
    def _http(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return respond(request, exc.status_code, "error", str(exc))
