"""Staff pages of the catalogue tree and the guide: who may see and change what, and the forms."""

from datetime import date
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.urls import include, path, reverse

import gongkai.urls
from gongkai.agencies.models import Membership, Role, Supervision
from gongkai.catalogue.models import CatalogueEntry, Guide, Item, ItemStatus
from gongkai.catalogue.standard import import_standard_file

# Until the lead wires ``urls_catalogue`` into gongkai/urls.py, the tests mount it themselves.
_wired = any(getattr(p, "namespace", None) == "catalogue_tree" for p in gongkai.urls.urlpatterns)
urlpatterns = list(gongkai.urls.urlpatterns) + ([] if _wired else [
    path("staff/<slug:agency>/catalogue/", include("gongkai.catalogue.urls_catalogue")),
])
pytestmark = [pytest.mark.urls(__name__), pytest.mark.django_db]

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "standard-industry.yaml"
GUIDE = {
    "classification": "按主题分类。", "how_to_obtain": "政府网站。", "office_name": "办公室", "office_address": "八二五大街",
    "office_hours": "工作日", "phone": "0594-8292450", "fax": "0594-8292451", "email": "gxj@example.gov.cn",
}


def person(agency, name, role=None, *, superuser=False):
    user = User.objects.create_user(name, password="a-long-password-1", is_superuser=superuser)
    if role:
        Membership.objects.create(user=user, agency=agency, role=role)
    return user


@pytest.fixture
def entries(agency):
    policy = CatalogueEntry.objects.create(agency=agency, name="政策文件", position=1)
    documents = CatalogueEntry.objects.create(agency=agency, parent=policy, name="行政规范性文件", position=1)
    return {"policy": policy, "documents": documents}


@pytest.fixture
def users(agency, other_agency, region):
    supervisor = person(agency, "supervisor")
    Supervision.objects.create(user=supervisor, region=region)
    return {
        "admin": person(agency, "admin", Role.AGENCY_ADMIN),
        "publisher": person(agency, "publisher", Role.PUBLISHER),
        "provider": person(agency, "provider", Role.PROVIDER),
        "supervisor": supervisor,
        "outsider": person(other_agency, "outsider", Role.AGENCY_ADMIN),
        "root": person(agency, "root", superuser=True),
    }


def pages(agency, entries):
    code, pk = agency.code, entries["documents"].pk
    view = [("tree", []), ("empty", []), ("guide", []), ("entry_detail", [pk])]
    change = [("entry_create", []), ("entry_edit", [pk]), ("entry_delete", [pk]), ("apply_standard", []),
              ("guide_edit", [])]
    as_url = lambda name, args: reverse(f"catalogue_tree:{name}", args=[code, *args])  # noqa: E731
    return [as_url(*p) for p in view], [as_url(*p) for p in change]


class TestPermissions:
    def test_anonymous_is_sent_to_login(self, client, agency, entries):
        view, change = pages(agency, entries)
        for url in view + change:
            response = client.get(url)
            assert response.status_code == 302 and response["Location"].startswith(reverse("login"))

    def test_staff_of_another_agency_is_refused(self, client, agency, entries, users):
        client.force_login(users["outsider"])
        view, change = pages(agency, entries)
        for url in view + change:
            assert client.get(url).status_code == 403, url

    def test_an_entry_of_another_agency_is_not_found(self, client, agency, other_agency, users):
        foreign = CatalogueEntry.objects.create(agency=other_agency, name="邻县目录")
        client.force_login(users["admin"])
        for name in ("entry_detail", "entry_edit", "entry_delete"):
            assert client.get(reverse(f"catalogue_tree:{name}", args=[agency.code, foreign.pk])).status_code == 404

    @pytest.mark.parametrize("who", ["provider", "supervisor"])
    def test_viewers_see_but_cannot_change(self, client, agency, entries, users, who):
        client.force_login(users[who])
        view, change = pages(agency, entries)
        for url in view:
            response = client.get(url)
            assert response.status_code == 200, url
            assert "添加一级目录" not in response.content.decode()
        for url in change:
            assert client.get(url).status_code == 403, url
            assert client.post(url, {"name": "x"}).status_code == 403, url
        move = reverse("catalogue_tree:entry_move", args=[agency.code, entries["documents"].pk])
        assert client.post(move, {"direction": "up"}).status_code == 403
        assert CatalogueEntry.objects.filter(agency=agency).count() == 2

    @pytest.mark.parametrize("who", ["admin", "publisher", "root"])
    def test_the_office_can_change(self, client, agency, entries, users, who):
        client.force_login(users[who])
        view, change = pages(agency, entries)
        for url in view + change:
            assert client.get(url).status_code == 200, url
        assert "添加一级目录" in client.get(view[0]).content.decode()


