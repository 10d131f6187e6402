"""Full-text search over the solution library that works for Chinese.

Text is segmented with jieba (`kesu.triage.text.words`) into space-separated tokens stored on the
article (`search_title`, `search_text`); the database indexes those tokens as words:

- SQLite: the FTS5 table ``knowledge_article_fts`` (rowid = article id, unicode61 tokenizer, which
  splits on the spaces jieba put in), queried with MATCH and ranked by bm25 (title weighted 10:1);
- PostgreSQL: a tsvector of the token columns with the 'simple' configuration (title weight A, the
  rest B), GIN-indexed, ranked with SearchRank.

A query is segmented the same way and its words are OR-ed, so matching is by whole jieba words: the
query "签收" finds "…显示已签收但…" (jieba cuts out 签收), but "签" alone does not (no word "签").
"""

from __future__ import annotations

import re

from django.db import connection

from kesu.knowledge.models import Article
from kesu.triage.text import words

_WORDLIKE = re.compile(r"\w")
# One-character function words: in an OR query of a complaint's text they would match almost anything.
STOPWORDS = frozenset("的 了 是 在 我 你 他 她 它 们 到 和 与 或 也 就 都 而 及 着 吗 呢 吧 啊 但 又 请 把 被 给 让 未 没 不 已 有 这 那 个 时 先 再".split())


def tokens(text: str) -> list[str]:
    """The lower-cased jieba words of `text` that carry a letter, digit or ideograph, without stop words."""
    return [w for w in (w.lower() for w in words(text or "")) if _WORDLIKE.search(w) and w not in STOPWORDS]


def search_columns(*, title: str, body: str, steps: list[str], tags: list[str], products: list[str]) -> dict[str, str]:
    """The values of `search_title` / `search_text` for an article with these fields."""
    rest = "\n".join([body, *steps, *tags, *products])
    return {"search_title": " ".join(tokens(title)), "search_text": " ".join(tokens(rest))}


def postgres_vector():
    from django.contrib.postgres.search import SearchVector

    return SearchVector("search_title", weight="A", config="simple") + SearchVector(
        "search_text", weight="B", config="simple"
    )


def postgres_gin_index():
    from django.contrib.postgres.indexes import GinIndex

    return GinIndex(postgres_vector(), name="article_fulltext")


def search_index_sync(article: Article) -> None:
    """Keep the SQLite FTS5 row of `article` in step (PostgreSQL indexes the columns themselves)."""
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM knowledge_article_fts WHERE rowid = %s", [article.pk])
        cursor.execute(
            "INSERT INTO knowledge_article_fts (rowid, title, body) VALUES (%s, %s, %s)",
            [article.pk, article.search_title, article.search_text],
        )


def _ranked_ids(query_tokens: list[str], limit: int, category_id: int | None, published_only: bool) -> list[int]:
    if connection.vendor == "sqlite":
        match = " OR ".join('"' + t.replace('"', '""') + '"' for t in query_tokens)
        sql = (
            "SELECT a.id FROM knowledge_article_fts f JOIN knowledge_article a ON a.id = f.rowid "
            "WHERE knowledge_article_fts MATCH %s"
        )
        params: list = [match]
        if category_id is not None:
            sql += " AND a.category_id = %s"
            params.append(category_id)
        if published_only:
            sql += " AND a.status = 'published'"
        sql += " ORDER BY bm25(knowledge_article_fts, 10.0, 1.0), a.use_count DESC, a.id LIMIT %s"
        params.append(limit)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [row[0] for row in cursor.fetchall()]

    from django.contrib.postgres.search import SearchQuery, SearchRank

    search_query = None
    for token in query_tokens:
        one = SearchQuery(token, search_type="plain", config="simple")
        search_query = one if search_query is None else search_query | one
    vector = postgres_vector()
    rows = Article.objects.annotate(rank=SearchRank(vector, search_query)).alias(v=vector).filter(v=search_query)
    if category_id is not None:
        rows = rows.filter(category_id=category_id)
    if published_only:
        rows = rows.filter(status="published")
    return list(rows.order_by("-rank", "-use_count", "id").values_list("id", flat=True)[:limit])


def article_search(*, query: str, limit: int = 20, category=None, published_only: bool = False) -> list[Article]:
    """Articles matching `query` (any of its jieba words), best first; [] for a query with no words."""
    query_tokens = list(dict.fromkeys(tokens(query)))
    if not query_tokens:
        return []
    category_id = getattr(category, "pk", category)
    ids = _ranked_ids(query_tokens, limit, category_id, published_only)
    by_id = Article.objects.select_related("category").in_bulk(ids)
    return [by_id[i] for i in ids if i in by_id]
