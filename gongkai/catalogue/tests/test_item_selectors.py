"""Who sees which items, what waits for whom, the late list, the WeChat export, and bounded queries."""

from datetime import date, timedelta

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from gongkai.agencies.models import Membership, Role
from gongkai.catalogue.models import CatalogueEntry, Item, ItemStatus
from gongkai.catalogue.selectors import (
    body_text,
    catalogue_entries,
    drafting_units,
    item_access,
    items_awaiting,
    items_filter,
    items_late,
    items_visible_to,
    wechat_export,
)

from .test_item_views import (  # noqa: F401 (fixtures)
    advance,
    draft,
    make_user,
    media_root,
    published,
    staff,
    today,
)

pytestmark = pytest.mark.urls("gongkai.catalogue.tests.urls_for_tests")


@pytest.fixture
def items(agency, staff):
    """One item in each state of the chain, in the economy unit, and a draft of the power unit."""
    return {
        "draft": draft(agency, staff, title="草稿"),
        "submitted": advance(draft(agency, staff, title="待审核"), staff, "submitted"),
        "approved": advance(draft(agency, staff, title="待发布"), staff, "approved"),
        "published": published(agency, staff, title="已发布"),
        "power_draft": draft(agency, staff, who="provider2", title="电力股草稿"),
    }


@pytest.mark.django_db
class TestVisibility:
    @pytest.mark.parametrize("who, expected", [
        ("provider", {"draft", "submitted", "approved", "published"}),
        ("reviewer", {"draft", "submitted", "approved", "published"}),
        ("provider2", {"published", "power_draft"}),
        ("reviewer2", {"published", "power_draft"}),
        ("publisher", {"draft", "submitted", "approved", "published", "power_draft"}),
        ("admin", {"draft", "submitted", "approved", "published", "power_draft"}),
        ("handler", {"published"}),
        ("supervisor", {"published"}),
        ("outsider", set()),
    ])
    def test_who_sees_what(self, agency, staff, items, who, expected):
        visible = set(items_visible_to(staff[who], agency).values_list("pk", flat=True))
        assert visible == {items[k].pk for k in expected}

    def test_agency_wide_provider_sees_every_unit(self, agency, staff, items):
        wide = make_user("wide", agency, Role.PROVIDER)
        assert set(items_visible_to(wide, agency)) == set(items.values())
        assert set(drafting_units(wide, agency)) == {staff["unit"], staff["other_unit"], staff["office"]}

    def test_superuser_and_anonymous(self, agency, items):
        from django.contrib.auth.models import AnonymousUser

        root = User.objects.create_superuser("root")
        assert items_visible_to(root, agency).count() == len(items)
        assert items_visible_to(AnonymousUser(), agency).count() == 0
        assert not item_access(AnonymousUser(), agency).can_view

    def test_supervisor_of_another_region_sees_nothing(self, agency, other_agency, staff, items):
        from gongkai.agencies.models import Supervision

        elsewhere = make_user("elsewhere")
        Supervision.objects.create(user=elsewhere, region=other_agency.region)
        assert not item_access(elsewhere, agency).can_view
        assert items_visible_to(elsewhere, agency).count() == 0

    def test_drafting_units(self, agency, staff):
        assert list(drafting_units(staff["provider"], agency)) == [staff["unit"]]
        assert list(drafting_units(staff["reviewer"], agency)) == []
        assert drafting_units(staff["admin"], agency).count() == 3


@pytest.mark.django_db
class TestAwaiting:
    @pytest.mark.parametrize("who, expected", [
        ("provider", {"draft"}),
        ("reviewer", {"submitted"}),
        ("publisher", {"approved"}),
        ("admin", {"submitted", "approved"}),
        ("provider2", {"power_draft"}),
        ("reviewer2", set()),
        ("handler", set()),
        ("supervisor", set()),
    ])
    def test_what_waits_for_whom(self, agency, staff, items, who, expected):
        waiting = set(items_awaiting(staff[who], agency).values_list("pk", flat=True))
        assert waiting == {items[k].pk for k in expected}

    def test_returned_items_wait_for_the_provider(self, agency, staff, items):
        from .test_item_views import act

        act("return", items["submitted"], staff["reviewer"], comments="请补充附件")
        assert items["submitted"] in items_awaiting(staff["provider"], agency)
        assert items["submitted"] not in items_awaiting(staff["reviewer"], agency)

    def test_a_reviewer_is_not_asked_to_review_their_own_item(self, agency, staff):
        both = make_user("both", agency, Role.PROVIDER, staff["unit"])
        Membership.objects.create(user=both, agency=agency, role=Role.REVIEWER, unit=staff["unit"])
        item = draft(agency, {**staff, "provider": both})
        advance(item, {**staff, "provider": both}, "submitted")
        assert item not in items_awaiting(both, agency)
        assert item in items_awaiting(staff["reviewer"], agency)


