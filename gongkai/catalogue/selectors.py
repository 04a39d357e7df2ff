"""Reads for the staff side of proactive disclosure (主动公开): who sees which items, lists, exports.

Visibility follows the chain 谁提供，谁审核，谁负责; the office publishes:

- publishers (办公室) and agency administrators see every item of their agency;
- providers and reviewers see every item of their own unit (an agency-wide
  provider or reviewer, with no unit, sees every unit's), and the agency's
  published items;
- any other staff of the agency, and the supervisors of its region, see the
  published items only;
- anyone else sees nothing.

Every function takes the agency explicitly and returns a queryset or plain
data built in a fixed number of queries, whatever the number of items.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from html import unescape

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils.html import strip_tags

from gongkai.agencies.models import Agency, Membership, Role, Unit
from gongkai.agencies.selectors import user_can_view_agency

from .models import ABSTRACT_MAX_LENGTH, CatalogueEntry, Item, ItemStatus

DEFAULT_PUBLIC_BASE_URL = "http://127.0.0.1:8000"

WIDE_ROLES = frozenset({Role.PUBLISHER, Role.AGENCY_ADMIN})  # see every item of the agency
UNIT_ROLES = frozenset({Role.PROVIDER, Role.REVIEWER})  # see their own unit's items
DRAFTING_ROLES = frozenset({Role.PROVIDER, Role.AGENCY_ADMIN})  # as services.DRAFTING_ROLES


@dataclass(frozen=True)
class ItemAccess:
    """What one user may do with one agency's items, from their memberships there (one query)."""

    can_view: bool
    roles: frozenset[str]
    # (role, unit id or None) pairs; None is an agency-wide membership.
    memberships: frozenset[tuple[str, int | None]]
    superuser: bool = False

    @property
    def sees_everything(self) -> bool:
        return self.superuser or bool(self.roles & WIDE_ROLES) or any(
            role in UNIT_ROLES and unit is None for role, unit in self.memberships)

    @property
    def unit_ids(self) -> frozenset[int]:
        """The units whose unpublished items this user sees."""
        return frozenset(unit for role, unit in self.memberships if role in UNIT_ROLES and unit is not None)

    @property
    def can_draft(self) -> bool:
        return self.superuser or bool(self.roles & DRAFTING_ROLES)

    @property
    def is_observer(self) -> bool:
        """Sees the published items only (a supervisor, or staff with no part in the chain)."""
        return self.can_view and not self.sees_everything and not self.unit_ids


def item_access(user, agency: Agency) -> ItemAccess:
    if not getattr(user, "is_authenticated", False):
        return ItemAccess(False, frozenset(), frozenset())
    if user.is_superuser:
        return ItemAccess(True, frozenset(Role.values), frozenset((r, None) for r in Role.values), superuser=True)
    memberships = frozenset(Membership.objects.filter(user=user, agency=agency).values_list("role", "unit_id"))
    if memberships:
        return ItemAccess(True, frozenset(role for role, _ in memberships), memberships)
    # Supervisors of the agency's region (and nobody else) read the published items.
    return ItemAccess(user_can_view_agency(user=user, agency=agency), frozenset(), frozenset())


def items_visible_to(user, agency: Agency, *, access: ItemAccess | None = None) -> QuerySet[Item]:
    """The agency's items ``user`` may open (see the module docstring)."""
    access = access or item_access(user, agency)
    items = Item.objects.filter(agency=agency)
    if not access.can_view:
        return items.none()
    if access.sees_everything:
        return items
    published = Q(status=ItemStatus.PUBLISHED)
    if access.unit_ids:
        return items.filter(published | Q(unit_id__in=access.unit_ids))
    return items.filter(published)


def items_filter(items: QuerySet[Item], *, status: str = "", document_type: str = "", topic: str = "",
                 year: int | None = None, late: bool | None = None, text: str = "") -> QuerySet[Item]:
    """Narrow a list of items; empty values do not filter. ``year`` is the year published."""
    if status:
        items = items.filter(status=status)
    if document_type:
        items = items.filter(document_type=document_type)
    if topic:
        items = items.filter(topic=topic)
    if year:
        items = items.filter(published_on__year=year)
    if late is not None:
        items = items.filter(late=late)
    text = text.strip()
    if text:
        items = items.filter(Q(title__icontains=text) | Q(document_number__icontains=text)
                             | Q(index_number__icontains=text))
    return items


def items_for_list(items: QuerySet[Item]) -> QuerySet[Item]:
    """What a list row shows, fetched with the items (one query for any number of rows)."""
    return items.select_related("unit")


def items_late(agency: Agency, year: int) -> QuerySet[Item]:
    """Items published in ``year`` more than 20 working days after they were formed or changed (第二十六条)."""
    return Item.objects.filter(agency=agency, status=ItemStatus.PUBLISHED, late=True, published_on__year=year) \
        .select_related("unit").order_by("published_on", "id")


