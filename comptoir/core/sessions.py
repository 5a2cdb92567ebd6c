"""Database sessions, loaded with one prepared statement instead of a compiled ORM query.

Every signed-in page loads its session first. Django's database backend builds that query with the
ORM on each request, which costs about fifteen times the SQLite statement itself; this store reads
the same row with plain SQL and leaves everything else (saving, expiry, cycling keys, clearing) to
Django's backend, so the behaviour is Django's.
"""

from __future__ import annotations

from typing import Any

from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.db import connections, router
from django.utils import timezone


class SessionStore(db.SessionStore):
    def _get_session_from_db(self) -> Any:
        if not self.session_key:  # no cookie, or a key that failed validation: nothing to read
            return None
        alias = router.db_for_read(Session)
        with connections[alias].cursor() as cursor:
            cursor.execute(
                "SELECT session_data FROM django_session WHERE session_key = %s AND expire_date > %s",
                [self.session_key, timezone.now()],
            )
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return None
        return Session(session_key=self.session_key, session_data=row[0])
