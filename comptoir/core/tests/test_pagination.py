"""Keyset pagination: every row exactly once, whatever the ties and the time precision."""

import datetime

import pytest

from comptoir.core.pagination import InvalidCursor, decode_cursor, encode_cursor, keyset_page
from comptoir.notifications.models import Notification


def test_rows_created_in_the_same_millisecond_are_never_lost_between_pages(cast):
    base = datetime.datetime(2026, 3, 1, 9, 0, tzinfo=datetime.UTC)
    Notification.objects.bulk_create(
        [Notification(recipient=cast.rep, kind="t", title=str(n), created_at=base + datetime.timedelta(microseconds=n * 7)) for n in range(40)]
        + [Notification(recipient=cast.rep, kind="t", title=f"tie{n}", created_at=base) for n in range(5)]
    )
    seen: list[int] = []
    cursor = None
    while True:
        page = keyset_page(Notification.objects.all(), ordering=("-created_at", "-id"), cursor=cursor, size=7)
        seen += [n.pk for n in page.items]
        cursor = page.next_cursor
        if cursor is None:
            break
    assert sorted(seen) == sorted(Notification.objects.values_list("id", flat=True))
    assert len(seen) == len(set(seen)) == 45


@pytest.mark.parametrize(
    ("cursor", "ordering"),
    [
        ("%%%", ("last_name", "id")),
        ("bm90IGpzb24", ("last_name", "id")),  # base64 of something that is not JSON
        (encode_cursor([1]), ("last_name", "id")),  # too few values
        (encode_cursor(["x", "not-a-date"]), ("last_name", "date_joined")),
    ],
)
def test_a_forged_cursor_is_refused(cursor, ordering):
    from comptoir.org.models import User

    with pytest.raises(InvalidCursor):
        decode_cursor(cursor, User, ordering)
