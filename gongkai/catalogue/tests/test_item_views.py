"""The staff pages for proactive disclosure: lists, drafting with attachments, the detail page, actions, exports."""

import csv
import io
import json
from datetime import date, timedelta

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from gongkai.agencies.models import Membership, Role, Supervision, Unit
from gongkai.agencies.workdays import WorkingDayCalendar
from gongkai.audit.selectors import audit_trail
from gongkai.catalogue import workflow as wf
from gongkai.catalogue.forms import ACTION_FORMS, ItemForm
from gongkai.catalogue.models import CatalogueEntry, DocumentType, Genre, Item, ItemStatus, ItemVersion
from gongkai.catalogue.services import attachment_add, item_create

pytestmark = pytest.mark.urls("gongkai.catalogue.tests.urls_for_tests")

PASSWORD = "a-long-password-1"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
CALENDAR = WorkingDayCalendar()
TITLE = "关于印发《测试县工业企业技术改造专项资金管理办法》的通知"
DRAFT_SECRET = "尚未公开的草稿内容"


def make_user(username, agency=None, role=None, unit=None, *, full_name=""):
    first, last = (full_name[1:], full_name[:1]) if full_name else ("", "")
    user = User.objects.create_user(username, password=PASSWORD, first_name=first, last_name=last)
    if role:
        Membership.objects.create(user=user, agency=agency, role=role, unit=unit)
    return user


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded files go to a temporary folder, never to var/."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def staff(agency, other_agency, region):
    economy = Unit.objects.create(agency=agency, name="经济运行股")
    power = Unit.objects.create(agency=agency, name="电力执法股")
    office = Unit.objects.create(agency=agency, name="办公室")
    supervisor = make_user("supervisor", full_name="郑监督")
    Supervision.objects.create(user=supervisor, region=region)
    outsider = make_user("outsider", other_agency, Role.AGENCY_ADMIN, full_name="吴邻县")
    for role in (Role.PUBLISHER, Role.PROVIDER, Role.REVIEWER):
        Membership.objects.create(user=outsider, agency=other_agency, role=role)
    return {
        "unit": economy, "other_unit": power, "office": office,
        "provider": make_user("provider", agency, Role.PROVIDER, economy, full_name="孙提供"),
        "reviewer": make_user("reviewer", agency, Role.REVIEWER, economy, full_name="钱审核"),
        "provider2": make_user("provider2", agency, Role.PROVIDER, power, full_name="李电力"),
        "reviewer2": make_user("reviewer2", agency, Role.REVIEWER, power, full_name="周电审"),
        "publisher": make_user("publisher", agency, Role.PUBLISHER, office, full_name="王发布"),
        "admin": make_user("agency_admin", agency, Role.AGENCY_ADMIN, full_name="赵管理"),
        "handler": make_user("handler", agency, Role.HANDLER, full_name="陈承办"),
        "supervisor": supervisor,
        "outsider": outsider,
    }


def today():
    return timezone.localdate()


def draft(agency, staff, who="provider", **data):
    fields = {"title": TITLE, "unit": staff["unit"] if who == "provider" else staff["other_unit"],
              "document_type": DocumentType.NORMATIVE_DOCUMENT, "document_number": "测工信〔2025〕12号",
              "formed_on": today() - timedelta(days=3), "body": f"<p>{DRAFT_SECRET}</p>",
              "abstract": "技改资金管理办法", "topic": "工业、交通"}
    fields.update(data)
    return item_create(user=staff[who], agency=agency, data=fields)


def act(code, item, user, day=None, **params):
    return wf.ACTIONS[code](item, user=user, today=day or today(), calendar=CALENDAR).run(**params)


def advance(item, staff, to, day=None, reviewer="reviewer", provider="provider"):
    """Take ``item`` (a draft) through the chain up to status ``to``."""
    order = ["submitted", "approved", "published"]
    steps = {
        "submitted": lambda: act("submit", item, staff[provider], day),
        "approved": lambda: act("approve", item, staff[reviewer], day, no_secrets=True, review_note="经审查不涉密"),
        "published": lambda: act("publish", item, staff["publisher"], day, channels=["website", "wechat"]),
    }
    for step in order[:order.index(to) + 1]:
        steps[step]()
    item.refresh_from_db()
    return item