@pytest.mark.django_db
class TestFiltersAndLate:
    def test_late_items_of_a_year(self, agency, staff):
        late = advance(draft(agency, staff, title="迟发", formed_on=date(2025, 1, 2)), staff, "published",
                       day=date(2025, 3, 3))
        advance(draft(agency, staff, title="按时", formed_on=date(2025, 2, 27)), staff, "published",
                day=date(2025, 3, 3))
        advance(draft(agency, staff, title="去年迟发", formed_on=date(2024, 1, 2)), staff, "published",
                day=date(2024, 6, 3))
        assert list(items_late(agency, 2025)) == [late]
        assert [i.title for i in items_late(agency, 2024)] == ["去年迟发"]
        assert not items_late(agency, 2023).exists()

    def test_withdrawn_items_are_not_in_the_late_list(self, agency, staff):
        from .test_item_views import act

        late = advance(draft(agency, staff, formed_on=date(2025, 1, 2)), staff, "published", day=date(2025, 3, 3))
        act("withdraw", late, staff["publisher"], reason="错发")
        assert not items_late(agency, 2025).exists()

    def test_text_matches_title_number_and_index(self, agency, staff):
        item = published(agency, staff, title="关于开展安全生产检查的通知", document_number="测应急〔2025〕3号")
        base = Item.objects.filter(agency=agency)
        for text in ("安全生产", "测应急〔2025〕3号", item.index_number, item.index_number[-5:]):
            assert list(items_filter(base, text=text)) == [item], text
        assert not items_filter(base, text="不存在").exists()


@pytest.mark.django_db
class TestWechatExport:
    def test_rows(self, agency, staff, settings):
        settings.GONGKAI_PUBLIC_BASE_URL = "https://gov.example.cn"
        with_abstract = published(agency, staff, title="有概述", abstract="这是概述")
        long_body = "<p>第一段<strong>加粗</strong>&amp;符号</p><ul><li>一</li><li>二</li></ul>" + "<p>" + "字" * 150 + "</p>"
        without = published(agency, staff, title="无概述", abstract="", body=long_body)
        old = advance(draft(agency, staff, title="早先的", formed_on=date(2024, 1, 2)), staff, "published",
                      day=date(2024, 1, 3))
        draft(agency, staff, title="草稿不导出")
        rows = wechat_export(agency, today() - timedelta(days=1))
        assert [r.title for r in rows] == ["有概述", "无概述"]
        assert rows[0].summary == "这是概述"
        assert rows[1].summary == ("第一段加粗&符号 一 二 " + "字" * 150)[:100]
        assert rows[1].link == f"https://gov.example.cn/{agency.code}/items/{without.pk}/"
        assert rows[0].as_dict()["index_number"] == with_abstract.index_number
        assert old.title in [r.title for r in wechat_export(agency, date(2024, 1, 1))]

    def test_default_base_url_and_wechat_only(self, agency, staff, settings):
        if hasattr(settings, "GONGKAI_PUBLIC_BASE_URL"):
            del settings.GONGKAI_PUBLIC_BASE_URL
        item = published(agency, staff)  # website and wechat
        site_only = advance(draft(agency, staff, title="只在网站"), staff, "approved")
        from .test_item_views import act

        act("publish", site_only, staff["publisher"], channels=["website"])
        rows = wechat_export(agency, today(), wechat_only=True)
        assert [r.title for r in rows] == [item.title]
        assert rows[0].link == f"http://127.0.0.1:8000/{agency.code}/items/{item.pk}/"

    def test_body_text(self):
        assert body_text("<p>甲</p><p>乙&nbsp;丙</p><br>丁<h2>戊</h2>己") == "甲 乙 丙 丁 戊 己"


