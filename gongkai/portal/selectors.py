"""Reads for the public portal (公众门户): only what the public may see, each in a fixed number of queries.

Public means: an item whose status is 已发布 (never a draft, an item in review
or scheduled, nor one withdrawn) and whose 公开方式 is not 不予公开; an annual
report whose figures were frozen when it was published
(``AnnualReport.snapshot``); an agency's guide and catalogue. Nothing here
reads applications, applicants, staff or audit records, so no page built
from these functions can show an applicant's personal data.

Regions and agencies share the root of the site (``/xianyou/``,
``/xianyou-gxj/``): ``place_get`` resolves a code to one or the other.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, F, QuerySet, Window
from django.db.models.functions import RowNumber

from gongkai.agencies.models import Agency, Region
from gongkai.catalogue.models import CatalogueEntry, DisclosureMode, DocumentType, Genre, Guide, Item, ItemStatus
from gongkai.catalogue.tree import TreeNode, catalogue_tree
from gongkai.reports.canonical import flatten
from gongkai.reports.checks import Violation
from gongkai.reports.models import AnnualReport, AnnualReportVersion
from gongkai.reports.selectors import Report, version_report

# First path segments that are never a region's or an agency's page, even if
# a code happened to match: the site's own sections, and words kept for them.
RESERVED_CODES = frozenset({
    "admin", "staff", "api", "accounts", "static", "media", "search", "feed", "apply", "track", "supervision",
})

# What the agency home shows of each kind of 法定主动公开内容.
LATEST_PER_KIND = 6


def place_get(code: str) -> Agency | Region | None:
    """The agency or region whose page is ``/<code>/``; an agency wins if both have the code. At most two queries."""
    if code in RESERVED_CODES:
        return None
    agency = Agency.objects.select_related("region").filter(code=code).first()
    if agency is not None:
        return agency
    return Region.objects.filter(code=code).first()


def region_ancestors(region: Region) -> list[Region]:
    """The regions from the top down to ``region`` itself (for breadcrumbs), in one query."""
    codes = [c for c in region.path.split("/") if c]
    found = {r.code: r for r in Region.objects.filter(code__in=codes)}
    return [found[c] for c in codes if c in found]


# --- regions and agencies ---------------------------------------------------


@dataclass
class RegionNode:
    region: Region
    depth: int = 0
    agencies: list[Agency] = field(default_factory=list)
    children: list[RegionNode] = field(default_factory=list)

    @property
    def agency_total(self) -> int:
        return len(self.agencies) + sum(c.agency_total for c in self.children)


def region_tree(root: Region | None = None) -> list[RegionNode]:
    """Every region (or those under ``root``, without it) nested, each with its own agencies. Two queries."""
    regions = Region.objects.all()
    agencies = Agency.objects.all()
    if root is not None:
        regions = regions.filter(path__startswith=root.path).exclude(pk=root.pk)
        agencies = agencies.filter(region__path__startswith=root.path)
    nodes = {r.pk: RegionNode(r) for r in regions.order_by("path")}
    for agency in agencies.order_by("region__path", "code"):
        if agency.region_id in nodes:
            nodes[agency.region_id].agencies.append(agency)
    roots: list[RegionNode] = []
    for node in nodes.values():  # ordered by path: a parent comes before its children
        parent = nodes.get(node.region.parent_id)
        if parent is not None:
            node.depth = parent.depth + 1
            parent.children.append(node)
        else:
            roots.append(node)
    return roots


def region_agencies(region: Region) -> list[Agency]:
    """The agencies of a region and of the regions below it, with their region. One query."""
    return list(Agency.objects.filter(region__path__startswith=region.path).select_related("region")
                .order_by("region__path", "code"))


# --- items ------------------------------------------------------------------------


def public_items() -> QuerySet[Item]:
    """Items the public may read: published, and not marked 不予公开."""
    return Item.objects.filter(status=ItemStatus.PUBLISHED).exclude(disclosure_mode=DisclosureMode.NOT_DISCLOSED)


def items_of(place: Agency | Region) -> QuerySet[Item]:
    """The public items of an agency, or of every agency under a region."""
    if isinstance(place, Agency):
        return public_items().filter(agency=place)
    return public_items().filter(agency__region__path__startswith=place.path)


def items_for_list(items: QuerySet[Item]) -> QuerySet[Item]:
    """What a list row shows, with the agency fetched in the same query and without the (long) body."""
    return items.select_related("agency").defer("body", "review_note", "withdrawal_reason", "channels")


def items_filter(items: QuerySet[Item], *, document_type: str = "", topic: str = "", year: int | None = None,
                 validity: str = "", genre: str = "", entry: int | None = None) -> QuerySet[Item]:
    """Narrow a list; empty values do not filter. ``year`` is the year published."""
    if document_type:
        items = items.filter(document_type=document_type)
    if topic:
        items = items.filter(topic=topic)
    if year:
        items = items.filter(published_on__gte=date(year, 1, 1), published_on__lt=date(year + 1, 1, 1))
    if validity:
        items = items.filter(validity=validity)
    if genre:
        items = items.filter(genre=genre)
    if entry:
        items = items.filter(entry_id=entry)
    return items


def items_sorted(items: QuerySet[Item], *, oldest_first: bool = False) -> QuerySet[Item]:
    if oldest_first:
        return items.order_by("published_on", "id")
    return items.order_by("-published_on", "-id")


def item_topics(items: QuerySet[Item]) -> list[str]:
    """The 主题分类 in use, for a filter. One query."""
    return list(items.exclude(topic="").order_by("topic").values_list("topic", flat=True).distinct())


def item_years(items: QuerySet[Item]) -> list[int]:
    """The years items were published in, newest first. One query."""
    return sorted({d.year for d in items.dates("published_on", "year")}, reverse=True)


@dataclass
class ItemKind:
    """One block of 法定主动公开内容 on an agency's home page."""

    label: str
    query: str  # the item list's filter for "更多"
    items: list[Item]


