"""The database's own full-text engine over the accounts' search text (see `comptoir.customers.search`)."""

from django.db import migrations

from comptoir.core.migration_ops import run_vendor_sql

SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS customers_account_fts USING fts5("
    "search_text, content='customers_account', content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER IF NOT EXISTS customers_account_fts_ai AFTER INSERT ON customers_account BEGIN "
    "INSERT INTO customers_account_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
    "CREATE TRIGGER IF NOT EXISTS customers_account_fts_ad AFTER DELETE ON customers_account BEGIN "
    "INSERT INTO customers_account_fts(customers_account_fts, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); END",
    "CREATE TRIGGER IF NOT EXISTS customers_account_fts_au AFTER UPDATE OF search_text ON customers_account BEGIN "
    "INSERT INTO customers_account_fts(customers_account_fts, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); "
    "INSERT INTO customers_account_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
    "INSERT INTO customers_account_fts(customers_account_fts) VALUES ('rebuild')",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS customers_account_fts_ai",
    "DROP TRIGGER IF EXISTS customers_account_fts_ad",
    "DROP TRIGGER IF EXISTS customers_account_fts_au",
    "DROP TABLE IF EXISTS customers_account_fts",
]
PG_FORWARD = [
    "CREATE INDEX IF NOT EXISTS customers_account_tsv_idx ON customers_account "
    "USING gin (to_tsvector('simple'::regconfig, regexp_replace(search_text, '[^[:alnum:]]+', ' ', 'g')))",
]
PG_BACKWARD = ["DROP INDEX IF EXISTS customers_account_tsv_idx"]


class Migration(migrations.Migration):
    dependencies = [("customers", "0001_initial")]

    operations = [
        run_vendor_sql(
            {"sqlite": SQLITE_FORWARD, "postgresql": PG_FORWARD},
            {"sqlite": SQLITE_BACKWARD, "postgresql": PG_BACKWARD},
        )
    ]
