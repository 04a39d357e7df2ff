"""Masking of applicants' personal data, and who sees it in full (``masking`` module docstring)."""

import pytest
from django.contrib.auth.models import AnonymousUser, User

from gongkai.agencies.models import Role
from gongkai.applications.forms import normalise_phone, phone_error, resident_id_error
from gongkai.applications.masking import (
    MaskedApplicant,
    mask_address,
    mask_email,
    mask_identity_number,
    mask_name,
    mask_phone,
    may_see_personal_data,
)
from gongkai.applications.models import Application


@pytest.mark.parametrize("value,masked", [
    ("350322199001011234", "350322********1234"),
    ("11010519491231002X", "110105********002X"),
    ("91350322MA2YXXXX1Q", "913503********XX1Q"),  # 统一社会信用代码
    ("E12345678", "*******78"),  # a passport: short values keep their last 2
    ("H1234567", "******67"),
    ("12", "**"),
    ("", ""),
    ("  350322199001011234 ", "350322********1234"),
])
def test_mask_identity_number(value, masked):
    assert mask_identity_number(value) == masked


@pytest.mark.parametrize("value,masked", [
    ("13812345678", "138****5678"),
    ("0594-1234567", "0594-***4567"),
    ("021-87654321", "021-****4321"),
    ("05941234567", "059****4567"),
    ("123456", "****56"),
    ("", ""),
])
def test_mask_phone(value, masked):
    assert mask_phone(value) == masked


@pytest.mark.parametrize("value,masked", [
    ("zhangsan@example.com", "z***@example.com"),
    ("a@b.cn", "a***@b.cn"),
    ("", ""),
    ("not-an-email", "************"),
])
def test_mask_email(value, masked):
    assert mask_email(value) == masked


@pytest.mark.parametrize("value,masked", [
    ("张三丰", "张**"), ("张三", "张*"), ("欧阳娜娜", "欧***"), ("张", "张"), ("", ""), ("Li Lei", "L*****"),
])
def test_mask_name(value, masked):
    assert mask_name(value) == masked


def test_mask_address_keeps_the_area():
    assert mask_address("福建省莆田市仙游县鲤城街道八二五大街100号") == "福建省莆田市****"
    assert mask_address("仙游县") == "***"


@pytest.mark.parametrize("value,message", [
    ("350322199001011234", None),
    ("11010519491231002X", None),
    ("35032219900101123", "居民身份证号码应为18位，当前为17位。"),
    ("350322199001011235", "居民身份证号码校验位不正确，请核对号码。"),
    ("350322199013011234", "居民身份证号码中的出生日期（第7–14位）不是有效日期。"),
    ("35032219900101123x", "居民身份证号码格式不正确：前17位应为数字，最后一位为数字或X。"),
    ("A50322199001011234", "居民身份证号码格式不正确：前17位应为数字，最后一位为数字或X。"),
])
def test_resident_id_checksum_gb11643(value, message):
    assert resident_id_error(value) == message


@pytest.mark.parametrize("value,ok", [
    ("13812345678", True), ("19912345678", True), ("0594-1234567", True), ("010-12345678", True),
    ("0594-1234567-801", True), ("12812345678", False), ("138123456789", False), ("1234567", False),
    ("594-1234567", False),
])
def test_phone_numbers(value, ok):
    assert (phone_error(normalise_phone(value)) is None) is ok


def test_phone_normalisation():
    assert normalise_phone("+86 138 1234 5678") == "13812345678"
    assert normalise_phone("（0594）—1234567") == "0594-1234567"


class TestWhoSeesPersonalData:
    def _app(self, handler_id=None):
        return Application(applicant_type="natural_person", applicant_name="张三丰", identity_type="resident_id",
                           identity_number="350322199001011234", phone="13812345678", email="zhangsan@example.com",
                           address="福建省莆田市仙游县鲤城街道", handler_id=handler_id)

    @pytest.mark.parametrize("roles,handler_is_user,full", [
        ({Role.REGISTRAR}, False, True),
        ({Role.AGENCY_ADMIN}, False, True),
        ({Role.HANDLER}, True, True),
        ({Role.HANDLER}, False, False),  # a handler of the agency not assigned to this application
        ({Role.APPROVER}, False, False),
        ({Role.PROVIDER, Role.REVIEWER, Role.PUBLISHER}, False, False),
        (set(), False, False),  # supervisors hold no role in the agency
    ])
    def test_rule(self, roles, handler_is_user, full):
        user = User(pk=7, username="someone")
        app = self._app(handler_id=7 if handler_is_user else 8)
        assert may_see_personal_data(user=user, roles=set(roles), application=app) is full

    def test_anonymous_never(self):
        assert not may_see_personal_data(user=AnonymousUser(), roles={Role.REGISTRAR}, application=self._app())

    def test_masked_view(self):
        masked = MaskedApplicant(self._app(), full=False)
        assert (masked.name, masked.identity_number, masked.phone, masked.email) == (
            "张**", "350322********1234", "138****5678", "z***@example.com")
        assert masked.display == "张**"
        full = MaskedApplicant(self._app(), full=True)
        assert (full.name, full.identity_number, full.phone) == ("张三丰", "350322199001011234", "13812345678")

    def test_organisations_are_not_masked_but_their_contact_person_is(self):
        app = Application(applicant_type="commercial_enterprise", organisation_name="仙游某科技有限公司",
                          applicant_name="李四", legal_representative="王五")
        masked = MaskedApplicant(app, full=False)
        assert (masked.display, masked.name, masked.legal_representative) == ("仙游某科技有限公司", "李*", "王*")
