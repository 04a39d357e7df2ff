"""An agency's 政府信息公开目录 as a tree: reading it in one query, keeping it, filing items under it.

Reads are selectors that cost a fixed number of queries whatever the size
of the tree (``catalogue_tree`` one, ``entries_without_items`` two); the
nesting is done in Python from the flat rows. Writes are services for the
office (agency administrators and publishers), each in one transaction
with an audit entry, under a lock on the agency row so that two sibling
entries never get the same name (the database's unique (agency, parent,
name) cannot see it at the top level, where the parent is NULL).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q

from gongkai.agencies.models import Agency, Role
from gongkai.agencies.selectors import roles_in
from gongkai.audit.services import audit_record
from gongkai.audit.transitions import ActionForbidden, ActionRefused

from .models import CatalogueEntry, Item, ItemStatus
from .standard import (
    BAD_AUDIENCE,
    BAD_MODE,
    BAD_TIER,
    FIELDS,
    OTHER_AGENCY_ENTRY,
    _require_change,
    lock_catalogue,
    normalize_audience,
    normalize_mode,
    normalize_tier,
    user_may_change_catalogue,
)
from .workflow import unit_roles

__all__ = [
    "TreeNode", "catalogue_tree", "tree_flatten", "catalogue_outline", "entries_without_items", "entry_path",
    "entry_create", "entry_update", "entry_move", "entry_shift", "entry_delete", "subtree_ids", "item_file",
    "user_may_change_catalogue", "user_may_file",
]

NAME_REQUIRED = "请填写目录名称。"
NAME_TAKEN_TOP = "一级目录中已有名为「{name}」的目录。"
NAME_TAKEN = "「{parent}」下已有名为「{name}」的目录。"
MOVE_INTO_SELF = "不能把目录移到它自身或它的下级目录之下。"
HAS_ITEMS = "该目录{scope}已归入{count}条信息，不能删除；请先把这些信息移到其他目录。"
ITEM_OTHER_AGENCY = "只能归入本机关（{agency}）的信息公开目录。"
FILE_FORBIDDEN = "您不能调整该信息的目录（限本股室的信息提供人、发布人和机关管理员）。"

FILE_ROLES = frozenset({Role.PUBLISHER, Role.AGENCY_ADMIN})


# --- reading --------------------------------------------------------------------


@dataclass
class TreeNode:
    """An entry with its children and counts: ``item_count`` filed directly under it, ``total`` with descendants."""

    entry: CatalogueEntry
    depth: int = 0
    children: list[TreeNode] = field(default_factory=list)
    item_count: int = 0
    filed_count: int = 0  # every item filed here, of any status and year: deleting is refused while > 0
    total: int = 0
    path: tuple[str, ...] = ()

    @property
    def is_leaf(self) -> bool:
        return not self.children


def _published(prefix: str, year: int | None) -> Q:
    condition = Q(**{f"{prefix}status": ItemStatus.PUBLISHED})
    if year is not None:
        condition &= Q(**{f"{prefix}published_on__gte": date(year, 1, 1),
                          f"{prefix}published_on__lt": date(year + 1, 1, 1)})
    return condition


def catalogue_tree(agency: Agency, *, year: int | None = None) -> list[TreeNode]:
    """The agency's catalogue as nested nodes, in order, from one query.

    Each node counts the items published under it (status 已发布: withdrawn
    ones are not), in ``year`` if given, and ``total`` adds its descendants.
    """
    rows = list(CatalogueEntry.objects.filter(agency=agency).annotate(
        item_count=Count("items", filter=_published("items__", year)),
        filed_count=Count("items"),
    ).order_by("position", "id"))
    nodes = {e.pk: TreeNode(entry=e, item_count=e.item_count, filed_count=e.filed_count) for e in rows}
    roots: list[TreeNode] = []
    for entry in rows:
        parent = nodes.get(entry.parent_id)
        (parent.children if parent else roots).append(nodes[entry.pk])

    def finish(node: TreeNode, depth: int, path: tuple[str, ...]) -> int:
        node.depth, node.path = depth, path + (node.entry.name,)
        node.total = node.item_count + sum(finish(child, depth + 1, node.path) for child in node.children)
        node.filed_count += sum(child.filed_count for child in node.children)
        return node.total

    for root in roots:
        finish(root, 0, ())
    return roots


def tree_flatten(nodes: list[TreeNode]) -> Iterator[TreeNode]:
    """The nodes in reading order (depth first), e.g. for a select list."""
    for node in nodes:
        yield node
        yield from tree_flatten(node.children)


def catalogue_outline(agency: Agency) -> tuple[dict[int, tuple[str, ...]], dict[int, int]]:
    """Every entry's chain of names from the top, and its place in reading order; one query."""
    rows = list(CatalogueEntry.objects.filter(agency=agency).order_by("position", "id")
                .values_list("pk", "parent_id", "name"))
    children: dict[int | None, list[tuple[int, str]]] = {}
    known = {pk for pk, _, _ in rows}
    for pk, parent_id, name in rows:
        children.setdefault(parent_id if parent_id in known else None, []).append((pk, name))
    paths: dict[int, tuple[str, ...]] = {}
    order: dict[int, int] = {}
    todo = [(pk, (name,)) for pk, name in reversed(children.get(None, []))]
    while todo:
        pk, path = todo.pop()
        if pk in paths:
            continue
        paths[pk], order[pk] = path, len(order)
        todo.extend((child, path + (name,)) for child, name in reversed(children.get(pk, [])))
    return paths, order


