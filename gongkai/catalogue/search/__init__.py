"""Chinese full-text search over public items, on SQLite (FTS5) and PostgreSQL, behind one function.

    from gongkai.catalogue.search import search
    results = search("补贴", region=county, year=2025, limit=20)
    results.count, [(hit.item.title, hit.score, hit.snippet) for hit in results.results]

Text is cut into single characters and character pairs (``tokenize``),
stored per public item (published, not marked 不予公开) in ``SearchDocument``
(``index``, kept current by ``signals``) and looked up by the database's own
full-text index (``backends``). Design: docs/decisions/011-chinese-search.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from gongkai.agencies.models import Agency, Region

from ..models import Attachment, Item
from .backends import Backend, Filters, LikeBackend, backend_for
from .index import search_index_item, search_rebuild, search_unindex
from .snippets import Highlighter, plain_snippet
from .tokenize import html_to_text, query_tokens

__all__ = ["Hit", "LikeBackend", "SearchResults", "search", "search_index_item", "search_rebuild", "search_unindex"]

MAX_LIMIT = 100


@dataclass(frozen=True)
class Hit:
    item: Item
    score: float  # [1, 2) when the title holds every query word, else [0, 1)
    snippet: str  # HTML-safe (a SafeString): escaped text, matches in <mark>…</mark>


@dataclass(frozen=True)
class SearchResults:
    count: int  # all matches, not just this page; when not ``exact``, more than ``count`` match
    results: list[Hit] = field(default_factory=list)
    # False when the query matched so many items that they were not counted (nor ranked): the first
    # ``count`` can be paged, title matches first, then newest first (backends.CANDIDATES, ADR 011/022).
    exact: bool = True


def search(query: str, *, agency: Agency | None = None, region: Region | None = None,
           document_type: str | None = None, topic: str | None = None, year: int | None = None,
           validity: str | None = None, offset: int = 0, limit: int = 20,
           backend: Backend | None = None) -> SearchResults:
    """Public items (published, not 不予公开) matching every word of ``query``, best first, with snippets.

    ``region`` includes its sub-regions. An empty or punctuation-only query
    finds nothing. At most six queries, whatever the number of results: on
    SQLite without filters a check that stops after ``CANDIDATES`` + 1
    matches; the page (with the total), or past the bound the title matches,
    the others and the public check; the count past the last page; the items
    (with their agency); and the attachments of items whose other fields do
    not hold every word (for the snippet). More than ``CANDIDATES`` unfiltered
    matches on SQLite are not counted: ``exact`` is false.
    """
    tokens = query_tokens(query)
    if not tokens:
        return SearchResults(count=0)
    filters = Filters(agency=agency, region=region, document_type=document_type, topic=topic,
                      year=None if year is None else int(year), validity=validity)
    offset, limit = max(0, int(offset)), max(0, min(int(limit), MAX_LIMIT))
    page = (backend or backend_for()).page(query, tokens, filters, offset=offset, limit=limit)
    items = Item.objects.select_related("agency").in_bulk([pk for pk, _ in page.rows])
    rows = [(items[pk], score) for pk, score in page.rows if pk in items]
    return SearchResults(count=page.count, results=_with_snippets(rows, query), exact=page.exact)


def _with_snippets(rows: list[tuple[Item, float]], query: str) -> list[Hit]:
    marker = Highlighter(query)
    bodies = {item.pk: html_to_text(item.body) for item, _ in rows}
    chosen = {item.pk: marker.best([item.title, item.abstract, bodies[item.pk], item.document_number,
                                    item.index_number or "", item.keywords]) for item, _ in rows}
    partial = [pk for pk, (coverage, _) in chosen.items() if not marker.complete(coverage)]
    if partial:  # the words may be in an attachment: their texts, for this page only, in one query
        texts: dict[int, list[str]] = {}
        for item_id, text in Attachment.objects.filter(item_id__in=partial).order_by("item_id", "id").values_list(
                "item_id", "text"):
            texts.setdefault(item_id, []).append(text)
        for pk in partial:
            found = marker.best(texts.get(pk, []))
            if found[0] > chosen[pk][0]:
                chosen[pk] = found
    hits = []
    for item, score in rows:
        text = chosen[item.pk][1]
        shown = marker.highlight(text) if text else None
        hits.append(Hit(item=item, score=score,
                        snippet=shown or plain_snippet(item.abstract or bodies[item.pk] or item.title)))
    return hits
