"""The database's own full-text engine over `feed_searchentry` (see `comptoir.feed.search`)."""

from django.db import migrations

from comptoir.core.migration_ops import run_vendor_sql

SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS feed_search_fts USING fts5("
    "tokens, content='feed_searchentry', content_rowid='post_id', tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER IF NOT EXISTS feed_search_ai AFTER INSERT ON feed_searchentry BEGIN "
    "INSERT INTO feed_search_fts(rowid, tokens) VALUES (new.post_id, new.tokens); END",
    "CREATE TRIGGER IF NOT EXISTS feed_search_ad AFTER DELETE ON feed_searchentry BEGIN "
    "INSERT INTO feed_search_fts(feed_search_fts, rowid, tokens) VALUES ('delete', old.post_id, old.tokens); END",
    "CREATE TRIGGER IF NOT EXISTS feed_search_au AFTER UPDATE ON feed_searchentry BEGIN "
    "INSERT INTO feed_search_fts(feed_search_fts, rowid, tokens) VALUES ('delete', old.post_id, old.tokens); "
    "INSERT INTO feed_search_fts(rowid, tokens) VALUES (new.post_id, new.tokens); END",
    "INSERT INTO feed_search_fts(feed_search_fts) VALUES ('rebuild')",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS feed_search_ai",
    "DROP TRIGGER IF EXISTS feed_search_ad",
    "DROP TRIGGER IF EXISTS feed_search_au",
    "DROP TABLE IF EXISTS feed_search_fts",
]
PG_FORWARD = [
    "CREATE INDEX IF NOT EXISTS feed_search_tsv_idx ON feed_searchentry "
    "USING gin (to_tsvector('simple'::regconfig, tokens))",
]
PG_BACKWARD = ["DROP INDEX IF EXISTS feed_search_tsv_idx"]


class Migration(migrations.Migration):
    dependencies = [("feed", "0002_tag_ids")]

    operations = [
        run_vendor_sql(
            {"sqlite": SQLITE_FORWARD, "postgresql": PG_FORWARD},
            {"sqlite": SQLITE_BACKWARD, "postgresql": PG_BACKWARD},
        )
    ]
