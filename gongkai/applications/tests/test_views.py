"""The staff pages for disclosure applications: lists, registering, the detail page, actions, files, drill-down."""

import inspect
import re
import uuid
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from gongkai.agencies.models import Membership, Role, Supervision
from gongkai.agencies.workdays import working_day_calendar
from gongkai.applications import workflow as wf
from gongkai.applications.forms import ACTION_FORMS
from gongkai.applications.models import Application, Document, Status
from gongkai.applications.services import Upload, application_register
from gongkai.reports.render.html import render_html
from gongkai.reports.selectors import agency_report

PASSWORD = "a-long-password-1"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
ID_NUMBER = "350322199001011234"  # checksum valid (GB 11643)
PHONE = "13812345678"
APPLICANT = {
    "applicant_type": "natural_person", "applicant_name": "张三丰", "identity_type": "resident_id",
    "identity_number": ID_NUMBER, "phone": PHONE, "email": "zhangsan@example.com",
    "address": "福建省莆田市仙游县鲤城街道八二五大街100号", "channel": "in_person",
    "description": "2024年工业企业技术改造补贴企业名单及金额",
}


def make_user(username, agency=None, *roles, full_name=""):
    first, last = (full_name[1:], full_name[:1]) if full_name else ("", "")
    user = User.objects.create_user(username, password=PASSWORD, first_name=first, last_name=last)
    for role in roles:
        Membership.objects.create(user=user, agency=agency, role=role)
    return user


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded files go to a temporary folder, never to var/."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def team(agency, other_agency, region):
    supervisor = make_user("supervisor", full_name="郑监督")
    Supervision.objects.create(user=supervisor, region=region)
    return {
        "registrar": make_user("registrar", agency, Role.REGISTRAR, full_name="李登记"),
        "handler": make_user("handler", agency, Role.HANDLER, full_name="王承办"),
        "handler2": make_user("handler2", agency, Role.HANDLER, full_name="赵承办"),
        "approver": make_user("approver", agency, Role.APPROVER, full_name="陈审批"),
        "admin": make_user("agency_admin", agency, Role.AGENCY_ADMIN, full_name="周管理"),
        "provider": make_user("provider", agency, Role.PROVIDER, full_name="孙提供"),
        "supervisor": supervisor,
        "outsider": make_user("outsider", other_agency, Role.AGENCY_ADMIN, Role.HANDLER, Role.REGISTRAR,
                              full_name="吴邻县"),
    }


def today():
    return timezone.localdate()


def register_app(agency, user, *, days_ago=0, handler=None, uploads=(), **data):
    """An application registered ``days_ago`` (in person, received that day), through the service."""
    day = today() - timedelta(days=days_ago)
    payload = {**APPLICANT, **data}
    dates = {"submitted_on": day} if payload["channel"] in ("in_person", "oral") else {}
    app = application_register(user=user, agency=agency, today=day, data=payload, uploads=list(uploads),
                               calendar=working_day_calendar(), **dates)
    if handler is not None:
        wf.AssignHandler(app, user=user, today=day).run(handler=handler)
    return app


def act(code, app, user, day=None, **params):
    return wf.ACTIONS[code](app, user=user, today=day or today()).run(**params)


def url(name, agency, *args):
    return reverse(f"applications:{name}", args=[agency.code, *args])


def login(client, user):
    client.force_login(user)
    return client


def register_post(**overrides):
    data = {
        "submission_key": str(uuid.uuid4()),
        **{k: v for k, v in APPLICANT.items()},
        "submitted_on": today().isoformat(),
        "delivery_form": "paper", "delivery_method": "mail",
    }
    data.update(overrides)
    return data


# --- lists --------------------------------------------------------------------


