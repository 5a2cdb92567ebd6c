"""Searching the accounts by name, town, postcode or CRM id through the database's own index.

`Account.search_text` holds those fields lower-cased and accent-free. A `LIKE '%word%'` on it reads
every row in the viewer's scope (100,000 at head office) to find a rare word; instead:
  - SQLite: an FTS5 table (external content on `customers_account`, kept in sync by triggers made
    in migration 0002), asked for the ids of the matching accounts;
  - PostgreSQL: a GIN index on `to_tsvector('simple', ...)` of the search text with every run of
    punctuation made a space (our own folding already removed accents and case; left alone,
    PostgreSQL's parser reads "crm-7788" as "crm" and the number "-7788").
Each typed word matches the beginning of a word ("dup" finds "Dupont", "69" finds "69003"). The
condition is added to the viewer's scope, so the permissions are the list's own.
"""

from __future__ import annotations

import re

from django.db import connection
from django.db.models import BooleanField, QuerySet
from django.db.models.expressions import RawSQL

from comptoir.core.text import fold
from comptoir.customers.models import Account

MAX_QUERY_WORDS = 8
_WORD = re.compile(r"[^\W_]+")  # letters and digits, as both engines split words


def words_of(query: str) -> list[str]:
    """The search keys of what was typed: folded, split like the index splits, at most eight."""
    words: list[str] = []
    for word in _WORD.findall(fold(query or "")):
        if word not in words:
            words.append(word)
    return words[:MAX_QUERY_WORDS]


def matching(accounts: QuerySet[Account], query: str) -> QuerySet[Account]:
    """`accounts` narrowed to those whose every typed word starts a word of their search text."""
    words = words_of(query)
    if not words:
        return accounts
    if connection.vendor == "sqlite":
        # Words are letters and digits only, so the quoting cannot be broken.
        match = " AND ".join(f'"{w}"*' for w in words)
        condition = RawSQL(
            '"customers_account"."id" IN (SELECT rowid FROM customers_account_fts WHERE customers_account_fts MATCH %s)',
            (match,),
            output_field=BooleanField(),
        )
        return accounts.filter(condition)
    if connection.vendor == "postgresql":
        condition = RawSQL(
            "to_tsvector('simple'::regconfig, "
            "regexp_replace(\"customers_account\".\"search_text\", '[^[:alnum:]]+', ' ', 'g')) "
            "@@ to_tsquery('simple'::regconfig, %s)",
            (" & ".join(f"{w}:*" for w in words),),
            output_field=BooleanField(),
        )
        return accounts.filter(condition)
    for word in words:  # another database: containment, unindexed
        accounts = accounts.filter(search_text__contains=word)
    return accounts