def items_awaiting(user, agency: Agency, *, access: ItemAccess | None = None) -> QuerySet[Item]:
    """What waits for ``user``: drafts and returned items for their unit's providers, submitted items for its
    reviewers (not their own: nobody reviews what they provided), approved items for the publishers; an
    agency administrator is asked for the reviews and the publications."""
    access = access or item_access(user, agency)
    condition = Q(pk__in=[])
    for role, unit_id in access.memberships:
        scope = Q() if unit_id is None else Q(unit_id=unit_id)
        if role == Role.PROVIDER:
            condition |= scope & Q(status__in=[ItemStatus.DRAFT, ItemStatus.RETURNED])
        elif role == Role.REVIEWER:
            condition |= scope & Q(status=ItemStatus.SUBMITTED) & ~Q(created_by=user)
        elif role == Role.PUBLISHER:
            condition |= Q(status=ItemStatus.APPROVED)
        elif role == Role.AGENCY_ADMIN:
            condition |= Q(status__in=[ItemStatus.SUBMITTED, ItemStatus.APPROVED])
    return Item.objects.filter(agency=agency).filter(condition).select_related("unit") \
        .order_by("updated_at", "id")


def item_topics(items: QuerySet[Item]) -> list[str]:
    """The 主题分类 values in use, for the list's filter."""
    return list(items.exclude(topic="").order_by("topic").values_list("topic", flat=True).distinct())


def item_years(items: QuerySet[Item]) -> list[int]:
    """The years in which items were published, newest first."""
    return sorted({d.year for d in items.filter(published_on__isnull=False).dates("published_on", "year")},
                  reverse=True)


def drafting_units(user, agency: Agency, *, access: ItemAccess | None = None) -> QuerySet[Unit]:
    """The units ``user`` may provide information for (提供股室)."""
    access = access or item_access(user, agency)
    units = Unit.objects.filter(agency=agency).order_by("name")
    if access.superuser or any(role in DRAFTING_ROLES and unit is None for role, unit in access.memberships):
        return units
    return units.filter(pk__in={unit for role, unit in access.memberships if role in DRAFTING_ROLES and unit})


def catalogue_entries(agency: Agency) -> list[tuple[CatalogueEntry, str]]:
    """The agency's catalogue entries in tree order, each with its full path (一级 › 二级), in one query."""
    entries = list(CatalogueEntry.objects.filter(agency=agency).order_by("position", "id"))
    children: dict[int | None, list[CatalogueEntry]] = {}
    for entry in entries:
        children.setdefault(entry.parent_id, []).append(entry)
    out: list[tuple[CatalogueEntry, str]] = []

    def walk(parent_id, prefix: str) -> None:
        for entry in children.get(parent_id, []):
            path = f"{prefix} › {entry.name}" if prefix else entry.name
            out.append((entry, path))
            walk(entry.pk, path)

    walk(None, "")
    return out


# --- the WeChat editors' export ----------------------------------------------


def public_item_url(agency: Agency, pk: int) -> str:
    base = getattr(settings, "GONGKAI_PUBLIC_BASE_URL", DEFAULT_PUBLIC_BASE_URL).rstrip("/")
    return f"{base}/{agency.code}/items/{pk}/"


def body_text(html: str) -> str:
    """The plain text of a sanitized body, whitespace collapsed."""
    text = unescape(strip_tags(re.sub(r"</?(br|p|div|li|h\d|tr|td|th|ul|ol|blockquote)\b[^>]*>", " ", html or "")))
    return re.sub(r"\s+", " ", text).strip()


def item_summary(item: Item) -> str:
    """The 内容概述, or the first 100 characters of the body's text."""
    return item.abstract.strip() or body_text(item.body)[:ABSTRACT_MAX_LENGTH]


@dataclass(frozen=True)
class WechatRow:
    title: str
    summary: str
    link: str
    published_on: date
    index_number: str
    document_number: str
    channels: tuple[str, ...]

    def as_dict(self) -> dict:
        return {"title": self.title, "summary": self.summary, "link": self.link,
                "published_on": self.published_on.isoformat(), "index_number": self.index_number,
                "document_number": self.document_number, "channels": list(self.channels)}


def wechat_export(agency: Agency, since: date, *, wechat_only: bool = False) -> list[WechatRow]:
    """Items published since ``since`` (inclusive), oldest first, for the WeChat account's editors.

    ``wechat_only`` keeps the items whose channels include the WeChat account.
    """
    items = Item.objects.filter(agency=agency, status=ItemStatus.PUBLISHED, published_on__gte=since) \
        .order_by("published_on", "id").only("pk", "title", "abstract", "body", "published_on", "index_number",
                                             "document_number", "channels")
    rows = []
    for item in items:
        channels = tuple(item.channels or ())
        if wechat_only and "wechat" not in channels:
            continue
        rows.append(WechatRow(title=item.title, summary=item_summary(item), link=public_item_url(agency, item.pk),
                              published_on=item.published_on, index_number=item.index_number or "",
                              document_number=item.document_number, channels=channels))
    return rows


def items_late_counts(agency_ids: list[int], year: int) -> dict[int, int]:
    """How many items each agency published late in ``year`` (as ``items_late``); one query."""
    from django.db.models import Count

    rows = (Item.objects.filter(agency_id__in=agency_ids, status=ItemStatus.PUBLISHED, late=True,
                                published_on__year=year)
            .values("agency_id").annotate(n=Count("id")).order_by())
    return {r["agency_id"]: r["n"] for r in rows}