def published(agency, staff, **data):
    return advance(draft(agency, staff, **data), staff, "published")


def url(name, agency, *args):
    return reverse(f"items:{name}", args=[agency.code, *args])


def form_post(agency, staff, **over):
    data = {"title": TITLE, "document_type": "normative_document", "genre": "notice", "topic": "工业、交通",
            "document_number": "测工信[2025]12号", "keywords": "技术改造 专项资金", "abstract": "技改资金管理办法",
            "body": '<p onclick="x()">各有关企业：</p><script>alert(1)</script><ul><li>第一条</li></ul>',
            "disclosure_mode": "proactive", "formed_on": (today() - timedelta(days=2)).isoformat(),
            "changed_on": "", "validity": "valid", "effective_on": "", "abolished_on": "", "entry": "",
            "interprets": "", "unit": staff["unit"].pk}
    data.update(over)
    return data


# --- lists --------------------------------------------------------------------------


@pytest.mark.django_db
class TestList:
    def test_columns_and_rows(self, client, agency, staff):
        item = published(agency, staff)
        client.force_login(staff["publisher"])
        html = client.get(url("list", agency)).content.decode()
        for column in ("索引号", "标题", "文件类型", "状态", "成文日期", "发布日期", "超期", "提供股室"):
            assert f'<th scope="col">{column}</th>' in html
        assert item.index_number in html and TITLE in html and "经济运行股" in html and "行政规范性文件" in html
        assert "<caption" in html

    @pytest.mark.parametrize("field, value, expected", [
        ("q", "技改", {"a"}), ("q", "测工信〔2025〕99号", {"b"}), ("q", "INDEX_A", {"a"}),
        ("status", "draft", {"c"}), ("document_type", "other", {"b"}), ("topic", "农业、林业、水利", {"b"}),
        ("late", "1", {"b"}), ("late", "0", {"a", "c"}), ("year", "YEAR", {"a", "b"}),
    ])
    def test_filters(self, client, agency, staff, field, value, expected):
        items = {
            "a": published(agency, staff, title="技改资金通知"),
            "b": advance(draft(agency, staff, title="农田水利公告", document_type="other", topic="农业、林业、水利",
                               document_number="测工信〔2025〕99号", formed_on=today() - timedelta(days=60)),
                         staff, "published"),
            "c": draft(agency, staff, title="草稿通知"),
        }
        assert items["b"].late and not items["a"].late
        value = value.replace("INDEX_A", items["a"].index_number).replace("YEAR", str(today().year))
        client.force_login(staff["admin"])
        html = client.get(url("list", agency), {field: value}).content.decode()
        shown = {k for k, v in items.items() if f"/items/{v.pk}/" in html}
        assert shown == expected
        assert "清除筛选" in html

    def test_year_filter_and_pagination(self, client, agency, staff):
        for i in range(30):
            Item.objects.create(agency=agency, unit=staff["unit"], title=f"信息{i:02d}", formed_on=date(2023, 1, 2),
                                published_on=date(2024 if i < 27 else 2023, 2, 1), status=ItemStatus.PUBLISHED)
        client.force_login(staff["publisher"])
        first = client.get(url("list", agency)).content.decode()
        assert "共 30 条，第 1/2 页" in first and "下一页" in first
        second = client.get(url("list", agency) + "?page=2").content.decode()
        assert second.count("/items/") - second.count("items/awaiting") >= 5
        assert "共 3 条" in client.get(url("list", agency) + "?year=2023").content.decode()

    def test_supervisor_sees_published_only(self, client, agency, staff):
        item = published(agency, staff, title="已发布的通知")
        draft(agency, staff, title="未发布的草稿")
        client.force_login(staff["supervisor"])
        html = client.get(url("list", agency)).content.decode()
        assert "已发布的通知" in html and "未发布的草稿" not in html
        assert "查看身份" in html
        assert client.get(url("detail", agency, item.pk)).status_code == 200

    def test_awaiting_for_each_role(self, client, agency, staff):
        drafted = draft(agency, staff, title="待提交的草稿")
        submitted = advance(draft(agency, staff, title="待审核的信息"), staff, "submitted")
        approved = advance(draft(agency, staff, title="待发布的信息"), staff, "approved")
        other_unit = draft(agency, staff, who="provider2", title="电力股的草稿")
        expected = {
            "provider": {drafted},
            "reviewer": {submitted},
            "publisher": {approved},
            "admin": {submitted, approved},
            "provider2": {other_unit},
            "supervisor": set(),
        }
        for who, items in expected.items():
            client.force_login(staff[who])
            html = client.get(url("awaiting", agency)).content.decode()
            shown = {i for i in (drafted, submitted, approved, other_unit) if f"/items/{i.pk}/" in html}
            assert shown == items, who
            assert f"待我处理 <span class=\"count{' count-warn' if items else ''}\">{len(items)}" in html

    def test_late_list_per_year(self, client, agency, staff):
        late_item = advance(draft(agency, staff, title="迟发的通知", formed_on=date(2025, 1, 2)), staff,
                            "published", day=date(2025, 3, 3))
        on_time = advance(draft(agency, staff, title="按时的通知", formed_on=date(2025, 2, 24)), staff,
                          "published", day=date(2025, 3, 3))
        assert late_item.late and not on_time.late
        client.force_login(staff["supervisor"])
        html = client.get(url("late", agency) + "?year=2025").content.decode()
        assert "迟发的通知" in html and "按时的通知" not in html
        # 20 working days from 2025-01-02 end on 2025-02-06 (the Spring Festival holidays in between).
        limit = CALENDAR.add_working_days(date(2025, 1, 2), 20).day
        over = CALENDAR.working_days_between(limit, date(2025, 3, 3)).days
        assert limit.isoformat() in html and f"{over} 个工作日" in html
        assert "第二十六条" in html
        assert "没有超期发布的信息" in client.get(url("late", agency) + "?year=2024").content.decode()


