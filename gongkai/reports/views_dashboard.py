"""The supervisor's dashboard (政务公开办): thin views over ``dashboard.py``.

Supervisors see the regions they supervise and every region below; superusers
see every region. Nobody else opens these pages (agency staff see their own
agency's report page). Read only: nothing here changes a record, and the
pages answer GET and HEAD only.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from gongkai.agencies.models import Region

from .charts import report_charts
from .dashboard import dashboard_xlsx, region_dashboard
from .formats import FIRST_YEAR
from .render import CONTENT_TYPES, EXTENSIONS, RENDERERS, download_name
from .render import render as render_report
from .selectors import region_report

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def regions_supervised(user):
    """The regions whose dashboard ``user`` may open: supervised ones and those below them."""
    if not user.is_authenticated:
        return Region.objects.none()
    if user.is_superuser:
        return Region.objects.all()
    paths = list(user.supervisions.values_list("region__path", flat=True))
    if not paths:
        return Region.objects.none()
    condition = Q()
    for path in paths:
        condition |= Q(path__startswith=path)
    return Region.objects.filter(condition)


def user_may_supervise(user) -> bool:
    return user.is_authenticated and (user.is_superuser or user.supervisions.exists())


def _region(request, code: str) -> Region:
    region = get_object_or_404(Region, code=code)
    if not regions_supervised(request.user).filter(pk=region.pk).exists():
        raise PermissionDenied("您无权查看该区划的监督看板。")
    return region


def _years() -> list[int]:
    return list(range(timezone.localdate().year, FIRST_YEAR - 1, -1))


def _year(year: int) -> int:
    if year not in _years():
        raise Http404("没有该年度的报告。")
    return year


@require_safe
@login_required
def dashboard_home(request):
    """To the dashboard of the user's (top) region for the report due now (last year's)."""
    regions = regions_supervised(request.user).order_by("path")
    region = regions.first()
    if region is None:
        raise PermissionDenied("监督看板仅供政务公开办（监督人员）使用。")
    return redirect("reports:dashboard", region.code, timezone.localdate().year - 1)


@require_safe
@login_required
def dashboard(request, region, year):
    region = _region(request, region)
    year = _year(year)
    board = region_dashboard(region=region, year=year, today=timezone.localdate())
    aggregate = region_report(region=region, year=year)
    charts = report_charts(year=year, region=region)
    return render(request, "reports/dashboard.html", {
        "board": board, "region": region, "year": year, "years": _years(),
        "regions": regions_supervised(request.user).order_by("path"),
        "aggregate": aggregate,
        "aggregate_errors": [c for c in aggregate.checks if c.severity == "error"],
        "downloads": [(fmt, EXTENSIONS[fmt]) for fmt in RENDERERS],
        "charts": charts, "charts_json": [c.as_dict() for c in charts],
    })


@require_safe
@login_required
def dashboard_export(request, region, year):
    region = _region(request, region)
    board = region_dashboard(region=region, year=_year(year), today=timezone.localdate())
    response = HttpResponse(dashboard_xlsx(board), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{region.code}-{year}-overview.xlsx"'
    return response


@require_safe
@login_required
def region_report_download(request, region, year, fmt):
    """The region's aggregate report (every agency under it summed) in any export format."""
    if fmt not in RENDERERS:
        raise Http404("不支持的格式。")
    region = _region(request, region)
    report = region_report(region=region, year=_year(year))
    response = HttpResponse(render_report(report, fmt), content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{download_name(report, fmt)}"'
    return response
