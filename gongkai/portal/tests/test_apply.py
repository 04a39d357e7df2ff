"""The online channel's pages: the application form, its receipt, the status lookup, rate limits and CSP."""

import re
import uuid
from datetime import date

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gongkai.agencies.models import Membership, Role
from gongkai.agencies.workdays import working_day_calendar
from gongkai.applications import workflow as wf
from gongkai.applications.models import Application, Channel, DocumentKind, Status
from gongkai.audit.models import AuditEntry

pytestmark = pytest.mark.urls("gongkai.portal.tests.urls_apply_for_tests")

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64 + b"This program cannot be run"
ID_NUMBER = "350322199001011234"
PHONE = "13812345678"
EMAIL = "zhangsan@example.com"
NAME = "张三丰"
ADDRESS = "福建省莆田市仙游县鲤城街道八二五大街100号"
TRACK_NOT_FOUND = "未查询到相符的申请。请核对查询码和申请时填写的联系电话或电子邮箱后重试。"


def form_data(**changes):
    data = {
        "submission_key": str(uuid.uuid4()),
        "applicant_type": "natural_person", "applicant_name": NAME, "identity_type": "resident_id",
        "identity_number": ID_NUMBER, "phone": PHONE, "email": EMAIL, "address": ADDRESS, "postal_code": "351200",
        "description": "2024年工业企业技术改造补贴的企业名单及补贴金额", "document_hint": "仙工信〔2024〕12号",
        "delivery_form": "email", "delivery_method": "email", "consent": "on",
        "identity_proof": [SimpleUploadedFile("身份证.png", PNG, content_type="image/png")],
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture(autouse=True)
def fresh_cache(settings, tmp_path):
    """Each test counts its own requests; uploads go to a temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                                   "LOCATION": "gongkai-test-apply"}}
    cache.clear()
    yield
    cache.clear()


def apply_url(agency):
    return reverse("apply:form", args=[agency.code])


def submit(client, agency, **changes):
    return client.post(apply_url(agency), form_data(**changes))


def errors_of(response) -> dict[str, list[str]]:
    return {name: list(errors) for name, errors in response.context["form"].errors.items()}


class TestApplyForm:
    def test_the_form_carries_a_submission_key_and_a_csrf_token(self, client, agency):
        response = client.get(apply_url(agency))
        assert response.status_code == 200
        html = response.content.decode()
        assert 'name="submission_key"' in html and 'name="csrfmiddlewaretoken"' in html
        assert agency.name in html and "第三十一条" in html
        assert response["Cache-Control"].startswith("max-age=0")

    def test_an_unknown_agency_is_404(self, client, db):
        assert client.get(reverse("apply:form", args=["no-such-agency"])).status_code == 404

    def test_csrf_is_enforced(self, agency, db):
        from django.test import Client

        response = Client(enforce_csrf_checks=True).post(apply_url(agency), form_data())
        assert response.status_code == 403
        assert not Application.objects.exists()

    def test_a_valid_submission_creates_one_pending_online_application(self, client, agency):
        response = submit(client, agency, attachments=[SimpleUploadedFile("说明.pdf", PDF)])
        app = Application.objects.get()
        assert response.status_code == 302
        assert response["Location"] == reverse("apply:receipt", args=[agency.code, app.tracking_code])
        assert app.status == Status.PENDING_CONFIRMATION and app.channel == Channel.ONLINE
        assert app.received_on is None and app.submitted_on is not None
        assert app.applicant_name == NAME and app.identity_number == ID_NUMBER and app.phone == PHONE
        assert sorted(app.documents.values_list("kind", flat=True)) == [DocumentKind.ATTACHMENT,
                                                                         DocumentKind.IDENTITY_PROOF]
        entry = AuditEntry.objects.get(action="application.register", target_id=str(app.pk))
        assert entry.actor is None and entry.note == "网上申请"

    def test_the_same_form_sent_twice_creates_one_application_and_shows_the_same_receipt(self, client, agency):
        data = form_data()
        first = client.post(apply_url(agency), data)
        data["identity_proof"] = [SimpleUploadedFile("身份证.png", PNG)]
        second = client.post(apply_url(agency), data)
        assert Application.objects.count() == 1
        assert first.status_code == second.status_code == 302
        assert first["Location"] == second["Location"]
        page = client.get(second["Location"])
        assert "该申请已经提交，未重复提交" in page.content.decode()

    def test_the_receipt_shows_the_tracking_code_and_what_happens_next_but_no_identity_number(self, client, agency):
        response = client.get(submit(client, agency)["Location"])
        app = Application.objects.get()
        html = response.content.decode()
        assert response.status_code == 200
        assert app.tracking_code in html
        assert re.fullmatch(r"[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}", app.tracking_code)
        assert "双方确认之日" in html and "20个工作日" in html and reverse("apply:track") in html
        for secret in (ID_NUMBER, NAME, PHONE, EMAIL, ADDRESS):
            assert secret not in html
        assert "138****5678" in html  # which contact to track with, masked
        assert "no-store" in response["Cache-Control"]

    def test_the_receipt_is_shown_only_to_the_browser_that_submitted(self, client, agency):
        from django.test import Client

        location = submit(client, agency)["Location"]
        stranger = Client().get(location)
        assert stranger.status_code == 404
        assert Application.objects.get().tracking_code not in stranger.content.decode()
        assert "回执不可查看" in stranger.content.decode()

    def test_the_receipt_of_another_agency_is_not_shown(self, client, agency, other_agency):
        app_code = client.get(submit(client, agency)["Location"]).context["application"].tracking_code
        response = client.get(reverse("apply:receipt", args=[other_agency.code, app_code]))
        assert response.status_code == 404


# One rule per row: the changed fields, the field whose error it is, and (a part of) the message.
VALIDATION_CASES = [
    ({"applicant_type": None}, "applicant_type", "请选择申请人类型。"),
    ({"applicant_name": ""}, "applicant_name", "请填写申请人姓名。"),
    ({"applicant_type": "commercial_enterprise"}, "organisation_name", "请填写组织名称。"),
    ({"applicant_type": "commercial_enterprise", "organisation_name": "仙游某科技有限公司"}, "legal_representative",
     "请填写法定代表人或负责人。"),
    ({"identity_type": ""}, "identity_type", "请选择证件类型。"),
    ({"identity_number": ""}, "identity_number", "请填写证件号码。"),
    ({"identity_number": "350322199001011235"}, "identity_number", "居民身份证号码校验位不正确"),
    ({"identity_number": "35032219900101123"}, "identity_number", "居民身份证号码应为18位"),
    ({"identity_number": "350322199013011234"}, "identity_number", "出生日期"),
    ({"identity_type": "credit_code", "identity_number": "91350322MA2XXXXXXX"}, "identity_type",
     "自然人申请的，请选择本人的身份证件"),
    ({"identity_type": "passport", "identity_number": "E1"}, "identity_number", "证件号码格式不正确"),
    ({"identity_proof": None}, "identity_proof", "请上传身份证明。"),
    ({"phone": "", "email": ""}, "phone", "联系电话和电子邮箱请至少填写一项"),
    ({"phone": "12345"}, "phone", "联系电话格式不正确"),
    ({"email": "not-an-address"}, "email", "电子邮箱格式不正确"),
    ({"email": "", "phone": PHONE}, "email", "选择以电子邮件获取信息的，请填写电子邮箱。"),
    ({"delivery_method": "mail", "delivery_form": "paper", "address": ""}, "address",
     "选择邮寄获取信息的，请填写通信地址。"),
    ({"delivery_form": "on_site", "delivery_method": "mail"}, "delivery_method", "请选择“自行领取”"),
    ({"postal_code": "35120"}, "postal_code", "邮政编码应为6位数字。"),
    ({"description": ""}, "description", "请填写所需政府信息的描述。"),
    ({"description": "补贴名单"}, "description", "至少10个字"),
    ({"delivery_form": None}, "delivery_form", "请选择信息的提供形式。"),
    ({"delivery_method": "on_site"}, "delivery_method", "所选的获取信息的方式无效"),
    ({"consent": None}, "consent", "请阅读并勾选承诺和同意事项。"),
    ({"submission_key": "not-a-key"}, "submission_key", "申请表已失效"),
]


class TestApplyValidation:
    @pytest.mark.parametrize("changes, field, message", VALIDATION_CASES,
                             ids=[f"{c[1]}-{i}" for i, c in enumerate(VALIDATION_CASES)])
    def test_each_rule_gives_a_chinese_message_on_its_field(self, client, agency, changes, field, message):
        response = submit(client, agency, **changes)
        assert response.status_code == 400
        errors = errors_of(response)
        assert any(message in e for e in errors.get(field, [])), errors
        assert not Application.objects.exists()
        html = response.content.decode()
        assert "请修改以下" in html and message.split("“")[0] in html

    def test_the_other_fields_are_kept(self, client, agency):
        response = submit(client, agency, description="短")
        html = response.content.decode()
        assert f'value="{NAME}"' in html and f'value="{ID_NUMBER}"' in html and f'value="{PHONE}"' in html
        assert "仙工信〔2024〕12号" in html

    def test_a_pdf_that_is_really_an_exe_is_refused(self, client, agency):
        response = submit(client, agency, attachments=[SimpleUploadedFile("材料.pdf", EXE)])
        assert response.status_code == 400
        assert any("不是可接受的格式" in e for e in errors_of(response)["attachments"])
        assert not Application.objects.exists()

    def test_an_identity_proof_must_be_an_image_or_a_pdf(self, client, agency):
        from gongkai.applications.tests.test_public import _docx

        response = submit(client, agency, identity_proof=[SimpleUploadedFile("身份证.docx", _docx())])
        assert any("不能作为身份证明" in e for e in errors_of(response)["identity_proof"])

    def test_at_most_five_attachments(self, client, agency):
        files = [SimpleUploadedFile(f"附件{i}.pdf", PDF) for i in range(6)]
        response = submit(client, agency, attachments=files)
        assert any("其他附件最多5个" in e for e in errors_of(response)["attachments"])

    def test_files_that_passed_are_kept_for_the_next_attempt(self, client, agency):
        data = form_data(description="短", attachments=[SimpleUploadedFile("说明.pdf", PDF)])
        response = client.post(apply_url(agency), data)
        kept = response.context["kept_files"]
        assert sorted(e["name"] for e in kept) == ["说明.pdf", "身份证.png"]
        assert "已暂存的身份证明" in response.content.decode() and "已暂存的附件" in response.content.decode()
        # The second attempt sends no file again, only the ticked kept ones.
        retry = {**data, "description": "2024年工业企业技术改造补贴的企业名单", "kept_files": [e["id"] for e in kept]}
        del retry["identity_proof"], retry["attachments"]
        response = client.post(apply_url(agency), retry)
        assert response.status_code == 302
        app = Application.objects.get()
        assert sorted(app.documents.values_list("title", flat=True)) == ["说明.pdf", "身份证.png"]

    def test_unticked_kept_files_are_dropped(self, client, agency):
        data = form_data(description="短", attachments=[SimpleUploadedFile("说明.pdf", PDF)])
        kept = client.post(apply_url(agency), data).context["kept_files"]
        proof_id = next(e["id"] for e in kept if e["kind"] == "identity_proof")
        retry = {**data, "description": "2024年工业企业技术改造补贴的企业名单", "kept_files": [proof_id]}
        del retry["identity_proof"], retry["attachments"]
        assert client.post(apply_url(agency), retry).status_code == 302
        assert list(Application.objects.get().documents.values_list("title", flat=True)) == ["身份证.png"]

    def test_another_browser_cannot_use_the_kept_files(self, client, agency):
        from django.test import Client

        data = form_data(description="短")
        kept = client.post(apply_url(agency), data).context["kept_files"]
        retry = {**data, "description": "2024年工业企业技术改造补贴的企业名单", "kept_files": [e["id"] for e in kept]}
        del retry["identity_proof"]
        response = Client().post(apply_url(agency), retry)
        assert response.status_code == 400
        assert "identity_proof" in errors_of(response)


def track(client, code, contact):
    return client.post(reverse("apply:track"), {"tracking_code": code, "contact": contact})


@pytest.fixture
def submitted(client, agency):
    submit(client, agency)
    return Application.objects.get()


class TestTrack:
    def test_the_lookup_form(self, client, db):
        response = client.get(reverse("apply:track") + "?code=7KQ4-M2XD-93HT")
        assert response.status_code == 200
        assert 'value="7KQ4-M2XD-93HT"' in response.content.decode()

    @pytest.mark.parametrize("contact", [PHONE, EMAIL, "138-1234-5678"])
    def test_the_right_phone_or_email_shows_the_stage(self, client, submitted, contact):
        response = track(client, submitted.tracking_code, contact)
        html = response.content.decode()
        assert response.status_code == 200
        assert "已提交待确认" in html and submitted.agency.name in html
        assert "no-store" in response["Cache-Control"]

    def test_no_personal_data_in_the_status_page(self, client, submitted):
        html = track(client, submitted.tracking_code, PHONE).content.decode()
        for secret in (NAME, ID_NUMBER, PHONE, EMAIL, ADDRESS, "138****5678"):
            assert secret not in html

    def test_a_wrong_contact_and_a_wrong_code_give_the_same_message(self, client, submitted):
        wrong_contact = track(client, submitted.tracking_code, "13900000000")
        wrong_code = track(client, "2345-6789-ABCD", PHONE)
        assert wrong_contact.status_code == wrong_code.status_code == 404
        for response in (wrong_contact, wrong_code):
            assert response.context["form"].non_field_errors() == [TRACK_NOT_FOUND]
            assert response.context["result"] is None
        assert "已提交待确认" not in wrong_contact.content.decode()
        assert submitted.agency.name not in wrong_contact.content.decode()

    def test_after_staff_confirm_it_is_in_progress_with_a_due_date(self, client, submitted, agency):
        registrar = User.objects.create_user("registrar", password="x-long-password-1")
        Membership.objects.create(user=registrar, agency=agency, role=Role.REGISTRAR)
        day = date(2025, 1, 20)
        Application.objects.filter(pk=submitted.pk).update(submitted_on=day)
        wf.ConfirmReceipt(submitted, user=registrar, today=day, calendar=working_day_calendar()).run(confirmed_on=day)
        html = track(client, submitted.tracking_code, PHONE).content.decode()
        assert "办理中" in html
        assert "答复期限" in html and "2025年2月21日" in html
        assert "2025年1月20日" in html  # the date of receipt
        assert "未经官方日历确认" not in html

    def test_an_unconfirmed_due_date_is_flagged(self, client, submitted, agency):
        Application.objects.filter(pk=submitted.pk).update(
            status=Status.REGISTERED, received_on=date(2031, 3, 3), clock_started_on=date(2031, 3, 3),
            submitted_on=date(2031, 3, 3), due_on=date(2031, 3, 31), due_confirmed=False)
        html = track(client, submitted.tracking_code, PHONE).content.decode()
        assert "2031年3月31日" in html and "未经官方日历确认" in html


class TestRateLimits:
    def test_track_lookups_are_limited_per_ip(self, client, submitted, settings):
        settings.PUBLIC_RATE_LIMITS = {"track": "3/h"}
        for _ in range(3):
            assert track(client, "2345-6789-ABCD", PHONE).status_code == 404
        response = track(client, submitted.tracking_code, PHONE)  # even the right pair, once over the limit
        assert response.status_code == 429
        html = response.content.decode()
        assert "操作过于频繁" in html and "每小时最多3次查询" in html and "查询码" in html
        assert int(response["Retry-After"]) > 0
        assert "已提交待确认" not in html
        # Another address is not affected, and reading the form is never limited.
        assert client.post(reverse("apply:track"), {"tracking_code": submitted.tracking_code, "contact": PHONE},
                           REMOTE_ADDR="10.0.0.9").status_code == 200
        assert client.get(reverse("apply:track")).status_code == 200

    def test_applications_created_are_limited_per_ip(self, client, agency, settings):
        settings.PUBLIC_RATE_LIMITS = {"apply.create": "2/10m"}
        assert submit(client, agency).status_code == 302
        assert submit(client, agency).status_code == 302
        response = submit(client, agency)
        assert response.status_code == 429
        assert "每10分钟最多2份申请" in response.content.decode()
        assert Application.objects.count() == 2

    def test_a_repeated_submission_is_not_counted(self, client, agency, settings):
        settings.PUBLIC_RATE_LIMITS = {"apply.create": "1/10m"}
        data = form_data()
        assert client.post(apply_url(agency), data).status_code == 302
        data["identity_proof"] = [SimpleUploadedFile("身份证.png", PNG)]
        assert client.post(apply_url(agency), data).status_code == 302
        assert submit(client, agency).status_code == 429

    def test_every_post_of_the_form_is_limited_too(self, client, agency, settings):
        settings.PUBLIC_RATE_LIMITS = {"apply.post": "3/10m"}
        for _ in range(3):
            assert submit(client, agency, description="短").status_code == 400
        response = submit(client, agency)
        assert response.status_code == 429
        assert "每10分钟最多3次提交" in response.content.decode()
        assert not Application.objects.exists()
        assert client.get(apply_url(agency)).status_code == 200

    def test_the_default_limits(self, client, submitted):
        for _ in range(20):
            assert track(client, "2345-6789-ABCD", PHONE).status_code == 404
        assert track(client, "2345-6789-ABCD", PHONE).status_code == 429


CSP_PARTS = ("default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:",
             "object-src 'none'", "frame-ancestors 'none'", "base-uri 'self'", "form-action 'self'")


class TestContentSecurityPolicy:
    def _check(self, response):
        policy = response["Content-Security-Policy"]
        for part in CSP_PARTS:
            assert part in policy
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy

    def test_on_portal_pages(self, client, agency):
        self._check(client.get(apply_url(agency)))
        self._check(client.get(reverse("apply:track")))
        self._check(submit(client, agency, description="短"))

    def test_on_staff_pages(self, client, agency):
        user = User.objects.create_user("registrar", password="x-long-password-1")
        Membership.objects.create(user=user, agency=agency, role=Role.REGISTRAR)
        client.force_login(user)
        response = client.get(reverse("applications:list", args=[agency.code]))
        assert response.status_code == 200
        self._check(response)
        self._check(client.get(reverse("login")))

    def test_on_the_429_page(self, client, db, settings):
        settings.PUBLIC_RATE_LIMITS = {"track": "1/h"}
        track(client, "2345-6789-ABCD", PHONE)
        self._check(track(client, "2345-6789-ABCD", PHONE))

    def test_no_inline_script_or_style_in_these_pages(self, client, agency, submitted):
        pages = [client.get(apply_url(agency)), submit(client, agency, description="短"),
                 client.get(reverse("apply:track")), track(client, submitted.tracking_code, PHONE)]
        for response in pages:
            html = response.content.decode()
            assert not re.search(r"<script(?![^>]*\bsrc=)", html), "inline <script>"
            assert "<style" not in html and " style=" not in html
            assert not re.search(r"\son[a-z]+=", html), "inline event handler"
