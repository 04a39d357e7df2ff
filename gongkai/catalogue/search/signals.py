"""Index maintenance on every write of an item or attachment (connected in ``CatalogueConfig.ready``).

Handlers run inside the writer's transaction: a publication, withdrawal or
amendment and its index change commit or roll back together. Bulk writes
(``bulk_create``, ``QuerySet.update``) send no signals: follow them with
``search_rebuild()``.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.db.models.signals import post_delete, post_save

from ..models import Attachment, Item
from .backends import PUBLIC
from .index import INDEXED_FIELDS, is_public, search_index_item, search_unindex


def item_saved(sender, instance: Item, created: bool = False, raw: bool = False, update_fields=None,
               **kwargs) -> None:
    if raw:  # loaddata: rows may arrive before the ones they need; run ``gongkai search rebuild`` after
        return
    if update_fields is not None and not INDEXED_FIELDS & set(update_fields):
        return
    if created and not is_public(instance):  # a new draft: no document to add or remove
        return
    search_index_item(instance)


def item_deleted(sender, instance: Item, **kwargs) -> None:
    # The document goes with the item (CASCADE); this is where an external engine would be told.
    search_unindex(instance.pk)


def attachment_changed(sender, instance: Attachment, raw: bool = False, origin=None, **kwargs) -> None:
    if raw:
        return
    # Attachments deleted along with their item: the item's document goes too, nothing to re-index.
    started_by = origin.model if isinstance(origin, QuerySet) else type(origin)
    if origin is not None and started_by is not Attachment:
        return
    item = Item.objects.filter(PUBLIC, pk=instance.item_id).first()
    if item is not None:
        search_index_item(item)


def connect() -> None:
    uid = "gongkai.catalogue.search"
    post_save.connect(item_saved, sender=Item, dispatch_uid=f"{uid}.item_saved")
    post_delete.connect(item_deleted, sender=Item, dispatch_uid=f"{uid}.item_deleted")
    post_save.connect(attachment_changed, sender=Attachment, dispatch_uid=f"{uid}.attachment_saved")
    post_delete.connect(attachment_changed, sender=Attachment, dispatch_uid=f"{uid}.attachment_deleted")