# --- drafting -------------------------------------------------------------------------


@pytest.mark.django_db
class TestDraft:
    def test_form_has_every_metadata_field(self, client, agency, staff):
        CatalogueEntry.objects.create(agency=agency, name="政策文件")
        client.force_login(staff["provider"])
        html = client.get(url("create", agency)).content.decode()
        for label in ("标题", "文件类型", "主题分类", "体裁", "文号", "关键词", "内容概述", "正文", "公开方式", "成文日期",
                      "变更日期", "有效性", "实施日期", "废止日期", "所属目录", "解读的文件", "提供股室", "上传附件"):
            assert f">{label}<" in html or f">{label}<span" in html, label
        assert "〔〕" in html and "data-rich-text" in html and 'maxlength="100"' in html
        assert "政策文件" in html and "vendor/quill/quill.js" in html
        # Only the provider's own unit is offered, and it is preselected.
        assert f'<option value="{staff["unit"].pk}" selected>经济运行股</option>' in html
        assert "电力执法股" not in html

    def test_create_sanitizes_and_normalizes(self, client, agency, staff):
        client.force_login(staff["provider"])
        response = client.post(url("create", agency), form_post(agency, staff))
        item = Item.objects.get()
        assert response.status_code == 302 and response["Location"] == url("detail", agency, item.pk)
        assert item.status == ItemStatus.DRAFT and item.unit == staff["unit"] and item.created_by == staff["provider"]
        assert item.document_number == "测工信〔2025〕12号"
        assert "<script" not in item.body and "onclick" not in item.body and "<li>第一条</li>" in item.body
        html = client.get(response["Location"]).content.decode()
        assert "<ul><li>第一条</li></ul>" in html  # the sanitized body is rendered as HTML
        assert "草稿已保存" in html

    def test_errors_are_tied_to_fields_in_chinese(self, client, agency, staff):
        client.force_login(staff["provider"])
        response = client.post(url("create", agency), form_post(
            agency, staff, title="", abstract="长" * 101, formed_on="2025-13-01", unit=staff["other_unit"].pk))
        html = response.content.decode()
        assert response.status_code == 400 and not Item.objects.exists()
        assert "请填写标题。" in html and "内容概述最多100个字，当前101个字。" in html
        assert "成文日期格式不正确" in html and "所选的提供股室无效" in html
        assert 'aria-invalid="true"' in html and 'id="id_title_error"' in html
        assert 'aria-describedby="id_title_error"' in html
        assert 'class="error-summary"' in html and 'href="#id_title"' in html

    def test_model_rules_come_back_as_field_errors(self, client, agency, staff):
        client.force_login(staff["provider"])
        response = client.post(url("create", agency), form_post(
            agency, staff, validity="abolished", abolished_on=""))
        assert response.status_code == 400
        assert "已废止或失效的文件须填写废止日期。" in response.content.decode()

    def test_interpretation_links_to_a_published_document(self, client, agency, staff):
        doc = published(agency, staff, title="被解读的办法")
        client.force_login(staff["provider"])
        bad = client.post(url("create", agency), form_post(agency, staff, interprets=doc.pk, genre="notice"))
        assert "体裁应为“政策解读”" in bad.content.decode()
        response = client.post(url("create", agency), form_post(
            agency, staff, title="《办法》政策解读", interprets=doc.pk, genre="interpretation"))
        interpretation = Item.objects.get(title="《办法》政策解读")
        assert response.status_code == 302 and interpretation.interprets == doc
        html = client.get(url("detail", agency, interpretation.pk)).content.decode()
        assert f'href="{url("detail", agency, doc.pk)}"' in html and "本文解读" in html
        client.force_login(staff["publisher"])
        html = client.get(url("detail", agency, doc.pk)).content.decode()
        assert f'href="{url("detail", agency, interpretation.pk)}"' in html and "本文件的解读" in html

    def test_attachments_checked_one_by_one_and_the_rest_kept(self, client, agency, staff):
        client.force_login(staff["provider"])
        page = client.get(url("create", agency)).content.decode()
        key = page.split('name="submission_key" value="')[1].split('"')[0]
        files = [SimpleUploadedFile("办法.pdf", PDF), SimpleUploadedFile("病毒.pdf", b"MZ\x90\x00not a pdf"),
                 SimpleUploadedFile("假的.docx", PDF)]
        response = client.post(url("create", agency), {**form_post(agency, staff, keywords="保留的关键词"),
                                                         "submission_key": key, "attachments": files})
        html = response.content.decode()
        assert response.status_code == 400 and not Item.objects.exists()
        assert "文件“病毒.pdf”的内容不是可接受的格式" in html
        assert "文件“假的.docx”的扩展名与其内容（PDF）不符。" in html
        assert 'value="保留的关键词"' in html and "办法.pdf" in html and "已暂存的文件" in html
        kept = html.split('name="kept_files" value="')[1].split('"')[0]
        response = client.post(url("create", agency), {**form_post(agency, staff), "submission_key": key,
                                                         "kept_files": [kept]})
        item = Item.objects.get()
        assert response.status_code == 302
        [attachment] = item.attachments.all()
        assert attachment.title == "办法.pdf" and attachment.content_type == "application/pdf"
        assert [e.action for e in audit_trail(target=item)] == ["item.create", "item.attach"]

    def test_edit_a_draft_and_add_files(self, client, agency, staff):
        item = draft(agency, staff)
        client.force_login(staff["provider"])
        html = client.get(url("edit", agency, item.pk)).content.decode()
        assert f'value="{TITLE}"' in html and "测工信〔2025〕12号" in html
        response = client.post(url("edit", agency, item.pk), {
            **form_post(agency, staff, title="修改后的标题"), "attachments": [SimpleUploadedFile("附件.pdf", PDF)]})
        assert response.status_code == 302
        item.refresh_from_db()
        assert item.title == "修改后的标题" and item.attachments.count() == 1
        update = [e for e in audit_trail(target=item) if e.action == "item.update"][0]
        assert "title" in update.data["fields"]

    def test_submitted_items_are_not_edited(self, client, agency, staff):
        item = advance(draft(agency, staff), staff, "submitted")
        client.force_login(staff["provider"])
        response = client.get(url("edit", agency, item.pk))
        assert response.status_code == 302 and response["Location"] == url("detail", agency, item.pk)
        assert "不能直接修改" in client.get(response["Location"]).content.decode()

    def test_attachment_download(self, client, agency, staff):
        item = published(agency, staff)
        attachment = attachment_add(user=staff["publisher"], item=item, name="附件一.pdf", content=PDF)
        client.force_login(staff["supervisor"])
        response = client.get(url("attachment", agency, item.pk, attachment.pk))
        assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
        assert "attachment" in response["Content-Disposition"] and response["Cache-Control"] == "private, no-store"
        other = published(agency, staff, title="另一条")
        assert client.get(url("attachment", agency, other.pk, attachment.pk)).status_code == 404


