"""Drafting, sign-off, publication, correction and import of annual reports (reports/services.py)."""

from datetime import date, datetime, timezone as dt_timezone
from decimal import Decimal

import pytest
from django.contrib.auth.models import User

from gongkai.agencies.models import Role, Supervision
from gongkai.applications.models import ApplicantType, Application, Channel, FeeNotice, Outcome
from gongkai.audit.models import AuditEntry
from gongkai.catalogue.models import DocumentType, Item, ItemStatus
from gongkai.reports.models import AnnualReport, AnnualReportVersion, ReportStatus
from gongkai.reports.selectors import agency_report
from gongkai.reports.services import (
    ActionForbidden,
    ActionRefused,
    ImportRefused,
    ReportAlreadyPublished,
    report_draft,
    report_get_or_create,
    report_narrative_update,
    report_store_imported,
    report_transition,
)
from gongkai.testing import staff_member

YEAR = 2023


def _user(name, agency, *roles):
    return staff_member(name, agency, *roles)


@pytest.fixture
def staff(agency):
    return {
        "publisher": _user("publisher", agency, Role.PUBLISHER),
        "approver": _user("approver", agency, Role.APPROVER),
        "admin": _user("admin", agency, Role.AGENCY_ADMIN),
        "handler": _user("handler", agency, Role.HANDLER),
    }


@pytest.fixture
def records(agency):
    """Three items published in 2023, two applications (one concluded, one carried forward), a fee paid."""
    for i in range(3):
        Item.objects.create(agency=agency, title=f"文件{i}", document_type=DocumentType.OTHER,
                            status=ItemStatus.PUBLISHED, formed_on=date(YEAR, 3, 1), published_on=date(YEAR, 3, 10))
    done = Application.objects.create(agency=agency, applicant_type=ApplicantType.NATURAL_PERSON,
                                      channel=Channel.IN_PERSON, received_on=date(YEAR, 4, 1),
                                      concluded_on=date(YEAR, 5, 20), outcome=Outcome.DISCLOSED)
    Application.objects.create(agency=agency, applicant_type=ApplicantType.COMMERCIAL_ENTERPRISE,
                               channel=Channel.IN_PERSON, received_on=date(YEAR, 12, 20))
    FeeNotice.objects.create(application=done, scheme="per_volume", quantity=60, amount=Decimal("300.00"),
                             breakdown="31–60页", notified_on=date(YEAR, 4, 20), payment_due_on=date(YEAR, 5, 19),
                             paid_on=date(YEAR, 4, 25))


def _sign_off(report, staff):
    report_transition(report=report, code="submit", user=staff["publisher"])
    report_transition(report=report, code="approve", user=staff["approver"])
    return report_transition(report=report, code="publish", user=staff["publisher"])


@pytest.mark.django_db
def test_draft_quotes_the_records_and_passes_t1(agency, staff, records):
    """The drafted sections quote the figures of the tables and records, the fees collected in 六 included."""
    report = report_draft(agency=agency, year=YEAR, user=staff["publisher"])
    assert "全年共主动公开政府信息3条" in report.overview
    assert "全年共收到政府信息公开申请2件" in report.overview
    assert "结转下年度继续办理1件" in report.overview
    assert "收取信息处理费300元" in report.other_matters
    assert report.problems.startswith("（一）存在问题")
    checks = agency_report(agency=agency, year=YEAR).checks
    assert not [c for c in checks if c.rule == "T1"], checks
    assert AuditEntry.objects.filter(action="annualreport.draft", target_id=str(report.pk)).count() == 1


@pytest.mark.django_db
def test_t1_flags_an_edited_figure_that_disagrees(agency, staff, records):
    report = report_draft(agency=agency, year=YEAR, user=staff["publisher"])
    report_narrative_update(report=report, user=staff["publisher"],
                            overview=report.overview.replace("主动公开政府信息3条", "主动公开政府信息30条"),
                            problems=report.problems,
                            other_matters=report.other_matters.replace("300元", "500元"))
    messages = [c.message for c in agency_report(agency=agency, year=YEAR).checks if c.rule == "T1"]
    assert any("主动公开政府信息30条" in m and "(3)" in m for m in messages)
    assert any("信息处理费500元" in m for m in messages)


@pytest.mark.django_db
def test_draft_keeps_edited_sections_unless_overwritten(agency, staff, records):
    report = report_draft(agency=agency, year=YEAR, user=staff["publisher"])
    report_narrative_update(report=report, user=staff["publisher"], overview="自己写的总体情况。", problems="",
                            other_matters=report.other_matters)
    report = report_draft(agency=agency, year=YEAR, user=staff["publisher"])
    assert report.overview == "自己写的总体情况。" and report.problems.startswith("（一）")
    report = report_draft(agency=agency, year=YEAR, user=staff["publisher"], overwrite=True)
    assert "主动公开政府信息3条" in report.overview


