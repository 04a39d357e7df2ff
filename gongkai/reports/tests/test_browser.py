"""A staff member walks to the report page in headless Chromium (Debian's, never a downloaded one)."""


import pytest
from django.contrib.auth.models import User

from gongkai.agencies.models import Membership, Role
from gongkai.reports.models import AdministrativeFigures
from gongkai.testing import BROWSER


pytestmark = [
    *BROWSER,
]




@pytest.fixture
def handler(transactional_db, agency):
    user = User.objects.create_user("gxj_handler", password="a-demo-password-1")
    Membership.objects.create(user=user, agency=agency, role=Role.HANDLER)
    AdministrativeFigures.objects.create(agency=agency, year=2020, licensing_previous_year_items=4,
                                         other_management_services_previous_year_items=3,
                                         penalty_previous_year_items=62, coercion_previous_year_items=1)
    return user


@pytest.mark.django_db(transaction=True)
def test_staff_logs_in_and_reads_the_report(live_server, handler, agency, page, artifacts_dir):
    page.goto(f"{live_server.url}/staff/")
    assert "登录" in page.title()
    page.get_by_label("用户名").fill("gxj_handler")
    page.get_by_label("密码").fill("a-demo-password-1")
    page.get_by_role("button", name="登录").click()
    page.screenshot(path=str(artifacts_dir / "reports-home.png"), full_page=True)

    page.get_by_role("link", name="2020").first.click()
    page.wait_for_load_state()
    assert page.title().startswith(f"{agency.name}2020年政府信息公开工作年度报告")
    assert page.get_by_text("全部校验通过").is_visible()
    assert page.locator("table").count() >= 3
    page.screenshot(path=str(artifacts_dir / "report-2020.png"), full_page=True)

    # The larger-font mode for older readers is a keyboard-operable toggle that is remembered.
    toggle = page.get_by_role("button", name="大字模式")
    toggle.focus()
    page.keyboard.press("Enter")
    assert page.evaluate("document.documentElement.classList.contains('large-font')")
    page.reload()
    assert page.evaluate("document.documentElement.classList.contains('large-font')")
    page.screenshot(path=str(artifacts_dir / "report-2020-large-font.png"))

    # Year navigation goes to the 2021 format.
    page.get_by_label("年度").select_option("2023")
    page.wait_for_url("**/reports/2023/")
    assert page.get_by_text("本年制发件数").first.is_visible()

    # A phone-sized screen still shows the page without horizontal page scroll.
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    page.screenshot(path=str(artifacts_dir / "report-2023-phone.png"), full_page=True)