# --- the detail page and the actions ---------------------------------------------------


def post_action(client, agency, item, code, **data):
    return client.post(url("action", agency, item.pk, code), {f"{code}-{k}": v for k, v in data.items()})


@pytest.mark.django_db
class TestDetailAndActions:
    def test_the_whole_chain_through_the_pages(self, client, agency, staff):
        item = draft(agency, staff)
        client.force_login(staff["provider"])
        html = client.get(url("detail", agency, item.pk)).content.decode()
        assert "提交审核" in html and "审核通过" not in html and "修改草稿" in html
        assert post_action(client, agency, item, "submit", note="请审核").status_code == 302

        client.force_login(staff["reviewer"])
        html = client.get(url("detail", agency, item.pk)).content.decode()
        assert "不涉及国家秘密" in html and "保密审查意见" in html and "退回修改" in html
        response = post_action(client, agency, item, "approve", review_note="经审查不涉密")
        assert response.status_code == 400
        assert "保密审查未确认不涉密的信息不得公开" in response.content.decode()
        assert 'id="id_approve-no_secrets_error"' in response.content.decode()
        assert post_action(client, agency, item, "approve", no_secrets="on",
                           review_note="经审查，不涉及国家秘密").status_code == 302

        client.force_login(staff["publisher"])
        html = client.get(url("detail", agency, item.pk)).content.decode()
        for channel in ("政府网站信息公开专栏", "政务微信公众号", "政务公开栏", "办事服务指南"):
            assert channel in html
        response = post_action(client, agency, item, "publish", channels=["website", "wechat"])
        assert response.status_code == 302
        item.refresh_from_db()
        assert item.status == ItemStatus.PUBLISHED and item.channels == ["website", "wechat"]
        html = client.get(url("detail", agency, item.pk)).content.decode()
        assert item.index_number in html and f"索引号 {item.index_number}" in html
        for label in ("索引号", "发布机构", "文号", "成文日期", "发布日期", "有效性", "主题分类"):
            assert f'<th scope="row">{label}</th>' in html
        assert agency.name in html and "经审查，不涉及国家秘密" in html and "钱审核" in html and "王发布" in html
        for step in ("创建草稿", "提交审核", "审核通过", "发布"):
            assert f'<th scope="row">{step}</th>' in html
        assert "请审核" in html  # the note given with the submission
        assert "修改已发布信息" in html and "撤回" in html

    def test_return_with_comments(self, client, agency, staff):
        item = advance(draft(agency, staff), staff, "submitted")
        client.force_login(staff["reviewer"])
        response = post_action(client, agency, item, "return", comments="")
        assert response.status_code == 400 and "请写明退回的理由和修改意见。" in response.content.decode()
        assert post_action(client, agency, item, "return", comments="文号有误").status_code == 302
        client.force_login(staff["provider"])
        html = client.get(url("detail", agency, item.pk)).content.decode()
        assert "退回修改" in html and "退回意见：文号有误" in html
        assert '<dd class="returned">文号有误</dd>' in html

    def test_schedule(self, client, agency, staff):
        item = advance(draft(agency, staff), staff, "approved")
        client.force_login(staff["publisher"])
        past = post_action(client, agency, item, "schedule", scheduled_for="2020-01-01T09:00", channels=["website"])
        assert past.status_code == 400 and "定时发布时间应晚于现在。" in past.content.decode()
        when = timezone.localtime() + timedelta(days=1)
        response = post_action(client, agency, item, "schedule", scheduled_for=when.strftime("%Y-%m-%dT%H:%M"),
                               channels=["website", "bulletin_board"])
        assert response.status_code == 302
        item.refresh_from_db()
        assert item.status == ItemStatus.SCHEDULED and item.channels == ["website", "bulletin_board"]
        assert when.strftime("%Y-%m-%d %H:%M") in client.get(url("detail", agency, item.pk)).content.decode()

    def test_publish_needs_a_channel(self, client, agency, staff):
        item = advance(draft(agency, staff), staff, "approved")
        client.force_login(staff["publisher"])
        response = post_action(client, agency, item, "publish")
        assert response.status_code == 400 and "请至少选择一个发布渠道。" in response.content.decode()

    def test_withdraw_keeps_a_version(self, client, agency, staff):
        item = published(agency, staff)
        client.force_login(staff["publisher"])
        assert post_action(client, agency, item, "withdraw", reason="").status_code == 400
        assert post_action(client, agency, item, "withdraw", reason="文件已失效").status_code == 302
        item.refresh_from_db()
        assert item.status == ItemStatus.WITHDRAWN
        html = client.get(url("detail", agency, item.pk)).content.decode()
        assert "文件已失效" in html and url("version", agency, item.pk, 1) in html

    def test_amend_through_its_page(self, client, agency, staff):
        item = published(agency, staff)
        client.force_login(staff["publisher"])
        page = client.get(url("amend", agency, item.pk)).content.decode()
        assert f'value="{TITLE}"' in page and "修改理由" in page and "电力执法股" in page
        data = {f"amend-{k}": v for k, v in form_post(agency, staff).items()}
        data.update({"amend-title": "更正后的标题", "amend-formed_on": item.formed_on.isoformat(),
                     "amend-body": item.body, "amend-document_number": item.document_number})
        refused = client.post(url("action", agency, item.pk, "amend"), data)
        assert refused.status_code == 400 and "请写明修改理由。" in refused.content.decode()
        assert "修改已发布信息" in refused.content.decode()
        data["amend-reason"] = "标题有误"
        response = client.post(url("action", agency, item.pk, "amend"), data)
        assert response.status_code == 302
        item.refresh_from_db()
        assert item.title == "更正后的标题" and item.version == 2 and item.status == ItemStatus.PUBLISHED
        [old] = ItemVersion.objects.filter(item=item)
        html = client.get(url("detail", agency, item.pk)).content.decode()
        assert "标题有误" in html and "第 1 版" in html and "当前为第 2 版" in html
        version = client.get(url("version", agency, item.pk, old.version)).content.decode()
        assert TITLE in version and "标题有误" in version and "经济运行股" in version and DRAFT_SECRET in version
        assert client.get(url("version", agency, item.pk, 9)).status_code == 404

    def test_amend_page_refuses_unpublished_items(self, client, agency, staff):
        item = advance(draft(agency, staff), staff, "approved")
        client.force_login(staff["publisher"])
        response = client.get(url("amend", agency, item.pk))
        assert response.status_code == 302 and response["Location"] == url("detail", agency, item.pk)

    def test_refused_when_the_state_changed_meanwhile(self, client, agency, staff):
        item = advance(draft(agency, staff), staff, "approved")
        client.force_login(staff["reviewer"])
        response = post_action(client, agency, item, "approve", no_secrets="on", review_note="重复审核")
        assert response.status_code == 400
        assert "信息当前为“审核通过，待发布”，不能审核通过。" in response.content.decode()

    def test_forbidden_and_unknown_actions(self, client, agency, staff):
        item = advance(draft(agency, staff), staff, "approved")
        client.force_login(staff["reviewer"])
        assert post_action(client, agency, item, "publish", channels=["website"]).status_code == 403
        assert post_action(client, agency, item, "explode").status_code == 404
        assert client.get(url("action", agency, item.pk, "publish")).status_code == 405
        item.refresh_from_db()
        assert item.status == ItemStatus.APPROVED

    def test_body_is_rendered_but_nothing_else_is_trusted(self, client, agency, staff):
        item = published(agency, staff, title='<b>粗体标题</b>', keywords="<script>k()</script>",
                         body='<p><strong>重点</strong><a href="javascript:alert(1)">链接</a></p>')
        client.force_login(staff["publisher"])
        html = client.get(url("detail", agency, item.pk)).content.decode()
        assert "<strong>重点</strong>" in html and "javascript:" not in html
        assert "&lt;b&gt;粗体标题&lt;/b&gt;" in html and "&lt;script&gt;k()&lt;/script&gt;" in html

    def test_a_body_stored_by_another_writer_is_cleaned_on_display(self, client, agency, staff):
        item = Item.objects.create(agency=agency, unit=staff["unit"], title="导入的信息", formed_on=today(),
                                   body='<p>导入<img src=x onerror="steal()"></p><script>steal()</script>')
        client.force_login(staff["publisher"])
        html = client.get(url("detail", agency, item.pk)).content.decode()
        assert "<p>导入<img src=\"x\"></p>" in html and "steal()" not in html

    def test_every_action_has_a_form_whose_params_match_run(self, agency, staff):
        import inspect

        assert set(ACTION_FORMS) == set(wf.ACTIONS)
        for code, cls in wf.ACTIONS.items():
            accepted = set(inspect.signature(cls.apply).parameters) - {"self"}
            form = ACTION_FORMS[code]
            declared = set(getattr(form, "params_fields", ())) or ({"changes", "reason"} if code == "amend" else set())
            assert declared == accepted, code

    def test_item_form_covers_every_content_field(self):
        assert set(wf.CONTENT_FIELDS) <= set(ItemForm.base_fields)