@pytest.mark.django_db
def test_catalogue_entries_in_tree_order(agency):
    top = CatalogueEntry.objects.create(agency=agency, name="法定主动公开内容", position=1)
    first = CatalogueEntry.objects.create(agency=agency, name="机构职能", position=0)
    CatalogueEntry.objects.create(agency=agency, parent=top, name="规范性文件", position=0)
    assert [path for _, path in catalogue_entries(agency)] == [
        "机构职能", "法定主动公开内容", "法定主动公开内容 › 规范性文件"]
    assert catalogue_entries(agency)[0][0] == first


# --- bounded queries: the same number of queries for 3 rows and for 30 -----------------------


def _bulk_items(agency, staff, n, status=ItemStatus.PUBLISHED, first=0, **extra):
    published_on = date(2025, 3, 3) if status == ItemStatus.PUBLISHED else None
    Item.objects.bulk_create([
        Item(agency=agency, unit=staff["unit"] if i % 2 else staff["other_unit"], title=f"批量信息{i}",
             formed_on=date(2025, 1, 2), published_on=published_on, status=status, topic=f"主题{i % 3}",
             body="<p>" + "正文" * 80 + "</p>", index_number=f"X/2025-{i:05d}-{status}" if published_on else None,
             channels=["website", "wechat"], **extra)
        for i in range(first, first + n)])


def _count_queries(fn) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["list", "awaiting", "late", "export"])
def test_pages_make_the_same_number_of_queries_for_any_number_of_items(
        client, agency, staff, page, django_assert_max_num_queries):
    client.force_login(staff["admin"])
    path = {
        "list": reverse("items:list", args=[agency.code]),
        "awaiting": reverse("items:awaiting", args=[agency.code]),
        "late": reverse("items:late", args=[agency.code]) + "?year=2025",
        "export": reverse("items:wechat_export", args=[agency.code]) + "?since=2025-01-01",
    }[page]
    status = ItemStatus.APPROVED if page == "awaiting" else ItemStatus.PUBLISHED
    counts = []
    for first, n in ((0, 3), (3, 21)):  # 3 rows, then 24: fewer than one page of 25, both
        _bulk_items(agency, staff, n, status=status, late=True, first=first)
        counts.append(_count_queries(lambda: client.get(path)))
        assert client.get(path).status_code == 200
    assert counts[0] == counts[1], counts
    with django_assert_max_num_queries(14):
        client.get(path)


@pytest.mark.django_db
def test_detail_queries_do_not_grow_with_history(client, agency, staff, django_assert_max_num_queries):
    from .test_item_views import act

    client.force_login(staff["publisher"])
    item = published(agency, staff)
    path = reverse("items:detail", args=[agency.code, item.pk])
    before = _count_queries(lambda: client.get(path))
    for i in range(5):
        act("amend", item, staff["publisher"], changes={"title": f"第{i}次修改"}, reason=f"更正{i}")
        published(agency, staff, title=f"解读{i}", genre="interpretation", interprets=item)
    after = _count_queries(lambda: client.get(path))
    assert after == before, (before, after)
    with django_assert_max_num_queries(30):
        client.get(path)


@pytest.mark.django_db
def test_selectors_are_single_queries(agency, staff, django_assert_num_queries):
    _bulk_items(agency, staff, 12, late=True)
    access = item_access(staff["provider"], agency)
    with django_assert_num_queries(1):
        rows = [(i.title, i.unit.name) for i in items_visible_to(staff["provider"], agency, access=access)
                .select_related("unit")]
    assert len(rows) == 12
    with django_assert_num_queries(1):
        [(i.title, i.unit.name) for i in items_late(agency, 2025)]
    publisher = item_access(staff["publisher"], agency)
    Item.objects.update(status=ItemStatus.APPROVED)
    with django_assert_num_queries(1):
        assert len([(i.title, i.unit.name) for i in items_awaiting(staff["publisher"], agency, access=publisher)]) == 12
    Item.objects.update(status=ItemStatus.PUBLISHED)
    with django_assert_num_queries(1):
        assert len(wechat_export(agency, date(2025, 1, 1))) == 12
