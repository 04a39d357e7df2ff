"""Writes of the annual report: drafting, sign-off (submit → approve → publish), correction, import.

A report is drafted live from the records (the tables) plus three narrative
sections staff edit; the checks must pass before it is submitted; the
approver approves; the office publishes, which freezes the canonical JSON
and the narrative as a numbered ``AnnualReportVersion`` and points
``AnnualReport.snapshot`` at it. A published report changes only by a
correction: it goes back to draft with a reason and is published again as
the next version; every version stays readable (decision 014).

Each step is a ``Transition`` (role check, row lock, audit entry).
"""

from __future__ import annotations

from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from gongkai.agencies.models import Agency, Role
from gongkai.agencies.selectors import roles_in
from gongkai.audit.services import audit_record
from gongkai.audit.transitions import ActionForbidden, ActionRefused, Transition

from .models import AnnualReport, AnnualReportVersion, ReportStatus
from .narrative import draft_sections
from .schema import report_errors

# Who does what (decision 014). Supervisors hold no role in the agency: they read only.
DRAFTING_ROLES = frozenset({Role.PUBLISHER, Role.AGENCY_ADMIN})
APPROVING_ROLES = frozenset({Role.APPROVER, Role.AGENCY_ADMIN})
PUBLISHING_ROLES = frozenset({Role.PUBLISHER, Role.AGENCY_ADMIN})

NARRATIVE_FIELDS = ("overview", "problems", "other_matters")
NARRATIVE_MAX_LENGTH = 20_000

NOT_DRAFT = "报告当前为“{status}”，只有起草中的报告可以修改正文。"
CHECKS_FAIL = "报告有 {n} 项错误级别的校验未通过，请先核对记录后再{what}：{first}"
REASON_REQUIRED = "请填写{what}的原因。"
NARRATIVE_TOO_LONG = "“{label}”不能超过 {n} 个字。"

__all__ = [
    "ActionForbidden", "ActionRefused", "ApproveReport", "CorrectReport", "ImportRefused", "PublishReport",
    "ReportAlreadyPublished", "ReturnReport", "ScriptRefused", "SubmitReport", "report_draft",
    "report_get_or_create", "report_narrative_update", "report_publish_scripted", "report_store_imported",
    "report_transition", "user_may_draft",
]


def user_may_draft(user, agency: Agency) -> bool:
    return bool(roles_in(user, agency) & DRAFTING_ROLES)


def report_get_or_create(*, agency: Agency, year: int) -> AnnualReport:
    """The agency's report record for ``year``; two requests at once create one row (unique constraint)."""
    try:
        with transaction.atomic():
            report, _ = AnnualReport.objects.get_or_create(agency=agency, year=year)
    except IntegrityError:
        report = AnnualReport.objects.get(agency=agency, year=year)
    return report


def _computed(report: AnnualReport):
    from .selectors import agency_report

    return agency_report(agency=report.agency, year=report.year)


def _errors(computed) -> list:
    return [v for v in computed.checks if v.severity == "error"]


def _lock(report: AnnualReport) -> AnnualReport:
    return AnnualReport.objects.select_for_update(of=("self",)).select_related("agency__region").get(pk=report.pk)


def report_draft(*, agency: Agency, year: int, user, overwrite: bool = False) -> AnnualReport:
    """Draft sections 一、五、六 from the year's records; empty sections only unless ``overwrite``."""
    if not user_may_draft(user, agency):
        raise ActionForbidden("您没有起草年度报告的权限。")
    report = report_get_or_create(agency=agency, year=year)
    with transaction.atomic():
        report = _lock(report)
        if report.status != ReportStatus.DRAFT:
            raise ActionRefused(NOT_DRAFT.format(status=report.get_status_display()))
        drafted = draft_sections(_computed(report))
        changed = [f for f in NARRATIVE_FIELDS if overwrite or not getattr(report, f).strip()]
        for f in changed:
            setattr(report, f, drafted[f])
        if changed:
            report.full_clean()
            report.save()
            audit_record(actor=user, agency=agency, target=report, action="annualreport.draft",
                         from_state=report.status, to_state=report.status, note="按记录起草正文",
                         data={"sections": changed})
    return report


