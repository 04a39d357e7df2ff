"""A registrar and a handler take one application from the counter to delivery, in headless Chromium (Debian's)."""

import re

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from gongkai.agencies.models import Membership, Role
from gongkai.applications.models import Application, Status
from gongkai.testing import BROWSER

expect = pytest.importorskip("playwright.sync_api").expect

PASSWORD = "a-demo-password-1"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

pytestmark = [
    *BROWSER,
]




@pytest.fixture
def staff(transactional_db, agency, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    people = {}
    for username, name, role in (("gxj_registrar", "李登记", Role.REGISTRAR), ("gxj_handler", "王承办", Role.HANDLER)):
        user = User.objects.create_user(username, password=PASSWORD, last_name=name[0], first_name=name[1:])
        Membership.objects.create(user=user, agency=agency, role=role)
        people[role] = user
    return people


@pytest.fixture
def backlog(staff, agency):
    """Other applications on the list: late, close to their deadline, waiting for confirmation, from a company."""
    from datetime import timedelta

    from gongkai.agencies.workdays import working_day_calendar
    from gongkai.applications.services import application_register

    registrar, today = staff[Role.REGISTRAR], timezone.localdate()
    for days_ago, extra in ((45, {"applicant_name": "李四"}), (26, {"applicant_name": "欧阳娜娜"}),
                            (0, {"applicant_name": "陈五", "channel": "online"}),
                            (3, {"applicant_type": "commercial_enterprise", "organisation_name": "仙游某科技有限公司",
                                 "applicant_name": "林六"})):
        day = today - timedelta(days=days_ago)
        data = {"applicant_type": "natural_person", "channel": "in_person", "phone": "13900001111",
                "identity_number": "11010519491231002X", "description": "某项目的批复文件", **extra}
        dates = {"submitted_on": day} if data["channel"] == "in_person" else {}
        application_register(user=registrar, agency=agency, today=day, data=data, calendar=working_day_calendar(),
                             **dates)


def log_in(page, base, username):
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(lambda u: "/accounts/login/" not in u)


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def take(page, section: str, label: str, fields: dict, button: str):
    """Open one action on the detail page, fill it and submit it."""
    box = page.locator(f"#action-{section}")
    box.locator("summary").click()
    for field, value in fields.items():
        control = box.get_by_label(field)
        if control.evaluate("e => e.tagName") == "SELECT":
            control.select_option(label=value)
        else:
            control.fill(value)
    box.get_by_role("button", name=button).click()
    expect(page.get_by_text(f"操作已完成：{label}。")).to_be_visible()


@pytest.mark.django_db(transaction=True)
def test_register_correct_decide_deliver(live_server, staff, backlog, agency, page, artifacts_dir):
    base, today = live_server.url, timezone.localdate().isoformat()

    # The registrar registers an application handed in at the counter.
    log_in(page, base, "gxj_registrar")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="依申请公开").click()
    page.get_by_role("link", name="登记申请").click()
    expect(page).to_have_title(re.compile("^登记申请"))
    page.get_by_label("申请方式").select_option(label="当面提交")
    expect(page.get_by_label("签收日期")).to_be_hidden()  # only signed-for mail needs it
    page.get_by_label("提交日期").fill(today)
    page.get_by_label("申请人类型").select_option(label="自然人")
    page.get_by_label("申请人姓名").fill("张三丰")
    page.get_by_label("证件类型").select_option(label="居民身份证")
    page.get_by_label("证件号码").fill("350322199001011235")  # a wrong check digit, on purpose
    page.get_by_label("联系电话").fill("13812345678")
    page.get_by_label("电子邮箱").fill("zhangsan@example.com")
    page.get_by_label("通信地址").fill("福建省莆田市仙游县鲤城街道八二五大街100号")
    page.get_by_label("所需信息描述").fill("2024年工业企业技术改造补贴企业名单及补贴金额")
    page.get_by_label("信息提供形式").select_option(label="纸质")
    page.get_by_label("获取信息方式").select_option(label="邮寄")
    page.get_by_label("申请表或申请信件扫描件").set_input_files(
        files=[{"name": "申请表.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    page.screenshot(path=str(artifacts_dir / "applications-register.png"), full_page=True)
    page.get_by_role("button", name="登记申请").click()

    # The error is summarised, focused, tied to its field; nothing typed or chosen is lost.
    expect(page.locator("#error-summary")).to_be_focused()
    number = page.get_by_label("证件号码")
    assert number.get_attribute("aria-invalid") == "true"
    assert "校验位不正确" in page.locator(f"#{number.get_attribute('aria-describedby').split()[-1]}").inner_text()
    assert page.get_by_label("申请人姓名").input_value() == "张三丰"
    expect(page.get_by_text("申请表.pdf")).to_be_visible()  # kept for this attempt
    page.screenshot(path=str(artifacts_dir / "applications-register-errors.png"), full_page=True)
    number.fill("350322199001011234")
    page.get_by_role("button", name="登记申请").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("依申请〔")
    application = Application.objects.get(applicant_name="张三丰")
    assert application.documents.get().title == "申请表.pdf"
    expect(page.get_by_role("heading", level=1)).to_contain_text(application.reference)

    # The registrar assigns the handler.
    page.locator("#action-assign_handler summary").click()
    page.locator("#action-assign_handler").get_by_label("承办人").select_option(label="王承办")
    page.get_by_role("button", name="保存承办人").click()
    expect(page.get_by_text("操作已完成：指定承办人。")).to_be_visible()
    page.get_by_role("button", name="退出登录").click()
    page.wait_for_url("**/accounts/login/")

    # The handler asks for a correction, records the supplement, decides and records delivery.
    log_in(page, base, "gxj_handler")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="依申请公开").click()
    page.get_by_role("link", name=application.reference).click()
    expect(page.get_by_text("张三丰").first).to_be_visible()  # the assigned handler sees the applicant in full
    take(page, "request_correction", "告知补正", {"需补正的事项": "请写明所需补贴名单的年度和文件名称。"}, "告知补正")
    expect(page.locator("h1 .status")).to_have_text("补正中")
    expect(page.locator(".deadline-box").get_by_text("补正期限")).to_be_visible()
    page.screenshot(path=str(artifacts_dir / "applications-detail-correction.png"), full_page=True)
    take(page, "record_supplement", "登记补正材料", {}, "登记补正材料")
    take(page, "decide", "作出答复", {"办理结果": "予以公开",
                                  "法律依据和理由": "《中华人民共和国政府信息公开条例》第三十六条第（二）项"}, "作出答复")
    take(page, "deliver", "登记送达", {"送达方式": "邮寄", "送达凭证": "挂号信 XA123456789CN"}, "登记送达")
    application.refresh_from_db()
    assert (application.status, application.outcome) == (Status.DELIVERED, "disclosed")
    expect(page.get_by_role("cell", name="已答复 → 已送达")).to_be_visible()
    page.screenshot(path=str(artifacts_dir / "applications-detail.png"), full_page=True)

    page.get_by_role("link", name="依申请公开").last.click()
    expect(page.get_by_role("table").get_by_text(application.reference)).to_be_visible()
    page.screenshot(path=str(artifacts_dir / "applications-list.png"), full_page=True)

    # On a phone: no sideways scrolling on the list, the detail page and the form.
    page.set_viewport_size({"width": 390, "height": 844})
    for name, path in (("list", page.url), ("detail", f"{base}/staff/{agency.code}/applications/{application.pk}/")):
        page.goto(path)
        assert no_sideways_scroll(page), name
        page.screenshot(path=str(artifacts_dir / f"applications-{name}-phone.png"), full_page=True)

    # The larger-font mode for older readers, on the phone and on a desktop.
    page.get_by_role("button", name="大字模式").click()
    assert page.evaluate("document.documentElement.classList.contains('large-font')")
    assert no_sideways_scroll(page)
    page.screenshot(path=str(artifacts_dir / "applications-detail-phone-large-font.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{base}/staff/{agency.code}/applications/")
    assert no_sideways_scroll(page)
    page.screenshot(path=str(artifacts_dir / "applications-list-large-font.png"), full_page=True)


@pytest.mark.django_db(transaction=True)
def test_register_form_on_a_phone(live_server, staff, agency, page, artifacts_dir):
    log_in(page, live_server.url, "gxj_registrar")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/staff/{agency.code}/applications/new/")
    page.get_by_label("申请方式").select_option(label="互联网（在线申请）")
    expect(page.get_by_label("确认收到日期")).to_be_visible()
    expect(page.get_by_label("签收日期")).to_be_hidden()
    assert no_sideways_scroll(page)
    page.screenshot(path=str(artifacts_dir / "applications-register-phone.png"), full_page=True)
    page.get_by_role("button", name="大字模式").click()
    assert no_sideways_scroll(page)
    page.screenshot(path=str(artifacts_dir / "applications-register-phone-large-font.png"), full_page=True)


def corrected_application(staff, agency):
    """An application handed in at the counter today, assigned, and asked for a correction (补正)."""
    from gongkai.agencies.workdays import working_day_calendar
    from gongkai.applications.services import application_register
    from gongkai.applications.workflow import AssignHandler, RequestCorrection

    registrar, handler, today = staff[Role.REGISTRAR], staff[Role.HANDLER], timezone.localdate()
    application = application_register(
        user=registrar, agency=agency, today=today, submitted_on=today, calendar=working_day_calendar(),
        data={"applicant_type": "natural_person", "applicant_name": "张三丰", "channel": "in_person",
              "description": "2024年工业企业技术改造补贴企业名单及金额", "delivery_form": "paper"})
    AssignHandler(application, user=registrar, today=today).run(handler=handler)
    RequestCorrection(application, user=handler, today=today).run(
        notified_on=today, items="1. 请写明所需补贴名单的年度。\n2. 请写明文件名称或文号。")
    return application


@pytest.mark.django_db(transaction=True)
def test_generate_a_correction_notice_from_the_detail_page(live_server, staff, agency, page, artifacts_dir):
    """The handler presses 生成补正告知书 (twice, quickly): one letter is filed, with its DOCX and PDF links."""
    application = corrected_application(staff, agency)
    log_in(page, live_server.url, "gxj_handler")
    page.goto(f"{live_server.url}/staff/{agency.code}/applications/{application.pk}/")
    letters = page.locator("#letters")
    expect(letters.get_by_text("尚未生成告知书")).to_be_visible()
    letters.get_by_role("button", name="生成补正告知书").dblclick()
    expect(page.get_by_text("已生成《政府信息公开申请补正告知书》（DOCX、PDF）")).to_be_visible()
    expect(page).to_have_url(re.compile(r"#letters$"))
    expect(letters.get_by_role("heading", name="补正告知书")).to_be_visible()
    expect(letters.get_by_role("link", name=re.compile("DOCX"))).to_have_count(1)
    expect(letters.get_by_role("link", name=re.compile("PDF"))).to_have_count(1)
    assert application.documents.filter(kind="letter").count() == 2
    expect(letters.get_by_role("button", name="再次生成补正告知书")).to_be_visible()
    letters.screenshot(path=str(artifacts_dir / "applications-detail-letters.png"))

    with page.expect_download() as download:
        letters.get_by_role("link", name=re.compile("DOCX")).click()
    assert download.value.suggested_filename == "政府信息公开申请补正告知书.docx"


@pytest.mark.django_db(transaction=True)
def test_agency_admin_edits_a_letter_template(live_server, staff, agency, page, artifacts_dir):
    """The template editor with its variables and preview; an error names its line."""
    User.objects.create_user("gxj_admin", password=PASSWORD, last_name="周", first_name="管理")
    Membership.objects.create(user=User.objects.get(username="gxj_admin"), agency=agency, role=Role.AGENCY_ADMIN)
    application = corrected_application(staff, agency)
    log_in(page, live_server.url, "gxj_admin")
    page.goto(f"{live_server.url}/staff/{agency.code}/applications/")
    page.get_by_role("link", name="告知书模板与设置").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("告知书模板")
    page.screenshot(path=str(artifacts_dir / "letters-templates.png"), full_page=True)
    page.get_by_role("link", name="编辑补正告知书模板").click()
    preview = page.get_by_role("article", name="告知书预览")
    expect(preview.get_by_text("张三丰：")).to_be_visible()  # the administrator sees the applicant in full
    expect(preview.get_by_text("请写明所需补贴名单的年度")).to_be_visible()
    expect(page.locator("#preview").get_by_role("link", name=application.reference)).to_be_visible()
    page.locator("#preview").screenshot(path=str(artifacts_dir / "letters-template-preview.png"))
    body = page.get_by_label("正文")
    body.fill("{{ applicant }}：\n请补正以下事项：\n{{ correction_itemz }}")
    page.get_by_role("button", name="保存模板").click()
    expect(page.locator("#error-summary")).to_be_focused()
    expect(page.locator("#id_body_error")).to_contain_text("第3行：没有名为“correction_itemz”的变量")
    page.screenshot(path=str(artifacts_dir / "letters-template-error.png"), full_page=True)
    page.get_by_label("正文").fill("{{ applicant }}：\n请补正以下事项：\n{{ correction_items }}")
    page.get_by_role("button", name="保存模板").click()
    expect(page.get_by_text("已保存本机关的《补正告知书》模板")).to_be_visible()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="恢复默认").click()
    expect(page.get_by_text("已恢复《补正告知书》的默认模板。")).to_be_visible()
    page.screenshot(path=str(artifacts_dir / "letters-template.png"), full_page=True)

    page.get_by_role("link", name="告知书设置").first.click()
    page.get_by_label("行政诉讼管辖法院").fill("测试市中级人民法院")
    page.get_by_label("邮政编码").fill("3512")
    page.get_by_role("button", name="保存设置").click()
    expect(page.locator("#error-summary")).to_be_focused()
    page.get_by_label("邮政编码").fill("351200")
    page.get_by_role("button", name="保存设置").click()
    expect(page.get_by_text("已保存告知书设置。")).to_be_visible()
    expect(page.get_by_label("行政诉讼管辖法院")).to_have_value("测试市中级人民法院")
    page.screenshot(path=str(artifacts_dir / "letters-settings.png"), full_page=True)

    # On a phone: the variables go under the editor, the preview fits the screen.
    page.set_viewport_size({"width": 390, "height": 844})
    for path in ("letters/settings/", "letters/templates/", "letters/templates/correction_notice/"):
        page.goto(f"{live_server.url}/staff/{agency.code}/applications/{path}")
        assert no_sideways_scroll(page), path
    page.screenshot(path=str(artifacts_dir / "letters-template-phone.png"), full_page=True)