def entry_path(entry: CatalogueEntry) -> tuple[str, ...]:
    """The names from the top of the tree down to ``entry``."""
    return catalogue_outline(entry.agency)[0].get(entry.pk, (entry.name,))


def entries_without_items(agency: Agency, year: int) -> list[CatalogueEntry]:
    """The leaf entries with no item published in ``year``, in tree order, each with its ``path``. Two queries."""
    has_children = CatalogueEntry.objects.filter(parent=OuterRef("pk"))
    has_items = Item.objects.filter(_published("", year), entry=OuterRef("pk"))
    empty = list(CatalogueEntry.objects.filter(agency=agency).filter(~Exists(has_children), ~Exists(has_items)))
    paths, order = catalogue_outline(agency)
    for entry in empty:
        entry.path = paths.get(entry.pk, (entry.name,))
    return sorted(empty, key=lambda e: order.get(e.pk, len(order)))


# --- writing --------------------------------------------------------------------


def _clean_fields(data: dict) -> dict:
    """The standard fields of an entry, checked like an imported row."""
    values = {f: str(data.get(f) or "").strip() for f in FIELDS if f in data}
    errors = {}
    if "name" in values and not values["name"]:
        errors["name"] = NAME_REQUIRED
    for name, normalize, message in (("audience", normalize_audience, BAD_AUDIENCE),
                                     ("mode", normalize_mode, BAD_MODE), ("tier", normalize_tier, BAD_TIER)):
        if values.get(name):
            value = normalize(values[name])
            if value is None:
                errors[name] = message + "。"
            else:
                values[name] = value
    if errors:
        raise ValidationError(errors)
    return values


def _check_name_free(entry: CatalogueEntry) -> None:
    clash = CatalogueEntry.objects.filter(agency_id=entry.agency_id, parent_id=entry.parent_id, name=entry.name)
    if entry.pk:
        clash = clash.exclude(pk=entry.pk)
    if clash.exists():
        message = (NAME_TAKEN.format(parent=entry.parent.name, name=entry.name) if entry.parent_id
                   else NAME_TAKEN_TOP.format(name=entry.name))
        raise ValidationError({"name": message})


def _check_parent(agency: Agency, parent: CatalogueEntry | None) -> None:
    if parent is not None and parent.agency_id != agency.pk:
        raise ValidationError({"parent": OTHER_AGENCY_ENTRY})


def entry_create(*, user, agency: Agency, parent: CatalogueEntry | None = None, data: dict) -> CatalogueEntry:
    """Add an entry at the end of ``parent``'s children (or of the top level)."""
    _require_change(user, agency)
    _check_parent(agency, parent)
    values = _clean_fields(data)
    values.setdefault("time_limit", "")
    with transaction.atomic():
        lock_catalogue(agency)
        siblings = CatalogueEntry.objects.filter(agency=agency, parent=parent)
        position = max(siblings.values_list("position", flat=True), default=0) + 1
        entry = CatalogueEntry(agency=agency, parent=parent, position=position, **values)
        _check_name_free(entry)
        entry.full_clean(validate_unique=False)
        entry.save()
        audit_record(actor=user, agency=agency, target=entry, action="catalogue.entry_create",
                     data={"name": entry.name, "parent": parent.pk if parent else None})
    return entry


def entry_update(*, user, entry: CatalogueEntry, data: dict) -> CatalogueEntry:
    """Rename an entry or change its standard fields (公开内容、公开依据 …)."""
    _require_change(user, entry.agency)
    values = _clean_fields(data)
    with transaction.atomic():
        lock_catalogue(entry.agency)
        changed = sorted(f for f, v in values.items() if getattr(entry, f) != v)
        before = entry.name
        for f in changed:
            setattr(entry, f, values[f])
        if "name" in changed:
            _check_name_free(entry)
        entry.full_clean(validate_unique=False)
        entry.save()
        audit_record(actor=user, agency=entry.agency, target=entry, action="catalogue.entry_update",
                     data={"fields": changed, **({"renamed_from": before} if "name" in changed else {})})
    return entry