# --- the WeChat export ----------------------------------------------------------------------


@pytest.mark.django_db
class TestWechatExport:
    def test_csv_with_bom_and_json(self, client, agency, staff, settings):
        settings.GONGKAI_PUBLIC_BASE_URL = "https://xxgk.example.gov.cn/"
        item = published(agency, staff, abstract="", body="<p>" + "正文内容" * 40 + "</p>")
        advance(draft(agency, staff, title="旧的信息", formed_on=date(2024, 1, 2)), staff, "published",
                day=date(2024, 1, 5))
        client.force_login(staff["publisher"])
        since = (today() - timedelta(days=1)).isoformat()
        response = client.get(url("wechat_export", agency) + f"?since={since}&format=csv")
        assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
        assert response.content.startswith(b"\xef\xbb\xbf")
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert rows[0][:3] == ["标题", "摘要", "链接"] and len(rows) == 2
        assert rows[1][0] == TITLE and rows[1][1] == ("正文内容" * 25)
        assert rows[1][2] == f"https://xxgk.example.gov.cn/{agency.code}/items/{item.pk}/"
        response = client.get(url("wechat_export", agency) + f"?since={since}&format=json")
        payload = json.loads(response.content)
        assert response["Content-Disposition"].endswith('.json"')
        assert [i["title"] for i in payload["items"]] == [TITLE] and payload["items"][0]["index_number"]
        page = client.get(url("wechat_export", agency) + "?since=2024-01-01").content.decode()
        assert "旧的信息" in page and TITLE in page and "共 2 条" in page

    def test_bad_date(self, client, agency, staff):
        client.force_login(staff["publisher"])
        response = client.get(url("wechat_export", agency) + "?since=yesterday&format=csv")
        assert response.status_code == 400 and "发布日期自格式不正确" in response.content.decode()
        assert client.get(url("wechat_export", agency)).status_code == 200
        assert client.get(url("wechat_export", agency) + "?since=2024-01-01&format=xml").status_code == 404


def test_genre_choices_have_interpretation():
    assert Genre.INTERPRETATION in Genre.values
