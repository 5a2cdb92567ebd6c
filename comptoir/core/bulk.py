"""Writing hundreds of thousands of demo rows without the ORM's per-value machinery.

`bulk_create` builds its INSERT value by value through half a dozen calls each (pre_save, prepare,
placeholder, params...): for 100,000 accounts of 17 columns that is most of the CPU of a scale
demo. Here the rows get their ids from the caller (so nothing has to come back from the
database), each value goes through its field's `get_db_prep_save` once, and the driver's
`executemany` does the rest. For generated data only: no signals, no `save()`, no validation.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from typing import Any

from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Max, Model


def next_ids(model: type[Model]) -> Iterator[int]:
    """Ids for new rows of `model`, after the highest one in the table."""
    highest = model._default_manager.aggregate(top=Max("pk"))["top"] or 0
    return itertools.count(highest + 1)


def insert_rows(model: type[Model], objs: Sequence[Any], *, batch: int = 5000) -> None:
    """INSERT `objs` (unsaved instances whose pk is already set) in batches of `batch` rows."""
    if not objs:
        return
    connection = connections[DEFAULT_DB_ALIAS]  # the wrapper itself, not the per-access proxy
    meta = model._meta
    fields = list(meta.concrete_fields)
    stamped = [f for f in fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)]
    for obj in objs:
        for field in stamped:
            field.pre_save(obj, True)
    quote = connection.ops.quote_name
    columns = ", ".join(quote(str(f.column)) for f in fields)
    sql = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"  # noqa: S608
    prepared = [(f.attname, f.get_db_prep_save) for f in fields]
    with connection.cursor() as cursor:
        for start in range(0, len(objs), batch):
            rows = [
                [prep(getattr(obj, attname), connection) for attname, prep in prepared]
                for obj in objs[start : start + batch]
            ]
            cursor.executemany(sql, rows)
        # PostgreSQL hands out ids from a sequence that explicit ids do not move on.
        for statement in connection.ops.sequence_reset_sql(no_style(), [model]):
            cursor.execute(statement)
