"""Auditing a folder of published reports: one row per report, every problem listed.

Reports of the same agency (the same name, or one name ending with the
other: 淮安市洪泽区人民政府 and 洪泽区人民政府) in consecutive years are
checked across the boundary too — A4, and P1/P2 for table 二.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from gongkai.reports.checks import check_carry, check_in_force, check_project_counts

from .selectors import ParsedFile, ParseError, report_parse_file

SUMMARY_HEADER = ("文件", "机关", "年度", "格式", "已读单元格", "无法识别单元格", "问题数", "未通过的规则", "读取错误")
PROBLEM_HEADER = ("文件", "单元格", "原文", "类型", "说明")
KIND_LABELS = {"unreadable": "无法识别", "inferred": "推得", "document": "报告", "check": "校验"}
SEVERITY_LABELS = {"error": "错误", "warning": "警告"}


@dataclass
class AuditRow:
    file: str
    parsed: ParsedFile | None = None
    error: str = ""
    cross_year: list = field(default_factory=list)

    @property
    def checks(self) -> list:
        return [*(self.parsed.report.checks if self.parsed else []), *self.cross_year]


def _agency_key(names: list[str]) -> dict[str, str]:
    """Each agency name → the shortest name it ends with (淮安市洪泽区人民政府 → 洪泽区人民政府)."""
    out = {}
    for name in sorted(set(names), key=len):
        out[name] = next((short for short in out.values() if len(short) >= 4 and name.endswith(short)), name)
    return out


def audit_folder(folder: str | Path) -> list[AuditRow]:
    folder = Path(folder)
    if not folder.is_dir():
        raise ParseError(f"不是文件夹：{folder}")
    rows = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and not p.name.startswith(".")):
        name = str(path.relative_to(folder))
        try:
            rows.append(AuditRow(name, report_parse_file(path)))
        except ParseError as exc:
            rows.append(AuditRow(name, error=str(exc)))
        except Exception as exc:  # noqa: BLE001 - one unreadable file must not stop a county's audit
            rows.append(AuditRow(name, error=f"无法读取（{type(exc).__name__}）"))
    _cross_year(rows)
    return rows


def _cross_year(rows: list[AuditRow]) -> None:
    named = [r for r in rows if r.parsed and r.parsed.report.agency_name and r.parsed.report.year]
    keys = _agency_key([r.parsed.report.agency_name for r in named])
    by_year: dict[tuple[str, int], AuditRow] = {}
    for row in named:
        by_year.setdefault((keys[row.parsed.report.agency_name], row.parsed.report.year), row)
    for (key, year), row in by_year.items():
        following = by_year.get((key, year + 1))
        if following is None:
            continue
        this, nxt = row.parsed.report, following.parsed.report
        if this.format is None or nxt.format is None:
            continue
        # Named once, on the later report, as the rules name the later year's cell.
        following.cross_year += check_carry(nxt.format, year + 1, nxt.cells, previous=this.cells, following=None)
        if nxt.format.code == this.format.code:
            following.cross_year += check_in_force(nxt.format, year + 1, nxt.cells, previous=this.cells)
            following.cross_year += check_project_counts(nxt.format, year + 1, nxt.cells, previous=this.cells,
                                                         following=None)


def _rules(row: AuditRow) -> str:
    parts = []
    for check in row.checks:
        parts.append(f"{check.rule}（{SEVERITY_LABELS[check.severity]}）{'、'.join(check.cells)}：{check.message}")
    return "\n".join(parts)


def summary_rows(rows: list[AuditRow]) -> list[tuple]:
    out = []
    for row in rows:
        if row.parsed is None:
            out.append((row.file, "", "", "", "", "", "", "", row.error))
            continue
        report = row.parsed.report
        out.append((row.file, report.agency_name or "", report.year or "", report.format.code if report.format else "",
                    report.cells_read, report.cells_unread, len(report.problems), _rules(row), ""))
    return out


def problem_rows(rows: list[AuditRow]) -> list[tuple]:
    out = []
    for row in rows:
        if row.parsed is None:
            out.append((row.file, "", "", "读取错误", row.error))
            continue
        for problem in row.parsed.report.problems:
            out.append((row.file, problem.cell or "", problem.raw or "", KIND_LABELS[problem.kind], problem.message))
        for check in row.checks:
            out.append((row.file, "、".join(check.cells), "", f"{KIND_LABELS['check']} {check.rule}", check.message))
    return out


def write_xlsx(rows: list[AuditRow], path: Path) -> None:
    import openpyxl
    from openpyxl.styles import Alignment, Font

    book = openpyxl.Workbook()
    summary = book.active
    summary.title = "报告"
    problems = book.create_sheet("问题")
    for sheet, header, data in ((summary, SUMMARY_HEADER, summary_rows(rows)),
                                (problems, PROBLEM_HEADER, problem_rows(rows))):
        sheet.append(header)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for values in data:
            sheet.append(list(values))
        sheet.freeze_panes = "A2"
        for column in sheet.columns:
            width = max(len(str(c.value or "").split("\n")[0]) for c in column)
            sheet.column_dimensions[column[0].column_letter].width = min(max(8, width * 1.6), 80)
            for cell in column:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    book.save(path)


def write_csv(rows: list[AuditRow], path: Path) -> Path:
    """The summary in ``path`` and the problems beside it (``<name>.problems.csv``), UTF-8 with BOM for Excel/WPS."""
    problems_path = path.with_name(path.stem + ".problems.csv")
    for target, header, data in ((path, SUMMARY_HEADER, summary_rows(rows)),
                                 (problems_path, PROBLEM_HEADER, problem_rows(rows))):
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(header)
        writer.writerows(data)
        target.write_text(buffer.getvalue(), encoding="utf-8-sig")
    return problems_path