def entry_move(*, user, entry: CatalogueEntry, parent: CatalogueEntry | None, position: int | None = None
               ) -> CatalogueEntry:
    """Put ``entry`` under ``parent`` (None: the top level) at ``position`` among its new siblings
    (0 is first; None is last); the siblings are renumbered 1, 2, …"""
    agency = entry.agency
    _require_change(user, agency)
    _check_parent(agency, parent)
    with transaction.atomic():
        lock_catalogue(agency)
        if parent is not None:
            parents = dict(CatalogueEntry.objects.filter(agency=agency).values_list("pk", "parent_id"))
            node = parent.pk
            while node is not None:
                if node == entry.pk:
                    raise ActionRefused(MOVE_INTO_SELF, "parent")
                node = parents.get(node)
        before = (entry.parent_id, entry.position)
        entry.parent = parent
        _check_name_free(entry)
        siblings = list(CatalogueEntry.objects.filter(agency=agency, parent=parent).exclude(pk=entry.pk)
                        .order_by("position", "id"))
        index = len(siblings) if position is None else max(0, min(position, len(siblings)))
        siblings.insert(index, entry)
        for number, sibling in enumerate(siblings, start=1):
            sibling.position = number
        entry.save()
        CatalogueEntry.objects.bulk_update([s for s in siblings if s.pk != entry.pk], ["position"])
        audit_record(actor=user, agency=agency, target=entry, action="catalogue.entry_move",
                     data={"from_parent": before[0], "from_position": before[1],
                           "parent": parent.pk if parent else None, "position": entry.position})
    return entry


def entry_siblings(entry: CatalogueEntry) -> list[int]:
    """The ids of ``entry`` and its siblings in order."""
    return list(CatalogueEntry.objects.filter(agency_id=entry.agency_id, parent_id=entry.parent_id)
                .order_by("position", "id").values_list("pk", flat=True))


def entry_shift(*, user, entry: CatalogueEntry, offset: int) -> CatalogueEntry:
    """Move an entry up (-1) or down (+1) among its siblings."""
    order = entry_siblings(entry)
    return entry_move(user=user, entry=entry, parent=entry.parent, position=order.index(entry.pk) + offset)


def subtree_ids(entry: CatalogueEntry) -> list[int]:
    """``entry`` and every entry below it, from one query."""
    children: dict[int | None, list[int]] = {}
    for pk, parent_id in CatalogueEntry.objects.filter(agency_id=entry.agency_id).values_list("pk", "parent_id"):
        children.setdefault(parent_id, []).append(pk)
    ids, todo = [], [entry.pk]
    while todo:
        pk = todo.pop()
        ids.append(pk)
        todo.extend(children.get(pk, []))
    return ids


def entry_delete(*, user, entry: CatalogueEntry) -> int:
    """Delete an entry and the entries below it; refused while any item (of any status) is filed there.
    Returns how many entries were deleted."""
    agency = entry.agency
    _require_change(user, agency)
    with transaction.atomic():
        lock_catalogue(agency)
        ids = subtree_ids(entry)
        filed = Item.objects.filter(entry_id__in=ids).count()
        if filed:
            scope = "及其下级目录中" if len(ids) > 1 else "下"
            raise ActionRefused(HAS_ITEMS.format(scope=scope, count=filed))
        audit_record(actor=user, agency=agency, target=entry, action="catalogue.entry_delete",
                     data={"name": entry.name, "parent": entry.parent_id, "entries": len(ids)})
        CatalogueEntry.objects.filter(pk__in=ids).delete()
    return len(ids)


def user_may_file(user, item: Item) -> bool:
    """Providers of the item's unit, the office's publishers and agency administrators."""
    if user is None:
        return True
    if roles_in(user, item.agency) & FILE_ROLES:
        return True
    return Role.PROVIDER in unit_roles(user, item)


def item_file(*, user, item: Item, entry: CatalogueEntry | None) -> Item:
    """File an item under an entry of its agency's catalogue (None: take it out of the catalogue)."""
    if not user_may_file(user, item):
        raise ActionForbidden(FILE_FORBIDDEN)
    if entry is not None and entry.agency_id != item.agency_id:
        raise ActionRefused(ITEM_OTHER_AGENCY.format(agency=item.agency.name), "entry")
    with transaction.atomic():
        locked = Item.objects.select_for_update().get(pk=item.pk)
        before = locked.entry_id
        locked.entry = entry
        locked.save(update_fields=["entry", "updated_at"])
        audit_record(actor=user, agency=locked.agency, target=locked, action="item.file",
                     from_state=locked.status, to_state=locked.status,
                     data={"from_entry": before, "entry": entry.pk if entry else None,
                           "entry_name": entry.name if entry else ""})
    item.entry, item.updated_at = entry, locked.updated_at
    return item
