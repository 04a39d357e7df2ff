"""Supervision's pages: the public form and 回应关切 list, the staff list, answering, publishing, and isolation."""

import uuid

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from gongkai.agencies.models import Membership, Role
from gongkai.audit.models import AuditEntry
from gongkai.supervision.models import Concern, Feedback, FeedbackStatus

pytestmark = pytest.mark.urls("gongkai.portal.tests.urls_apply_for_tests")

PASSWORD = "x-long-password-1"
PHONE = "13812345678"
NAME = "李四"
FORM = {
    "kind": "complaint", "subject": "申请逾期未答复", "contact_name": NAME, "phone": PHONE, "email": "",
    "message": "我于上月提交的政府信息公开申请已超过二十个工作日仍未收到答复。", "public": "on",
}


@pytest.fixture(autouse=True)
def fresh_cache(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                                   "LOCATION": "gongkai-test-supervision"}}
    cache.clear()
    yield
    cache.clear()


def staff(username, agency, *roles):
    user = User.objects.create_user(username, password=PASSWORD)
    for role in roles:
        Membership.objects.create(user=user, agency=agency, role=role)
    client = Client()
    client.force_login(user)
    return client


def send(client, agency, **changes):
    data = {"submission_key": str(uuid.uuid4()), **FORM, **changes}
    return client.post(reverse("supervision:feedback", args=[agency.code]),
                       {k: v for k, v in data.items() if v is not None})


class TestPublicFeedbackForm:
    def test_the_form(self, client, agency):
        response = client.get(reverse("supervision:feedback", args=[agency.code]))
        assert response.status_code == 200
        assert 'name="submission_key"' in response.content.decode()
        assert "default-src 'self'" in response["Content-Security-Policy"]

    def test_send_a_message(self, client, agency):
        response = send(client, agency)
        assert response.status_code == 302
        feedback = Feedback.objects.get()
        assert feedback.agency == agency and feedback.status == FeedbackStatus.RECEIVED and feedback.public
        page = client.get(response["Location"])
        assert "已收到您的留言" in page.content.decode()
        assert AuditEntry.objects.filter(action="feedback.submit", target_id=str(feedback.pk), actor=None).exists()

    def test_sent_twice_is_one_message(self, client, agency):
        data = {"submission_key": str(uuid.uuid4())}
        send(client, agency, **data)
        response = send(client, agency, **data)
        assert response.status_code == 302 and Feedback.objects.count() == 1

    @pytest.mark.parametrize("changes, field, message", [
        ({"kind": None}, "kind", "请选择留言类型。"),
        ({"subject": ""}, "subject", "请填写标题。"),
        ({"message": "太慢了"}, "message", "内容至少10个字"),
        ({"contact_name": ""}, "contact_name", "请填写姓名。"),
        ({"phone": ""}, "phone", "联系电话和电子邮箱请至少填写一项"),
        ({"phone": "123"}, "phone", "联系电话格式不正确"),
        ({"email": "nobody"}, "email", "电子邮箱格式不正确"),
    ])
    def test_validation_in_chinese(self, client, agency, changes, field, message):
        response = send(client, agency, **changes)
        assert response.status_code == 400
        assert any(message in e for e in response.context["form"].errors[field])
        assert not Feedback.objects.exists()

    def test_rate_limited_per_ip(self, client, agency, settings):
        settings.PUBLIC_RATE_LIMITS = {"feedback": "2/h"}
        assert send(client, agency).status_code == 302
        assert send(client, agency).status_code == 302
        response = send(client, agency)
        assert response.status_code == 429
        assert "每小时最多2条留言" in response.content.decode()
        assert Feedback.objects.count() == 2


