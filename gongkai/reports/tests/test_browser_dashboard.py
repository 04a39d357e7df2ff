"""A drafter signs a report off and the county's supervisor walks the dashboard, in headless Chromium (Debian's)."""

from datetime import date, datetime, timezone

import pytest

from gongkai.agencies.models import Agency, Role, Supervision
from gongkai.applications.models import ApplicantType, Application, Channel, Status
from gongkai.catalogue.models import DocumentType, Item, ItemStatus
from gongkai.reports.models import AnnualReport, ReportStatus
from gongkai.reports.services import report_draft, report_transition
from gongkai.testing import BROWSER, staff_member

pytestmark = [*BROWSER]

PASSWORD = "a-demo-password-1"
YEAR = 2025


def _user(name, agency=None, role=None):
    return staff_member(name, agency, *filter(None, [role]), password=PASSWORD, first_name=name)


@pytest.fixture
def county(transactional_db, agency, region):
    """The seed-like agency (nothing drafted yet), one published on time, one late, one awaiting approval."""
    supervisor = _user("county_supervisor")
    Supervision.objects.create(user=supervisor, region=region)
    staff = {"publisher": _user("gxj_publisher", agency, Role.PUBLISHER),
             "approver": _user("gxj_approver", agency, Role.APPROVER)}
    for i in range(3):
        Item.objects.create(agency=agency, title=f"惠企政策{i}", document_type=DocumentType.OTHER,
                            status=ItemStatus.PUBLISHED, formed_on=date(YEAR, 3, 1), published_on=date(YEAR, 3, 5))
    Application.objects.create(agency=agency, applicant_type=ApplicantType.NATURAL_PERSON, channel=Channel.IN_PERSON,
                               received_on=date(2026, 1, 5), status=Status.REGISTERED, due_on=date(2026, 2, 2))
    others = []
    for code, name, when in (("testcounty-zfb", "测试县人民政府办公室", datetime(YEAR + 1, 1, 20, tzinfo=timezone.utc)),
                             ("testcounty-hbj", "测试县生态环境局", datetime(YEAR + 1, 2, 9, tzinfo=timezone.utc)),
                             ("testcounty-rsj", "测试县人力资源和社会保障局", None)):
        other = Agency.objects.create(code=code, name=name, region=region)
        pub, appr = _user(f"{code}-pub", other, Role.PUBLISHER), _user(f"{code}-appr", other, Role.APPROVER)
        report = report_draft(agency=other, year=YEAR, user=pub)
        report_transition(report=report, code="submit", user=pub)
        if when:
            report_transition(report=report, code="approve", user=appr)
            report_transition(report=report, code="publish", user=pub, at=when)
        others.append(other)
    Item.objects.create(agency=others[1], title="迟发的通知", document_type=DocumentType.OTHER,
                        status=ItemStatus.PUBLISHED, formed_on=date(YEAR, 1, 2), published_on=date(YEAR, 5, 2),
                        late=True)
    return {"supervisor": supervisor, **staff}


def _login(page, base, username):
    page.goto(f"{base}/staff/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state()


@pytest.mark.django_db(transaction=True)
def test_drafter_signs_off_and_supervisor_walks_the_dashboard(live_server, county, agency, page, artifacts_dir):
    base = live_server.url
    # The office drafts from the records, edits, and submits.
    _login(page, base, "gxj_publisher")
    page.goto(f"{base}/staff/{agency.code}/reports/{YEAR}/")
    assert page.locator("[data-status]").inner_text() == "未开始"
    page.get_by_role("button", name="按记录起草空白部分").click()
    page.wait_for_load_state()
    overview = page.get_by_label("一、总体情况")
    assert "全年共主动公开政府信息3条" in overview.input_value()
    overview.fill(overview.input_value().replace("培训×次", "培训2次"))
    page.get_by_role("button", name="保存正文").click()
    page.wait_for_load_state()
    assert page.get_by_text("正文已保存。").is_visible()
    page.get_by_role("button", name="提交审批").click()
    page.wait_for_load_state()
    assert page.locator("[data-status]").inner_text() == "已提交审批"
    page.wait_for_selector("[data-chart='outcomes'][data-chart-ready='true']")
    page.screenshot(path=str(artifacts_dir / "report-signoff-submitted.png"), full_page=True)
    page.get_by_role("button", name="退出登录").click()

    # The county's 政务公开办 opens the dashboard from the staff navigation.
    _login(page, base, "county_supervisor")
    page.get_by_role("link", name="监督看板").click()
    page.wait_for_url(f"**/staff/dashboard/{agency.region.code}/*/")
    page.get_by_label("年度").select_option(str(YEAR))
    page.wait_for_url(f"**/staff/dashboard/{agency.region.code}/{YEAR}/")
    page.wait_for_selector("[data-chart][data-chart-ready='true']")
    rows = {r.get_attribute("data-agency"): r.inner_text() for r in page.locator("tr[data-agency]").all()}
    assert "已提交审批" in rows[agency.code] and "逾期未发布" in rows[agency.code]
    assert "已发布" in rows["testcounty-zfb"] and "按期" in rows["testcounty-zfb"]
    assert "逾期" in rows["testcounty-hbj"] and "已发布" in rows["testcounty-hbj"]
    assert "已提交审批" in rows["testcounty-rsj"]
    assert page.locator(f"tr[data-agency='{agency.code}'] td.gk-count a").first.inner_text() == "1"
    assert page.locator("tr[data-agency='testcounty-hbj'] td.gk-count").nth(1).inner_text() == "1"
    assert page.locator(".gk-chart-canvas svg").count() == 4
    page.screenshot(path=str(artifacts_dir / "dashboard.png"), full_page=True)

    # The overview downloads as XLSX.
    with page.expect_download() as download:
        page.get_by_role("link", name="导出总览（XLSX）").click()
    assert download.value.suggested_filename == f"{agency.region.code}-{YEAR}-overview.xlsx"

    # A chart's figures are a table for screen readers and keyboard users too.
    page.get_by_text("查看数据表").first.click()
    assert page.get_by_role("row", name="予以公开").first.is_visible()

    # From the board to an agency's report: read only for the supervisor.
    page.get_by_role("link", name="测试县生态环境局").click()
    page.wait_for_load_state()
    assert page.locator("[data-status]").inner_text() == "已发布"
    assert page.get_by_role("button", name="更正").count() == 0
    assert page.get_by_label("一、总体情况").count() == 0
    assert page.get_by_text("第1版").is_visible()

    # On a phone the board fits the screen (wide tables scroll inside their box).
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{base}/staff/dashboard/{agency.region.code}/{YEAR}/")
    page.wait_for_selector("[data-chart][data-chart-ready='true']")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    page.screenshot(path=str(artifacts_dir / "dashboard-phone.png"), full_page=True)

    assert page.csp_violations == []
    assert page.external_requests == []
    assert AnnualReport.objects.get(agency=agency, year=YEAR).status == ReportStatus.SUBMITTED
