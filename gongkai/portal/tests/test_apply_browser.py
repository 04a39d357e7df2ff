"""An applicant applies online with keyboard and mouse, reads the tracking code off the receipt and looks it up,
in headless Chromium (Debian's), under the Content-Security-Policy."""

import re
from datetime import date

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache

from gongkai.agencies.models import Membership, Role
from gongkai.agencies.workdays import working_day_calendar
from gongkai.applications import workflow as wf
from gongkai.applications.models import Application, Channel, Status
from gongkai.testing import BROWSER

expect = pytest.importorskip("playwright.sync_api").expect

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
ID_NUMBER = "350322199001011234"
PHONE = "13812345678"
NAME = "张三丰"

pytestmark = [
    *BROWSER,
    pytest.mark.urls("gongkai.portal.tests.urls_apply_for_tests"),
]




@pytest.fixture
def files(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                                   "LOCATION": "gongkai-test-apply-browser"}}
    cache.clear()
    (tmp_path / "身份证正面.png").write_bytes(PNG)
    (tmp_path / "情况说明.pdf").write_bytes(PDF)
    return tmp_path


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def radio(page, group: str, label: str):
    return page.get_by_role("group", name=re.compile(f"^{group}")).get_by_role("radio", name=label, exact=True)


@pytest.mark.django_db(transaction=True)
def test_apply_online_then_track(live_server, agency, files, page, artifacts_dir):
    base = live_server.url
    page.goto(f"{base}/{agency.code}/apply/")
    expect(page).to_have_title(re.compile("^在线申请政府信息公开"))
    assert page.evaluate("document.documentElement.classList !== undefined")

    # The organisation's fields appear only for an organisation (the page script, allowed by the CSP).
    organisation = page.get_by_label("法人或其他组织名称")
    expect(organisation).to_be_hidden()
    radio(page, "申请人类型", "商业企业").click()
    expect(organisation).to_be_visible()
    radio(page, "申请人类型", "自然人").click()
    expect(organisation).to_be_hidden()

    # Keyboard: click into a field, type, Tab on.
    page.get_by_label("申请人姓名").click()
    page.keyboard.type(NAME)
    page.keyboard.press("Tab")
    page.keyboard.press("ArrowDown")  # 证件类型: the first type, 居民身份证
    expect(page.get_by_label("证件类型")).to_have_value("resident_id")
    page.keyboard.press("Tab")
    page.keyboard.type(ID_NUMBER[:-1] + "5")  # a wrong check digit
    page.get_by_label("身份证明").set_input_files(str(files / "身份证正面.png"))
    page.get_by_label("联系电话").click()
    page.keyboard.type(PHONE)
    page.get_by_label("电子邮箱").fill("zhangsan@example.com")
    page.get_by_label("通信地址").fill("福建省莆田市仙游县鲤城街道八二五大街100号")
    page.get_by_label("所需政府信息的描述").click()
    page.keyboard.type("2024年工业企业技术改造补贴的企业名单及补贴金额")
    page.get_by_label("文件名称、文号或其他特征描述").fill("仙工信〔2024〕12号")
    radio(page, "信息的提供形式", "电子邮件").click()
    radio(page, "获取信息的方式", "电子邮件").click()
    page.get_by_label("其他附件").set_input_files(str(files / "情况说明.pdf"))
    page.screenshot(path=str(artifacts_dir / "apply-form.png"), full_page=True)
    page.get_by_role("button", name="提交申请").click()

    # Errors: summarised, focused, tied to their fields; the other fields and the accepted files are kept.
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("居民身份证号码校验位不正确")
    expect(summary).to_contain_text("请阅读并勾选承诺和同意事项")
    expect(page.get_by_label("申请人姓名")).to_have_value(NAME)
    expect(page.get_by_text("已暂存的身份证明")).to_be_visible()
    expect(page.get_by_label(re.compile("身份证正面.png"))).to_be_checked()
    expect(page.get_by_label(re.compile("情况说明.pdf"))).to_be_checked()
    page.screenshot(path=str(artifacts_dir / "apply-form-errors.png"), full_page=True)
    summary.get_by_role("link", name=re.compile("证件号码")).click()
    expect(page.get_by_label("证件号码")).to_be_focused()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type(ID_NUMBER)
    consent = page.get_by_label(re.compile("本人承诺所填信息真实有效"))
    consent.focus()
    page.keyboard.press("Space")
    expect(consent).to_be_checked()
    page.get_by_role("button", name="提交申请").click()

    # The receipt: the tracking code, what happens next, never the identity number.
    expect(page).to_have_title(re.compile("^申请已提交"))
    code = page.locator("[data-tracking-code]").inner_text().strip()
    assert re.fullmatch(r"[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}", code)
    application = Application.objects.get()
    assert application.tracking_code == code
    assert (application.status, application.channel) == (Status.PENDING_CONFIRMATION, Channel.ONLINE)
    assert application.documents.count() == 2
    receipt = page.content()
    assert ID_NUMBER not in receipt and NAME not in receipt
    expect(page.get_by_text("双方确认之日为收到申请之日")).to_be_visible()
    page.screenshot(path=str(artifacts_dir / "apply-receipt.png"), full_page=True)

    # Looking it up: the code comes prefilled from the receipt's link, the phone is typed, Enter sends.
    page.get_by_role("link", name="查询办理进度").last.click()
    expect(page.get_by_label("查询码")).to_have_value(code)
    page.get_by_label("联系电话或电子邮箱").click()
    page.keyboard.type("13900000000")
    page.keyboard.press("Enter")
    expect(page.get_by_text("未查询到相符的申请")).to_be_visible()
    page.get_by_label("查询码").fill(code.replace("-", "").lower())
    page.get_by_label("联系电话或电子邮箱").fill(PHONE)
    page.keyboard.press("Enter")
    expect(page.locator("[data-stage]")).to_have_text("已提交待确认")
    status_html = page.content()
    for secret in (NAME, ID_NUMBER, PHONE):
        assert secret not in status_html
    page.screenshot(path=str(artifacts_dir / "apply-track-pending.png"), full_page=True)

    # The office confirms receipt: the status shows 办理中 and the reply's due date.
    registrar = User.objects.create_user("registrar", password="x-long-password-1")
    Membership.objects.create(user=registrar, agency=agency, role=Role.REGISTRAR)
    day = date(2025, 1, 20)
    Application.objects.filter(pk=application.pk).update(submitted_on=day)
    wf.ConfirmReceipt(application, user=registrar, today=day, calendar=working_day_calendar()).run(confirmed_on=day)
    page.goto(f"{base}/track/?code={code}")
    page.get_by_label("联系电话或电子邮箱").fill("zhangsan@example.com")
    page.get_by_role("button", name="查询").click()
    expect(page.locator("[data-stage]")).to_have_text("办理中")
    expect(page.locator("[data-due]")).to_contain_text("2025年2月21日")
    page.screenshot(path=str(artifacts_dir / "apply-track-registered.png"), full_page=True)

    # A phone's width: nothing scrolls sideways.
    page.set_viewport_size({"width": 390, "height": 844})
    assert no_sideways_scroll(page)
    page.screenshot(path=str(artifacts_dir / "apply-track-phone.png"), full_page=True)
    page.goto(f"{base}/{agency.code}/apply/")
    assert no_sideways_scroll(page)
    page.screenshot(path=str(artifacts_dir / "apply-form-phone.png"), full_page=True)
    page.get_by_role("button", name="提交申请").click()
    expect(page.locator("#error-summary")).to_be_focused()
    assert no_sideways_scroll(page)
    page.screenshot(path=str(artifacts_dir / "apply-form-errors-phone.png"), full_page=True)
    page.goto(f"{base}/{agency.code}/feedback/")
    assert no_sideways_scroll(page)
    page.screenshot(path=str(artifacts_dir / "feedback-form-phone.png"), full_page=True)

    assert page.csp_violations == []