@pytest.mark.django_db
class TestList:
    def test_columns_and_masked_personal_data(self, client, agency, team):
        app = register_app(agency, team["registrar"])
        html = login(client, team["handler2"]).get(url("list", agency)).content.decode()
        for heading in ("编号", "收到日期", "申请人", "类型", "状态", "答复期限", "承办人"):
            assert f'<th scope="col">{heading}</th>' in html
        assert app.reference in html and "张**" in html and "张三丰" not in html
        assert ID_NUMBER not in html and PHONE not in html
        assert "350322********1234" in html and "138****5678" in html
        assert "剩余20个工作日" in html

    def test_registrar_and_assigned_handler_see_the_name_but_never_numbers(self, client, agency, team):
        register_app(agency, team["registrar"], handler=team["handler"])
        for who in ("registrar", "handler", "admin"):
            html = login(client, team[who]).get(url("list", agency)).content.decode()
            assert "张三丰" in html, who
            assert ID_NUMBER not in html and PHONE not in html

    def test_filters(self, client, agency, team):
        a = register_app(agency, team["registrar"], description="关于道路规划的文件")
        b = register_app(agency, team["registrar"], applicant_type="commercial_enterprise",
                         organisation_name="仙游某科技有限公司", description="企业名单")
        act("request_correction", b, team["handler"], notified_on=today(), items="请写明文件名称")
        login(client, team["registrar"])

        def refs(**params):
            html = client.get(url("list", agency), params).content.decode()
            return {r for r in (a.reference, b.reference) if r in html}

        assert refs() == {a.reference, b.reference}
        assert refs(status="correction") == {b.reference}
        assert refs(applicant_type="natural_person") == {a.reference}
        assert refs(q="道路规划") == {a.reference}
        assert refs(q=b.reference) == {b.reference}
        assert refs(q=f"{b.serial_year}-{b.serial}") == {b.reference}
        assert refs(year=today().year) == {a.reference, b.reference}
        assert refs(year=2019) == set()

    def test_pagination_keeps_filters(self, client, agency, team):
        for _ in range(27):
            register_app(agency, team["registrar"])
        html = login(client, team["registrar"]).get(url("list", agency), {"status": "registered"}).content.decode()
        assert "第 1 页，共 2 页" in html
        assert "?status=registered&amp;page=2" in html
        page2 = client.get(url("list", agency), {"status": "registered", "page": 2}).content.decode()
        assert page2.count('<th scope="row">') == 2

    def test_overdue_and_due_soon_lists(self, client, agency, team):
        late = register_app(agency, team["registrar"], days_ago=45)
        fresh = register_app(agency, team["registrar"])
        soon = register_app(agency, team["registrar"], days_ago=26)
        Application.objects.filter(pk=soon.pk).update(
            due_on=working_day_calendar().add_working_days(today(), 2).day)
        login(client, team["handler"])
        listing = client.get(url("list", agency)).content.decode()
        assert 'href="/staff/testcounty-gxj/applications/overdue/"' in listing
        assert 'href="/staff/testcounty-gxj/applications/due-soon/"' in listing
        overdue = client.get(url("overdue", agency)).content.decode()
        assert late.reference in overdue and fresh.reference not in overdue and soon.reference not in overdue
        assert "已逾期" in overdue and 'class="deadline overdue"' in overdue
        due_soon = client.get(url("due_soon", agency)).content.decode()
        assert soon.reference in due_soon and late.reference not in due_soon and fresh.reference not in due_soon
        assert client.get(url("list", agency), {"deadline": "overdue"}).content.decode().count(late.reference) == 1

    def test_a_page_costs_the_same_queries_whatever_the_rows(self, client, agency, team):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        login(client, team["handler"])

        def queries() -> int:
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url("list", agency)).status_code == 200
            return len(ctx.captured_queries)

        for _ in range(3):
            register_app(agency, team["registrar"], handler=team["handler"])
        few = queries()
        for _ in range(12):
            register_app(agency, team["registrar"])
        assert queries() == few

    def test_unconfirmed_deadline_is_marked(self, client, agency, team):
        app = register_app(agency, team["registrar"])
        Application.objects.filter(pk=app.pk).update(due_confirmed=False)
        html = login(client, team["handler"]).get(url("list", agency)).content.decode()
        assert "（未经官方日历确认）" in html

    def test_pending_confirmation_has_no_number_yet(self, client, agency, team):
        app = register_app(agency, team["registrar"], channel="online")
        html = login(client, team["registrar"]).get(url("list", agency)).content.decode()
        assert app.status == Status.PENDING_CONFIRMATION
        assert "未编号" in html and "待确认收到，尚未起算" in html

    def test_observer_notice_for_supervisors(self, client, agency, team):
        register_app(agency, team["registrar"])
        html = login(client, team["supervisor"]).get(url("list", agency)).content.decode()
        assert "脱敏" in html and "登记申请</a>" not in html and "张三丰" not in html


