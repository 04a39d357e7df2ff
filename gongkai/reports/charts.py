"""Year-over-year charts of an agency's or a region's reports.

``report_charts()`` gathers the data (a fixed number of queries per year
shown, whatever the records); the pages draw it with the vendored ECharts
(``static/vendor/echarts``) from a JSON data block, and ``chart_svg()``
draws the same data as a static SVG for the PDF (decision 015). A year
already published is read from its frozen snapshot, so the charts show
what was published; other years are computed from the records.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from xml.sax.saxutils import escape

from django.db.models import Count
from django.db.models.functions import ExtractYear

from gongkai.agencies.models import Agency, Region
from gongkai.catalogue.models import DocumentType, Item, ItemStatus

from .canonical import flatten
from .compute import compute_figures
from .formats import APPLICANT_COLUMNS, FIRST_YEAR
from .models import AnnualReport

YEARS_SHOWN = 5

# Outcome groups of table 三: the prefix of the row codes they sum.
OUTCOME_GROUPS = (
    ("disclosed", "予以公开"),
    ("partially_disclosed", "部分公开"),
    ("withheld", "不予公开"),
    ("unavailable", "无法提供"),
    ("not_processed", "不予处理"),
    ("other", "其他处理"),
)
ITEM_TYPES = ((DocumentType.REGULATION, "规章"), (DocumentType.NORMATIVE_DOCUMENT, "规范性文件"),
              (DocumentType.OTHER, "其他政府信息"))
# Colour-blind-safe palette (Okabe–Ito), dark enough for 3:1 against white.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#8C6D00")


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[int, ...]


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    years: tuple[int, ...]
    series: tuple[Series, ...]
    unit: str = "件"

    def as_dict(self) -> dict:
        return asdict(self)


def chart_years(year: int) -> list[int]:
    return list(range(max(FIRST_YEAR, year - YEARS_SHOWN + 1), year + 1))


def _year_cells(*, agency: Agency | None, region: Region | None, years: list[int]) -> dict[int, dict]:
    frozen = {}
    if agency is not None:
        rows = AnnualReport.objects.filter(agency=agency, year__in=years, snapshot__isnull=False)
        frozen = {y: flatten(s)[1] for y, s in rows.values_list("year", "snapshot")}
    out = {}
    for y in years:
        if y in frozen:
            out[y] = frozen[y]
        elif agency is not None:
            out[y] = compute_figures(year=y, agency_ids=[agency.id], by_agency=True)[agency.id].cells
        else:
            out[y] = compute_figures(year=y, region=region)[None].cells
    return out


def _n(value) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _items_published(*, agency: Agency | None, region: Region | None, years: list[int]) -> dict[tuple[int, str], int]:
    scope = {"agency": agency} if agency is not None else {"agency__region__path__startswith": region.path}
    rows = (Item.objects.filter(**scope, published_on__year__gte=years[0], published_on__year__lte=years[-1])
            .exclude(status=ItemStatus.WITHDRAWN).annotate(y=ExtractYear("published_on"))
            .values("y", "document_type").annotate(n=Count("id")).order_by())
    return {(r["y"], r["document_type"]): r["n"] for r in rows}


def report_charts(*, year: int, agency: Agency | None = None, region: Region | None = None) -> list[Chart]:
    """The four year-over-year charts, up to ``year``."""
    years = chart_years(year)
    cells = _year_cells(agency=agency, region=region, years=years)

    def total(y: int, prefix: str) -> int:
        return sum(_n(v) for code, v in cells[y].items()
                   if code.startswith(f"applications.{prefix}") and code.endswith(".total")
                   and code.count(".") >= 2 and code.split(".")[1] == prefix)

    outcomes = tuple(Series(label, tuple(total(y, prefix) for y in years)) for prefix, label in OUTCOME_GROUPS)
    applicants = tuple(
        Series(c.label if c.code != "other_organization" else "其他组织",
               tuple(_n(cells[y].get(f"applications.new_received.{c.code}")) for y in years))
        for c in APPLICANT_COLUMNS if c.code != "total")
    carried = (
        Series("上年结转", tuple(_n(cells[y].get("applications.carried_over.total")) for y in years)),
        Series("结转下年度", tuple(_n(cells[y].get("applications.carried_forward.total")) for y in years)),
    )
    published = _items_published(agency=agency, region=region, years=years)
    items = tuple(Series(label, tuple(published.get((y, code), 0) for y in years)) for code, label in ITEM_TYPES)
    ys = tuple(years)
    return [
        Chart("outcomes", "依申请公开办理结果", ys, outcomes),
        Chart("applicants", "新收申请的申请人类型", ys, applicants),
        Chart("carried", "结转的申请", ys, carried),
        Chart("items", "主动公开信息（按类别）", ys, items, unit="条"),
    ]


# --- static SVG for the PDF ----------------------------------------------------


def _nice_max(value: int) -> int:
    if value <= 5:
        return 5
    step = 10 ** (len(str(value)) - 1)
    for m in (1, 2, 2.5, 5, 10):
        if value <= m * step:
            return int(m * step)
    return value


def chart_svg(chart: Chart, *, width: int = 640, height: int = 300) -> str:
    """A grouped bar chart: one group per year, one bar per series, a legend below, the figure above each bar."""
    left, right, top, legend_h = 44, 12, 34, 24 * ((len(chart.series) + 3) // 4)
    bottom = 26 + legend_h
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = _nice_max(max([v for s in chart.series for v in s.values] + [0]))
    font = 'font-family="Noto Sans CJK SC, Noto Sans CJK, sans-serif"'
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(chart.title)}">',
           f'<text x="{width / 2}" y="20" text-anchor="middle" font-size="15" font-weight="bold" {font}>'
           f'{escape(chart.title)}（{chart.unit}）</text>']
    for i in range(6):
        value = peak * i / 5
        y = top + plot_h - plot_h * i / 5
        out.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="#ddd" stroke-width="1"/>')
        label = f"{value:g}" if value != int(value) else f"{int(value)}"
        out.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11" {font}>{label}</text>')
    groups = len(chart.years)
    group_w = plot_w / max(groups, 1)
    bar_w = group_w * 0.8 / max(len(chart.series), 1)
    for g, year in enumerate(chart.years):
        x0 = left + g * group_w + group_w * 0.1
        for s, series in enumerate(chart.series):
            value = series.values[g]
            h = plot_h * value / peak if peak else 0
            x, y = x0 + s * bar_w, top + plot_h - h
            out.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w * 0.92:.1f}" height="{h:.1f}" '
                       f'fill="{PALETTE[s % len(PALETTE)]}"/>')
            if value and bar_w >= 9:
                out.append(f'<text x="{x + bar_w * 0.46:.1f}" y="{y - 3:.1f}" text-anchor="middle" font-size="9" '
                           f'{font}>{value}</text>')
        out.append(f'<text x="{left + g * group_w + group_w / 2:.1f}" y="{top + plot_h + 16}" text-anchor="middle" '
                   f'font-size="12" {font}>{year}年</text>')
    out.append(f'<line x1="{left}" y1="{top + plot_h}" x2="{width - right}" y2="{top + plot_h}" stroke="#333"/>')
    for s, series in enumerate(chart.series):
        col, row = s % 4, s // 4
        x, y = left + col * (plot_w / 4), height - legend_h + row * 24 + 8
        out.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="12" height="12" fill="{PALETTE[s % len(PALETTE)]}"/>')
        out.append(f'<text x="{x + 17:.1f}" y="{y + 11:.1f}" font-size="12" {font}>{escape(series.name)}</text>')
    out.append("</svg>")
    return "".join(out)