class TestTreePage:
    def test_nested_lists_with_counts_and_year(self, client, agency, entries, users):
        Item.objects.create(agency=agency, entry=entries["documents"], title="甲", formed_on=date(2024, 1, 2),
                            status=ItemStatus.PUBLISHED, published_on=date(2024, 3, 1))
        client.force_login(users["provider"])
        url = reverse("catalogue_tree:tree", args=[agency.code])
        html = client.get(url, {"year": "2024"}).content.decode()
        assert '<option value="2024" selected>' in html
        assert 'id="entry-%d"' % entries["documents"].pk in html
        assert "1<span class=\"visually-hidden\">条2024年已发布信息</span>" in html
        html = client.get(url, {"year": "1999"}).content.decode()  # out of range: this year
        assert "0<span class=\"visually-hidden\">条" in html

    def test_queries_do_not_grow_with_the_tree(self, client, agency, entries, users):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        client.force_login(users["publisher"])
        url = reverse("catalogue_tree:tree", args=[agency.code])
        counts = []
        for size in (0, 30):
            for i in range(size):
                parent = CatalogueEntry.objects.create(agency=agency, name=f"一级{size}-{i}", position=10 + i)
                CatalogueEntry.objects.create(agency=agency, parent=parent, name="二级")
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            counts.append(len(queries))
        assert counts[0] == counts[1]

    def test_empty_entries_page(self, client, agency, entries, users):
        client.force_login(users["provider"])
        response = client.get(reverse("catalogue_tree:empty", args=[agency.code]), {"year": "2024"})
        html = response.content.decode()
        assert "2024年共有 <strong>1</strong> 个末级目录没有已发布的信息" in html
        assert "<strong>行政规范性文件</strong>" in html

    def test_add_edit_move_delete(self, client, agency, entries, users):
        client.force_login(users["admin"])
        code = agency.code
        response = client.post(reverse("catalogue_tree:entry_create", args=[code]),
                               {"name": "财政资金", "parent": "", "audience": "全社会", "mode": "主动"})
        money = CatalogueEntry.objects.get(agency=agency, name="财政资金")
        assert response.status_code == 302 and response["Location"].endswith(f"#entry-{money.pk}")
        budget = CatalogueEntry.objects.create(agency=agency, parent=money, name="部门预算")
        response = client.post(reverse("catalogue_tree:entry_edit", args=[code, budget.pk]),
                               {"name": "部门预算和决算", "parent": str(entries["policy"].pk), "tier": "县级"})
        assert response.status_code == 302
        budget.refresh_from_db()
        assert (budget.name, budget.parent, budget.tier) == ("部门预算和决算", entries["policy"], "县级")
        client.post(reverse("catalogue_tree:entry_move", args=[code, budget.pk]), {"direction": "up"})
        assert [e.name for e in entries["policy"].children.order_by("position")] == ["部门预算和决算", "行政规范性文件"]
        response = client.post(reverse("catalogue_tree:entry_delete", args=[code, money.pk]))
        assert response.status_code == 302 and not CatalogueEntry.objects.filter(pk=money.pk).exists()

    def test_form_errors_are_tied_to_their_fields(self, client, agency, entries, users):
        client.force_login(users["admin"])
        response = client.post(reverse("catalogue_tree:entry_create", args=[agency.code]),
                               {"name": "政策文件", "parent": ""})
        html = response.content.decode()
        assert response.status_code == 200
        assert 'role="alert"' in html and "一级目录中已有名为「政策文件」的目录。" in html
        assert 'aria-invalid="true" aria-describedby="id_name_helptext id_name_error"' in html

    def test_cannot_move_under_itself(self, client, agency, entries, users):
        client.force_login(users["admin"])
        response = client.get(reverse("catalogue_tree:entry_edit", args=[agency.code, entries["policy"].pk]))
        assert f'value="{entries["documents"].pk}"' not in response.content.decode()
        response = client.post(reverse("catalogue_tree:entry_edit", args=[agency.code, entries["policy"].pk]),
                               {"name": "政策文件", "parent": str(entries["documents"].pk)})
        assert response.status_code == 200 and "parent" in response.context["form"].errors

    def test_delete_with_items_is_refused(self, client, agency, entries, users):
        Item.objects.create(agency=agency, entry=entries["documents"], title="甲", formed_on=date(2024, 1, 2))
        client.force_login(users["admin"])
        url = reverse("catalogue_tree:entry_delete", args=[agency.code, entries["policy"].pk])
        assert "不能删除" in client.get(url).content.decode()
        response = client.post(url)
        assert response.status_code == 409 and "已归入1条信息，不能删除" in response.content.decode()
        assert CatalogueEntry.objects.filter(agency=agency).count() == 2

    def test_apply_a_standard_twice(self, client, agency, users):
        standard = import_standard_file(data=FIXTURE.read_bytes(), filename=FIXTURE.name)
        client.force_login(users["publisher"])
        url = reverse("catalogue_tree:apply_standard", args=[agency.code])
        assert standard.name in client.get(url).content.decode()
        response = client.post(url, {"standard": standard.pk, "under": ""}, follow=True)
        count = CatalogueEntry.objects.filter(agency=agency).count()
        assert count > standard.entries.count() and f"新增{count}个目录" in response.content.decode()
        response = client.post(url, {"standard": standard.pk, "under": ""}, follow=True)
        assert "未新增目录" in response.content.decode()
        assert CatalogueEntry.objects.filter(agency=agency).count() == count