@pytest.mark.django_db
def test_only_drafters_draft_and_supervisors_read_only(agency, region, staff):
    supervisor = User.objects.create_user("sup", password="x-very-long-password")
    Supervision.objects.create(user=supervisor, region=region)
    for user in (staff["handler"], staff["approver"], supervisor):
        with pytest.raises(ActionForbidden):
            report_draft(agency=agency, year=YEAR, user=user)
    report = report_draft(agency=agency, year=YEAR, user=staff["admin"])
    with pytest.raises(ActionForbidden):
        report_transition(report=report, code="submit", user=supervisor)
    with pytest.raises(ActionForbidden):
        report_narrative_update(report=report, user=staff["handler"], overview="x", problems="", other_matters="")


@pytest.mark.django_db
def test_sign_off_publishes_a_frozen_version(agency, staff, records):
    """submit → approve → publish freezes figures and text; later records do not change the published report."""
    report = report_draft(agency=agency, year=YEAR, user=staff["publisher"])
    report = _sign_off(report, staff)
    assert report.status == ReportStatus.PUBLISHED
    version = report.versions.get()
    assert version.number == 1 and version.reason == "" and not version.imported
    assert version.published_by == staff["publisher"] and version.overview == report.overview
    assert report.snapshot == version.canonical
    assert report.snapshot["proactive"]["normative_documents"]["new_made" if YEAR < 2021 else "issued"] == 0
    assert report.snapshot["applications"]["new_received"]["total"] == 2

    Application.objects.create(agency=agency, applicant_type=ApplicantType.NATURAL_PERSON, channel=Channel.IN_PERSON,
                               received_on=date(YEAR, 6, 1))
    report.refresh_from_db()
    assert report.snapshot["applications"]["new_received"]["total"] == 2
    assert agency_report(agency=agency, year=YEAR).cells["applications.new_received.total"] == 3
    actions = list(AuditEntry.objects.filter(target_id=str(report.pk), target_type="reports.annualreport")
                   .values_list("action", flat=True))
    assert actions == ["annualreport.draft", "annualreport.submit", "annualreport.approve", "annualreport.publish"]


@pytest.mark.django_db
def test_double_submission_and_publication_create_one_version(agency, staff, records):
    report = report_draft(agency=agency, year=YEAR, user=staff["publisher"])
    report = _sign_off(report, staff)
    with pytest.raises(ActionRefused, match="已发布"):
        report_transition(report=report, code="publish", user=staff["publisher"])
    with pytest.raises(ActionRefused):
        report_transition(report=report, code="submit", user=staff["publisher"])
    assert AnnualReportVersion.objects.filter(report=report).count() == 1


@pytest.mark.django_db
def test_approver_cannot_approve_own_submission_nor_publish(agency, staff, records):
    report = report_draft(agency=agency, year=YEAR, user=staff["admin"])
    report_transition(report=report, code="submit", user=staff["admin"])
    with pytest.raises(ActionRefused, match="自己提交"):
        report_transition(report=report, code="approve", user=staff["admin"])
    report_transition(report=report, code="approve", user=staff["approver"])
    with pytest.raises(ActionForbidden):
        report_transition(report=report, code="publish", user=staff["approver"])


@pytest.mark.django_db
def test_return_needs_a_reason_and_reopens_the_draft(agency, staff, records):
    report = report_draft(agency=agency, year=YEAR, user=staff["publisher"])
    report_transition(report=report, code="submit", user=staff["publisher"])
    with pytest.raises(ActionRefused, match="退回的原因"):
        report_transition(report=report, code="return", user=staff["approver"], reason=" ")
    report = report_transition(report=report, code="return", user=staff["approver"], reason="数字需核对")
    assert report.status == ReportStatus.DRAFT
    assert AuditEntry.objects.get(action="annualreport.return").note == "数字需核对"


@pytest.mark.django_db
def test_editing_is_refused_once_submitted(agency, staff, records):
    report = report_draft(agency=agency, year=YEAR, user=staff["publisher"])
    report_transition(report=report, code="submit", user=staff["publisher"])
    with pytest.raises(ActionRefused, match="只有起草中的报告"):
        report_narrative_update(report=report, user=staff["publisher"], overview="改", problems="", other_matters="")


@pytest.mark.django_db
def test_submission_refused_while_an_error_check_fails(agency, staff, records):
    """A published 2022 report carrying 5 applications forward makes 2023's carried-over 0 an A4 error."""
    doc = agency_report(agency=agency, year=2022).canonical()
    doc["applications"]["carried_forward"]["natural_person"] = 5
    doc["applications"]["carried_forward"]["total"] = 5
    report_store_imported(agency=agency, year=2022, canonical=doc, replace=False, source_name="2022.pdf")
    report = report_draft(agency=agency, year=YEAR, user=staff["publisher"])
    with pytest.raises(ActionRefused, match="A4|错误级别") as e:
        report_transition(report=report, code="submit", user=staff["publisher"])
    assert "2022年第四项结转下年度继续办理(5)" in str(e.value)
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT


