"""Reads: an annual report of an agency or of a region, with its checks.

Every function here costs a fixed number of queries: the three years (the
report's and its neighbours', for the cross-year rules) are computed with
the grouped queries of ``compute.py``, for one agency or all of a region at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from gongkai.agencies.models import Agency, Region

from .canonical import flatten, to_canonical
from .checks import Violation, has_errors, run_checks
from .compute import Figures, compute_figures
from .formats import FIRST_YEAR, FigureField, ReportFormat, cell_source, format_for_year
from .models import AnnualReport


@dataclass
class Report:
    format: ReportFormat
    year: int
    cells: dict
    agency: Agency | None = None
    region: Region | None = None
    checks: list[Violation] = field(default_factory=list)
    facts: dict = field(default_factory=dict)
    narrative: AnnualReport | None = None

    @property
    def owner_name(self) -> str:
        return (self.agency or self.region).name

    @property
    def has_errors(self) -> bool:
        return has_errors(self.checks)

    def canonical(self) -> dict:
        owner = self.agency or self.region
        return to_canonical(self.format, self.year, self.cells, owner_kind="agency" if self.agency else "region",
                            owner_code=owner.code, owner_name=owner.name, checks=self.checks)


# A neighbouring year computed from the records serves P1 (items) and P2 (entered figures). Its table 三
# is not read: carried_forward(Y−1) and carried_over(Y) count the same applications by construction
# (ADR 003), so A4 can only fail against a frozen snapshot, which is read as it is.
NEIGHBOUR_PARTS = ("items", "figures")


def _neighbour_cells(figures: Figures | None) -> dict | None:
    """Computed cells of a neighbouring year, with table 二's entered figures
    blanked when none were entered (an unentered year is not a known year)."""
    if figures is None:
        return None
    cells = dict(figures.cells)
    if not figures.figures_entered:
        table = figures.format.table("proactive")
        for row, column, code in table.cells():
            if isinstance(cell_source(row, column), FigureField):
                cells[code] = None
    return cells


def _snapshots(agency_ids: list[int], years: list[int]) -> dict[tuple[int, int], dict]:
    """Frozen cells of published (or imported) reports, by (agency id, year)."""
    out = {}
    rows = AnnualReport.objects.filter(agency_id__in=agency_ids, year__in=years, snapshot__isnull=False)
    for agency_id, year, snapshot in rows.values_list("agency_id", "year", "snapshot"):
        out[(agency_id, year)] = flatten(snapshot)[1]
    return out


def _neighbour_years(year: int) -> list[int]:
    return [y for y in (year - 1, year + 1) if y >= FIRST_YEAR]


def agency_reports(*, agencies: list[Agency], year: int) -> list[Report]:
    """The reports of several agencies for one year, each with its checks, in a bounded number of queries."""
    fmt = format_for_year(year)
    ids = [a.id for a in agencies]
    current = compute_figures(year=year, agency_ids=ids, by_agency=True)
    neighbours = {y: compute_figures(year=y, agency_ids=ids, by_agency=True, parts=NEIGHBOUR_PARTS)
                  for y in _neighbour_years(year)}
    snapshots = _snapshots(ids, [year - 1, year + 1])
    narratives = {r.agency_id: r for r in AnnualReport.objects.filter(agency_id__in=ids, year=year)}
    reports = []
    for agency in agencies:
        figures = current[agency.id]
        around = {}
        for y in (year - 1, year + 1):
            around[y] = snapshots.get((agency.id, y))
            if around[y] is None and y in neighbours:
                around[y] = _neighbour_cells(neighbours[y][agency.id])
        narrative = narratives.get(agency.id)
        text = "\n".join(filter(None, [narrative.overview, narrative.problems, narrative.other_matters])) \
            if narrative else ""
        checks = run_checks(fmt, year, figures.cells, previous=around[year - 1], following=around[year + 1],
                            narrative=text, facts=figures.facts)
        reports.append(Report(fmt, year, figures.cells, agency=agency, checks=checks, facts=figures.facts,
                              narrative=narrative))
    return reports


def agency_report(*, agency: Agency, year: int) -> Report:
    return agency_reports(agencies=[agency], year=year)[0]


def region_report(*, region: Region, year: int) -> Report:
    """The region's aggregate: every agency under it summed, by the database."""
    fmt = format_for_year(year)
    figures = compute_figures(year=year, region=region)[None]
    around = {y: _neighbour_cells(compute_figures(year=y, region=region, parts=NEIGHBOUR_PARTS)[None])
              for y in _neighbour_years(year)}
    checks = run_checks(fmt, year, figures.cells, previous=around.get(year - 1), following=around.get(year + 1),
                        facts=figures.facts)
    return Report(fmt, year, figures.cells, region=region, checks=checks, facts=figures.facts)


def region_agency_reports(*, region: Region, year: int) -> list[Report]:
    agencies = list(Agency.objects.filter(region__path__startswith=region.path).order_by("code"))
    return agency_reports(agencies=agencies, year=year)


def version_report(version, *, agency: Agency) -> Report:
    """A published version as a report: its frozen figures, checks and narrative (no query)."""
    fmt, cells = flatten(version.canonical)
    checks = [Violation(c.get("rule", ""), c.get("severity", ""), tuple(c.get("cells") or ()), c.get("message", ""))
              for c in version.canonical.get("checks") or []]
    return Report(fmt, int(version.canonical.get("year")), cells, agency=agency, checks=checks, narrative=version)


def report_versions(report: AnnualReport | None) -> list:
    """Every published version of a report record, newest first (one query)."""
    if report is None or report.pk is None:
        return []
    return list(report.versions.select_related("published_by").defer("canonical").order_by("-number"))
