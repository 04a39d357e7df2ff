"""The supervisor's dashboard (政务公开办): every agency of a region for one report year.

For each agency: where its report stands (not started, drafting, submitted,
approved, published — and whether it was published by 31 January), the
check errors of its report (the cross-year A4 included), its overdue
applications and its items published late. A fixed number of queries
whatever the number of agencies: the reports of all agencies at once
(``agency_reports``), one grouped query each for the report records, the
overdue applications and the late publications.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from io import BytesIO

from django.db.models import Count, Max, Min

from gongkai.agencies.models import Agency, Region
from gongkai.applications.selectors import applications_overdue_counts
from gongkai.catalogue.selectors import items_late_counts

from .checks import ERROR, Violation
from .models import AnnualReport, ReportStatus, publication_deadline
from .selectors import agency_reports

NOT_STARTED = "not_started"
STATUS_LABELS = {NOT_STARTED: "未开始", **dict(ReportStatus.choices)}


@dataclass
class AgencyRow:
    agency: Agency
    year: int
    status: str
    versions: int = 0
    first_published_at: datetime | None = None
    last_published_at: datetime | None = None
    errors: list[Violation] = field(default_factory=list)
    warnings: int = 0
    overdue_applications: int = 0
    late_publications: int = 0

    @property
    def status_label(self) -> str:
        if self.status != ReportStatus.PUBLISHED and self.versions:
            return f"更正中（已发布第{self.versions}版）"
        return STATUS_LABELS[self.status]

    @property
    def published(self) -> bool:
        return self.versions > 0

    @property
    def on_time(self) -> bool | None:
        """Whether the first version came out by 31 January; None while unpublished."""
        if self.first_published_at is None:
            return None
        return self.first_published_at.date() <= self.deadline

    @property
    def deadline(self) -> date:
        return publication_deadline(self.year)


@dataclass
class Dashboard:
    region: Region
    year: int
    today: date
    rows: list[AgencyRow]

    @property
    def deadline(self) -> date:
        return publication_deadline(self.year)

    @property
    def deadline_passed(self) -> bool:
        return self.today > self.deadline

    def count(self, status: str) -> int:
        return sum(1 for r in self.rows if r.status == status)

    @property
    def summary(self) -> list[tuple[str, int]]:
        return [(STATUS_LABELS[s], self.count(s)) for s in (NOT_STARTED, *ReportStatus.values)]

    @property
    def published_on_time(self) -> int:
        return sum(1 for r in self.rows if r.on_time)

    @property
    def published_late(self) -> int:
        return sum(1 for r in self.rows if r.on_time is False)

    @property
    def with_errors(self) -> int:
        return sum(1 for r in self.rows if r.errors)


def region_dashboard(*, region: Region, year: int, today: date) -> Dashboard:
    agencies = list(Agency.objects.filter(region__path__startswith=region.path).select_related("region")
                    .order_by("region__path", "code"))
    ids = [a.id for a in agencies]
    reports = {r.agency.id: r for r in agency_reports(agencies=agencies, year=year)}
    records = {
        r["agency_id"]: r for r in AnnualReport.objects.filter(agency_id__in=ids, year=year)
        .values("agency_id", "status")
        .annotate(n=Count("versions"), first=Min("versions__published_at"), last=Max("versions__published_at"))
        .order_by()
    }
    overdue = applications_overdue_counts(ids, today)
    late = items_late_counts(ids, year)
    rows = []
    for agency in agencies:
        record = records.get(agency.id)
        checks = reports[agency.id].checks
        rows.append(AgencyRow(
            agency=agency, year=year,
            status=record["status"] if record else NOT_STARTED,
            versions=record["n"] if record else 0,
            first_published_at=record["first"] if record else None,
            last_published_at=record["last"] if record else None,
            errors=[c for c in checks if c.severity == ERROR],
            warnings=sum(1 for c in checks if c.severity != ERROR),
            overdue_applications=overdue.get(agency.id, 0),
            late_publications=late.get(agency.id, 0),
        ))
    return Dashboard(region=region, year=year, today=today, rows=rows)


OVERVIEW_COLUMNS = (
    ("机关", 34), ("所属区划", 12), ("报告状态", 18), ("首次发布时间", 18), ("是否按期（1月31日前）", 14),
    ("已发布版本数", 10), ("校验错误数", 10), ("校验错误", 60), ("警告数", 8), ("逾期未办结申请", 12),
    ("超期发布的主动公开信息", 14),
)


def dashboard_xlsx(dashboard: Dashboard) -> bytes:
    """The overview as a spreadsheet, one row per agency."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = f"{dashboard.year}年度"
    title = f"{dashboard.region.name}{dashboard.year}年度政府信息公开工作年度报告情况（截至{dashboard.today:%Y年%m月%d日}）"
    ws.cell(row=1, column=1, value=title).font = Font(bold=True, size=13)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(OVERVIEW_COLUMNS))
    for c, (label, width) in enumerate(OVERVIEW_COLUMNS, start=1):
        cell = ws.cell(row=2, column=c, value=label)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        ws.column_dimensions[get_column_letter(c)].width = width
    for r, row in enumerate(dashboard.rows, start=3):
        on_time = {True: "按期", False: "逾期", None: "未发布"}[row.on_time]
        values = (
            row.agency.name, row.agency.region.name, row.status_label,
            row.first_published_at.astimezone().strftime("%Y-%m-%d %H:%M") if row.first_published_at else "",
            on_time, row.versions, len(row.errors), "\n".join(f"{v.rule} {v.message}" for v in row.errors),
            row.warnings, row.overdue_applications, row.late_publications,
        )
        for c, value in enumerate(values, start=1):
            ws.cell(row=r, column=c, value=value).alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "B3"
    out = BytesIO()
    wb.save(out)
    return out.getvalue()
