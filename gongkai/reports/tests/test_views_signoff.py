"""The staff pages of drafting and sign-off, and the supervisor's dashboard: who may do and see what."""

import io
from datetime import date

import openpyxl
import pytest
from django.urls import reverse

from gongkai.agencies.models import Agency, Role, Supervision
from gongkai.applications.models import ApplicantType, Application, Channel, Status
from gongkai.catalogue.models import DocumentType, Item, ItemStatus
from gongkai.reports.models import AnnualReport, ReportStatus
from gongkai.reports.services import report_draft, report_transition
from gongkai.testing import staff_member

YEAR = 2023


def _user(name, agency=None, *roles):
    return staff_member(name, agency, *roles)


@pytest.fixture
def people(agency, other_agency, region):
    supervisor = _user("supervisor")
    Supervision.objects.create(user=supervisor, region=region)
    return {
        "publisher": _user("publisher", agency, Role.PUBLISHER),
        "approver": _user("approver", agency, Role.APPROVER),
        "handler": _user("handler", agency, Role.HANDLER),
        "stranger": _user("stranger", other_agency, Role.AGENCY_ADMIN),
        "supervisor": supervisor,
    }


def page(agency, year=YEAR):
    return reverse("reports:agency_report", args=[agency.code, year])


def action(agency, code, year=YEAR):
    return reverse("reports:agency_report_action", args=[agency.code, year, code])


@pytest.mark.django_db
def test_drafter_drafts_edits_and_walks_the_sign_off(client, agency, people):
    client.force_login(people["publisher"])
    response = client.post(reverse("reports:agency_report_draft", args=[agency.code, YEAR]), follow=True)
    html = response.content.decode()
    assert "已按本年度记录起草正文" in html and "全年共主动公开政府信息0条" in html
    record = AnnualReport.objects.get(agency=agency, year=YEAR)
    response = client.post(reverse("reports:agency_report_narrative", args=[agency.code, YEAR]),
                           {"overview": "全年共主动公开政府信息0条。", "problems": "无。", "other_matters": "无。"},
                           follow=True)
    assert "正文已保存" in response.content.decode()
    record.refresh_from_db()
    assert record.overview == "全年共主动公开政府信息0条。"
    client.post(action(agency, "submit"))
    record.refresh_from_db()
    assert record.status == ReportStatus.SUBMITTED
    # The approver sees the approve button, and the page no longer offers editing.
    client.force_login(people["approver"])
    html = client.get(page(agency)).content.decode()
    assert "审批通过" in html and 'name="overview"' not in html
    client.post(action(agency, "approve"))
    client.force_login(people["publisher"])
    response = client.post(action(agency, "publish"), follow=True)
    assert "已发布。" in response.content.decode()
    record.refresh_from_db()
    assert record.status == ReportStatus.PUBLISHED and record.versions.count() == 1
    html = client.get(page(agency)).content.decode()
    assert "第1版" in html and "首次发布" in html
    version_pdf = client.get(reverse("reports:agency_report_version_download", args=[agency.code, YEAR, 1, "pdf"]))
    assert version_pdf.status_code == 200 and version_pdf.content.startswith(b"%PDF")
    assert 'filename="testcounty-gxj-2023-v1.pdf"' in version_pdf["Content-Disposition"]


@pytest.mark.django_db
def test_a_refused_step_shows_its_reason_and_changes_nothing(client, agency, people):
    client.force_login(people["publisher"])
    client.post(reverse("reports:agency_report_draft", args=[agency.code, YEAR]))
    client.post(action(agency, "submit"))
    response = client.post(action(agency, "submit"), follow=True)
    assert "不能提交审批" in response.content.decode()
    client.force_login(people["approver"])
    response = client.post(action(agency, "return"), {"reason": ""}, follow=True)
    assert "请填写退回的原因" in response.content.decode()
    assert AnnualReport.objects.get(agency=agency, year=YEAR).status == ReportStatus.SUBMITTED


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["handler", "supervisor"])
def test_staff_without_the_role_and_supervisors_cannot_write(client, agency, people, who):
    report = report_draft(agency=agency, year=YEAR, user=people["publisher"])
    client.force_login(people[who])
    html = client.get(page(agency)).content.decode()
    assert 'name="overview"' not in html and "提交审批</button>" not in html
    assert client.post(reverse("reports:agency_report_draft", args=[agency.code, YEAR])).status_code == 403
    assert client.post(reverse("reports:agency_report_narrative", args=[agency.code, YEAR]),
                       {"overview": "x", "problems": "", "other_matters": ""}).status_code == 403
    assert client.post(action(agency, "submit")).status_code == 403
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT and report.overview.startswith("2023年")


