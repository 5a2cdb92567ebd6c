from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError

from comptoir.core.permissions import PermissionDenied403


def denied_as_403[F: Callable[..., Any]](view: F) -> F:
    """Services refuse with PermissionDenied403; a page answers that with Django's 403."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return view(*args, **kwargs)
        except PermissionDenied403 as exc:
            raise PermissionDenied(str(exc)) from exc

    return wrapper  # type: ignore[return-value]


def add_errors(form: forms.Form, exc: ValidationError) -> None:
    """A service's ValidationError shown on the form, by field when the field exists."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            target = field if field in form.fields else None
            for error in errors:
                form.add_error(target, error)
    else:
        form.add_error(None, exc)
