"""The demo's annual reports through their sign-off, so the supervisor's dashboard shows a realistic mix.

Every report up to 2025 (due 31 January 2026) went through submit → approve
→ publish, most in January, with these exceptions for 2025: the 生态环境局
published late (9 February), the 自然资源局 published on time and then a
correction (version 2, with its reason), and the 人社局's report still waits
for approval. For 2026 (due 31 January 2027) the 工信局 has drafted its
narrative from the records and the 县政府办 has submitted; the others have
not started; a late registration makes the 工信局's 2026 draft fail A4. History before 2026 is written directly (a load must be fast
and always the same); the 2026 steps go through the services with their
audit entries.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model

from gongkai.agencies.models import Agency, Membership, Role
from gongkai.audit.transitions import ActionRefused
from gongkai.reports.models import AnnualReport, AnnualReportVersion, ReportStatus
from gongkai.reports.selectors import agency_reports
from gongkai.reports.services import report_draft, report_transition

from .records import AS_OF, REPORT_YEARS

TZ = ZoneInfo("Asia/Shanghai")
LATE = {("xianyou-sthjj", 2025): (2, 9)}
CORRECTED = {("xianyou-zrzyj", 2025): ((3, 10), "更正第六部分：人大代表建议和政协提案的承办件数填写有误。")}
AWAITING_APPROVAL = {("xianyou-rsj", 2025)}
DRAFTING_2026 = "xianyou-gxj"
SUBMITTED_2026 = "xianyou-zfb"


def _at(year: int, month: int, day: int, hour: int = 10) -> datetime:
    return datetime.combine(datetime(year, month, day).date(), time(hour), tzinfo=TZ)


def _signers(agencies: list[Agency]) -> dict[int, tuple]:
    """Per agency: who drafts and publishes (publisher, else admin) and who approves (approver, else admin)."""
    User = get_user_model()
    rows = Membership.objects.filter(agency__in=agencies).values_list("agency_id", "role", "user_id")
    by_role: dict[tuple[int, str], int] = {}
    for agency_id, role, user_id in rows:
        by_role.setdefault((agency_id, role), user_id)
    users = User.objects.in_bulk({u for *_, u in rows})
    out = {}
    for a in agencies:
        admin = by_role.get((a.id, Role.AGENCY_ADMIN))
        drafter = users.get(by_role.get((a.id, Role.PUBLISHER), admin))
        approver = users.get(by_role.get((a.id, Role.APPROVER), admin))
        out[a.id] = (drafter, approver)
    return out


def reports_sign_off(agencies: list[Agency]) -> None:
    signers = _signers(agencies)
    versions = []
    for year in REPORT_YEARS:
        frozen = {r.agency.pk: r.canonical() for r in agency_reports(agencies=agencies, year=year)}
        records = AnnualReport.objects.filter(agency__in=agencies, year=year).select_related("agency")
        for i, report in enumerate(sorted(records, key=lambda r: r.agency.code)):
            key = (report.agency.code, year)
            drafter, approver = signers[report.agency_id]
            month, day = LATE.get(key, (1, 8 + 3 * i))
            published = _at(year + 1, month, day)
            report.submitted_at, report.submitted_by = published - timedelta(days=4), drafter
            if key in AWAITING_APPROVAL:
                report.status = ReportStatus.SUBMITTED
                report.submitted_at = _at(year + 1, 1, 27)
                report.save()
                continue
            report.approved_at, report.approved_by = published - timedelta(days=2), approver
            report.status = ReportStatus.PUBLISHED
            report.snapshot = frozen[report.agency_id]
            report.save()
            first = AnnualReportVersion(report=report, number=1, canonical=report.snapshot, overview=report.overview,
                                        problems=report.problems, other_matters=report.other_matters,
                                        published_at=published, published_by=drafter)
            versions.append(first)
            if key in CORRECTED:
                (month, day), reason = CORRECTED[key]
                first.other_matters = report.other_matters.replace("均已按期办结", "均已办结（件数待核）")
                versions.append(AnnualReportVersion(
                    report=report, number=2, canonical=report.snapshot, overview=report.overview,
                    problems=report.problems, other_matters=report.other_matters,
                    published_at=_at(year + 1, month, day), published_by=drafter, reason=reason))
    AnnualReportVersion.objects.bulk_create(versions)
    _late_registration(agencies)
    _reports_2026(agencies, signers)


def _late_registration(agencies: list[Agency]) -> None:
    """A letter received on 29 December 2025 was registered only after the 2025 report was published: the
    records now carry one more application over into 2026 than the published report carried forward, which the
    2026 report's cross-year check A4 reports on the dashboard."""
    from datetime import date

    from gongkai.applications.models import ApplicantType, Application, Channel, Outcome, Status

    agency = next((a for a in agencies if a.code == DRAFTING_2026), None)
    if agency is None:
        return
    Application.objects.create(
        agency=agency, applicant_type=ApplicantType.NATURAL_PERSON, channel=Channel.SIGNED_MAIL,
        applicant_name="林晓东", phone="13905940000", email="lin.xiaodong@example.invalid",
        submitted_on=date(2025, 12, 26), received_on=date(2025, 12, 29), clock_started_on=date(2025, 12, 29),
        description="申请公开2025年度全县规模以上工业企业技术改造项目补助资金的分配结果。",
        status=Status.DECIDED, outcome=Outcome.DISCLOSED, concluded_on=date(2026, 1, 20),
        due_on=date(2026, 1, 27), reply_summary="予以公开，提供补助资金分配结果文件。")


def _reports_2026(agencies: list[Agency], signers: dict[int, tuple]) -> None:
    year = AS_OF.year
    by_code = {a.code: a for a in agencies}
    for code in (DRAFTING_2026, SUBMITTED_2026):
        agency = by_code.get(code)
        if agency is None:
            continue
        drafter, _ = signers[agency.id]
        report = report_draft(agency=agency, year=year, user=drafter)
        if code == SUBMITTED_2026:
            try:
                report_transition(report=report, code="submit", user=drafter, today=AS_OF)
            except ActionRefused:
                pass  # the records of a year still running fail a check: it stays a draft