@pytest.mark.django_db
def test_other_agencies_staff_are_forbidden_everywhere(client, agency, people):
    report = report_draft(agency=agency, year=YEAR, user=people["publisher"])
    report_transition(report=report, code="submit", user=people["publisher"])
    report_transition(report=report, code="approve", user=people["approver"])
    report_transition(report=report, code="publish", user=people["publisher"])
    client.force_login(people["stranger"])
    for url in (page(agency), reverse("reports:agency_report_version_download", args=[agency.code, YEAR, 1, "json"])):
        assert client.get(url).status_code == 403
    for url in (reverse("reports:agency_report_draft", args=[agency.code, YEAR]), action(agency, "correct")):
        assert client.post(url, {"reason": "x"}).status_code == 403
    assert client.get(reverse("reports:dashboard", args=["testcounty", 2023])).status_code == 403
    assert client.get(reverse("reports:dashboard_home")).status_code == 403


@pytest.mark.django_db
def test_login_required_and_post_only(client, agency):
    for url in (page(agency), reverse("reports:dashboard", args=["testcounty", 2023])):
        assert client.get(url).status_code == 302
    user = _user("pub", agency, Role.PUBLISHER)
    client.force_login(user)
    assert client.get(reverse("reports:agency_report_draft", args=[agency.code, YEAR])).status_code == 405


# --- the dashboard -----------------------------------------------------------------


@pytest.fixture
def county(agency, region, people):
    """Four agencies in the county: published on time, published late, submitted, not started."""
    late = Agency.objects.create(code="testcounty-late", name="测试县迟报局", region=region)
    submitted = Agency.objects.create(code="testcounty-sub", name="测试县送审局", region=region)
    Agency.objects.create(code="testcounty-none", name="测试县未动局", region=region)
    from datetime import datetime, timezone

    for a, when in ((agency, datetime(YEAR + 1, 1, 20, tzinfo=timezone.utc)),
                    (late, datetime(YEAR + 1, 2, 10, tzinfo=timezone.utc))):
        pub = _user(f"pub-{a.code}", a, Role.PUBLISHER)
        appr = _user(f"appr-{a.code}", a, Role.APPROVER)
        r = report_draft(agency=a, year=YEAR, user=pub)
        report_transition(report=r, code="submit", user=pub)
        report_transition(report=r, code="approve", user=appr)
        report_transition(report=r, code="publish", user=pub, at=when)
    pub = _user("pub-sub", submitted, Role.PUBLISHER)
    report_transition(report=report_draft(agency=submitted, year=YEAR, user=pub), code="submit", user=pub)
    # An overdue application and a late publication at the seed agency.
    Application.objects.create(agency=agency, applicant_type=ApplicantType.NATURAL_PERSON, channel=Channel.IN_PERSON,
                               received_on=date(2026, 1, 5), status=Status.REGISTERED, due_on=date(2026, 2, 2))
    Item.objects.create(agency=late, title="迟发的文件", document_type=DocumentType.OTHER, status=ItemStatus.PUBLISHED,
                        formed_on=date(YEAR, 1, 2), published_on=date(YEAR, 5, 2), late=True)
    return {"late": late, "submitted": submitted}


@pytest.mark.django_db
def test_dashboard_shows_every_agency_status_timeliness_and_counts(client, agency, county, people,
                                                                  django_assert_max_num_queries):
    client.force_login(people["supervisor"])
    url = reverse("reports:dashboard", args=["testcounty", YEAR])
    # Bounded: the agencies' reports with A4 (3 years × 5 queries), the aggregate (3 × 5), five years of charts
    # (5 × 5 + 1) and the grouped counts; the next test shows it does not grow with the agencies.
    with django_assert_max_num_queries(80):
        response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    for name in ("测试县工业和信息化局", "测试县迟报局", "测试县送审局", "测试县未动局"):
        assert name in html
    assert "按期" in html and "逾期" in html and "已提交审批" in html and "未开始" in html
    assert "逾期未发布" in html  # 31 January 2024 has passed for the ones not published
    assert f'href="{reverse("applications:overdue", args=[agency.code])}"' in html
    assert "汇总报告" in html and "历年对比" in html and 'id="gk-chart-data"' in html
    # The other county's agency is not on this region's board.
    assert "邻县工业和信息化局" not in html