# --- registering --------------------------------------------------------------


@pytest.mark.django_db
class TestRegister:
    def test_form_has_a_fresh_submission_key_and_labelled_fields(self, client, agency, team):
        html = login(client, team["registrar"]).get(url("register", agency)).content.decode()
        key = re.search(r'name="submission_key" value="([0-9a-f-]{36})"', html).group(1)
        assert uuid.UUID(key).version == 4
        for name in ("channel", "submitted_on", "signed_for_on", "confirmed_on", "applicant_type", "applicant_name",
                     "identity_number", "phone", "email", "description", "delivery_form", "delivery_method",
                     "application_scan", "identity_proof", "attachments"):
            assert f'<label for="id_{name}">' in html, name
        assert 'enctype="multipart/form-data"' in html and "multiple" in html
        other = client.get(url("register", agency)).content.decode()
        assert key not in other

    def test_in_person_registration(self, client, agency, team):
        login(client, team["registrar"])
        data = register_post(application_scan=[SimpleUploadedFile("申请表.pdf", PDF),
                                                SimpleUploadedFile("信封.png", PNG)])
        response = client.post(url("register", agency), data)
        app = Application.objects.get()
        assert response.status_code == 302 and response["Location"] == url("detail", agency, app.pk)
        assert (app.status, app.received_on, app.applicant_name, app.identity_number) == (
            Status.REGISTERED, today(), "张三丰", ID_NUMBER)
        assert sorted(d.title for d in app.documents.all()) == ["信封.png", "申请表.pdf"]
        assert app.due_on == working_day_calendar().add_working_days(today(), 20).day

    def test_double_submission_creates_one_record(self, client, agency, team):
        login(client, team["registrar"])
        data = register_post()
        first = client.post(url("register", agency), data)
        second = client.post(url("register", agency), data)
        app = Application.objects.get()
        assert first.status_code == second.status_code == 302
        assert first["Location"] == second["Location"] == url("detail", agency, app.pk)

    @pytest.mark.parametrize("channel,field,status", [
        ("online", "confirmed_on", Status.PENDING_CONFIRMATION),
        ("fax", "confirmed_on", Status.PENDING_CONFIRMATION),
        ("email", "confirmed_on", Status.PENDING_CONFIRMATION),
        ("ordinary_mail", "confirmed_on", Status.PENDING_CONFIRMATION),
    ])
    def test_confirmed_channels_may_wait(self, client, agency, team, channel, field, status):
        login(client, team["registrar"])
        response = client.post(url("register", agency), register_post(channel=channel, submitted_on="",
                                                                        email="zhangsan@example.com"))
        assert response.status_code == 302
        assert Application.objects.get().status == status
        client.post(url("register", agency), register_post(channel=channel, submitted_on="",
                                                           **{field: today().isoformat()}))
        assert Application.objects.filter(status=Status.REGISTERED, received_on=today()).count() == 1

    @pytest.mark.parametrize("channel,field,message", [
        ("in_person", "submitted_on", "当面或口头提出的申请，请填写提交日期。"),
        ("oral", "submitted_on", "当面或口头提出的申请，请填写提交日期。"),
        ("signed_mail", "signed_for_on", "以邮寄方式（需签收）提交的申请，请填写签收日期。"),
    ])
    def test_receipt_date_rule_per_channel(self, client, agency, team, channel, field, message):
        login(client, team["registrar"])
        response = client.post(url("register", agency), register_post(channel=channel, submitted_on=""))
        html = response.content.decode()
        assert response.status_code == 200 and not Application.objects.exists()
        assert f'<ul class="errorlist" id="id_{field}_error"><li>{message}</li></ul>' in html
        assert re.search(rf'id="id_{field}"[^>]*aria-describedby="[^"]*id_{field}_error', html) or \
            re.search(rf'aria-describedby="[^"]*id_{field}_error[^"]*"[^>]*id="id_{field}"', html)

    def test_signed_mail_with_its_date(self, client, agency, team):
        login(client, team["registrar"])
        day = today() - timedelta(days=1)
        client.post(url("register", agency), register_post(channel="signed_mail", submitted_on="",
                                                           signed_for_on=day.isoformat()))
        assert Application.objects.get().received_on == day

    @pytest.mark.parametrize("number,message", [
        ("35032219900101123", "居民身份证号码应为18位"),
        ("350322199001011235", "校验位不正确"),
        ("35032219900231123X", "出生日期"),
        ("3503221990010112A4", "前17位应为数字"),
    ])
    def test_resident_id_is_checked(self, client, agency, team, number, message):
        login(client, team["registrar"])
        html = client.post(url("register", agency), register_post(identity_number=number)).content.decode()
        assert message in html and not Application.objects.exists()

    @pytest.mark.parametrize("phone,ok", [
        ("13812345678", True), ("0594-1234567", True), ("05941234567", True), ("021-87654321", True),
        ("+86 138 1234 5678", True), ("12812345678", False), ("1381234567", False), ("1234567", False),
    ])
    def test_phone_is_checked(self, client, agency, team, phone, ok):
        login(client, team["registrar"])
        response = client.post(url("register", agency), register_post(phone=phone))
        assert (response.status_code == 302) is ok
        if not ok:
            assert "联系电话格式不正确" in response.content.decode()

    def test_organisation_and_contact_rules(self, client, agency, team):
        login(client, team["registrar"])
        data = register_post(applicant_type="commercial_enterprise", phone="", email="", address="", delivery_method="")
        html = client.post(url("register", agency), data).content.decode()
        assert "法人或其他组织申请的，请填写组织名称。" in html
        assert "请至少填写一种联系方式" in html
        html = client.post(url("register", agency), register_post(address="", delivery_method="mail")).content.decode()
        assert "选择邮寄方式获取信息的，请填写通信地址。" in html
        html = client.post(url("register", agency), register_post(description="")).content.decode()
        assert "请填写所需信息描述。" in html

    def test_bad_files_are_named_and_nothing_is_lost(self, client, agency, team):
        """Each rejected file has its own message; typed fields stay; files that passed are kept for the retry."""
        login(client, team["registrar"])
        data = register_post(
            identity_number="350322199001011235",  # wrong checksum
            description="关于某某项目的批复文件",
            application_scan=[SimpleUploadedFile("申请表.pdf", PDF)],
            attachments=[SimpleUploadedFile("病毒.pdf", b"MZ\x90\x00 not a pdf"),
                         SimpleUploadedFile("照片.pdf", PNG)],
        )
        response = client.post(url("register", agency), data)
        html = response.content.decode()
        assert response.status_code == 200 and not Application.objects.exists()
        assert "文件“病毒.pdf”的内容不是可接受的格式" in html
        assert "文件“照片.pdf”的扩展名与其内容（PNG）不符。" in html
        assert 'id="id_attachments_error"' in html
        assert "关于某某项目的批复文件" in html and 'value="张三丰"' in html and f'value="{PHONE}"' in html
        assert f'value="{data["submission_key"]}"' in html
        kept = re.findall(r'name="kept_files" value="([0-9a-f]{32})"', html)
        assert len(kept) == 1 and "申请表.pdf" in html

        retry = register_post(submission_key=data["submission_key"], kept_files=kept,
                              attachments=[SimpleUploadedFile("附件.pdf", PDF)])
        response = client.post(url("register", agency), retry)
        app = Application.objects.get()
        assert response.status_code == 302
        assert sorted((d.kind, d.title) for d in app.documents.all()) == [
            ("application_form", "申请表.pdf"), ("attachment", "附件.pdf")]

    def test_unticked_kept_files_are_dropped(self, client, agency, team):
        login(client, team["registrar"])
        data = register_post(description="", application_scan=[SimpleUploadedFile("申请表.pdf", PDF)])
        client.post(url("register", agency), data)
        response = client.post(url("register", agency), register_post(submission_key=data["submission_key"]))
        assert response.status_code == 302 and not Application.objects.get().documents.exists()

    def test_only_registrars_and_admins_register(self, client, agency, team):
        for who, status in (("registrar", 200), ("admin", 200), ("handler", 403), ("approver", 403),
                            ("supervisor", 403), ("outsider", 403)):
            assert login(client, team[who]).get(url("register", agency)).status_code == status, who