class TestGuidePages:
    def test_preview_lists_what_is_missing(self, client, agency, users):
        Guide.objects.create(agency=agency, **{**GUIDE, "fax": ""})
        client.force_login(users["provider"])
        html = client.get(reverse("catalogue_tree:guide", args=[agency.code])).content.decode()
        assert "缺少传真号码" in html and "0594-8292450" in html and "修改指南" not in html

    def test_edit_shows_each_problem_on_its_field(self, client, agency, users):
        client.force_login(users["admin"])
        url = reverse("catalogue_tree:guide_edit", args=[agency.code])
        response = client.post(url, {**GUIDE, "office_hours": "", "phone": "8292450", "email": ""})
        html = response.content.decode()
        assert response.status_code == 200 and not Guide.objects.exists()
        for message in ("缺少办公时间", "联系电话格式不正确", "缺少互联网联系方式"):
            assert message in html
        assert 'aria-describedby="id_phone_helptext id_phone_error"' in html

    def test_edit_saves_and_shows_the_preview(self, client, agency, users):
        client.force_login(users["publisher"])
        response = client.post(reverse("catalogue_tree:guide_edit", args=[agency.code]), GUIDE, follow=True)
        assert response.redirect_chain[-1][0] == reverse("catalogue_tree:guide", args=[agency.code])
        html = response.content.decode()
        assert "已保存政府信息公开指南" in html and "指南已写明第十二条要求的全部内容" in html
        assert Guide.objects.get(agency=agency).updated_by == users["publisher"]