@pytest.mark.django_db
def test_dashboard_query_count_does_not_grow_with_agencies(client, region, people, county):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(people["supervisor"])
    url = reverse("reports:dashboard", args=["testcounty", YEAR])
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for i in range(8):
        Agency.objects.create(code=f"testcounty-x{i}", name=f"机关{i}", region=region)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many.captured_queries) == len(few.captured_queries)


@pytest.mark.django_db
def test_dashboard_overview_xlsx(client, agency, county, people):
    client.force_login(people["supervisor"])
    response = client.get(reverse("reports:dashboard_export", args=["testcounty", YEAR]))
    assert response.status_code == 200
    ws = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = {r[0]: r for r in ws.iter_rows(min_row=3, values_only=True)}
    assert rows["测试县工业和信息化局"][2] == "已发布" and rows["测试县工业和信息化局"][4] == "按期"
    assert rows["测试县迟报局"][4] == "逾期" and rows["测试县迟报局"][10] == 1
    assert rows["测试县送审局"][2] == "已提交审批" and rows["测试县未动局"][2] == "未开始"
    assert rows["测试县工业和信息化局"][9] == 1
    assert "测试县" in ws["A1"].value


@pytest.mark.django_db
def test_region_aggregate_download(client, county, people):
    client.force_login(people["supervisor"])
    response = client.get(reverse("reports:region_report_download", args=["testcounty", YEAR, "json"]))
    assert response.status_code == 200 and response.json()["region"]["code"] == "testcounty"


@pytest.mark.django_db
def test_supervisor_of_a_province_sees_the_counties_below(client, agency, other_agency, region):
    user = _user("province")
    Supervision.objects.create(user=user, region=region.parent)
    client.force_login(user)
    assert client.get(reverse("reports:dashboard", args=["othercounty", YEAR])).status_code == 200
    response = client.get(reverse("reports:dashboard_home"))
    assert response["Location"] == reverse("reports:dashboard", args=[region.parent.code, date.today().year - 1])
    html = client.get(response["Location"]).content.decode()
    assert agency.name in html and other_agency.name in html
    assert "监督看板" in html


@pytest.mark.django_db
def test_staff_have_no_dashboard_link(client, agency):
    user = _user("pub", agency, Role.PUBLISHER)
    client.force_login(user)
    assert "监督看板" not in client.get(page(agency)).content.decode()



@pytest.mark.django_db
def test_portal_shows_the_current_version_and_lists_the_earlier_one(client, agency, people):
    def sign_off(report):
        report_transition(report=report, code="submit", user=people["publisher"])
        report_transition(report=report, code="approve", user=people["approver"])
        return report_transition(report=report, code="publish", user=people["publisher"])

    report = sign_off(report_draft(agency=agency, year=YEAR, user=people["publisher"]))
    report = report_transition(report=report, code="correct", user=people["publisher"], reason="补录漏报的申请")
    # While the correction is drafted, the public still reads version 1, text included.
    report.overview = "更正稿：全年共收到政府信息公开申请1件。"
    report.save()
    assert "更正稿" not in client.get(f"/{agency.code}/reports/{YEAR}/").content.decode()
    Application.objects.create(agency=agency, applicant_type=ApplicantType.NATURAL_PERSON, channel=Channel.IN_PERSON,
                               received_on=date(YEAR, 6, 1))
    sign_off(report)

    html = client.get(f"/{agency.code}/reports/{YEAR}/").content.decode()
    assert "更正稿：全年共收到政府信息公开申请1件。" in html
    assert "第2版" in html and "（现行）" in html and "更正原因：补录漏报的申请" in html
    assert f'href="/{agency.code}/reports/{YEAR}/versions/1/"' in html
    old = client.get(f"/{agency.code}/reports/{YEAR}/versions/1/").content.decode()
    assert "该版本已被更正" in old and "更正稿" not in old
    first = client.get(f"/{agency.code}/reports/{YEAR}/versions/1/report.json").json()
    current = client.get(f"/{agency.code}/reports/{YEAR}/report.json").json()
    assert first["applications"]["new_received"]["total"] == 0
    assert current["applications"]["new_received"]["total"] == 1
    # The public API keeps serving the current published figures.
    assert client.get(f"/api/v1/reports/{agency.code}/{YEAR}").json()["applications"]["new_received"]["total"] == 1


@pytest.mark.django_db
def test_a_refused_edit_creates_no_record(client, agency, people):
    client.force_login(people["handler"])
    response = client.post(reverse("reports:agency_report_narrative", args=[agency.code, YEAR]),
                           {"overview": "x", "problems": "", "other_matters": ""})
    assert response.status_code == 403
    assert not AnnualReport.objects.filter(agency=agency, year=YEAR).exists()
