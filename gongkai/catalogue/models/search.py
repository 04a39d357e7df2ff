from django.db import models

from gongkai.agencies.models import Agency

from .item import Item


class SearchDocument(models.Model):
    """A public item as words for full-text search (gongkai.catalogue.search); one row per item published
    and not marked 不予公开.

    The tokens come from ``search.tokenize``. Each database indexes them its
    own way, set up in migration 0003: an FTS5 table kept in step by triggers
    on SQLite, a weighted ``tsvector`` column with a GIN index on PostgreSQL.
    Filters (type, topic, year, validity, region) join the item, so they are
    never stale.
    """

    item = models.OneToOneField(Item, verbose_name="信息", primary_key=True, on_delete=models.CASCADE,
                                related_name="search_document")
    agency = models.ForeignKey(Agency, verbose_name="发布机构", on_delete=models.CASCADE, related_name="+")
    title_tokens = models.TextField("标题词")
    body_tokens = models.TextField("正文词", help_text="内容概述、正文、文号、索引号、关键词和附件文本。")
    indexed_at = models.DateTimeField("索引时间", auto_now=True)

    class Meta:
        verbose_name = "全文检索索引"
        verbose_name_plural = "全文检索索引"

    def __str__(self) -> str:
        return f"search:{self.item_id}"
