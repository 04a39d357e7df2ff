"""The annual report as the published document: DOCX (python-docx) and PDF (WeasyPrint).

Both lay out the official form: the title, the six sections in order — 一
from the narrative, 二、三、四 the tables with the merged header cells of
``table_layout`` (the same cells the HTML and XLSX exports place), 五、六
from the narrative — and page numbers (a PAGE field in Word, CSS page
counters in the PDF). The PDF adds the year-over-year charts as static SVG
(decision 015). Nothing is fetched: fonts are the system's Noto CJK,
images are data: URLs.
"""

from __future__ import annotations

import base64
import io

from django.template.loader import render_to_string

from ..formats import SECTIONS
from .common import format_value
from .html import table_layout
from .xlsx import place

DOCX_LATIN_FONT = "Times New Roman"
DOCX_EAST_ASIAN_FONT = "SimSun"
NARRATIVE_SECTIONS = {0: "overview", 4: "problems", 5: "other_matters"}
EMPTY_SECTION = "无。"
# Printed on landscape pages in the PDF.
WIDE_TABLES = ("applications", "appeals")


def document_title(report) -> str:
    suffix = "（汇总）" if report.agency is None else ""
    return f"{report.owner_name}{report.year}年政府信息公开工作年度报告{suffix}"


def is_draft(report) -> bool:
    """A report whose narrative is the live record, not a published version, prints as a draft."""
    narrative = report.narrative
    return narrative is not None and getattr(narrative, "status", "published") != "published" \
        and not hasattr(narrative, "number")


def narrative_paragraphs(report, field: str) -> list[str]:
    text = getattr(report.narrative, field, "") if report.narrative is not None else ""
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    return lines or [EMPTY_SECTION]


def is_subheading(line: str) -> bool:
    """"（一）主动公开情况": a numbered heading line with no sentence after it."""
    return line.startswith("（") and "）" in line[:5] and len(line) <= 30 and not line.endswith("。")


def sections(report):
    """(heading, paragraphs or None, table layout or None) in printed order."""
    layout = table_layout(report)
    tables = {t.number: t for t in layout.tables}
    out = []
    for i, heading in enumerate(SECTIONS):
        if i in NARRATIVE_SECTIONS:
            out.append((heading, narrative_paragraphs(report, NARRATIVE_SECTIONS[i]), None))
        else:
            number = heading.split("、", 1)[0]
            out.append((heading, None, tables[number]))
    return out


# --- DOCX ------------------------------------------------------------------------------


def _font(run, size: float, bold: bool = False) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run.font.name = DOCX_LATIN_FONT
    run.font.size = Pt(size)
    run.font.bold = True if bold else None
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), DOCX_EAST_ASIAN_FONT)


def _field(paragraph, instruction: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), instruction)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _docx_table(document, table) -> None:
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    placed = place(table)
    rows = max(r + cell.rowspan for r, _, cell in placed)
    grid = document.add_table(rows=rows, cols=table.width)
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    size = 9 if table.width > 6 else 10.5
    # ``grid.cell()`` walks the whole table on every call; the cells of the unmerged grid, taken once, stay
    # valid because placed cells never overlap, so each merge only touches cells of its own span.
    cells = grid._cells
    for r, c, cell in placed:
        target = cells[r * table.width + c]
        if cell.rowspan > 1 or cell.colspan > 1:
            target = target.merge(cells[(r + cell.rowspan - 1) * table.width + c + cell.colspan - 1])
        target.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        paragraph = target.paragraphs[0]
        left = "gk-label" in cell.css or "gk-note" in cell.css
        paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT if left else WD_ALIGN_PARAGRAPH.CENTER
        text = cell.text if cell.header or not cell.code else format_value(cell.value, cell.kind)
        _font(paragraph.add_run(text), size, bold=cell.header and "gk-label" not in cell.css)
    # The header rows repeat on every page the table runs over, as Word's "重复标题行".
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    for r in range(len(table.head)):
        tr_pr = grid.rows[r]._tr.get_or_add_trPr()
        header = OxmlElement("w:tblHeader")
        header.set(qn("w:val"), "true")
        tr_pr.append(header)


def render_docx(report) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(30), Mm(28)
    section.left_margin = section.right_margin = Mm(25)
    document.core_properties.title = document_title(report)
    document.core_properties.author = report.owner_name

    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(title.add_run(document_title(report)), 18, bold=True)
    if is_draft(report):
        note = document.add_paragraph()
        note.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _font(note.add_run("（草稿，未发布）"), 12)

    for heading, paragraphs, table in sections(report):
        h = document.add_paragraph()
        h.paragraph_format.space_before = Pt(12)
        _font(h.add_run(heading), 14, bold=True)
        if table is not None:
            _docx_table(document, table)
            continue
        for line in paragraphs:
            p = document.add_paragraph()
            sub = is_subheading(line)
            if not sub:
                p.paragraph_format.first_line_indent = Pt(24)
            _font(p.add_run(line), 12, bold=sub)

    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(footer.add_run("第 "), 10.5)
    _field(footer, "PAGE")
    _font(footer.add_run(" 页，共 "), 10.5)
    _field(footer, "NUMPAGES")
    _font(footer.add_run(" 页"), 10.5)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# --- PDF -------------------------------------------------------------------------------


def svg_data_url(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def render_pdf(report, *, charts: bool = True) -> bytes:
    from weasyprint import HTML  # imported late: it loads Pango

    from gongkai.catalogue.archive import refusing_fetcher

    from ..charts import chart_svg, report_charts

    images = []
    if charts:
        for chart in report_charts(year=report.year, agency=report.agency, region=report.region):
            images.append((chart.title, svg_data_url(chart_svg(chart))))
    page = render_to_string("reports/document.html", {
        "title": document_title(report), "draft": is_draft(report), "sections": [
            {"heading": h, "paragraphs": [(line, is_subheading(line)) for line in (ps or [])],
             "layout": {"tables": (t,)} if t is not None else None,
             "wide": t is not None and t.code in WIDE_TABLES}
            for h, ps, t in sections(report)],
        "charts": images, "owner": report.owner_name, "year": report.year,
        "basis": f"{report.format.name}（{report.format.basis}）",
    })
    return HTML(string=page, url_fetcher=refusing_fetcher()).write_pdf()


__all__ = ["document_title", "render_docx", "render_pdf", "sections"]
