"""Full-text search over posts and their comments, in French, on SQLite and PostgreSQL alike.

Every post has one `SearchEntry` row holding the stemmed, accent-free words of its text and of its
visible comments (see `stemmer`). The services rewrite it whenever the post or one of its comments
changes, in the same transaction, so search never lags behind an edit, a moderation or a deletion.

The database's own engine ranks the matches, fed with the same normalised words on both sides:
  - SQLite: an FTS5 table (external content on `feed_searchentry`, kept in sync by triggers made in
    migration 0003), ranked by bm25;
  - PostgreSQL: a GIN index on `to_tsvector('simple', tokens)`, ranked by ts_rank. The 'simple'
    configuration is right here because the words are already folded and stemmed by us: French
    handling is identical on both databases, and tests written on one hold on the other.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection

from comptoir.feed.models import Comment, Post, SearchEntry
from comptoir.feed.stemmer import tokens

MAX_QUERY_WORDS = 8


def document_for(post: Post) -> str:
    """The indexed words of a post: its text and its visible comments."""
    parts = [post.body]
    parts.extend(
        Comment.objects.filter(post=post, is_hidden=False, is_deleted=False).values_list("body", flat=True)
    )
    return " ".join(tokens(" ".join(parts)))


def index_post(post: Post) -> None:
    """Rewrite the search entry of `post` (removed when the post is deleted or hidden)."""
    if post.is_deleted or post.is_hidden:
        SearchEntry.objects.filter(post_id=post.pk).delete()
        return
    SearchEntry.objects.update_or_create(post_id=post.pk, defaults={"tokens": document_for(post)})


@dataclass(frozen=True)
class ParsedQuery:
    words: tuple[str, ...]

    @property
    def empty(self) -> bool:
        return not self.words


def parse(query: str) -> ParsedQuery:
    """The search keys of what the person typed (the same stemming as the documents)."""
    words: list[str] = []
    for word in tokens(query or ""):
        if word not in words:
            words.append(word)
    return ParsedQuery(tuple(words[:MAX_QUERY_WORDS]))


def _sqlite_match(parsed: ParsedQuery) -> str:
    # Words are [a-z0-9]+ after folding, so quoting cannot be broken; the last word also matches as a
    # prefix, for someone still typing ("demonst" finds "démonstration").
    quoted = [f'"{w}"' for w in parsed.words]
    quoted[-1] = quoted[-1] + "*"
    return " AND ".join(quoted)


def _pg_query(parsed: ParsedQuery) -> str:
    parts = [w for w in parsed.words]
    parts[-1] = parts[-1] + ":*"
    return " & ".join(parts)


def ranked_candidates(query: str, *, limit: int | None = None) -> list[tuple[int, float]]:
    """The best `limit` posts matching `query` (all when None), best first: (post id, rank).

    The engine scores every match, old or new, and returns the best: a post from last year that
    fits the words better comes before this morning's passing mention. A smaller rank is better;
    equal ranks put the newer post first. Permissions and filters are applied by the caller
    (`selectors.search_posts`), which asks for more candidates when too few of these pass.
    """
    parsed = parse(query)
    if parsed.empty:
        return []
    bound = -1 if limit is None else limit  # SQLite: LIMIT -1 is no limit
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT rowid, rank FROM feed_search_fts WHERE feed_search_fts MATCH %s"
                " ORDER BY rank, rowid DESC LIMIT %s",
                (_sqlite_match(parsed), bound),
            )
        elif connection.vendor == "postgresql":
            cursor.execute(
                "SELECT post_id, -ts_rank(to_tsvector('simple'::regconfig, tokens), query) AS rank"
                " FROM feed_searchentry, to_tsquery('simple'::regconfig, %s) AS query"
                " WHERE to_tsvector('simple'::regconfig, tokens) @@ query"
                " ORDER BY rank, post_id DESC LIMIT %s",
                (_pg_query(parsed), limit),
            )
        else:  # any other database: whole-word containment on the normalised words, unranked
            condition = " AND ".join(["(' ' || tokens || ' ') LIKE %s"] * len(parsed.words))
            cursor.execute(
                f"SELECT post_id, 0 FROM feed_searchentry WHERE {condition} ORDER BY post_id DESC LIMIT %s",  # noqa: S608
                (*[f"% {w} %" for w in parsed.words], bound),
            )
        return [(int(pk), float(rank or 0)) for pk, rank in cursor.fetchall()]


def matches_sql(query: str) -> tuple[str, list[str]]:
    """A subquery selecting the id of every post matching `query` (for a filter on `pk__in`)."""
    parsed = parse(query)
    if parsed.empty:
        return "SELECT NULL WHERE 1 = 0", []
    if connection.vendor == "sqlite":
        return "SELECT rowid FROM feed_search_fts WHERE feed_search_fts MATCH %s", [_sqlite_match(parsed)]
    if connection.vendor == "postgresql":
        return (
            "SELECT post_id FROM feed_searchentry"
            " WHERE to_tsvector('simple'::regconfig, tokens) @@ to_tsquery('simple'::regconfig, %s)",
            [_pg_query(parsed)],
        )
    condition = " AND ".join(["(' ' || tokens || ' ') LIKE %s"] * len(parsed.words))
    return f"SELECT post_id FROM feed_searchentry WHERE {condition}", [f"% {w} %" for w in parsed.words]  # noqa: S608
