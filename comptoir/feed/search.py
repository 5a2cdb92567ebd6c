"""Full-text search over posts and their comments, in French, on SQLite and PostgreSQL alike.

Every post has one `SearchEntry` row holding the stemmed, accent-free words of its text and of its
visible comments (see `stemmer`). The services rewrite it whenever the post or one of its comments
changes, in the same transaction, so search never lags behind an edit, a moderation or a deletion.

The database finds the matches, fed with the same normalised words on both sides:
  - SQLite: an FTS5 table (external content on `feed_searchentry`, kept in sync by triggers made in
    migration 0003);
  - PostgreSQL: a stored `tsvector` column of the words (`to_tsvector('simple', tokens)`, kept by
    the database itself, migration 0005) behind a GIN index. The 'simple' configuration is right
    here because the words are already folded and stemmed by us.

Ranking every match of a common word costs time in proportion to the matches (bm25 over 70,000
posts for "café" took 130 ms at 200,000 posts), so it is bounded: the database hands back the
newest matches (`selectors.SEARCH_CANDIDATES`), which both engines find by walking their index in
post order and stopping there (`newest_matches`), and `ranked` orders those by BM25 relevance here,
in Python. French handling and ranking are therefore identical on both databases, and tests
written on one hold on the other. A post older than the newest thousand matches of its words is
still found by narrower words.
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
    parts = list(parsed.words)
    parts[-1] = parts[-1] + ":*"
    return " & ".join(parts)


def matches_sql(parsed: ParsedQuery) -> tuple[str, list[str]]:
    """A subquery selecting the id of every post matching `parsed` (for a filter on `pk__in`)."""
    if parsed.empty:
        return "SELECT NULL WHERE 1 = 0", []
    if connection.vendor == "sqlite":
        return "SELECT rowid FROM feed_search_fts WHERE feed_search_fts MATCH %s", [_sqlite_match(parsed)]
    if connection.vendor == "postgresql":
        return (
            "SELECT post_id FROM feed_searchentry WHERE tsv @@ to_tsquery('simple'::regconfig, %s)",
            [_pg_query(parsed)],
        )
    # Any other database: containment on the normalised words (whole words, the last one as a prefix).
    condition = " AND ".join(["(' ' || tokens || ' ') LIKE %s"] * len(parsed.words))
    patterns = [f"% {w} %" for w in parsed.words[:-1]] + [f"% {parsed.words[-1]}%"]
    return f"SELECT post_id FROM feed_searchentry WHERE {condition}", patterns  # noqa: S608


# PostgreSQL: how many of the newest posts are checked along the primary key before the GIN index.
RECENT_WINDOW = 10_000


def newest_matches(parsed: ParsedQuery, *, limit: int, enough: int = 0) -> list[int]:
    """The ids of the (at most) `limit` newest posts matching `parsed`, newest first. One query.

    SQLite: FTS5 reads its doclists backwards and stops after `limit` rows, whatever the word.
    PostgreSQL: the newest `RECENT_WINDOW` posts are checked first along the primary key (their
    stored vectors), which finds the newest matches of a common word after a few thousand rows;
    only when that gives fewer than `enough` does the GIN index take every match (the word is rare
    then, so there are few). Left to itself the planner walks the primary key for a rare word too
    and reads the whole table (it cannot know that two words seldom meet), hence the two steps."""
    if parsed.empty:
        return []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            query = _pg_query(parsed)
            cursor.execute(
                "WITH recent AS MATERIALIZED ("
                " SELECT post_id FROM ("
                "  SELECT post_id, tsv FROM feed_searchentry ORDER BY post_id DESC LIMIT %s) AS latest"
                " WHERE tsv @@ to_tsquery('simple'::regconfig, %s) ORDER BY post_id DESC LIMIT %s)"
                " SELECT post_id, 0 FROM recent"
                " UNION ALL (SELECT post_id, 1 FROM feed_searchentry"
                "  WHERE tsv @@ to_tsquery('simple'::regconfig, %s) AND (SELECT count(*) FROM recent) < %s"
                "  ORDER BY post_id + 0 DESC LIMIT %s)",  # `+ 0`: the GIN index, not the primary key
                [RECENT_WINDOW, query, limit, query, enough, limit],
            )
            rows = cursor.fetchall()
            everywhere = [int(pk) for pk, step in rows if step]
            return everywhere or [int(pk) for pk, step in rows if not step]
        sql, params = matches_sql(parsed)
        key = "rowid" if connection.vendor == "sqlite" else "post_id"
        cursor.execute(f"{sql} ORDER BY {key} DESC LIMIT %s", [*params, limit])
        return [int(pk) for (pk,) in cursor.fetchall()]


# BM25's usual constants: how fast repeating a word stops adding to the score, and how much a long
# text is penalised against the average length.
_K1 = 1.2
_B = 0.75


def ranked(parsed: ParsedQuery, entries: list[tuple[int, str]]) -> list[int]:
    """The post ids of `entries` ((post id, indexed words) of matching posts), best match first.

    BM25 over these entries: each word of the query counts by its number of occurrences, with
    diminishing returns, against the text's length relative to the others'. Every entry holds every
    word (the engines match them all), so the words' rarity, BM25's other factor, is the same for
    all and left out. Equal scores put the newer post first."""
    if not entries or parsed.empty:
        return []
    lengths = [text.count(" ") + 1 for _pk, text in entries]
    average = sum(lengths) / len(lengths)
    # " a  b  c ": every word between two spaces of its own, so that `count` sees repeated words.
    exact = [f" {w} " for w in parsed.words[:-1]]
    last = f" {parsed.words[-1]}"  # also as a prefix, as the engines match it
    scored: list[tuple[float, int]] = []
    for (pk, text), length in zip(entries, lengths, strict=True):
        spaced = " " + text.replace(" ", "  ") + " "
        norm = _K1 * (1 - _B + _B * length / average)
        score = 0.0
        for frequency in [spaced.count(w) for w in exact] + [spaced.count(last)]:
            score += frequency * (_K1 + 1) / (frequency + norm)
        scored.append((-score, -pk))
    scored.sort()
    return [-negative_pk for _score, negative_pk in scored]