class TestStaffPages:
    def test_message_to_answer_to_public_concern(self, client, agency):
        send(client, agency)
        feedback = Feedback.objects.get()
        publisher = staff("publisher", agency, Role.PUBLISHER)

        listing = publisher.get(reverse("supervision_staff:list", args=[agency.code]))
        assert listing.status_code == 200 and "申请逾期未答复" in listing.content.decode()
        assert "default-src 'self'" in listing["Content-Security-Policy"]
        detail = publisher.get(reverse("supervision_staff:detail", args=[agency.code, feedback.pk]))
        assert NAME in detail.content.decode() and PHONE in detail.content.decode()

        response = publisher.post(reverse("supervision_staff:answer", args=[agency.code, feedback.pk]),
                                  {"answer-answer": "经核查，您的申请已于3月3日答复并邮寄送达。"})
        assert response.status_code == 302
        feedback.refresh_from_db()
        assert feedback.status == FeedbackStatus.ANSWERED

        response = publisher.post(reverse("supervision_staff:publish", args=[agency.code, feedback.pk]), {
            "concern-question": "申请超过答复期限仍未收到答复，怎么办？",
            "concern-answer": "可以向本机关留言投诉，我们将核查并答复；也可以依法申请行政复议。"})
        assert response.status_code == 302
        concern = Concern.objects.get()
        assert concern.source == feedback and concern.published

        public = client.get(reverse("supervision:concerns", args=[agency.code]))
        html = public.content.decode()
        assert "申请超过答复期限仍未收到答复，怎么办？" in html and "依法申请行政复议" in html
        assert NAME not in html and PHONE not in html
        actions = set(AuditEntry.objects.values_list("action", flat=True))
        assert {"feedback.submit", "feedback.answer", "concern.publish"} <= actions

    def test_publishing_with_personal_data_is_refused_on_the_page(self, client, agency):
        send(client, agency)
        feedback = Feedback.objects.get()
        admin = staff("admin", agency, Role.AGENCY_ADMIN)
        response = admin.post(reverse("supervision_staff:publish", args=[agency.code, feedback.pk]), {
            "concern-question": f"{NAME}的申请为什么逾期？", "concern-answer": "正在核查。"})
        assert response.status_code == 400
        assert "留言人的姓名" in response.content.decode()
        assert not Concern.objects.exists()

    def test_withdrawn_concerns_leave_the_public_list(self, client, agency):
        admin = staff("admin", agency, Role.AGENCY_ADMIN)
        admin.post(reverse("supervision_staff:concern_new", args=[agency.code]),
                   {"concern-question": "办公时间是什么？", "concern-answer": "工作日上午8点至12点。"})
        concern = Concern.objects.get()
        assert "办公时间是什么？" in client.get(reverse("supervision:concerns", args=[agency.code])).content.decode()
        admin.post(reverse("supervision_staff:concern_withdraw", args=[agency.code, concern.pk]))
        assert "办公时间是什么？" not in client.get(
            reverse("supervision:concerns", args=[agency.code])).content.decode()

    def test_another_agencys_staff_get_403(self, client, agency, other_agency):
        send(client, agency)
        feedback = Feedback.objects.get()
        outsider = staff("outsider", other_agency, Role.AGENCY_ADMIN, Role.PUBLISHER)
        for url in (reverse("supervision_staff:list", args=[agency.code]),
                    reverse("supervision_staff:detail", args=[agency.code, feedback.pk])):
            response = outsider.get(url)
            assert response.status_code == 403
            assert NAME not in response.content.decode()
        response = outsider.post(reverse("supervision_staff:answer", args=[agency.code, feedback.pk]),
                                 {"answer-answer": "越权答复"})
        assert response.status_code == 403
        # Through their own agency's address the message does not exist.
        response = outsider.get(reverse("supervision_staff:detail", args=[other_agency.code, feedback.pk]))
        assert response.status_code == 404
        feedback.refresh_from_db()
        assert feedback.status == FeedbackStatus.RECEIVED

    @pytest.mark.parametrize("role", [Role.HANDLER, Role.REGISTRAR, Role.PROVIDER, Role.REVIEWER, Role.APPROVER])
    def test_other_roles_of_the_agency_get_403(self, agency, role):
        response = staff("someone", agency, role).get(reverse("supervision_staff:list", args=[agency.code]))
        assert response.status_code == 403

    def test_login_required(self, client, agency):
        response = client.get(reverse("supervision_staff:list", args=[agency.code]))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