@pytest.mark.django_db
def test_correction_is_a_new_version_with_its_reason(agency, staff, records):
    report = report_draft(agency=agency, year=YEAR, user=staff["publisher"])
    report = _sign_off(report, staff)
    first = report.snapshot
    with pytest.raises(ActionRefused, match="更正的原因"):
        report_transition(report=report, code="correct", user=staff["publisher"], reason="")
    report = report_transition(report=report, code="correct", user=staff["publisher"], reason="补录一件申请")
    # While it is corrected, the published figures stay those of version 1.
    assert report.status == ReportStatus.DRAFT and report.snapshot == first
    Application.objects.create(agency=agency, applicant_type=ApplicantType.NATURAL_PERSON, channel=Channel.IN_PERSON,
                               received_on=date(YEAR, 6, 1), concluded_on=date(YEAR, 6, 5), outcome=Outcome.DISCLOSED)
    report = report_draft(agency=agency, year=YEAR, user=staff["publisher"], overwrite=True)
    report = _sign_off(report, staff)
    versions = list(report.versions.order_by("number"))
    assert [v.number for v in versions] == [1, 2]
    assert versions[1].reason == "补录一件申请" and versions[0].reason == ""
    assert versions[0].canonical["applications"]["new_received"]["total"] == 2
    assert versions[1].canonical["applications"]["new_received"]["total"] == 3
    assert report.snapshot == versions[1].canonical and report.correction_reason == ""


@pytest.mark.django_db
def test_published_on_time_is_by_31_january(agency, staff, records):
    report = report_draft(agency=agency, year=YEAR, user=staff["publisher"])
    report_transition(report=report, code="submit", user=staff["publisher"])
    report_transition(report=report, code="approve", user=staff["approver"])
    report = report_transition(report=report, code="publish", user=staff["publisher"],
                               at=datetime(YEAR + 1, 1, 31, 9, tzinfo=dt_timezone.utc))
    assert report.versions.get().on_time
    report = report_transition(report=report, code="correct", user=staff["publisher"], reason="更正")
    report_transition(report=report, code="submit", user=staff["publisher"])
    report_transition(report=report, code="approve", user=staff["approver"])
    report = report_transition(report=report, code="publish", user=staff["publisher"],
                               at=datetime(YEAR + 1, 2, 1, 9, tzinfo=dt_timezone.utc))
    assert not report.versions.get(number=2).on_time


# --- report_store_imported (for issue 7's importer) ---------------------------


@pytest.mark.django_db
def test_import_stores_a_published_version_marked_imported(agency):
    doc = agency_report(agency=agency, year=2020).canonical()
    doc["proactive"]["penalty"]["previous_year_items"] = 62
    version = report_store_imported(agency=agency, year=2020, canonical=doc, replace=False, source_name="gxj-2020.pdf",
                                    narrative={"overview": "全年共主动公开政府信息0条。"})
    report = AnnualReport.objects.get(agency=agency, year=2020)
    assert version.imported and version.source_name == "gxj-2020.pdf" and version.number == 1
    assert report.status == ReportStatus.PUBLISHED and report.snapshot == doc
    assert report.overview == "全年共主动公开政府信息0条。"
    assert AuditEntry.objects.filter(action="annualreport.import", target_id=str(report.pk)).exists()


@pytest.mark.django_db
def test_import_refuses_to_overwrite_unless_replace(agency):
    doc = agency_report(agency=agency, year=2020).canonical()
    report_store_imported(agency=agency, year=2020, canonical=doc, replace=False, source_name="a.pdf")
    changed = {**doc, "appeals": {**doc["appeals"]}}
    changed["appeals"]["reconsideration"] = {"upheld": 1, "corrected": 0, "other": 0, "pending": 0, "total": 1}
    with pytest.raises(ReportAlreadyPublished, match="未指定替换"):
        report_store_imported(agency=agency, year=2020, canonical=changed, replace=False, source_name="b.pdf")
    assert AnnualReport.objects.get(agency=agency, year=2020).snapshot == doc
    version = report_store_imported(agency=agency, year=2020, canonical=changed, replace=True, source_name="b.pdf")
    assert version.number == 2 and version.reason == "导入替换：b.pdf"
    report = AnnualReport.objects.get(agency=agency, year=2020)
    assert report.snapshot["appeals"]["reconsideration"]["total"] == 1 and report.versions.count() == 2


@pytest.mark.django_db
def test_import_refuses_other_agencies_years_and_bad_documents(agency, other_agency):
    doc = agency_report(agency=other_agency, year=2020).canonical()
    with pytest.raises(ImportRefused, match="不是"):
        report_store_imported(agency=agency, year=2020, canonical=doc, replace=False, source_name="x.pdf")
    doc = agency_report(agency=agency, year=2020).canonical()
    with pytest.raises(ImportRefused, match="年度为2020年"):
        report_store_imported(agency=agency, year=2021, canonical=doc, replace=False, source_name="x.pdf")
    with pytest.raises(ImportRefused, match="不符合规范格式"):
        report_store_imported(agency=agency, year=2020, canonical={**doc, "format": "1999"}, replace=False,
                              source_name="x.pdf")
    assert not AnnualReportVersion.objects.exists()


@pytest.mark.django_db
def test_report_record_is_created_once(agency):
    assert report_get_or_create(agency=agency, year=2024).pk == report_get_or_create(agency=agency, year=2024).pk
