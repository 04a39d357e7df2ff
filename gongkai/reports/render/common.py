"""What every export of a report shares: its title, how a figure is printed
and how a check result is worded, so the HTML, Markdown and XLSX files of one
report say the same thing in the same words."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ..checks import ERROR, RULE_TITLES, cell_label
from ..formats import AMOUNT, ReportFormat

SEVERITY_LABELS = {ERROR: "错误", "warning": "警告"}
ALL_PASSED = "全部校验通过"
# An unreadable cell (None, e.g. from an OCR'd report) prints as a dash, never as 0.
MISSING = "—"


def report_title(report) -> str:
    """The report's printed title; a region's figures are a sum over its agencies."""
    kind = "汇总表格" if report.region is not None and report.agency is None else "表格"
    return f"{report.owner_name}{report.year}年政府信息公开工作年度报告（{kind}）"


def format_basis(report) -> str:
    return f"{report.format.name}（{report.format.basis}）"


def format_value(value, kind: str = "") -> str:
    """A figure as the form prints it: amounts without trailing zeros ("12.5",
    "0", "100"), a negative change with its minus sign, an unread cell as a dash."""
    if value is None:
        return MISSING
    if isinstance(value, bool):
        return str(value)
    if kind == AMOUNT or isinstance(value, (Decimal, float)):
        return _plain_decimal(value)
    return str(value)


def _plain_decimal(value) -> str:
    number = value if isinstance(value, Decimal) else Decimal(str(value))
    if not number.is_finite():
        return str(value)
    text = format(number.normalize(), "f")  # "f" keeps 100 from becoming 1E+2
    return "0" if text in ("-0", "0") else text


def sheet_value(value):
    """A figure for a spreadsheet cell: ints stay ints, amounts become floats
    (spreadsheets have no decimal type), an unread cell stays empty."""
    if value is None or isinstance(value, bool):
        return None if value is None else str(value)
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


@dataclass(frozen=True)
class CheckLine:
    """One check result as every export prints it."""

    rule: str
    rule_title: str
    severity: str
    severity_label: str
    cells: tuple[str, ...]
    cell_labels: tuple[str, ...]
    message: str


def _cell_label(fmt: ReportFormat, code: str) -> str:
    try:
        return cell_label(fmt, code)
    except (KeyError, ValueError, StopIteration):
        return code


def check_lines(report) -> tuple[CheckLine, ...]:
    return tuple(
        CheckLine(
            rule=v.rule,
            rule_title=RULE_TITLES.get(v.rule, ""),
            severity=v.severity,
            severity_label=SEVERITY_LABELS.get(v.severity, v.severity),
            cells=tuple(v.cells),
            cell_labels=tuple(_cell_label(report.format, c) for c in v.cells),
            message=v.message,
        )
        for v in report.checks
    )


def flagged_cells(report) -> dict[str, str]:
    """Cell code → the worst severity of the checks naming it, so a renderer can mark it."""
    out: dict[str, str] = {}
    for v in report.checks:
        for code in v.cells:
            if out.get(code) != ERROR:
                out[code] = v.severity
    return out