# --- the detail page -----------------------------------------------------------


@pytest.mark.django_db
class TestDetail:
    def test_full_data_for_the_staff_handling_it(self, client, agency, team):
        app = register_app(agency, team["registrar"], handler=team["handler"])
        for who in ("registrar", "handler", "admin"):
            html = login(client, team[who]).get(url("detail", agency, app.pk)).content.decode()
            assert "张三丰" in html and ID_NUMBER in html and PHONE in html and "zhangsan@example.com" in html, who
        for who in ("approver", "handler2", "provider", "supervisor"):
            html = login(client, team[who]).get(url("detail", agency, app.pk)).content.decode()
            assert "张三丰" not in html and ID_NUMBER not in html and PHONE not in html, who
            assert "张**" in html and "350322********1234" in html and "z***@example.com" in html, who
            assert "个人信息已脱敏显示" in html

    def test_deadline_box_steps_and_audit_trail(self, client, agency, team):
        app = register_app(agency, team["registrar"], handler=team["handler"])
        act("start_consultation", app, team["handler"], party_kind="third_party", party_name="某某公司",
            sent_on=today(), note="涉及商业秘密")
        html = login(client, team["handler"]).get(url("detail", agency, app.pk)).content.decode()
        assert "答复期限" in html and "暂停计时" in html and "征求某某公司意见" in html
        assert "某某公司" in html and "第三方（第三十二条）" in html
        # The audit trail: who (by name), when, from → to, the note.
        assert "李登记" in html and "王承办" in html
        assert "登记申请" in html and "指定承办人" in html
        assert "办理中 → 征求意见中" in html and "涉及商业秘密" in html

    def test_fee_notice_breakdown(self, client, agency, team):
        app = register_app(agency, team["registrar"], handler=team["handler"])
        act("issue_fee_notice", app, team["handler"], scheme="per_volume", quantity=250, notified_on=today())
        html = login(client, team["handler"]).get(url("detail", agency, app.pk)).content.decode()
        assert "收费通知" in html and "4700" in html.replace(",", "") and "按量计收" in html
        assert app.fee_notice.breakdown.splitlines()[0] in html

    def test_one_form_per_available_action(self, client, agency, team):
        app = register_app(agency, team["registrar"], handler=team["handler"])
        html = login(client, team["handler"]).get(url("detail", agency, app.pk)).content.decode()
        for code in ("request_correction", "start_consultation", "request_extension", "issue_fee_notice", "decide",
                     "withdraw"):
            assert f'action="{url("action", agency, app.pk, code)}"' in html, code
        assert "confirm_receipt" not in html and "/actions/deliver/" not in html
        assert 'id="id_decide-outcome"' in html and '<label for="id_decide-note">操作说明</label>' in html
        observer = login(client, team["supervisor"]).get(url("detail", agency, app.pk)).content.decode()
        assert "/actions/" not in observer and "您没有办理权限" in observer

    def test_unknown_application_is_404(self, client, agency, team):
        assert login(client, team["handler"]).get(url("detail", agency, 999999)).status_code == 404


