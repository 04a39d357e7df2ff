"""Keeping ``SearchDocument`` in step with the public items (called from ``signals`` and ``gongkai search``)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import Prefetch, Q

from gongkai.agencies.models import Agency

from ..models import Attachment, DisclosureMode, Item, ItemStatus, SearchDocument
from .backends import PUBLIC, backend_for
from .tokenize import html_to_text, index_tokens, join_tokens

# Item fields whose change alters the document; a save touching none of them is skipped.
INDEXED_FIELDS = frozenset({
    "status", "disclosure_mode", "agency", "title", "abstract", "body", "document_number", "index_number", "keywords",
})
# Budgets keep PostgreSQL's tsvector (title and body together) under its 1 MB limit whatever
# the text: distinct words fill it, so usual prose fits whole and only varied text is cut (011).
TITLE_BUDGET = 40_000
BODY_BUDGET = 900_000
# Text beyond this is not read: a bound on the work of indexing one item.
MAX_TEXT_CHARS = 2_000_000
CHUNK = 500

UPSERT = {"update_conflicts": True, "unique_fields": ["item"],
          "update_fields": ["agency", "title_tokens", "body_tokens", "indexed_at"]}


def item_search_text(item: Item, attachment_texts: Iterable[str]) -> str:
    """Everything but the title that a search looks in, one field a line (no bigram spans two fields)."""
    parts = [item.abstract, html_to_text(item.body), item.document_number, item.index_number or "", item.keywords,
             *attachment_texts]
    return "\n".join(p for p in parts if p)[:MAX_TEXT_CHARS]


def search_document_build(item: Item, attachment_texts: Iterable[str]) -> SearchDocument:
    return SearchDocument(
        item=item, agency_id=item.agency_id,
        title_tokens=join_tokens(index_tokens(item.title), max_bytes=TITLE_BUDGET),
        body_tokens=join_tokens(index_tokens(item_search_text(item, attachment_texts)), max_bytes=BODY_BUDGET),
    )


def is_public(item: Item) -> bool:
    """``backends.PUBLIC`` for one item in hand."""
    return item.status == ItemStatus.PUBLISHED and item.disclosure_mode != DisclosureMode.NOT_DISCLOSED


def search_index_item(item: Item) -> bool:
    """Index a public item (insert or replace its document); drop the document of any other. True if indexed."""
    if item.pk is None:
        return False
    if not is_public(item):
        search_unindex(item.pk)
        return False
    texts = Attachment.objects.filter(item_id=item.pk).order_by("id").values_list("text", flat=True)
    SearchDocument.objects.bulk_create([search_document_build(item, texts)], **UPSERT)
    return True


def search_unindex(item_id: int) -> None:
    SearchDocument.objects.filter(item_id=item_id).delete()


def search_rebuild(*, agency: Agency | None = None, chunk: int = CHUNK) -> int:
    """Re-index every public item (of one agency), a chunk per transaction; returns how many.

    Documents are replaced in place, so search keeps answering while it runs;
    documents of items no longer public are removed at the end.
    """
    items = Item.objects.filter(PUBLIC).order_by("pk").prefetch_related(
        Prefetch("attachments", queryset=Attachment.objects.only("id", "item_id", "text").order_by("id")))
    if agency is not None:
        items = items.filter(agency=agency)
    indexed, last = 0, 0
    while True:
        with transaction.atomic():
            batch = list(items.filter(pk__gt=last)[:chunk])
            if not batch:
                break
            SearchDocument.objects.bulk_create(
                [search_document_build(item, (a.text for a in item.attachments.all())) for item in batch], **UPSERT)
        indexed += len(batch)
        last = batch[-1].pk
    stale = SearchDocument.objects.filter(~Q(item__status=ItemStatus.PUBLISHED)
                                          | Q(item__disclosure_mode=DisclosureMode.NOT_DISCLOSED))
    if agency is not None:
        stale = stale.filter(agency=agency)
    stale.delete()
    if agency is None:
        backend_for(connection.vendor).after_rebuild()
    return indexed
