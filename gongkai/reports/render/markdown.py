"""The report as Markdown: for pasting into a notice, a wiki or a reply.

Pipe tables cannot merge cells, so each row label carries its enclosing
groups ("三、本年度办理结果 （三）不予公开 1.属于国家秘密") and each column label its
group ("法人或其他组织·商业企业"); table 二 prints one small table per section of
第二十条, as the form does.
"""

from __future__ import annotations

from itertools import groupby

from ..formats import Table
from .common import ALL_PASSED, check_lines, format_basis, format_value, report_title
from .html import column_paths


def _escape(text: str) -> str:
    return str(text).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def _pipe_table(header: list[str], rows: list[list[str]], numeric_from: int = 1) -> list[str]:
    """A pipe table whose figure columns (from ``numeric_from`` on) align right."""
    align = [":---" if i < numeric_from else "---:" for i in range(len(header))]
    lines = [header, align, *rows]
    return ["| " + " | ".join(_escape(c) if line is not align else c for c in line) + " |" for line in lines]


def _figures(table: Table, row, cells: dict) -> list[str]:
    return [format_value(cells.get(code), column.kind) for r, column, code in table.cells() if r is row]


def _proactive(table: Table, cells: dict) -> list[str]:
    lines: list[str] = []
    for section, rows in groupby(table.rows, key=lambda r: r.section):
        lines += [f"**{section}**", ""]
        for columns, same in groupby(rows, key=table.row_columns):
            header = ["信息内容", *(c.label for c in columns)]
            lines += _pipe_table(header, [[row.label, *_figures(table, row, cells)] for row in same])
            lines.append("")
    return lines


def _applications(table: Table, cells: dict) -> list[str]:
    # A group covering every column (申请人情况) goes to the corner, as on a
    # form with a diagonal header, instead of repeating over each column.
    paths = column_paths(table)
    common = [g for g in paths[0][:-1] if all(g in p[:-1] for p in paths)]
    header = [" / ".join(["项目", *common]), *("·".join(p[len(common):]) for p in paths)]
    rows = [[" ".join((*row.groups, row.label)), *_figures(table, row, cells)] for row in table.rows]
    note = [f"注：{table.note}。", ""] if table.note else []
    return [*note, *_pipe_table(header, rows), ""]


def _appeals(table: Table, cells: dict) -> list[str]:
    header = ["类别", *(c.label for c in table.columns)]
    rows = [["·".join((*row.groups, row.label)), *_figures(table, row, cells)] for row in table.rows]
    return [*_pipe_table(header, rows), ""]


TABLE_WRITERS = {"proactive": _proactive, "applications": _applications, "appeals": _appeals}


def _checks(report) -> list[str]:
    lines = check_lines(report)
    if not lines:
        return [ALL_PASSED, ""]
    rows = [[c.rule, c.severity_label, c.message] for c in lines]
    return [*_pipe_table(["规则", "级别", "说明"], rows, numeric_from=3), ""]


def render_markdown(report) -> bytes:
    lines = [f"# {report_title(report)}", "", f"报告年度：{report.year}年　表格格式：{format_basis(report)}", ""]
    for table in report.format.tables:
        lines += [f"## {table.number}、{table.title}", ""]
        lines += TABLE_WRITERS[table.code](table, report.cells)
    lines += ["## 校验结果", "", *_checks(report)]
    return ("\n".join(lines).rstrip("\n") + "\n").encode("utf-8")