def test_every_action_has_a_form_matching_its_parameters():
    """Each action form's ``params()`` are the keyword parameters of its action's ``validate``/``apply``."""
    assert set(ACTION_FORMS) == set(wf.ACTIONS)
    for code, action in wf.ACTIONS.items():
        parameters = [p for p in inspect.signature(action.apply).parameters.values() if p.kind == p.KEYWORD_ONLY]
        assert set(ACTION_FORMS[code].params_fields) == {p.name for p in parameters}, code
        assert "note" in ACTION_FORMS[code].base_fields


# --- actions ------------------------------------------------------------------


@pytest.mark.django_db
class TestActions:
    def test_correction_supplement_decision_delivery(self, client, agency, team):
        app = register_app(agency, team["registrar"], handler=team["handler"])
        login(client, team["handler"])
        d = today().isoformat()
        steps = [
            ("request_correction", {"notified_on": d, "items": "请写明所需文件的名称或文号", "note": "电话告知"},
             Status.CORRECTION),
            ("record_supplement", {"supplemented_on": d}, Status.REGISTERED),
            ("decide", {"outcome": "disclosed", "legal_basis": "《条例》第三十六条第（二）项", "decided_on": d},
             Status.DECIDED),
            ("deliver", {"delivered_on": d, "method": "mail", "proof": "挂号信 XA123456789CN"}, Status.DELIVERED),
            ("archive", {"archived_on": d}, Status.ARCHIVED),
        ]
        for code, data, status in steps:
            response = client.post(url("action", agency, app.pk, code), {f"{code}-{k}": v for k, v in data.items()})
            assert response.status_code == 302 and response["Location"] == url("detail", agency, app.pk), code
            app.refresh_from_db()
            assert app.status == status, code
        assert app.outcome == "disclosed" and app.delivery_proof == "挂号信 XA123456789CN"
        assert app.corrections.get().items == "请写明所需文件的名称或文号"

    def test_invalid_input_comes_back_with_chinese_messages(self, client, agency, team):
        app = register_app(agency, team["registrar"], handler=team["handler"])
        response = login(client, team["handler"]).post(url("action", agency, app.pk, "request_correction"),
                                                       {"request_correction-notified_on": "明天"})
        html = response.content.decode()
        assert response.status_code == 400
        assert "补正告知日期格式不正确" in html and "请填写需补正的事项。" in html
        assert 'aria-describedby="id_request_correction-items_helptext id_request_correction-items_error"' in html
        assert '<ul class="errorlist" id="id_request_correction-items_error">' in html
        assert 'aria-invalid="true"' in html and "data-focus-action" in html
        assert Application.objects.get().status == Status.REGISTERED

    def test_refusal_is_shown_on_its_field(self, client, agency, team):
        app = register_app(agency, team["registrar"], handler=team["handler"])
        tomorrow = (today() + timedelta(days=1)).isoformat()
        response = login(client, team["handler"]).post(url("action", agency, app.pk, "decide"), {
            "decide-outcome": "disclosed", "decide-legal_basis": "第三十六条", "decide-decided_on": tomorrow})
        html = response.content.decode()
        assert response.status_code == 400
        assert '<ul class="errorlist" id="id_decide-decided_on_error"><li>答复日期不能晚于今天。</li></ul>' in html

    def test_refusal_without_field_is_a_form_error(self, client, agency, team):
        app = register_app(agency, team["registrar"], handler=team["handler"])
        act("request_extension", app, team["handler"], days=10, reason="需调取档案")
        response = login(client, team["handler"]).post(url("action", agency, app.pk, "request_extension"), {
            "request_extension-days": "5", "request_extension-reason": "再次延期"})
        html = response.content.decode()
        assert response.status_code == 400
        assert "答复期限只能延长一次，本申请已申请过延期。" in html and 'role="alert"' in html

    def test_stale_state_is_refused_with_the_reason(self, client, agency, team):
        app = register_app(agency, team["registrar"], handler=team["handler"])
        act("withdraw", app, team["handler"], withdrawn_on=today())
        response = login(client, team["handler"]).post(url("action", agency, app.pk, "decide"), {
            "decide-outcome": "disclosed", "decide-legal_basis": "x", "decide-decided_on": today().isoformat()})
        assert response.status_code == 400
        assert "申请当前为“已答复”，不能作出答复。" in response.content.decode()

    def test_forbidden_is_403(self, client, agency, team):
        app = register_app(agency, team["registrar"], handler=team["handler"])
        for who in ("approver", "provider", "supervisor"):
            response = login(client, team[who]).post(url("action", agency, app.pk, "decide"), {
                "decide-outcome": "disclosed", "decide-legal_basis": "x", "decide-decided_on": today().isoformat()})
            assert response.status_code == 403, who
        assert Application.objects.get().status == Status.REGISTERED

    def test_unknown_action_is_404_and_get_is_405(self, client, agency, team):
        app = register_app(agency, team["registrar"])
        login(client, team["handler"])
        assert client.post(url("action", agency, app.pk, "publish")).status_code == 404
        assert client.get(url("action", agency, app.pk, "decide")).status_code == 405

    def test_extension_needs_another_approver(self, client, agency, team):
        app = register_app(agency, team["registrar"], handler=team["handler"])
        login(client, team["handler"]).post(url("action", agency, app.pk, "request_extension"), {
            "request_extension-days": "20", "request_extension-reason": "需征求多个部门意见"})
        html = login(client, team["approver"]).get(url("detail", agency, app.pk)).content.decode()
        assert "/actions/decide_extension/" in html and "批准延期" in html
        response = client.post(url("action", agency, app.pk, "decide_extension"), {
            "decide_extension-approve": "1", "decide_extension-notified_on": ""})
        assert "批准延期的，请填写告知申请人的日期。" in response.content.decode()
        client.post(url("action", agency, app.pk, "decide_extension"), {
            "decide_extension-approve": "1", "decide_extension-notified_on": today().isoformat()})
        app.refresh_from_db()
        assert app.extension_days == 20 and app.extension.status == "approved"

    def test_confirm_receipt_numbers_the_application(self, client, agency, team):
        app = register_app(agency, team["registrar"], channel="online")
        response = login(client, team["registrar"]).post(url("action", agency, app.pk, "confirm_receipt"), {
            "confirm_receipt-confirmed_on": today().isoformat()})
        app.refresh_from_db()
        assert response.status_code == 302 and app.status == Status.REGISTERED and app.reference


