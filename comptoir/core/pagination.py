"""Keyset pagination: the cost of page 500 is the cost of page 1.

A page is read with `WHERE (ordering) < (last row's values) ORDER BY ordering LIMIT n+1`, so the
database walks an index from the cursor instead of counting and skipping rows. The ordering must
end with a unique field (the primary key) and its fields must not be nullable.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Model, Q, QuerySet


class InvalidCursor(ValueError):
    """The cursor given by the client cannot be decoded for this ordering."""


@dataclass(frozen=True)
class Page[T]:
    items: list[T]
    next_cursor: str | None

    @property
    def has_next(self) -> bool:
        return self.next_cursor is not None


def _field(model: type[Model], path: str) -> Any:
    current: Any = model
    field = None
    for part in path.split("__"):
        field = current._meta.get_field(part)
        if field.is_relation and field.related_model is not None:
            current = field.related_model
    return field


class _CursorEncoder(DjangoJSONEncoder):
    """Django's encoder with full-precision times.

    DjangoJSONEncoder cuts datetimes to milliseconds; rows created within the same millisecond
    would then fall between two pages and never be shown.
    """

    def default(self, o: Any) -> Any:
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


def encode_cursor(values: Sequence[Any]) -> str:
    raw = json.dumps(list(values), cls=_CursorEncoder, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, model: type[Model], ordering: Sequence[str]) -> list[Any]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (binascii.Error, ValueError, UnicodeDecodeError) as exc:
        raise InvalidCursor("The page cursor is not valid.") from exc
    if not isinstance(values, list) or len(values) != len(ordering):
        raise InvalidCursor("The page cursor does not match this list.")
    decoded = []
    for name, value in zip(ordering, values, strict=True):
        try:
            field = _field(model, name.lstrip("-"))
            if field.is_relation:
                field = field.target_field
            decoded.append(field.to_python(value))
        except (FieldDoesNotExist, ValidationError, TypeError) as exc:
            raise InvalidCursor("The page cursor is not valid.") from exc
    return decoded


def _after(ordering: Sequence[str], values: Sequence[Any]) -> Q:
    condition = Q()
    for index, name in enumerate(ordering):
        field = name.lstrip("-")
        op = "lt" if name.startswith("-") else "gt"
        step = Q(**{f"{field}__{op}": values[index]})
        for prev_index in range(index):
            step &= Q(**{ordering[prev_index].lstrip("-"): values[prev_index]})
        condition |= step
    return condition


def _value(obj: Any, path: str) -> Any:
    """The value of `path` on a row (a model instance or a `.values()` dict)."""
    current = obj
    for part in path.split("__"):
        if isinstance(current, dict):
            current = current[part]
            continue
        try:
            field = current._meta.get_field(part)
            is_last = part == path.split("__")[-1]
            current = getattr(current, field.attname if (field.is_relation and is_last) else part)
        except (AttributeError, FieldDoesNotExist):
            current = getattr(current, part)
    return current


def keyset_page[T](
    queryset: QuerySet[Any], *, ordering: Sequence[str], cursor: str | None, size: int
) -> Page[Any]:
    """Return one page of `queryset` in `ordering`, starting after `cursor`."""
    if cursor:
        values = decode_cursor(cursor, queryset.model, ordering)
        queryset = queryset.filter(_after(ordering, values))
    rows = list(queryset.order_by(*ordering)[: size + 1])
    items = rows[:size]
    next_cursor = None
    if len(rows) > size:
        last = items[-1]
        next_cursor = encode_cursor([_value(last, name.lstrip("-")) for name in ordering])
    return Page(items=items, next_cursor=next_cursor)
