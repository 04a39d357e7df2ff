"""Staff pages for the annual report: thin views over the selectors and renderers."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from gongkai.agencies.models import Agency
from gongkai.agencies.selectors import agencies_visible_to, user_can_view_agency

from .formats import FIRST_YEAR, UnknownYear, format_for_year
from .render import CONTENT_TYPES, EXTENSIONS, RENDERERS, download_name
from .render import render as render_report
from .render.html import table_layout
from .selectors import Report, agency_report


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
    return render(request, "reports/home.html", {"agencies": agencies, "years": years, "default_year": default_year})


@login_required
def agency_report_page(request, agency, year):
    report = _visible_report(request, agency, year)
    return render(request, "reports/agency_report.html", {
        "report": report,
        "agency": report.agency,
        "layout": table_layout(report, cell_url=_application_cell_url(request, report)),
        "years": _report_years(),
        "errors": [c for c in report.checks if c.severity == "error"],
        "warnings": [c for c in report.checks if c.severity != "error"],
        "downloads": [(fmt, EXTENSIONS[fmt]) for fmt in RENDERERS],
    })


@login_required
def agency_report_download(request, agency, year, fmt):
    if fmt not in RENDERERS:
        raise Http404("不支持的格式。")
    report = _visible_report(request, agency, year)
    response = HttpResponse(render_report(report, fmt), content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{download_name(report, fmt)}"'
    return response