def latest_by_kind(agency: Agency, *, limit: int = LATEST_PER_KIND) -> list[ItemKind]:
    """The newest items of each document type, and the newest 政策解读. Two queries, whatever the sizes."""
    ranked = items_for_list(items_of(agency)).annotate(rank=Window(
        RowNumber(), partition_by=[F("document_type")], order_by=[F("published_on").desc(), F("id").desc()],
    )).filter(rank__lte=limit).order_by("-published_on", "-id")
    by_type: dict[str, list[Item]] = {}
    for item in ranked:
        by_type.setdefault(item.document_type, []).append(item)
    kinds = [ItemKind(label, f"type={value}", by_type.get(value, [])) for value, label in DocumentType.choices]
    interpretations = list(items_sorted(items_for_list(items_of(agency).filter(genre=Genre.INTERPRETATION)))[:limit])
    kinds.append(ItemKind(Genre.INTERPRETATION.label, f"genre={Genre.INTERPRETATION.value}", interpretations))
    return kinds


def latest_items(place: Agency | Region, *, limit: int = 10) -> list[Item]:
    return list(items_sorted(items_for_list(items_of(place)))[:limit])


def item_get(agency: Agency, pk: int) -> Item | None:
    """A public item of the agency with the document it interprets (if that is public too). One query."""
    item = items_of(agency).select_related("interprets", "entry").filter(pk=pk).first()
    if item is not None and item.interprets is not None and not _is_public(item.interprets):
        item.interprets = None
    return item


def _is_public(item: Item) -> bool:
    return item.status == ItemStatus.PUBLISHED and item.disclosure_mode != DisclosureMode.NOT_DISCLOSED


def item_interpretations(item: Item) -> list[Item]:
    """The public 政策解读 of an item. One query."""
    return list(items_sorted(public_items().filter(interprets=item).defer("body")))


def item_attachments(item: Item) -> list:
    return list(item.attachments.defer("text").order_by("id"))


def attachment_get(agency: Agency, pk: int, attachment_pk: int):
    """An attachment of a public item of the agency, or None."""
    item = items_of(agency).filter(pk=pk).only("pk").first()
    if item is None:
        return None
    return item.attachments.defer("text").filter(pk=attachment_pk).first()