@pytest.mark.django_db(transaction=True)
def test_feedback_answered_and_published_as_a_concern(live_server, agency, files, page, artifacts_dir):
    base = live_server.url
    page.goto(f"{base}/{agency.code}/feedback/")
    radio(page, "留言类型", "投诉/举报").click()
    page.get_by_label("标题").click()
    page.keyboard.type("申请逾期未答复")
    page.get_by_label("内容").fill("我于上月提交的政府信息公开申请已超过二十个工作日，至今仍未收到答复。")
    page.get_by_role("textbox", name=re.compile("^姓名")).fill("李四")
    page.get_by_label("联系电话").fill(PHONE)
    page.get_by_label(re.compile("同意本机关将我的问题和答复")).check()
    page.get_by_role("button", name="提交留言").click()
    expect(page.get_by_text("已收到您的留言")).to_be_visible()

    publisher = User.objects.create_user("gxj_publisher", password="x-long-password-1", last_name="王", first_name="发布")
    Membership.objects.create(user=publisher, agency=agency, role=Role.PUBLISHER)
    page.goto(f"{base}/accounts/login/?next=/staff/{agency.code}/feedback/")
    page.get_by_label("用户名").fill("gxj_publisher")
    page.get_by_label("密码").fill("x-long-password-1")
    page.get_by_role("button", name="登录").click()
    page.get_by_role("link", name="申请逾期未答复").click()
    page.get_by_role("textbox", name=re.compile("^答复")).fill("经核查，您的申请已于3月3日答复并邮寄送达，请注意查收。")
    page.get_by_role("button", name="保存答复").click()
    expect(page.get_by_text("已保存答复。")).to_be_visible()
    page.get_by_label("公开的问题").fill("申请超过答复期限仍未收到答复，怎么办？")
    page.get_by_label("本机关的回应").fill("可以向本机关留言投诉，我们将核查并答复；也可以依法申请行政复议或者提起行政诉讼。")
    page.get_by_role("button", name="发布").click()
    expect(page.get_by_text("已发布到“回应关切”栏目。")).to_be_visible()
    page.screenshot(path=str(artifacts_dir / "feedback-staff-detail.png"), full_page=True)

    page.goto(f"{base}/{agency.code}/concerns/")
    expect(page.get_by_role("heading", name="申请超过答复期限仍未收到答复，怎么办？")).to_be_visible()
    assert "李四" not in page.content() and PHONE not in page.content()
    page.screenshot(path=str(artifacts_dir / "concerns.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    assert no_sideways_scroll(page)
    page.screenshot(path=str(artifacts_dir / "concerns-phone.png"), full_page=True)
    assert page.csp_violations == []
