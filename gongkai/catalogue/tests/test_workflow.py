"""The publication chain: every transition and permission, 索引号, timeliness, versions and the sanitizer."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import User

from gongkai.agencies.models import Membership, Role, Unit
from gongkai.agencies.workdays import WorkingDayCalendar
from gongkai.audit.selectors import audit_trail
from gongkai.catalogue import workflow as wf
from gongkai.catalogue.models import DocumentType, Item, ItemStatus
from gongkai.catalogue.services import attachment_add, item_create, item_update
from gongkai.reports.selectors import agency_report

CALENDAR = WorkingDayCalendar()
TZ = ZoneInfo("Asia/Shanghai")


def person(agency, name, role, unit=None):
    user = User.objects.create_user(name, password="a-long-password-1")
    Membership.objects.create(user=user, agency=agency, role=role, unit=unit)
    return user


@pytest.fixture
def chain(agency):
    economy = Unit.objects.create(agency=agency, name="经济运行股")
    power = Unit.objects.create(agency=agency, name="电力执法股")
    office = Unit.objects.create(agency=agency, name="办公室")
    return {
        "unit": economy,
        "provider": person(agency, "provider", Role.PROVIDER, economy),
        "reviewer": person(agency, "reviewer", Role.REVIEWER, economy),
        "other_reviewer": person(agency, "other_reviewer", Role.REVIEWER, power),
        "publisher": person(agency, "publisher", Role.PUBLISHER, office),
    }


def draft(agency, chain, **data):
    fields = {"title": "关于印发《仙游县工业企业技术改造专项资金管理办法》的通知", "unit": chain["unit"],
              "document_type": DocumentType.NORMATIVE_DOCUMENT, "document_number": "仙工信〔2025〕12号",
              "formed_on": date(2025, 3, 3), "body": "<p>各有关企业：</p>", "abstract": "技改资金管理办法"}
    fields.update(data)
    return item_create(user=chain["provider"], agency=agency, data=fields)


def act(cls, item, user, today, **params):
    return cls(item, user=user, today=today, calendar=CALENDAR).run(**params)


def publish(agency, chain, today=date(2025, 3, 10), **data):
    item = draft(agency, chain, **data)
    act(wf.Submit, item, chain["provider"], today)
    act(wf.Approve, item, chain["reviewer"], today, no_secrets=True, review_note="经审查，不涉及国家秘密")
    return act(wf.Publish, item, chain["publisher"], today, channels=["website", "wechat"])


@pytest.mark.django_db
class TestChain:
    def test_provide_review_publish(self, agency, chain):
        item = publish(agency, chain)
        assert item.status == ItemStatus.PUBLISHED
        assert item.published_on == date(2025, 3, 10) and item.channels == ["website", "wechat"]
        assert item.index_number == f"{agency.code}/2025-00001"
        assert (item.reviewed_by, item.published_by) == (chain["reviewer"], chain["publisher"])
        assert not item.late
        steps = [(e.action, e.from_state, e.to_state) for e in audit_trail(target=item)]
        assert steps == [("item.create", "", "draft"), ("item.submit", "draft", "submitted"),
                         ("item.approve", "submitted", "approved"), ("item.publish", "approved", "published")]

    def test_reviewer_of_another_unit_may_not_review(self, agency, chain):
        item = draft(agency, chain)
        act(wf.Submit, item, chain["provider"], date(2025, 3, 4))
        with pytest.raises(wf.ActionForbidden):
            act(wf.Approve, item, chain["other_reviewer"], date(2025, 3, 4), no_secrets=True, review_note="x")

    def test_confidentiality_review_is_required(self, agency, chain):
        item = draft(agency, chain)
        act(wf.Submit, item, chain["provider"], date(2025, 3, 4))
        with pytest.raises(wf.ActionRefused, match="保密审查"):
            act(wf.Approve, item, chain["reviewer"], date(2025, 3, 4), no_secrets=False, review_note="x")
        with pytest.raises(wf.ActionRefused, match="保密审查意见"):
            act(wf.Approve, item, chain["reviewer"], date(2025, 3, 4), no_secrets=True, review_note=" ")

    def test_provider_cannot_review_own_item(self, agency, chain):
        both = person(agency, "both", Role.PROVIDER, chain["unit"])
        Membership.objects.create(user=both, agency=agency, role=Role.REVIEWER, unit=chain["unit"])
        item = item_create(user=both, agency=agency, data={"title": "x", "unit": chain["unit"],
                                                             "formed_on": date(2025, 3, 3), "body": "<p>x</p>"})
        act(wf.Submit, item, both, date(2025, 3, 4))
        with pytest.raises(wf.ActionRefused, match="自己"):
            act(wf.Approve, item, both, date(2025, 3, 4), no_secrets=True, review_note="x")

    def test_return_with_comments_then_resubmit(self, agency, chain):
        item = draft(agency, chain)
        act(wf.Submit, item, chain["provider"], date(2025, 3, 4))
        with pytest.raises(wf.ActionRefused, match="理由"):
            act(wf.Return, item, chain["reviewer"], date(2025, 3, 4), comments="")
        act(wf.Return, item, chain["reviewer"], date(2025, 3, 4), comments="文号有误")
        assert item.status == ItemStatus.RETURNED
        item_update(user=chain["provider"], item=item, data={"document_number": "仙工信〔2025〕13号"})
        act(wf.Submit, item, chain["provider"], date(2025, 3, 5))
        assert item.status == ItemStatus.SUBMITTED and item.document_number == "仙工信〔2025〕13号"

    def test_roles_for_each_step(self, agency, chain):
        item = draft(agency, chain)
        with pytest.raises(wf.ActionForbidden):
            act(wf.Submit, item, chain["publisher"], date(2025, 3, 4))
        act(wf.Submit, item, chain["provider"], date(2025, 3, 4))
        with pytest.raises(wf.ActionForbidden):
            act(wf.Approve, item, chain["provider"], date(2025, 3, 4), no_secrets=True, review_note="x")
        act(wf.Approve, item, chain["reviewer"], date(2025, 3, 4), no_secrets=True, review_note="不涉密")
        for user in (chain["provider"], chain["reviewer"]):
            with pytest.raises(wf.ActionForbidden):
                act(wf.Publish, item, user, date(2025, 3, 4), channels=["website"])
        with pytest.raises(wf.ActionRefused, match="发布渠道"):
            act(wf.Publish, item, chain["publisher"], date(2025, 3, 4), channels=[])
        with pytest.raises(wf.ActionRefused) as e:
            act(wf.Submit, item, chain["provider"], date(2025, 3, 4))
        assert e.value.reason == "信息当前为“审核通过，待发布”，不能提交审核。"

    def test_other_agency_staff_can_do_nothing(self, agency, chain, other_agency):
        stranger = person(other_agency, "stranger", Role.PUBLISHER)
        item = draft(agency, chain)
        act(wf.Submit, item, chain["provider"], date(2025, 3, 4))
        act(wf.Approve, item, chain["reviewer"], date(2025, 3, 4), no_secrets=True, review_note="不涉密")
        with pytest.raises(wf.ActionForbidden):
            act(wf.Publish, item, stranger, date(2025, 3, 4), channels=["website"])
        assert wf.available_actions(item, user=stranger, today=date(2025, 3, 4)) == []

    def test_scheduled_publication(self, agency, chain):
        item = draft(agency, chain)
        act(wf.Submit, item, chain["provider"], date(2025, 3, 4))
        act(wf.Approve, item, chain["reviewer"], date(2025, 3, 4), no_secrets=True, review_note="不涉密")
        with pytest.raises(wf.ActionRefused, match="晚于现在"):
            act(wf.Schedule, item, chain["publisher"], date(2025, 3, 4),
                scheduled_for=datetime(2020, 1, 1, tzinfo=TZ), channels=["website"])
        when = datetime.now(TZ) + timedelta(hours=2)
        act(wf.Schedule, item, chain["publisher"], date(2025, 3, 4), scheduled_for=when, channels=["website"])
        assert item.status == ItemStatus.SCHEDULED and item.index_number is None
        assert wf.publish_due(now=when - timedelta(minutes=1), calendar=CALENDAR) == []
        [published] = wf.publish_due(now=when + timedelta(minutes=1), calendar=CALENDAR)
        item.refresh_from_db()
        assert item.status == ItemStatus.PUBLISHED and item.index_number and item.published_on == when.date()
        assert item.published_by == chain["publisher"]
        assert wf.publish_due(now=when + timedelta(minutes=2), calendar=CALENDAR) == []


@pytest.mark.django_db
class TestPublishedItems:
    def test_late_publication_is_flagged(self, agency, chain):
        # Formed 2025-01-20; 20 working days later is 2025-02-21 (DOMAIN.md §1.3).
        on_time = publish(agency, chain, today=date(2025, 2, 21), formed_on=date(2025, 1, 20))
        late = publish(agency, chain, today=date(2025, 2, 24), formed_on=date(2025, 1, 20))
        assert (on_time.late, late.late) == (False, True)

    def test_amend_keeps_the_earlier_version(self, agency, chain):
        item = publish(agency, chain)
        with pytest.raises(wf.ActionRefused, match="修改理由"):
            act(wf.Amend, item, chain["publisher"], date(2025, 3, 12), changes={"title": "新标题"}, reason="")
        with pytest.raises(wf.ActionRefused, match="不能修改"):
            act(wf.Amend, item, chain["publisher"], date(2025, 3, 12), changes={"index_number": "x"}, reason="x")
        act(wf.Amend, item, chain["publisher"], date(2025, 3, 12),
            changes={"title": "关于印发《仙游县工业企业技术改造专项资金管理办法（修订）》的通知",
                     "body": '<p onclick="steal()">修订后全文</p>'}, reason="附件更正")
        assert item.version == 2 and item.body == "<p>修订后全文</p>"
        [old] = item.versions.all()
        assert old.version == 1 and old.data["title"].startswith("关于印发《仙游县工业企业技术改造专项资金管理办法》")
        assert old.reason == "附件更正"
        assert item.index_number == f"{agency.code}/2025-00001"

    def test_withdrawal_is_kept_and_uncounted(self, agency, chain):
        item = publish(agency, chain)
        assert agency_report(agency=agency, year=2025).cells["proactive.normative_documents.issued"] == 1
        with pytest.raises(wf.ActionForbidden):
            act(wf.Withdraw, item, chain["provider"], date(2025, 3, 12), reason="x")
        act(wf.Withdraw, item, chain["publisher"], date(2025, 3, 12), reason="文件已被上级撤销")
        assert item.status == ItemStatus.WITHDRAWN and item.versions.count() == 1
        assert agency_report(agency=agency, year=2025).cells["proactive.normative_documents.issued"] == 0
        # The number stays with the withdrawn item: the next item gets a new one.
        assert publish(agency, chain).index_number == f"{agency.code}/2025-00002"

    def test_index_pattern_is_an_agency_setting(self, agency, chain):
        agency.organisation_code, agency.index_pattern = "0142768-8", "{code}/{year}-{seq:05d}"
        agency.save()
        assert publish(agency, chain).index_number == "0142768-8/2025-00001"
        agency.index_pattern = "{code}-{year}-{seq:04d}"
        agency.save()
        assert publish(agency, chain).index_number == "0142768-8-2025-0002"


@pytest.mark.django_db
class TestDraftsAndSanitizer:
    @pytest.mark.parametrize("dirty,clean", [
        ("<p>正文<script>alert(1)</script></p>", "<p>正文</p>"),
        ('<p onclick="alert(1)" onmouseover="x()">正文</p>', "<p>正文</p>"),
        ('<a href="javascript:alert(1)">链接</a>', '<a rel="noopener noreferrer">链接</a>'),
        ('<a href="JaVaScRiPt:alert(1)">链接</a>', '<a rel="noopener noreferrer">链接</a>'),
        ('<img src="x.png" onerror="alert(1)">', '<img src="x.png">'),
        ('<iframe src="https://evil.example"></iframe><p>留下</p>', "<p>留下</p>"),
        ('<a href="https://www.xianyou.gov.cn/">县政府</a>',
         '<a href="https://www.xianyou.gov.cn/" rel="noopener noreferrer">县政府</a>'),
        ("<table><tr><td colspan=\"2\">表格</td></tr></table>",
         '<table><tbody><tr><td colspan="2">表格</td></tr></tbody></table>'),
    ])
    def test_body_is_sanitized_on_save(self, agency, chain, dirty, clean):
        item = draft(agency, chain, body=dirty)
        assert Item.objects.get(pk=item.pk).body == clean

    def test_only_providers_of_the_unit_draft(self, agency, chain):
        with pytest.raises(wf.ActionForbidden):
            item_create(user=chain["reviewer"], agency=agency,
                        data={"title": "x", "unit": chain["unit"], "formed_on": date(2025, 3, 3)})

    def test_published_items_are_not_edited_directly(self, agency, chain):
        item = publish(agency, chain)
        with pytest.raises(wf.ActionRefused, match="不能直接修改"):
            item_update(user=chain["provider"], item=item, data={"title": "y"})

    def test_attachment_checked_by_content_with_text_extracted(self, agency, chain):
        import io

        import docx
        from django.core.exceptions import ValidationError

        document = docx.Document()
        document.add_paragraph("技术改造专项资金补助名单")
        buffer = io.BytesIO()
        document.save(buffer)
        item = draft(agency, chain)
        attachment = attachment_add(user=chain["provider"], item=item, name="补助名单.docx",
                                    content=buffer.getvalue())
        assert "技术改造专项资金补助名单" in attachment.text
        with pytest.raises(ValidationError, match="扩展名与其内容"):
            attachment_add(user=chain["provider"], item=item, name="补助名单.pdf", content=buffer.getvalue())


@pytest.mark.django_db
def test_table_two_rows_from_items_with_known_validity(agency, chain):
    """规章 and 行政规范性文件 rows in both formats from items with known dates (no second entry)."""
    def normative(formed, published, abolished=None, kind=DocumentType.NORMATIVE_DOCUMENT):
        return Item.objects.create(agency=agency, title="x", document_type=kind, formed_on=formed,
                                   published_on=published, abolished_on=abolished, status=ItemStatus.PUBLISHED,
                                   validity="abolished" if abolished else "valid")

    normative(date(2019, 12, 20), date(2020, 1, 6))  # made 2019, published 2020
    normative(date(2020, 5, 6), date(2020, 5, 12), abolished=date(2022, 6, 30))
    normative(date(2020, 8, 1), date(2020, 8, 3), abolished=date(2020, 12, 31))
    normative(date(2022, 3, 1), date(2022, 3, 8))
    normative(date(2021, 7, 1), date(2021, 7, 2), kind=DocumentType.REGULATION)
    Item.objects.create(agency=agency, title="draft", document_type=DocumentType.NORMATIVE_DOCUMENT,
                        formed_on=date(2022, 5, 1))
    proactive = lambda year: {k.split(".", 1)[1]: v for k, v in agency_report(agency=agency, year=year).cells.items()  # noqa: E731
                              if k.startswith("proactive.regulations") or k.startswith("proactive.normative")}
    assert proactive(2020) == {
        "regulations.new_made": 0, "regulations.new_published": 0, "regulations.total_published": 0,
        "normative_documents.new_made": 2, "normative_documents.new_published": 3,
        "normative_documents.total_published": 2,
    }
    assert proactive(2022) == {
        "regulations.issued": 0, "regulations.abolished": 0, "regulations.in_force": 1,
        "normative_documents.issued": 1, "normative_documents.abolished": 1, "normative_documents.in_force": 2,
    }
    assert agency_report(agency=agency, year=2022).checks == []