# --- the catalogue ----------------------------------------------------------------


@dataclass
class CatalogueSection:
    node: TreeNode
    items: list[Item]
    count: int  # public items filed directly under the entry

    @property
    def entry(self) -> CatalogueEntry:
        return self.node.entry


def catalogue_sections(agency: Agency, *, per_entry: int = 10) -> tuple[list[CatalogueSection], int]:
    """The catalogue in reading order, each entry with its newest public items (at most ``per_entry``)
    and how many it has; and the number of public items filed under no entry. Four queries."""
    nodes = catalogue_tree(agency)
    public = items_of(agency)
    counts = dict(public.filter(entry__isnull=False).values_list("entry_id").annotate(n=Count("id"))
                  .values_list("entry_id", "n"))
    ranked = items_for_list(public.filter(entry__isnull=False)).annotate(rank=Window(
        RowNumber(), partition_by=[F("entry_id")], order_by=[F("published_on").desc(), F("id").desc()],
    )).filter(rank__lte=per_entry).order_by("-published_on", "-id")
    by_entry: dict[int, list[Item]] = {}
    for item in ranked:
        by_entry.setdefault(item.entry_id, []).append(item)
    sections: list[CatalogueSection] = []

    def walk(level: list[TreeNode]) -> None:
        for node in level:
            sections.append(CatalogueSection(node, by_entry.get(node.entry.pk, []), counts.get(node.entry.pk, 0)))
            walk(node.children)

    walk(nodes)
    unfiled = public.filter(entry__isnull=True).count()
    return sections, unfiled


def guide_get(agency: Agency) -> Guide | None:
    return Guide.objects.filter(agency=agency).first()


# --- annual reports -------------------------------------------------------------


def reports_published(agency: Agency) -> list[AnnualReport]:
    """The agency's published reports (those with frozen figures), newest first; the snapshots are not loaded."""
    return list(AnnualReport.objects.filter(agency=agency, snapshot__isnull=False)
                .defer("snapshot", "overview", "problems", "other_matters").order_by("-year"))


def report_get(agency: Agency, year: int, version: int | None = None) -> Report | None:
    """A published report as it was frozen: the figures, check results and narrative of its current version
    (or of ``version``). A figure changed in the records since then does not show, nor does a draft of a
    correction. Two queries."""
    row = AnnualReport.objects.filter(agency=agency, year=year, snapshot__isnull=False).first()
    if row is None:
        return None
    versions = row.versions.order_by("-number")
    frozen = versions.filter(number=version).first() if version is not None else versions.first()
    if frozen is not None:
        return version_report(frozen, agency=agency)
    if version is not None:
        return None
    fmt, cells = flatten(row.snapshot)
    checks = [Violation(c.get("rule", ""), c.get("severity", ""), tuple(c.get("cells") or ()), c.get("message", ""))
              for c in row.snapshot.get("checks") or []]
    return Report(fmt, int(row.snapshot.get("year", row.year)), cells, agency=agency, checks=checks, narrative=row)


def report_versions_published(agency: Agency, year: int) -> list:
    """Every published version of the agency's report for ``year``, newest first, without the figures. One query."""
    return list(AnnualReportVersion.objects.filter(report__agency=agency, report__year=year)
                .defer("canonical", "overview", "problems", "other_matters").order_by("-number"))


# --- feeds --------------------------------------------------------------------------


def feed_items(place: Agency | Region, *, limit: int = 30) -> list[Item]:
    """The newest public items for a feed, newest first. One query."""
    items = items_of(place).select_related("agency").defer("body", "review_note", "withdrawal_reason")
    return list(items.order_by("-published_on", "-id")[:limit])


__all__ = [
    "RESERVED_CODES", "CatalogueSection", "ItemKind", "RegionNode", "attachment_get", "catalogue_sections",
    "feed_items", "guide_get", "item_attachments", "item_get", "item_interpretations", "item_topics", "item_years",
    "items_filter", "items_for_list", "items_of", "items_sorted", "latest_by_kind", "latest_items", "place_get",
    "public_items", "region_agencies", "region_ancestors", "region_tree", "report_get", "report_versions_published", "reports_published",
]