@pytest.mark.django_db
class TestAssign:
    def test_registrar_assigns_among_the_agencys_handlers(self, client, agency, team):
        app = register_app(agency, team["registrar"])
        html = login(client, team["registrar"]).get(url("detail", agency, app.pk)).content.decode()
        assert "王承办" in html and "赵承办" in html and "吴邻县" not in html and "陈审批" not in html
        response = client.post(url("assign", agency, app.pk), {"assign_handler-handler": team["handler"].pk})
        app.refresh_from_db()
        assert response.status_code == 302 and app.handler == team["handler"]

    def test_not_a_handler_is_refused(self, client, agency, team):
        app = register_app(agency, team["registrar"])
        response = login(client, team["registrar"]).post(url("assign", agency, app.pk),
                                                         {"assign_handler-handler": team["outsider"].pk})
        assert response.status_code == 400 and "所选人员不是本机关的申请承办人。" in response.content.decode()

    def test_handlers_may_not_assign(self, client, agency, team):
        app = register_app(agency, team["registrar"])
        response = login(client, team["handler"]).post(url("assign", agency, app.pk),
                                                       {"assign_handler-handler": team["handler"].pk})
        assert response.status_code == 403


# --- documents ----------------------------------------------------------------


@pytest.mark.django_db
class TestDocuments:
    def test_upload_checked_by_content(self, client, agency, team):
        app = register_app(agency, team["registrar"], handler=team["handler"])
        login(client, team["handler"])
        response = client.post(url("upload", agency, app.pk), {
            "upload-kind": "delivery_proof",
            "upload-files": [SimpleUploadedFile("回执.pdf", PDF), SimpleUploadedFile("回执2.png", PNG)]})
        assert response.status_code == 302
        assert sorted((d.kind, d.title) for d in app.documents.all()) == [
            ("delivery_proof", "回执.pdf"), ("delivery_proof", "回执2.png")]
        response = client.post(url("upload", agency, app.pk), {
            "upload-kind": "attachment", "upload-files": [SimpleUploadedFile("脚本.pdf", b"#!/bin/sh\nrm -rf /\n")]})
        assert response.status_code == 400
        assert "文件“脚本.pdf”的内容不是可接受的格式" in response.content.decode()
        assert app.documents.count() == 2
        response = client.post(url("upload", agency, app.pk), {"upload-kind": "attachment"})
        assert "请选择要上传的文件。" in response.content.decode()

    def test_download_is_an_attachment_for_the_staff_handling_it(self, client, agency, team, media_root):
        app = register_app(agency, team["registrar"], handler=team["handler"],
                           uploads=[Upload("identity_proof", "身份证.pdf", PDF)])
        document = app.documents.get()
        assert str(document.file.path).startswith(str(media_root))
        for who in ("registrar", "handler", "admin"):
            response = login(client, team[who]).get(url("document", agency, app.pk, document.pk))
            assert response.status_code == 200, who
            assert response["Content-Disposition"].startswith("attachment;")
            assert "filename*=utf-8''%E8%BA%AB%E4%BB%BD%E8%AF%81.pdf" in response["Content-Disposition"]
            assert response["Content-Type"] == "application/pdf"
            assert b"".join(response.streaming_content) == PDF
        for who in ("approver", "handler2", "supervisor"):
            assert login(client, team[who]).get(url("document", agency, app.pk, document.pk)).status_code == 403
        html = client.get(url("detail", agency, app.pk)).content.decode()
        assert "身份证.pdf" not in html and "已隐藏文件名" in html

    def test_document_of_another_application_is_404(self, client, agency, team):
        a = register_app(agency, team["registrar"], uploads=[Upload("attachment", "a.pdf", PDF)])
        b = register_app(agency, team["registrar"])
        response = login(client, team["registrar"]).get(url("document", agency, b.pk, a.documents.get().pk))
        assert response.status_code == 404

    def test_archived_application_takes_no_uploads(self, client, agency, team):
        app = register_app(agency, team["registrar"], handler=team["handler"])
        for code, params in (("decide", {"outcome": "disclosed", "legal_basis": "x", "decided_on": today()}),
                             ("deliver", {"delivered_on": today(), "method": "mail", "proof": "x"}),
                             ("archive", {"archived_on": today()})):
            act(code, app, team["handler"], **params)
        response = login(client, team["handler"]).post(url("upload", agency, app.pk), {
            "upload-kind": "attachment", "upload-files": [SimpleUploadedFile("a.pdf", PDF)]})
        assert response.status_code == 400 and "已归档的申请不能再上传材料。" in response.content.decode()
        assert not Document.objects.exists()


