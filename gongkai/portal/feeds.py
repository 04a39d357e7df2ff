"""RSS 2.0 and Atom feeds of newly published items, for an agency or every agency under a region."""

from __future__ import annotations

from datetime import datetime, time

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed

from gongkai.agencies.models import Agency

from . import selectors


def _published_at(item) -> datetime:
    """发布日期 is a date; a feed wants a moment: the start of that day in the site's time zone."""
    return timezone.make_aware(datetime.combine(item.published_on, time.min))


class ItemsRssFeed(Feed):
    feed_type = Rss201rev2Feed
    language = "zh-CN"

    def get_object(self, request, code):
        place = selectors.place_get(code)
        if place is None:
            raise Http404("页面不存在。")
        return place

    def title(self, place):
        return f"{place.name} - 政府信息公开 - 最新发布"

    def link(self, place):
        return reverse("portal:place", args=[place.code])

    def description(self, place):
        scope = "" if isinstance(place, Agency) else "辖区各机关"
        return f"{place.name}{scope}最新主动公开的政府信息。"

    def items(self, place):
        return selectors.feed_items(place)

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        parts = [item.abstract or item.title]
        if item.document_number:
            parts.append(f"文号：{item.document_number}")
        if item.index_number:
            parts.append(f"索引号：{item.index_number}")
        return "\n".join(parts)

    def item_link(self, item):
        return reverse("portal:item", args=[item.agency.code, item.pk])

    def item_pubdate(self, item):
        return _published_at(item)

    def item_updateddate(self, item):
        return _published_at(item)

    def item_author_name(self, item):
        return item.agency.name

    def item_categories(self, item):
        return [c for c in (item.topic, item.get_document_type_display()) if c]


class ItemsAtomFeed(ItemsRssFeed):
    feed_type = Atom1Feed

    def subtitle(self, place):
        return self.description(place)