def report_narrative_update(*, report: AnnualReport, user, overview: str, problems: str, other_matters: str
                            ) -> AnnualReport:
    """Staff's edit of the narrative; only while the report is a draft."""
    if not user_may_draft(user, report.agency):
        raise ActionForbidden("您没有编辑年度报告的权限。")
    values = {"overview": overview, "problems": problems, "other_matters": other_matters}
    for f, value in values.items():
        if len(value) > NARRATIVE_MAX_LENGTH:
            raise ActionRefused(NARRATIVE_TOO_LONG.format(label=AnnualReport._meta.get_field(f).verbose_name,
                                                          n=NARRATIVE_MAX_LENGTH), f)
    with transaction.atomic():
        locked = _lock(report)
        if locked.status != ReportStatus.DRAFT:
            raise ActionRefused(NOT_DRAFT.format(status=locked.get_status_display()))
        changed = [f for f, v in values.items() if getattr(locked, f) != v.strip()]
        for f in changed:
            setattr(locked, f, values[f].strip())
        if changed:
            locked.full_clean()
            locked.save()
            audit_record(actor=user, agency=locked.agency, target=locked, action="annualreport.edit",
                         from_state=locked.status, to_state=locked.status, note="编辑正文",
                         data={"sections": changed})
    report.refresh_from_db()
    return report


# --- sign-off ----------------------------------------------------------------


class ReportAction(Transition):
    subject = "报告"

    @property
    def report(self) -> AnnualReport:
        return self.obj

    def require_checks(self, what: str) -> None:
        self.computed = _computed(self.report)
        errors = _errors(self.computed)
        if errors:
            raise ActionRefused(CHECKS_FAIL.format(n=len(errors), what=what, first=errors[0].message))


class SubmitReport(ReportAction):
    """The drafter submits the report for approval; every error-level check must pass."""

    code, label = "submit", "提交审批"
    sources, target = (ReportStatus.DRAFT,), ReportStatus.SUBMITTED
    roles = tuple(DRAFTING_ROLES)

    def validate(self):
        if not self.report.overview.strip():
            raise ActionRefused("请先填写“一、总体情况”。", "overview")
        self.require_checks("提交")

    def apply(self):
        self.report.submitted_at, self.report.submitted_by = timezone.now(), self.user
        return {}


class ApproveReport(ReportAction):
    """The approver (分管领导) signs the report off; not one they submitted themselves."""

    code, label = "approve", "审批通过"
    sources, target = (ReportStatus.SUBMITTED,), ReportStatus.APPROVED
    roles = tuple(APPROVING_ROLES)

    def check(self):
        super().check()
        if self.report.submitted_by_id == self.user.pk and not self.user.is_superuser:
            raise ActionRefused("不能审批自己提交的报告。")

    def validate(self):
        self.require_checks("审批")

    def apply(self):
        self.report.approved_at, self.report.approved_by = timezone.now(), self.user
        return {}


class ReturnReport(ReportAction):
    """Sent back to the drafter, with the reason."""

    code, label = "return", "退回修改"
    sources, target = (ReportStatus.SUBMITTED, ReportStatus.APPROVED), ReportStatus.DRAFT
    roles = tuple(APPROVING_ROLES | PUBLISHING_ROLES)

    def validate(self, *, reason: str):
        if not reason.strip():
            raise ActionRefused(REASON_REQUIRED.format(what="退回"), "reason")

    def apply(self, *, reason: str):
        self.report.approved_at = self.report.approved_by = None
        return {"reason": reason.strip()}


class PublishReport(ReportAction):
    """The office publishes the approved report: its figures and text are frozen as the next version."""

    code, label = "publish", "发布"
    sources, target = (ReportStatus.APPROVED,), ReportStatus.PUBLISHED
    roles = tuple(PUBLISHING_ROLES)

    def validate(self, *, at: datetime | None = None):
        self.require_checks("发布")

    def apply(self, *, at: datetime | None = None):
        version = _freeze_version(self.report, self.computed, user=self.user, at=at)
        return {"version": version.number, "reason": version.reason, "on_time": version.on_time}


