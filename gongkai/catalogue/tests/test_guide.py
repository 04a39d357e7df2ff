"""The 政府信息公开指南: each content 第十二条 requires, phone and fax formats, saving and completeness."""

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError

from gongkai.agencies.models import Membership, Role
from gongkai.audit.models import AuditEntry
from gongkai.audit.transitions import ActionForbidden
from gongkai.catalogue.guide import guide_completeness, guide_problems, guide_save, phone_valid
from gongkai.catalogue.models import Guide

COMPLETE = {
    "classification": "本机关主动公开的政府信息分为机构信息、政策文件、规划计划……按主题分类，同类信息按发布日期倒序排列。",
    "how_to_obtain": "通过仙游县人民政府网站“政府信息公开”专栏查阅；也可到县档案馆、县图书馆查阅。",
    "office_name": "仙游县工业和信息化局办公室",
    "office_address": "福建省莆田市仙游县鲤城街道八二五大街行政服务中心",
    "postal_code": "351200",
    "office_hours": "工作日上午8:00—12:00，下午15:00—18:00",
    "phone": "0594-8292450",
    "fax": "0594-8292450",
    "email": "xygxj@example.gov.cn",
    "website": "",
}


def person(agency, name, role):
    user = User.objects.create_user(name, password="a-long-password-1")
    Membership.objects.create(user=user, agency=agency, role=role)
    return user


class TestProblems:
    def test_a_complete_guide_has_none(self):
        assert guide_problems(COMPLETE) == {}

    @pytest.mark.parametrize("field,label", [
        ("classification", "信息分类和编排体系"),
        ("how_to_obtain", "获取信息的方式"),
        ("office_name", "政府信息公开工作机构名称"),
        ("office_address", "办公地址"),
        ("office_hours", "办公时间"),
        ("phone", "联系电话"),
        ("fax", "传真号码"),
    ])
    def test_each_required_content_is_named(self, field, label):
        assert guide_problems({**COMPLETE, field: "  "}) == {field: f"缺少{label}（第十二条规定指南应当写明）。"}

    def test_internet_contact_email_or_website(self):
        assert guide_problems({**COMPLETE, "email": ""}) == {
            "email": "缺少互联网联系方式：请至少填写电子邮箱或网址之一（第十二条）。"}
        assert guide_problems({**COMPLETE, "email": "", "website": "https://www.xianyou.gov.cn/"}) == {}

    @pytest.mark.parametrize("value,as_phone,as_fax", [
        ("0594-8292450", True, True),
        ("0594 8292450", True, True),
        ("(0594)8292450", True, True),
        ("（0594）8292450", True, True),
        ("０５９４－８２９２４５０", True, True),
        ("0594—8292450", True, True),
        ("010-65123456", True, True),
        ("0594-8292450转801", True, True),
        ("13905941234", True, False),
        ("0594-8292450、13905941234", True, False),
        ("8292450", False, False),  # no area code
        ("12345", False, False),
        ("0594-829245", False, False),
        ("1390594123", False, False),
        ("电话", False, False),
    ])
    def test_phone_and_fax_formats(self, value, as_phone, as_fax):
        assert phone_valid(value) is as_phone
        assert phone_valid(value, mobile=False) is as_fax
        problems = guide_problems({**COMPLETE, "phone": value, "fax": value})
        assert ("phone" in problems) is not as_phone
        assert ("fax" in problems) is not as_fax

    def test_postal_code(self):
        assert guide_problems({**COMPLETE, "postal_code": "35120"}) == {"postal_code": "邮政编码应为6位数字。"}

    def test_completeness_of_no_guide_lists_everything(self):
        missing = guide_completeness(None)
        assert len(missing) == 8
        assert missing[0] == "缺少信息分类和编排体系（第十二条规定指南应当写明）。"
        assert any("传真号码" in m for m in missing) and any("互联网联系方式" in m for m in missing)


@pytest.mark.django_db
class TestGuideSave:
    def test_save_creates_then_updates_and_audits(self, agency):
        publisher = person(agency, "publisher", Role.PUBLISHER)
        guide = guide_save(user=publisher, agency=agency, data={**COMPLETE, "phone": "０５９４－８２９２４５０"})
        assert guide.phone == "0594-8292450" and guide.updated_by == publisher
        assert guide_completeness(guide) == []
        guide_save(user=publisher, agency=agency, data={**COMPLETE, "office_hours": "工作日 8:00—17:30"})
        assert Guide.objects.get(agency=agency).office_hours == "工作日 8:00—17:30"
        trail = AuditEntry.objects.filter(action="guide.save", agency=agency).order_by("pk")
        assert [e.data for e in trail] == [{"created": True, "fields": sorted(f for f, v in COMPLETE.items() if v)},
                                           {"created": False, "fields": ["office_hours"]}]

    def test_every_problem_at_once_and_nothing_saved(self, agency):
        admin = person(agency, "admin", Role.AGENCY_ADMIN)
        with pytest.raises(ValidationError) as e:
            guide_save(user=admin, agency=agency, data={**COMPLETE, "classification": "", "fax": "8292450",
                                                          "email": "", "website": "not a url"})
        errors = e.value.message_dict
        assert set(errors) == {"classification", "fax", "website"}  # a website is given, if malformed
        assert errors["fax"] == ["传真号码格式不正确：应为带区号的固定电话，如 0594-8292450。"]
        assert not Guide.objects.exists() and not AuditEntry.objects.exists()

    def test_malformed_email(self, agency):
        admin = person(agency, "admin", Role.AGENCY_ADMIN)
        with pytest.raises(ValidationError) as e:
            guide_save(user=admin, agency=agency, data={**COMPLETE, "email": "xygxj@"})
        assert set(e.value.message_dict) == {"email"}

    @pytest.mark.parametrize("role", [Role.PROVIDER, Role.REVIEWER, Role.HANDLER, Role.REGISTRAR])
    def test_only_admins_and_publishers(self, agency, role):
        with pytest.raises(ActionForbidden):
            guide_save(user=person(agency, "user", role), agency=agency, data=COMPLETE)

    def test_staff_of_another_agency(self, agency, other_agency):
        with pytest.raises(ActionForbidden):
            guide_save(user=person(other_agency, "outsider", Role.AGENCY_ADMIN), agency=agency, data=COMPLETE)

    def test_completeness_of_an_older_guide(self, agency):
        guide = Guide.objects.create(agency=agency, **{**COMPLETE, "fax": "", "email": ""})
        assert guide_completeness(guide) == [
            "缺少传真号码（第十二条规定指南应当写明）。",
            "缺少互联网联系方式：请至少填写电子邮箱或网址之一（第十二条）。",
        ]
