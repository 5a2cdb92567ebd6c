from __future__ import annotations

from ninja import Schema


class ErrorDetail(Schema):
    code: str
    message: str
    fields: list[dict[str, str]] = []


class ErrorOut(Schema):
    error: ErrorDetail


class PageOut[T](Schema):
    items: list[T]
    next_cursor: str | None
