"""PostgreSQL keeps each search entry's words as a stored `tsvector` (see `comptoir.feed.search`).

Computed by the database on every write of `tokens`, so no query turns text into a vector any more:
matching reads the stored vector, through its GIN index for rare words, or along the primary key
for the newest matches of a common word. Nothing changes on SQLite (FTS5 stores its own index)."""

from django.db import migrations

from comptoir.core.migration_ops import run_vendor_sql

PG_FORWARD = [
    "ALTER TABLE feed_searchentry ADD COLUMN IF NOT EXISTS tsv tsvector"
    " GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, tokens)) STORED",
    "CREATE INDEX IF NOT EXISTS feed_search_vector_idx ON feed_searchentry USING gin (tsv)",
    "DROP INDEX IF EXISTS feed_search_tsv_idx",
    # Search reads a bounded number of rows; starting parallel workers costs more than it saves
    # (the planner starts them even for a branch of the query that then does not run).
    "ALTER TABLE feed_searchentry SET (parallel_workers = 0)",
    "ANALYZE feed_searchentry",
]
PG_BACKWARD = [
    "ALTER TABLE feed_searchentry RESET (parallel_workers)",
    "CREATE INDEX IF NOT EXISTS feed_search_tsv_idx ON feed_searchentry "
    "USING gin (to_tsvector('simple'::regconfig, tokens))",
    "DROP INDEX IF EXISTS feed_search_vector_idx",
    "ALTER TABLE feed_searchentry DROP COLUMN IF EXISTS tsv",
]


class Migration(migrations.Migration):
    dependencies = [("feed", "0004_congratulation_once")]

    operations = [run_vendor_sql({"postgresql": PG_FORWARD}, {"postgresql": PG_BACKWARD})]