# --- the report's drill-down ---------------------------------------------------


@pytest.mark.django_db
class TestReportDrillDown:
    def test_figures_of_table_three_link_to_their_applications(self, client, agency, team):
        a = register_app(agency, team["registrar"], days_ago=3, handler=team["handler"])
        act("decide", a, team["handler"], outcome="withheld.state_secret", legal_basis="第十四条", decided_on=today())
        b = register_app(agency, team["registrar"], days_ago=3)
        year = today().year
        html = login(client, team["handler"]).get(reverse("reports:agency_report", args=[agency.code, year])
                                                  ).content.decode()
        link = f'{url("list", agency)}?cell=applications.withheld.state_secret.natural_person&amp;year={year}'
        assert f'<a href="{link}">1</a>' in html
        assert "cell=proactive." not in html and "cell=appeals." not in html
        listing = client.get(url("list", agency), {"cell": "applications.withheld.state_secret.natural_person",
                                                   "year": year}).content.decode()
        assert a.reference in listing and b.reference not in listing
        assert "（三）不予公开 1.属于国家秘密 · 自然人" in listing
        new = client.get(url("list", agency), {"cell": "applications.new_received.total", "year": year})
        assert a.reference in new.content.decode() and b.reference in new.content.decode()

    def test_standalone_export_has_no_links(self, agency, team):
        register_app(agency, team["registrar"])
        html = render_html(agency_report(agency=agency, year=today().year)).decode()
        assert "<a " not in html

    def test_unknown_cell_is_404(self, client, agency, team):
        login(client, team["handler"])
        assert client.get(url("list", agency), {"cell": "applications.nope.total", "year": 2023}).status_code == 404
        assert client.get(url("list", agency), {"cell": "applications.other.total", "year": 2023}).status_code == 404
        assert client.get(url("list", agency), {"cell": "applications.other.total", "year": 2020}).status_code == 200
        assert client.get(url("list", agency), {"cell": "applications.disclosed.total"}).status_code == 404
        assert client.get(url("list", agency), {"cell": "applications.disclosed.total", "year": 2017}
                          ).status_code == 404


@pytest.mark.django_db
def test_navigation_links_to_each_agency_of_the_user(client, agency, team):
    html = login(client, team["handler"]).get(url("list", agency)).content.decode()
    assert f'href="{url("list", agency)}" aria-current="page">依申请公开</a>' in html
    html = login(client, team["supervisor"]).get(reverse("reports:home")).content.decode()
    assert "依申请公开</a>" not in html
