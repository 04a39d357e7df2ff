"""Staff pages for the annual report: thin views over the selectors, services and renderers."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from gongkai.agencies.models import Agency
from gongkai.agencies.selectors import agencies_visible_to, user_can_view_agency

from .formats import FIRST_YEAR, UnknownYear, format_for_year
from .render import CONTENT_TYPES, EXTENSIONS, RENDERERS, download_name
from .render import render as render_report
from .render.html import table_layout
from . import services
from .charts import report_charts
from .models import AnnualReport, ReportStatus
from .selectors import Report, agency_report, report_versions, version_report


def _application_cell_url(request, report: Report):
    """Links from the figures of table 三 to the applications they count, for users who may see them."""
    from gongkai.applications.selectors import user_can_view_applications

    agency = report.agency
    if agency is None or not user_can_view_applications(request.user, agency):
        return None
    base = reverse("applications:list", args=[agency.code])

    def cell_url(code: str) -> str | None:
        if not code.startswith("applications."):
            return None
        return f"{base}?{urlencode({'cell': code, 'year': report.year})}"

    return cell_url


def _report_years() -> list[int]:
    return list(range(timezone.localdate().year, FIRST_YEAR - 1, -1))


def _visible_report(request, agency_code: str, year: int) -> Report:
    agency = get_object_or_404(Agency.objects.select_related("region"), code=agency_code)
    if not user_can_view_agency(user=request.user, agency=agency):
        raise PermissionDenied("您无权查看该机关的年度报告。")
    if year not in _report_years():
        raise Http404("没有该年度的报告。")
    try:
        format_for_year(year)
    except UnknownYear as e:
        raise Http404(str(e)) from e
    return agency_report(agency=agency, year=year)


@login_required
def home(request):
    agencies = agencies_visible_to(user=request.user).select_related("region").order_by("region__path", "code")
    years = _report_years()
    # The report due now is last year's (published by 31 January).
    default_year = years[1] if len(years) > 1 else years[0]
    labels = dict(ReportStatus.choices)
    statuses = dict(AnnualReport.objects.filter(agency__in=agencies, year=default_year)
                    .values_list("agency_id", "status"))
    rows = [(agency, labels.get(statuses.get(agency.id), "未开始")) for agency in agencies]
    return render(request, "reports/home.html", {"agencies": agencies, "rows": rows, "years": years,
                                                 "default_year": default_year})


SECTION_FIELDS = (("overview", "一、总体情况"), ("problems", "五、存在的主要问题及改进情况"),
                  ("other_matters", "六、其他需要报告的事项"))
DONE = {"submit": "已提交审批。", "approve": "已审批通过，待办公室发布。", "return": "已退回修改。",
        "publish": "已发布。公开门户显示本次发布的版本。", "correct": "报告已重新打开以便更正；发布更正版本前，门户仍显示原版本。"}
# Steps whose form asks for a reason.
NEEDS_REASON = ("return", "correct")


@login_required
def agency_report_page(request, agency, year):
    report = _visible_report(request, agency, year)
    record = AnnualReport.objects.filter(agency=report.agency, year=year).first()
    actions = []
    if record is not None:
        today = timezone.localdate()
        actions = [(code, cls.label, code in NEEDS_REASON) for code, cls in services.ACTIONS.items()
                   if cls(record, user=request.user, today=today).allowed()]
    may_draft = services.user_may_draft(request.user, report.agency)
    editable = may_draft and (record is None or record.status == ReportStatus.DRAFT)
    charts = report_charts(year=year, agency=report.agency)
    return render(request, "reports/agency_report.html", {
        "report": report,
        "agency": report.agency,
        "record": record,
        "status_label": record.get_status_display() if record else "未开始",
        "versions": report_versions(record),
        "actions": actions,
        "editable": editable,
        "sections": [(f, label, getattr(record, f, "") if record else "") for f, label in SECTION_FIELDS],
        "layout": table_layout(report, cell_url=_application_cell_url(request, report)),
        "years": _report_years(),
        "errors": [c for c in report.checks if c.severity == "error"],
        "warnings": [c for c in report.checks if c.severity != "error"],
        "downloads": [(fmt, EXTENSIONS[fmt]) for fmt in RENDERERS],
        "charts": charts,
        "charts_json": [c.as_dict() for c in charts],
    })


def _back(agency, year):
    return redirect("reports:agency_report", agency, year)


@require_POST
@login_required
def agency_report_draft(request, agency, year):
    """Draft sections 一、五、六 from the records (empty ones, or all with ``overwrite``)."""
    report = _visible_report(request, agency, year)
    try:
        services.report_draft(agency=report.agency, year=year, user=request.user,
                              overwrite=request.POST.get("overwrite") == "1")
    except services.ActionRefused as e:
        messages.error(request, e.reason)
    else:
        messages.success(request, "已按本年度记录起草正文，请核对修改后保存。")
    return _back(agency, year)


@require_POST
@login_required
def agency_report_narrative(request, agency, year):
    report = _visible_report(request, agency, year)
    if not services.user_may_draft(request.user, report.agency):
        raise PermissionDenied("您没有编辑年度报告的权限。")
    record = services.report_get_or_create(agency=report.agency, year=year)
    try:
        services.report_narrative_update(report=record, user=request.user,
                                         **{f: request.POST.get(f, "") for f, _ in SECTION_FIELDS})
    except services.ActionRefused as e:
        messages.error(request, e.reason)
    else:
        messages.success(request, "正文已保存。")
    return _back(agency, year)


@require_POST
@login_required
def agency_report_action(request, agency, year, code):
    if code not in services.ACTIONS:
        raise Http404("没有这个操作。")
    report = _visible_report(request, agency, year)
    record = get_object_or_404(AnnualReport, agency=report.agency, year=year)
    params = {"reason": request.POST.get("reason", "")} if code in NEEDS_REASON else {}
    try:
        services.report_transition(report=record, code=code, user=request.user, **params)
    except services.ActionRefused as e:
        messages.error(request, e.reason)
    else:
        messages.success(request, DONE[code])
    return _back(agency, year)


@require_safe
@login_required
def agency_report_version_download(request, agency, year, number, fmt):
    """A published version exactly as it was frozen."""
    if fmt not in RENDERERS:
        raise Http404("不支持的格式。")
    report = _visible_report(request, agency, year)
    record = get_object_or_404(AnnualReport, agency=report.agency, year=year)
    version = get_object_or_404(record.versions, number=number)
    frozen = version_report(version, agency=report.agency)
    response = HttpResponse(render_report(frozen, fmt), content_type=CONTENT_TYPES[fmt])
    name = download_name(frozen, fmt).replace(f".{EXTENSIONS[fmt]}", f"-v{number}.{EXTENSIONS[fmt]}")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def agency_report_download(request, agency, year, fmt):
    if fmt not in RENDERERS:
        raise Http404("不支持的格式。")
    report = _visible_report(request, agency, year)
    response = HttpResponse(render_report(report, fmt), content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{download_name(report, fmt)}"'
    return response
