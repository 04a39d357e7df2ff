"""Writes the test corpus: published-looking reports in every input form, each
with the canonical JSON it must parse to.

The figures of each report are stated here, independently of the parser; the
expected JSON is built from them (cells the print makes unreadable are null,
checks are those ``run_checks`` finds in the figures as printed). The files
are committed; run this only to change the corpus:

    .venv/bin/python -m gongkai.ingest.tests.make_corpus
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

from gongkai.reports.canonical import to_canonical
from gongkai.reports.checks import run_checks
from gongkai.reports.formats import APPLICANT_TYPES, FORMATS, ReportFormat

CORPUS = Path(__file__).with_name("corpus")
FULL = str.maketrans("0123456789().", "０１２３４５６７８９（）．")


@dataclass
class Spec:
    name: str
    agency: str
    year: int
    format: str
    kind: str  # text, md, html, docx, xlsx
    values: dict  # row code prefix -> tuple of values (table.row) ; unlisted cells are 0
    printed: dict = field(default_factory=dict)  # cell -> printed text instead of its value
    unreadable: tuple = ()  # cells expected null
    inferred: tuple = ()  # cells or rows expected as "inferred" problems
    missing_rows: tuple = ()  # rows not printed (expected null)
    run_together: tuple = ()  # rows printed without separators
    sep: str = " "
    broken_labels: bool = False
    page_break_after: str | None = None  # a table 三 row after which the page breaks (header repeated)
    fullwidth: bool = False
    order: tuple = ()  # table 二 rows printed in this order
    single_other: bool = False  # 2021: （六）其他处理 printed as one row
    narrative: str = ""
    title: str = "{agency}{year}年政府信息公开工作年度报告"
    numbering: str = "dot"  # dot: 1.  paren: (1)  circled: ①
    expected_extra_null: tuple = ()
    split_rows: tuple = ()  # rows whose figures run onto the next line
    lost_labels: tuple = ()  # rows whose label the OCR lost (a fragment remains)


def cells_of(fmt: ReportFormat, spec: Spec) -> dict:
    cells = {code: 0 for code in fmt.cell_codes()}
    for table in fmt.tables:
        for row in table.rows:
            values = spec.values.get(f"{table.code}.{row.code}")
            if values is None:
                continue
            columns = table.row_columns(row)
            if table.code == "applications" and len(values) == 6:
                values = (*values, sum(values))
            if table.code == "appeals" and len(values) == 4:
                values = (*values, sum(values))
            assert len(values) == len(columns), (spec.name, row.code)
            for column, value in zip(columns, values):
                cells[f"{table.code}.{row.code}.{column.code}"] = value
    return cells


def _fig(spec: Spec, cells: dict, code: str) -> str:
    if code in spec.printed:
        text = spec.printed[code]
    else:
        value = cells[code]
        text = str(value)
    return text.translate(FULL) if spec.fullwidth else text


CIRCLED = "①②③④⑤⑥⑦⑧"


def _label(spec: Spec, label: str) -> str:
    if spec.numbering != "dot" and label[:1].isdigit() and label[1:2] == ".":
        n = int(label[0])
        label = (f"({n})" if spec.numbering == "paren" else CIRCLED[n - 1]) + label[2:]
    if spec.fullwidth:
        label = label.replace("(", "（").replace(")", "）")
    if spec.broken_labels and len(label) > 9:
        cut = len(label) // 2
        label = label[:cut] + "\n" + label[cut:]
    return label


def table_rows(fmt: ReportFormat, spec: Spec, cells: dict):
    """(table code, header lines, rows of (groups, label, figures, row code))."""
    out = []
    for table in fmt.tables:
        rows = []
        order = list(table.rows)
        if table.code == "proactive" and spec.order:
            order = [table.row(code) for code in spec.order]
        for row in order:
            key = f"{table.code}.{row.code}"
            if key in spec.missing_rows:
                continue
            columns = table.row_columns(row)
            figures = [_fig(spec, cells, f"{key}.{c.code}") for c in columns]
            rows.append((row, figures))
        if table.code == "applications" and spec.single_other:
            merged = []
            for row, figures in rows:
                if row.code == "other.no_correction":
                    sums = [str(sum(cells[f"applications.{r}.{c.code}"] for r in
                                    ("other.no_correction", "other.unpaid_fee", "other.other")))
                            for c in table.columns]
                    merged.append((None, sums))
                elif not row.code.startswith("other."):
                    merged.append((row, figures))
            rows = merged
        out.append((table, rows))
    return out


def _section_columns(table, row):
    return " ".join(c.label for c in table.row_columns(row))


# --- text ---------------------------------------------------------------------

APPLICANT_HEADER = ["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "申请人情况",
                    "自然人 法人或其他组织 总计", "商业企业 科研机构 社会公益组织 法律服务机构 其他"]
APPEAL_HEADER = ["行政复议 行政诉讼", "结果维持 结果纠正 其他结果 尚未审结 总计 未经复议直接起诉 复议后起诉",
                 "结果维持 结果纠正 其他结果 尚未审结 总计 结果维持 结果纠正 其他结果 尚未审结 总计"]


def render_text(spec: Spec) -> str:
    fmt = FORMATS[spec.format]
    cells = cells_of(fmt, spec)
    lines = [spec.title.format(agency=spec.agency, year=spec.year), "",
             f"本报告中所列数据的统计期限自{spec.year}年1月1日起至{spec.year}年12月31日止。",
             "一、总体情况", spec.narrative or "本机关认真落实《条例》要求，推进政府信息公开工作。"]
    sep = spec.sep
    for table, rows in table_rows(fmt, spec, cells):
        lines.append(f"{table.number}、{table.title}")
        if table.code == "proactive":
            section = None
            for row, figures in rows:
                if row.section != section or spec.order:
                    section = row.section
                    lines += [section, "信息内容" + sep + sep.join(c.label for c in table.row_columns(row))]
                lines.append(_label(spec, row.label) + sep + _join(spec, f"proactive.{row.code}", figures, sep))
        elif table.code == "applications":
            lines += APPLICANT_HEADER
            group = None
            for row, figures in rows:
                if row is None:
                    lines.append("（六）其他处理" + sep + sep.join(figures))
                    continue
                prefix = ""
                if row.groups and row.groups[-1] != group:
                    prefix = " ".join(g for g in row.groups if g != "三、本年度办理结果" or row.code == "disclosed")
                    group = row.groups[-1]
                    prefix = (prefix + " ") if prefix else ""
                key = f"applications.{row.code}"
                label = "形）" if key in spec.lost_labels else _label(spec, row.label)
                lines.append(prefix + label + sep + _join(spec, key, figures, sep))
                if spec.page_break_after == row.code:
                    lines += ["", "- 3 -", ""] + APPLICANT_HEADER
        else:
            lines += APPEAL_HEADER
            figures = [f for _, fs in rows for f in fs]
            lines.append(sep.join(figures))
    lines += ["五、存在的主要问题及改进情况", "一是公开内容有待深化。", "六、其他需要报告的事项", "本年度未收取信息处理费。"]
    text = "\n".join(lines) + "\n"
    return text


LOST = "<lost>"  # a printed value the OCR dropped altogether


def _join(spec: Spec, key: str, figures: list[str], sep: str) -> str:
    figures = [f for f in figures if f != LOST]
    if key in spec.run_together:
        return "".join(figures)
    if key in spec.split_rows:
        return sep.join(figures[:3]) + "\n" + sep.join(figures[3:])
    return sep.join(figures)


# --- grids (HTML, DOCX, XLSX) --------------------------------------------------

def grid_tables(spec: Spec):
    """Each table as rows of cells (text, rowspan, colspan), laid out like the official form."""
    fmt = FORMATS[spec.format]
    cells = cells_of(fmt, spec)
    out = []
    for table, rows in table_rows(fmt, spec, cells):
        grid = []
        if table.code == "proactive":
            width = 1 + max(len(table.row_columns(r)) for r in table.rows)
            section = None
            for row, figures in rows:
                if row.section != section:
                    section = row.section
                    grid.append([(section, 1, width)])
                    cols = table.row_columns(row)
                    grid.append([("信息内容", 1, 1)] + [(c.label, 1, 1) for c in cols]
                                + ([("", 1, width - 1 - len(cols))] if width - 1 - len(cols) else []))
                cols = table.row_columns(row)
                grid.append([(row.label, 1, 1)] + [(f, 1, 1) for f in figures]
                            + ([("", 1, width - 1 - len(cols))] if width - 1 - len(cols) else []))
        elif table.code == "applications":
            grid.append([("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", 3, 3),
                         ("申请人情况", 1, 7)])
            grid.append([("自然人", 2, 1), ("法人或其他组织", 1, 5), ("总计", 2, 1)])
            grid.append([(c.label, 1, 1) for c in table.columns[1:6]])
            # group sizes for rowspans
            printed = [r for r, _ in rows]
            for row, figures in rows:
                line = []
                if row is None:
                    line.append(("（六）其他处理", 1, 2))
                    grid.append(line + [(f, 1, 1) for f in figures])
                    continue
                if not row.groups:
                    line.append((row.label, 1, 3))
                else:
                    members = [r for r in printed if r is not None and r.groups[:1] == row.groups[:1]]
                    if members and members[0] is row:
                        line.append((row.groups[0], len(members) + (1 if None in printed else 0), 1))
                    if len(row.groups) == 2:
                        sub = [r for r in printed if r is not None and r.groups == row.groups]
                        if sub[0] is row:
                            line.append((row.groups[1], len(sub), 1))
                        line.append((row.label, 1, 1))
                    else:
                        line.append((row.label, 1, 2))
                grid.append(line + [(f, 1, 1) for f in figures])
        else:
            grid.append([("行政复议", 1, 5), ("行政诉讼", 1, 10)])
            grid.append([(c.label, 2, 1) for c in table.columns] + [("未经复议直接起诉", 1, 5), ("复议后起诉", 1, 5)])
            grid.append([(c.label, 1, 1) for c in table.columns] * 2)
            grid.append([(f, 1, 1) for _, fs in rows for f in fs])
        out.append((table, grid))
    return out


def render_html(spec: Spec) -> str:
    parts = ["<!DOCTYPE html><html><head><meta charset='utf-8'>",
             f"<title>{escape(spec.title.format(agency=spec.agency, year=spec.year))}</title></head><body>",
             f"<h1>{escape(spec.title.format(agency=spec.agency, year=spec.year))}</h1>",
             f"<p>报告中所列数据的统计期限自{spec.year}年1月1日起至{spec.year}年12月31日止。</p>",
             "<h2>一、总体情况</h2>", f"<p>{escape(spec.narrative or '本机关认真落实《条例》要求。')}</p>"]
    for table, grid in grid_tables(spec):
        parts.append(f"<p><strong>{table.number}、{table.title}</strong></p><table border='1'>")
        for row in grid:
            parts.append("<tr>" + "".join(
                f"<td{f' rowspan={rs}' if rs > 1 else ''}{f' colspan={cs}' if cs > 1 else ''}>{escape(t)}</td>"
                for t, rs, cs in row) + "</tr>")
        parts.append("</table>")
    parts.append("<h2>五、存在的主要问题及改进情况</h2><p>一是公开内容有待深化。</p>"
                 "<h2>六、其他需要报告的事项</h2><p>无。</p></body></html>")
    return "\n".join(parts)


def render_docx(spec: Spec) -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph(spec.title.format(agency=spec.agency, year=spec.year))
    document.add_paragraph(f"报告中所列数据的统计期限自{spec.year}年1月1日起至{spec.year}年12月31日止。")
    document.add_paragraph("一、总体情况")
    document.add_paragraph(spec.narrative or "本机关认真落实《条例》要求。")
    for table, grid in grid_tables(spec):
        document.add_paragraph(f"{table.number}、{table.title}")
        _fill_grid(grid, lambda h, w: document.add_table(rows=h, cols=w), docx_mode=True)
    document.add_paragraph("五、存在的主要问题及改进情况")
    document.add_paragraph("一是公开内容有待深化。")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _layout(grid):
    """(row, col, text, rowspan, colspan) of each cell, honouring spans from rows above."""
    taken = set()
    placed = []
    for r, row in enumerate(grid):
        c = 0
        for text, rs, cs in row:
            while (r, c) in taken:
                c += 1
            placed.append((r, c, text, rs, cs))
            for dr in range(rs):
                for dc in range(cs):
                    taken.add((r + dr, c + dc))
            c += cs
    width = max(c for _, c in taken) + 1
    return placed, len(grid), width


def _fill_grid(grid, make, docx_mode=False):
    placed, height, width = _layout(grid)
    table = make(height, width)
    for r, c, text, rs, cs in placed:
        cell = table.cell(r, c)
        if rs > 1 or cs > 1:
            cell = cell.merge(table.cell(r + rs - 1, c + cs - 1))
        cell.text = text
    return table


def render_xlsx(spec: Spec) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "年度报告"
    r0 = 1
    sheet.cell(r0, 1, spec.title.format(agency=spec.agency, year=spec.year))
    sheet.cell(r0 + 1, 1, f"报告中所列数据的统计期限自{spec.year}年1月1日起至{spec.year}年12月31日止。")
    r0 += 3
    for table, grid in grid_tables(spec):
        sheet.cell(r0, 1, f"{table.number}、{table.title}")
        r0 += 1
        placed, height, width = _layout(grid)
        for r, c, text, rs, cs in placed:
            value = text
            try:
                value = float(text) if "." in text else int(text)
            except ValueError:
                pass
            sheet.cell(r0 + r, c + 1, value)
            if rs > 1 or cs > 1:
                sheet.merge_cells(start_row=r0 + r, start_column=c + 1, end_row=r0 + r + rs - 1,
                                  end_column=c + cs)
        r0 += height + 1
    sheet.cell(r0, 1, "五、存在的主要问题及改进情况")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# --- expected ----------------------------------------------------------------

def expected(spec: Spec) -> dict:
    fmt = FORMATS[spec.format]
    cells = cells_of(fmt, spec)
    printed = {}
    for code in spec.unreadable:
        text = spec.printed.get(code, "").strip()
        if text and not (text.isdigit() and (len(text) == 1 or text[0] != "0")):
            printed[code] = text  # not a clean number: N1 names it
        cells[code] = None
    for row in spec.missing_rows:
        for code in list(cells):
            if code.startswith(row + "."):
                cells[code] = None
    for code in spec.expected_extra_null:
        cells[code] = None
    narrative = spec.narrative
    checks = run_checks(fmt, spec.year, {**cells, **printed}, narrative=narrative)
    doc = to_canonical(fmt, spec.year, cells, owner_kind="agency", owner_code=None, owner_name=spec.agency,
                       checks=checks)
    doc["problems"] = sorted(
        [{"cell": c, "kind": "unreadable"} for c in spec.unreadable]
        + [{"cell": r, "kind": "unreadable"} for r in spec.missing_rows]
        + [{"cell": c, "kind": "inferred"} for c in spec.inferred],
        key=lambda p: (p["cell"], p["kind"]))
    return doc


def A(*values):
    return tuple(values)


LOST = "<lost>"

SPECS = [
    Spec("01-html-rowspan-2021", "仙游县自然资源局", 2022, "2021", "html", {
        "proactive.regulations": A(0, 0, 0), "proactive.normative_documents": A(2, 1, 9),
        "proactive.licensing": A(312,), "proactive.penalty": A(27,), "proactive.coercion": A(3,),
        "proactive.fees": A(12.5,),
        "applications.new_received": A(14, 3, 0, 1, 2, 0), "applications.carried_over": A(1, 0, 0, 0, 0, 0),
        "applications.disclosed": A(6, 1, 0, 0, 1, 0), "applications.partially_disclosed": A(2, 1, 0, 0, 0, 0),
        "applications.withheld.third_party_rights": A(1, 0, 0, 0, 0, 0),
        "applications.unavailable.not_held": A(3, 1, 0, 1, 1, 0),
        "applications.not_processed.repeated": A(1, 0, 0, 0, 0, 0),
        "applications.other.other": A(1, 0, 0, 0, 0, 0),
        "applications.total_handled": A(14, 3, 0, 1, 2, 0), "applications.carried_forward": A(1, 0, 0, 0, 0, 0),
        "appeals.reconsideration": A(1, 0, 0, 1), "appeals.litigation_direct": A(0, 0, 1, 0),
    }, narrative="全年共收到政府信息公开申请20件。"),
    Spec("02-html-2019-nil-marks", "莆田市城厢区市场监督管理局", 2019, "2019", "html", {
        "proactive.normative_documents": A(2, 2, 15), "proactive.licensing": A(40, 3, 1200),
        "proactive.other_management_services": A(5, 0, 30), "proactive.penalty": A(62, -2, 88),
        "proactive.coercion": A(4, 0, 9), "proactive.fees": A(1, 0), "proactive.procurement": A(3, 45.8),
        "applications.new_received": A(5, 2, 0, 0, 0, 0), "applications.disclosed": A(3, 2, 0, 0, 0, 0),
        "applications.unavailable.not_held": A(2, 0, 0, 0, 0, 0),
        "applications.total_handled": A(5, 2, 0, 0, 0, 0),
    }, printed={"proactive.regulations.new_made": "—", "proactive.regulations.new_published": "/",
                "proactive.regulations.total_published": "无"},
        inferred=("proactive.regulations.new_made", "proactive.regulations.new_published",
                  "proactive.regulations.total_published")),
    Spec("03-web-run-together-2021", "福州市鼓楼区教育局", 2023, "2021", "text", {
        "proactive.normative_documents": A(1, 0, 6), "proactive.licensing": A(18,), "proactive.penalty": A(2,),
        "proactive.fees": A(0,),
        "applications.new_received": A(64, 0, 0, 2, 0, 4), "applications.carried_over": A(3, 0, 0, 0, 0, 0),
        "applications.disclosed": A(40, 0, 0, 2, 0, 3), "applications.partially_disclosed": A(10, 0, 0, 0, 0, 0),
        "applications.unavailable.not_held": A(12, 0, 0, 0, 0, 1),
        "applications.not_processed.petition": A(2, 0, 0, 0, 0, 0),
        "applications.total_handled": A(64, 0, 0, 2, 0, 4), "applications.carried_forward": A(3, 0, 0, 0, 0, 0),
    }, sep="", run_together=("applications.new_received", "applications.disclosed",
                             "applications.unavailable.not_held", "applications.total_handled",
                             "applications.partially_disclosed"),
        # Table 二 has no identity, but every row of this copy lost its separators: 000 and 106 split one way.
        inferred=("applications.new_received", "applications.disclosed", "applications.unavailable.not_held",
                  "applications.total_handled", "applications.partially_disclosed", "proactive.regulations",
                  "proactive.normative_documents")),
    Spec("04-web-stray-spaces-2019", "仙游县农业农村局", 2020, "2019", "text", {
        "proactive.licensing": A(12, 1, 33), "proactive.penalty": A(9, 0, 4), "proactive.procurement": A(1, 3.2),
        "applications.new_received": A(3, 1, 0, 0, 0, 0), "applications.disclosed": A(2, 1, 0, 0, 0, 0),
        "applications.unavailable.needs_creation": A(1, 0, 0, 0, 0, 0),
        "applications.total_handled": A(3, 1, 0, 0, 0, 0),
    }, sep="\t", printed={"applications.new_received.research_institution": "",
                          "applications.unavailable.needs_creation.commercial_enterprise": "",
                          "applications.unavailable.needs_creation.research_institution": "",
                          "applications.disclosed.commercial_enterprise": "",
                          "applications.disclosed.social_welfare_organization": ""},
        inferred=("applications.new_received.research_institution",
                  "applications.unavailable.needs_creation.commercial_enterprise",
                  "applications.unavailable.needs_creation.research_institution"),
        unreadable=("applications.disclosed.commercial_enterprise",
                    "applications.disclosed.social_welfare_organization")),
    Spec("05-markdown-page-break-2021", "厦门市思明区卫生健康局", 2024, "2021", "md", {
        "proactive.normative_documents": A(4, 2, 20), "proactive.licensing": A(1500,), "proactive.penalty": A(61,),
        "proactive.coercion": A(0,), "proactive.fees": A(3.75,),
        "applications.new_received": A(30, 5, 1, 0, 2, 1), "applications.carried_over": A(2, 0, 0, 0, 0, 0),
        "applications.disclosed": A(15, 3, 1, 0, 1, 1), "applications.partially_disclosed": A(5, 1, 0, 0, 0, 0),
        "applications.withheld.process_information": A(2, 0, 0, 0, 0, 0),
        "applications.unavailable.not_held": A(6, 1, 0, 0, 1, 0),
        "applications.not_processed.repeated": A(1, 0, 0, 0, 0, 0),
        "applications.other.no_correction": A(2, 0, 0, 0, 0, 0),
        "applications.total_handled": A(31, 5, 1, 0, 2, 1), "applications.carried_forward": A(1, 0, 0, 0, 0, 0),
        "appeals.reconsideration": A(2, 1, 0, 0), "appeals.litigation_after_reconsideration": A(1, 0, 0, 1),
    }, page_break_after="withheld.state_secret"),
    Spec("06-ocr-2019", "仙游县交通运输局", 2020, "2019", "text", {
        "proactive.licensing": A(7, 0, 140), "proactive.other_management_services": A(2, 1, 11),
        "proactive.penalty": A(15, 0, 37), "proactive.coercion": A(1, 0, 2),
        "applications.new_received": A(4, 0, 0, 0, 0, 0), "applications.disclosed": A(2, 0, 0, 0, 0, 0),
        "applications.unavailable.not_held": A(1, 0, 0, 0, 0, 0), "applications.other": A(1, 0, 0, 0, 0, 0),
        "applications.total_handled": A(4, 0, 0, 0, 0, 0),
    }, sep="\t", broken_labels=True, page_break_after="withheld.internal_affairs",
        printed={"applications.withheld.enforcement_files.research_institution": "O",
                 "applications.not_processed.petition.total": "00", "applications.carried_over.total": LOST},
        split_rows=("applications.disclosed", "applications.unavailable.not_held"),
        lost_labels=("applications.partially_disclosed",),
        inferred=("applications.carried_over",),
        unreadable=("applications.withheld.enforcement_files.research_institution",
                    "applications.not_processed.petition.total"),
        title="{agency} {year} 年度政府信息公 开工作年度报告"),
    Spec("07-fullwidth-2021", "泉州市丰泽区人力资源和社会保障局", 2021, "2021", "text", {
        "proactive.regulations": A(0, 0, 0), "proactive.normative_documents": A(3, 0, 12),
        "proactive.licensing": A(245,), "proactive.penalty": A(13,), "proactive.coercion": A(0,),
        "proactive.fees": A(0.3,),
        "applications.new_received": A(11, 2, 0, 0, 0, 0), "applications.disclosed": A(8, 1, 0, 0, 0, 0),
        "applications.unavailable.not_held": A(3, 1, 0, 0, 0, 0),
        "applications.total_handled": A(11, 2, 0, 0, 0, 0),
        "appeals.reconsideration": A(1, 0, 0, 0),
    }, fullwidth=True, numbering="circled", title="{agency}{year}年度政府信息公开工作年度报告"),
    Spec("08-missing-rows-reordered-2021", "漳州市芗城区住房和城乡建设局", 2022, "2021", "text", {
        "proactive.normative_documents": A(0, 1, 4), "proactive.licensing": A(77,), "proactive.penalty": A(5,),
        "proactive.coercion": A(1,), "proactive.fees": A(0,),
        "applications.new_received": A(9, 3, 0, 0, 0, 0), "applications.disclosed": A(6, 2, 0, 0, 0, 0),
        "applications.unavailable.not_held": A(3, 1, 0, 0, 0, 0),
        "applications.total_handled": A(9, 3, 0, 0, 0, 0),
    }, missing_rows=("applications.withheld.internal_affairs", "applications.withheld.process_information",
                     "applications.not_processed.excessive", "proactive.coercion"),
        order=("licensing", "penalty", "coercion", "fees", "regulations", "normative_documents"),
        numbering="paren"),
    Spec("09-own-totals-wrong-2019", "仙游县市场监督管理局", 2019, "2019", "html", {
        "proactive.licensing": A(30, 2, 410), "proactive.penalty": A(50, 5, 120),
        "applications.new_received": A(8, 2, 0, 0, 0, 0, 11), "applications.carried_over": A(1, 0, 0, 0, 0, 0),
        "applications.disclosed": A(4, 1, 0, 0, 0, 0), "applications.unavailable.not_held": A(2, 1, 0, 0, 0, 0),
        "applications.not_processed.petition": A(1, 0, 0, 0, 0, 0),
        "applications.total_handled": A(8, 2, 0, 0, 0, 0), "applications.carried_forward": A(0, 0, 0, 0, 0, 0),
        "appeals.reconsideration": A(1, 1, 0, 0, 3),
    }, narrative="全年共收到政府信息公开申请12件。"),
    Spec("10-docx-2021", "宁德市蕉城区应急管理局", 2023, "2021", "docx", {
        "proactive.normative_documents": A(1, 0, 3), "proactive.licensing": A(56,), "proactive.penalty": A(41,),
        "proactive.coercion": A(2,), "proactive.fees": A(0,),
        "applications.new_received": A(6, 1, 0, 0, 1, 0), "applications.disclosed": A(4, 1, 0, 0, 0, 0),
        "applications.withheld.state_secret": A(0, 0, 0, 0, 1, 0),
        "applications.unavailable.needs_creation": A(2, 0, 0, 0, 0, 0),
        "applications.total_handled": A(6, 1, 0, 0, 1, 0),
        "appeals.litigation_direct": A(0, 1, 0, 0),
    }),
    Spec("11-xlsx-2019", "南平市建阳区林业局", 2020, "2019", "xlsx", {
        "proactive.normative_documents": A(1, 1, 7), "proactive.licensing": A(22, 0, 315),
        "proactive.penalty": A(40, -1, 66), "proactive.coercion": A(2, 0, 1), "proactive.procurement": A(2, 18.6),
        "applications.new_received": A(2, 0, 0, 0, 0, 0), "applications.carried_over": A(1, 0, 0, 0, 0, 0),
        "applications.disclosed": A(3, 0, 0, 0, 0, 0), "applications.total_handled": A(3, 0, 0, 0, 0, 0),
    }),
    Spec("12-run-together-ambiguous-2021", "三明市三元区文化和旅游局", 2024, "2021", "text", {
        "proactive.licensing": A(9,), "proactive.penalty": A(1,), "proactive.fees": A(0,),
        "applications.new_received": A(20, 0, 0, 0, 2, 0), "applications.disclosed": A(10, 0, 0, 0, 1, 0),
        "applications.unavailable.not_held": A(10, 0, 0, 0, 1, 0),
        "applications.unavailable.needs_creation": A(1, 0, 0, 0, 0, 0),
        "applications.total_handled": A(20, 0, 0, 0, 2, 0),
    }, run_together=("applications.new_received", "applications.disclosed", "applications.unavailable.not_held",
                     "applications.unavailable.needs_creation"),
        # 100001011 reads as 10|0|0|0|1|0|11 or 1|0|0|0|0|10|11; 1000002 fits no reading (1 ≠ 2).
        printed={"applications.unavailable.needs_creation.total": "2"},
        unreadable=tuple(f"applications.{r}.{c}" for r in ("disclosed", "unavailable.not_held")
                         for c in ("natural_person", "legal_service_agency", "other_organization"))
        + tuple(f"applications.unavailable.needs_creation.{c}" for c in (*APPLICANT_TYPES, "total")),
        inferred=("applications.new_received",)),
    Spec("13-numbering-other-2021", "龙岩市新罗区民政局", 2022, "2021", "text", {
        "proactive.normative_documents": A(2, 0, 5), "proactive.licensing": A(130,), "proactive.penalty": A(0,),
        "proactive.fees": A(2.4,),
        "applications.new_received": A(7, 0, 0, 1, 0, 0), "applications.disclosed": A(3, 0, 0, 1, 0, 0),
        "applications.other.no_correction": A(1, 0, 0, 0, 0, 0), "applications.other.unpaid_fee": A(1, 0, 0, 0, 0, 0),
        "applications.other.other": A(2, 0, 0, 0, 0, 0), "applications.total_handled": A(7, 0, 0, 1, 0, 0),
    }, numbering="paren", single_other=True, sep="  ",
        unreadable=("applications.other.no_correction.natural_person", "applications.other.unpaid_fee.natural_person",
                    "applications.other.other.natural_person", "applications.other.no_correction.total",
                    "applications.other.unpaid_fee.total", "applications.other.other.total"),
        inferred=("applications.other",)),
    Spec("14-pdf-2019", "宁德市福安市统计局", 2020, "2019", "pdf", {
        "proactive.normative_documents": A(0, 1, 4), "proactive.licensing": A(3, 0, 12),
        "proactive.penalty": A(6, 1, 9), "proactive.procurement": A(1, 2.35),
        "applications.new_received": A(3, 1, 0, 0, 0, 1), "applications.carried_over": A(1, 0, 0, 0, 0, 0),
        "applications.disclosed": A(2, 1, 0, 0, 0, 0), "applications.withheld.internal_affairs": A(1, 0, 0, 0, 0, 0),
        "applications.not_processed.publication": A(0, 0, 0, 0, 0, 1), "applications.other": A(1, 0, 0, 0, 0, 0),
        "applications.total_handled": A(4, 1, 0, 0, 0, 1),
        "appeals.reconsideration": A(0, 1, 0, 0),
    }),
]


PDF_STYLE = ("<style>body{font-family:'Noto Serif CJK SC',serif;font-size:10pt}"
             "table{border-collapse:collapse}td{border:1px solid #000;padding:2px}</style>")


def render_pdf(spec: Spec) -> bytes:
    """The HTML form printed to PDF by WeasyPrint: a text layer from another producer than WPS."""
    import weasyprint

    html = render_html(spec).replace("<title>", PDF_STYLE + "<title>", 1)
    return weasyprint.HTML(string=html).write_pdf()


def render(spec: Spec):
    if spec.kind == "pdf":
        return render_pdf(spec), ".pdf"
    if spec.kind in ("text", "md"):
        text = render_text(spec)
        if spec.kind == "md":
            text = _markdown(text)
        return text.encode("utf-8"), ".md" if spec.kind == "md" else ".txt"
    if spec.kind == "html":
        return render_html(spec).encode("utf-8"), ".html"
    if spec.kind == "docx":
        return render_docx(spec), ".docx"
    return render_xlsx(spec), ".xlsx"


def _markdown(text: str) -> str:
    """Tables as pipe rows, the rest as paragraphs and headings, as PDF converters write them."""
    out = []
    for line in text.split("\n"):
        if line.startswith("- ") and line.endswith(" -"):
            out.append(line)
            continue
        parts = line.split(" ")
        figures = [p for p in parts if p.replace(".", "").replace("-", "").isdigit()]
        if figures and len(parts) > 1:
            label = " ".join(p for p in parts if p not in figures)
            out.append("| " + " | ".join([label, *figures]) + " |")
        elif line.endswith("情况") or line.startswith(("五、", "六、")):
            out.append("## " + line)
        else:
            out.append(line)
    return "\n".join(out)


def main() -> None:
    CORPUS.mkdir(exist_ok=True)
    for spec in SPECS:
        data, ext = render(spec)
        (CORPUS / f"{spec.name}{ext}").write_bytes(data)
        (CORPUS / f"{spec.name}.expected.json").write_text(
            json.dumps(expected(spec), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
