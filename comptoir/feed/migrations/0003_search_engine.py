"""The database's own full-text engine over `feed_searchentry` (see `comptoir.feed.search`)."""

from typing import Any

from django.db import migrations

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


def _run(statements: dict[str, list[str]]) -> Any:
    def run(apps: Any, schema_editor: Any) -> None:
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("feed", "0002_tag_ids")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": PG_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": PG_BACKWARD}),
        )
    ]
