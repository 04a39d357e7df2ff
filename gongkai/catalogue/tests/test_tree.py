"""The catalogue tree: one-query reads with item counts, entries without items, and the services that keep it."""

from datetime import date
from itertools import count

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError

from gongkai.agencies.models import Membership, Role, Unit
from gongkai.audit.models import AuditEntry
from gongkai.audit.transitions import ActionForbidden, ActionRefused
from gongkai.catalogue.models import CatalogueEntry, Item, ItemStatus
from gongkai.catalogue.tree import (
    catalogue_tree,
    entries_without_items,
    entry_create,
    entry_delete,
    entry_move,
    entry_path,
    entry_shift,
    entry_update,
    item_file,
    tree_flatten,
)

_numbers = count(1)


def person(agency, name, role, unit=None):
    user = User.objects.create_user(name, password="a-long-password-1")
    Membership.objects.create(user=user, agency=agency, role=role, unit=unit)
    return user


def item(agency, entry=None, *, published_on=date(2025, 3, 10), status=ItemStatus.PUBLISHED, unit=None):
    return Item.objects.create(agency=agency, unit=unit, entry=entry, title=f"信息{next(_numbers)}",
                               formed_on=date(2020, 1, 2), status=status,
                               published_on=published_on if status in (ItemStatus.PUBLISHED,
                                                                         ItemStatus.WITHDRAWN) else None)


def node(agency, name, parent=None, position=0):
    return CatalogueEntry.objects.create(agency=agency, parent=parent, name=name, position=position)


@pytest.fixture
def admin(agency):
    return person(agency, "admin", Role.AGENCY_ADMIN)


@pytest.fixture
def tree(agency):
    """政策文件 (规范性文件, 政策解读), 财政资金 (部门预算 > 2025年预算)."""
    policy = node(agency, "政策文件", position=1)
    money = node(agency, "财政资金", position=2)
    entries = {
        "policy": policy, "money": money,
        "documents": node(agency, "行政规范性文件", policy, 1),
        "interpretation": node(agency, "政策解读", policy, 2),
        "budget": node(agency, "部门预算", money, 1),
    }
    entries["budget2025"] = node(agency, "2025年预算", entries["budget"], 1)
    return entries


def shape(nodes):
    return [(n.depth, n.entry.name, n.item_count, n.total) for n in tree_flatten(nodes)]


