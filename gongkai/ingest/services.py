"""Writes: a published report stored as the agency's report for its year."""

from __future__ import annotations

from gongkai.agencies.models import Agency
from gongkai.reports.checks import ERROR
from gongkai.reports.formats import FIRST_YEAR
from gongkai.reports.models import AnnualReportVersion
from gongkai.reports.services import ImportRefused, report_store_imported

from .selectors import ParsedFile

NO_YEAR = "未能从报告中读出年度，请用 --year 指定。"
YEAR_DIFFERS = "报告中的年度为{found}年，与指定的{given}年不符。"


def report_import_parsed(*, agency: Agency, parsed: ParsedFile, replace: bool, year: int | None = None,
                         actor=None) -> AnnualReportVersion:
    """Store a parsed report (cells as read, null where unreadable, with its problems and checks) as the
    agency's published report for its year, so the year after it is checked across the boundary (A4, P1, P2).

    Refuses (``ImportRefused``) when the year is unknown or contradicts ``year``, and, through
    ``report_store_imported``, when the year already has published figures and ``replace`` is false.
    """
    report = parsed.report
    found = report.year
    if found is None and year is None:
        raise ImportRefused(NO_YEAR)
    if found is not None and year is not None and found != year:
        raise ImportRefused(YEAR_DIFFERS.format(found=found, given=year))
    year = year or found
    if year < FIRST_YEAR:
        raise ImportRefused(f"{year}年早于《条例》修订后的第一个报告年度（{FIRST_YEAR}年）。")
    if report.year is None:
        report.year = year
    canonical = parsed.canonical(agency_code=agency.code, agency_name=agency.name)
    return report_store_imported(agency=agency, year=year, canonical=canonical, replace=replace,
                                 source_name=parsed.name, actor=actor, narrative=report.sections)


def import_summary(parsed: ParsedFile) -> str:
    report = parsed.report
    errors = sum(1 for c in report.checks if c.severity == ERROR)
    return (f"读出 {report.cells_read} 个单元格，无法识别 {report.cells_unread} 个；"
            f"问题 {len(report.problems)} 条，校验错误 {errors} 条")