def _freeze_version(report: AnnualReport, computed, *, user, at: datetime | None) -> AnnualReportVersion:
    """The next published version of ``report`` (locked by the caller): figures, checks and text as they are now."""
    number = (report.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    version = AnnualReportVersion.objects.create(
        report=report, number=number, canonical=computed.canonical(),
        overview=report.overview, problems=report.problems, other_matters=report.other_matters,
        published_at=at or timezone.now(), published_by=user if getattr(user, "is_authenticated", False) else None,
        reason=(report.correction_reason or "") if number > 1 else "",
    )
    report.snapshot = version.canonical
    report.correction_reason = ""
    return version


class CorrectReport(ReportAction):
    """Reopen a published report to correct it; the published version stays public until the next one."""

    code, label = "correct", "更正"
    sources, target = (ReportStatus.PUBLISHED,), ReportStatus.DRAFT
    roles = tuple(DRAFTING_ROLES)

    def validate(self, *, reason: str):
        if not reason.strip():
            raise ActionRefused(REASON_REQUIRED.format(what="更正"), "reason")

    def apply(self, *, reason: str):
        report = self.report
        report.correction_reason = reason.strip()
        report.submitted_at = report.submitted_by = report.approved_at = report.approved_by = None
        return {"reason": reason.strip()}


ACTIONS = {cls.code: cls for cls in (SubmitReport, ApproveReport, ReturnReport, PublishReport, CorrectReport)}


def report_transition(*, report: AnnualReport, code: str, user, today: date | None = None, note: str = "",
                      **params) -> AnnualReport:
    """Run the sign-off step ``code`` (``submit``, ``approve``, ``return``, ``publish``, ``correct``)."""
    action = ACTIONS[code](report, user=user, today=today or timezone.localdate())
    return action.run(note=note or params.get("reason", ""), **params)


class ScriptRefused(ActionRefused):
    """``gongkai report publish`` cannot publish; the reason is in Chinese."""


def report_publish_scripted(*, agency: Agency, year: int, reason: str = "", at: datetime | None = None
                            ) -> AnnualReportVersion:
    """Publish from a script (``gongkai report publish``): the whole sign-off in one step, with no user.

    The checks still apply: an error-level failure refuses. Publishing a report
    already published is a correction and needs ``reason``; the audit trail
    records the step as made from the command line.
    """
    report = report_get_or_create(agency=agency, year=year)
    with transaction.atomic():
        report = _lock(report)
        before = report.status
        if before == ReportStatus.PUBLISHED:
            if not reason.strip():
                raise ScriptRefused(f"{agency.name}{year}年度报告已发布；发布更正版本请用 --reason 说明更正原因。")
            report.correction_reason = reason.strip()
        elif reason.strip() and report.versions.exists():
            report.correction_reason = reason.strip()
        if report.versions.exists() and not report.correction_reason:
            raise ScriptRefused(REASON_REQUIRED.format(what="更正"))
        computed = _computed(report)
        errors = _errors(computed)
        if errors:
            raise ScriptRefused(CHECKS_FAIL.format(n=len(errors), what="发布", first=errors[0].message))
        version = _freeze_version(report, computed, user=None, at=at)
        report.status = ReportStatus.PUBLISHED
        report.full_clean()
        report.save()
        audit_record(actor=None, agency=agency, target=report, action="annualreport.publish", from_state=before,
                     to_state=report.status, note="命令行发布" + (f"：{version.reason}" if version.reason else ""),
                     data={"version": version.number, "on_time": version.on_time, "script": True})
    return version


# --- import (issue 7) --------------------------------------------------------


class ImportRefused(ValueError):
    """The imported document cannot be stored; ``str(e)`` says why in Chinese."""


class ReportAlreadyPublished(ImportRefused):
    """The agency already has published figures for the year and ``replace`` was not given."""


def report_store_imported(*, agency: Agency, year: int, canonical: dict, replace: bool, source_name: str,
                          actor=None, narrative: dict | None = None, published_at: datetime | None = None
                          ) -> AnnualReportVersion:
    """Store a report read from a published file as a published version marked as imported.

    ``canonical`` must be a canonical document (DOMAIN.md §2) of this agency and
    year. Existing published figures are kept unless ``replace``: then the
    import becomes the next version, the earlier ones staying visible.
    ``narrative`` may give ``overview``, ``problems``, ``other_matters``.
    """
    problems = report_errors(canonical)
    if problems:
        raise ImportRefused("导入的报告数据不符合规范格式：" + "；".join(problems[:5]))
    owner = canonical.get("agency") or {}
    if owner.get("code") != agency.code:
        raise ImportRefused(f"报告数据属于机关“{owner.get('code') or '（无）'}”，不是{agency.name}（{agency.code}）。")
    if canonical.get("year") != year:
        raise ImportRefused(f"报告数据的年度为{canonical.get('year')}年，不是{year}年。")
    narrative = {f: (narrative or {}).get(f, "") or "" for f in NARRATIVE_FIELDS}
    report = report_get_or_create(agency=agency, year=year)
    with transaction.atomic():
        report = _lock(report)
        before = report.status
        if report.snapshot is not None and not replace:
            raise ReportAlreadyPublished(f"{agency.name}{year}年度报告已有发布的数据，未指定替换，未导入。")
        number = (report.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
        version = AnnualReportVersion.objects.create(
            report=report, number=number, canonical=canonical, published_at=published_at or timezone.now(),
            published_by=actor if getattr(actor, "is_authenticated", False) else None,
            reason=f"导入替换：{source_name}" if number > 1 else "", imported=True, source_name=source_name[:300],
            **{f: narrative[f] or getattr(report, f) for f in NARRATIVE_FIELDS},
        )
        for f in NARRATIVE_FIELDS:
            if narrative[f]:
                setattr(report, f, narrative[f])
        report.snapshot = canonical
        report.status = ReportStatus.PUBLISHED
        report.correction_reason = ""
        report.save()
        audit_record(actor=actor, agency=agency, target=report, action="annualreport.import", from_state=before,
                     to_state=report.status, note=f"导入：{source_name}", data={"version": number})
    return version