@pytest.mark.django_db
class TestCatalogueTree:
    def test_nested_in_order_with_counts_for_the_year(self, agency, other_agency, tree):
        item(agency, tree["documents"])
        item(agency, tree["documents"])
        item(agency, tree["documents"], published_on=date(2024, 12, 31))  # another year
        item(agency, tree["documents"], status=ItemStatus.WITHDRAWN)  # withdrawn: not counted
        item(agency, tree["documents"], status=ItemStatus.DRAFT)  # not published
        item(agency, tree["budget2025"])
        item(agency, tree["policy"])  # filed on a branch
        node(other_agency, "政策文件")
        assert shape(catalogue_tree(agency, year=2025)) == [
            (0, "政策文件", 1, 3), (1, "行政规范性文件", 2, 2), (1, "政策解读", 0, 0),
            (0, "财政资金", 0, 1), (1, "部门预算", 0, 1), (2, "2025年预算", 1, 1),
        ]
        assert [n.total for n in catalogue_tree(agency)] == [4, 1]  # every year
        roots = catalogue_tree(agency, year=2025)
        assert roots[0].filed_count == 6  # any status or year: what blocks deleting
        assert roots[1].children[0].children[0].path == ("财政资金", "部门预算", "2025年预算")

    def test_an_empty_catalogue(self, agency):
        assert catalogue_tree(agency, year=2025) == []

    @pytest.mark.parametrize("size", [3, 60])
    def test_one_query_whatever_the_size(self, agency, django_assert_num_queries, size):
        parents = [node(agency, f"一级{i}", position=i) for i in range(size // 3)]
        for i, parent in enumerate(parents):
            child = node(agency, f"二级{i}", parent)
            node(agency, f"三级{i}", child)
            item(agency, child)
        with django_assert_num_queries(1):
            nodes = catalogue_tree(agency, year=2025)
            flat = list(tree_flatten(nodes))
            assert len(flat) == len(parents) * 3
            assert sum(n.total for n in nodes) == len(parents)
            assert all(n.entry.name for n in flat)


@pytest.mark.django_db
class TestEntriesWithoutItems:
    def test_leaves_with_no_published_item_that_year(self, agency, tree):
        item(agency, tree["documents"])
        item(agency, tree["interpretation"], status=ItemStatus.WITHDRAWN)
        item(agency, tree["budget2025"], published_on=date(2024, 6, 1))
        empty = entries_without_items(agency, 2025)
        assert [e.path for e in empty] == [("政策文件", "政策解读"), ("财政资金", "部门预算", "2025年预算")]
        assert [e.name for e in entries_without_items(agency, 2024)] == ["行政规范性文件", "政策解读"]

    def test_two_queries_whatever_the_size(self, agency, django_assert_num_queries):
        for i in range(40):
            parent = node(agency, f"一级{i}", position=i)
            node(agency, f"二级{i}", parent)
        with django_assert_num_queries(2):
            assert len(entries_without_items(agency, 2025)) == 40


@pytest.mark.django_db
class TestEntryServices:
    def test_create_appends_and_audits(self, agency, admin, tree):
        entry = entry_create(user=admin, agency=agency, parent=tree["policy"],
                             data={"name": " 政策问答 ", "audience": "全社会", "mode": "主动公开", "tier": "县、乡"})
        assert (entry.name, entry.position, entry.mode, entry.tier) == ("政策问答", 3, "主动", "县级、乡级")
        assert AuditEntry.objects.filter(action="catalogue.entry_create", target_id=str(entry.pk)).exists()

    def test_names_are_unique_among_siblings_also_at_the_top(self, agency, admin, tree):
        with pytest.raises(ValidationError) as e:
            entry_create(user=admin, agency=agency, data={"name": "政策文件"})
        assert e.value.message_dict == {"name": ["一级目录中已有名为「政策文件」的目录。"]}
        with pytest.raises(ValidationError, match="「政策文件」下已有名为「政策解读」"):
            entry_create(user=admin, agency=agency, parent=tree["policy"], data={"name": "政策解读"})
        entry_create(user=admin, agency=agency, parent=tree["money"], data={"name": "政策解读"})

    def test_field_checks(self, agency, admin):
        with pytest.raises(ValidationError) as e:
            entry_create(user=admin, agency=agency, data={"name": "", "audience": "公众", "tier": "市级"})
        assert set(e.value.message_dict) == {"name", "audience", "tier"}

    def test_only_admins_and_publishers_change_the_tree(self, agency, other_agency, tree):
        publisher = person(agency, "publisher", Role.PUBLISHER)
        entry_create(user=publisher, agency=agency, data={"name": "新目录"})
        for role in (Role.PROVIDER, Role.REVIEWER, Role.HANDLER):
            user = person(agency, role, role)
            with pytest.raises(ActionForbidden):
                entry_create(user=user, agency=agency, data={"name": "不行"})
            with pytest.raises(ActionForbidden):
                entry_delete(user=user, entry=tree["policy"])
        outsider = person(other_agency, "outsider", Role.AGENCY_ADMIN)
        with pytest.raises(ActionForbidden):
            entry_update(user=outsider, entry=tree["policy"], data={"name": "改名"})

    def test_parent_from_another_agency(self, agency, other_agency, admin):
        foreign = node(other_agency, "邻县目录")
        with pytest.raises(ValidationError, match="不属于该机关"):
            entry_create(user=admin, agency=agency, parent=foreign, data={"name": "甲"})

    def test_rename(self, agency, admin, tree):
        entry_update(user=admin, entry=tree["interpretation"], data={"name": "政策解读材料", "basis": "国办发〔2016〕80号"})
        tree["interpretation"].refresh_from_db()
        assert tree["interpretation"].name == "政策解读材料"
        audit = AuditEntry.objects.get(action="catalogue.entry_update")
        assert audit.data == {"fields": ["basis", "name"], "renamed_from": "政策解读"}
        with pytest.raises(ValidationError, match="已有名为「行政规范性文件」"):
            entry_update(user=admin, entry=tree["interpretation"], data={"name": "行政规范性文件"})

    def test_move_and_reorder(self, agency, admin, tree):
        entry_move(user=admin, entry=tree["budget"], parent=tree["policy"], position=0)
        assert [n.entry.name for n in catalogue_tree(agency)[0].children] == ["部门预算", "行政规范性文件", "政策解读"]
        assert entry_path(tree["budget2025"]) == ("政策文件", "部门预算", "2025年预算")
        entry_shift(user=admin, entry=tree["interpretation"], offset=-1)
        assert [n.entry.name for n in catalogue_tree(agency)[0].children] == ["部门预算", "政策解读", "行政规范性文件"]
        entry_move(user=admin, entry=tree["money"], parent=None, position=0)
        assert [n.entry.name for n in catalogue_tree(agency)] == ["财政资金", "政策文件"]
        assert AuditEntry.objects.filter(action="catalogue.entry_move").count() == 3

    def test_cannot_move_into_itself_or_below(self, agency, admin, tree):
        for target in (tree["money"], tree["budget2025"]):
            with pytest.raises(ActionRefused, match="自身或它的下级"):
                entry_move(user=admin, entry=tree["money"], parent=target)

    def test_move_refuses_a_name_taken_at_the_new_place(self, agency, admin, tree):
        node(agency, "部门预算", tree["policy"], 3)
        with pytest.raises(ValidationError, match="「政策文件」下已有名为「部门预算」"):
            entry_move(user=admin, entry=tree["budget"], parent=tree["policy"])

    def test_delete_refused_while_items_are_filed(self, agency, admin, tree):
        item(agency, tree["budget2025"], status=ItemStatus.DRAFT)
        with pytest.raises(ActionRefused) as e:
            entry_delete(user=admin, entry=tree["money"])
        assert e.value.reason == "该目录及其下级目录中已归入1条信息，不能删除；请先把这些信息移到其他目录。"
        with pytest.raises(ActionRefused, match="该目录下已归入1条信息"):
            entry_delete(user=admin, entry=tree["budget2025"])
        assert CatalogueEntry.objects.filter(agency=agency).count() == 6

    def test_delete_removes_the_subtree_and_audits(self, agency, admin, tree):
        assert entry_delete(user=admin, entry=tree["money"]) == 3
        assert [n.entry.name for n in catalogue_tree(agency)] == ["政策文件"]
        audit = AuditEntry.objects.get(action="catalogue.entry_delete")
        assert audit.data == {"name": "财政资金", "parent": None, "entries": 3}


@pytest.mark.django_db
class TestItemFile:
    @pytest.fixture
    def units(self, agency):
        return Unit.objects.create(agency=agency, name="经济运行股"), Unit.objects.create(agency=agency, name="办公室")

    def test_who_may_file(self, agency, units, tree):
        economy, office = units
        draft = item(agency, status=ItemStatus.DRAFT, unit=economy)
        allowed = [person(agency, "provider", Role.PROVIDER, economy),
                   person(agency, "publisher", Role.PUBLISHER, office), person(agency, "admin", Role.AGENCY_ADMIN)]
        refused = [person(agency, "other_provider", Role.PROVIDER, office),
                   person(agency, "reviewer", Role.REVIEWER, economy), person(agency, "handler", Role.HANDLER)]
        for user in allowed:
            item_file(user=user, item=draft, entry=tree["documents"])
        for user in refused:
            with pytest.raises(ActionForbidden):
                item_file(user=user, item=draft, entry=tree["interpretation"])
        draft.refresh_from_db()
        assert draft.entry == tree["documents"]
        audit = AuditEntry.objects.filter(action="item.file", target_id=str(draft.pk)).last()
        assert audit.data["entry"] == tree["documents"].pk and audit.actor == allowed[-1]

    def test_entry_of_another_agency_is_refused(self, agency, other_agency, units, admin):
        published = item(agency, unit=units[0])
        with pytest.raises(ActionRefused, match="只能归入本机关"):
            item_file(user=admin, item=published, entry=node(other_agency, "邻县目录"))

    def test_take_out_of_the_catalogue(self, agency, admin, tree):
        published = item(agency, tree["documents"])
        item_file(user=admin, item=published, entry=None)
        published.refresh_from_db()
        assert published.entry is None and published.status == ItemStatus.PUBLISHED
