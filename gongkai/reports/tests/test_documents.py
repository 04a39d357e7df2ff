"""The report as the published document: PDF read back with pdftotext, DOCX read back with python-docx."""

import io
import shutil
import subprocess
from datetime import date
from decimal import Decimal

import pytest
from docx import Document

from gongkai.appeals.models import AppealCase, AppealKind, AppealResult
from gongkai.reports.formats import FORMATS
from gongkai.reports.models import AdministrativeFigures, AnnualReport
from gongkai.reports.render import render
from gongkai.reports.render.common import format_value
from gongkai.reports.selectors import agency_report
from gongkai.reports.tests.records import generate

POPPLER = shutil.which("pdftotext") and shutil.which("pdftoppm")
needs_poppler = pytest.mark.skipif(not POPPLER, reason="poppler-utils not installed (make fonts installs it)")


@pytest.fixture
def busy(agency):
    """Records of every kind from 2018 to 2024, figures for table 二, a narrative."""
    generate(agency, seed=11, applications=150, items=60, appeals=25)
    AdministrativeFigures.objects.create(agency=agency, year=2023, licensing_decisions=321, penalty_decisions=45,
                                         coercion_decisions=7, fees_amount=Decimal("12.5"))
    AdministrativeFigures.objects.create(agency=agency, year=2020, licensing_previous_year_items=4,
                                         other_management_services_previous_year_items=3,
                                         penalty_previous_year_items=62, coercion_previous_year_items=1)
    AppealCase.objects.create(agency=agency, kind=AppealKind.RECONSIDERATION, case_number="复1",
                              filed_on=date(2023, 3, 1), decided_on=date(2023, 6, 1), result=AppealResult.UPHELD)
    AnnualReport.objects.create(agency=agency, year=2023, overview="（一）主动公开情况\n全年共主动公开政府信息若干条。",
                                problems="（一）存在问题\n信息更新不够及时。", other_matters="本年度未收取信息处理费。")
    return agency


def _labels(fmt) -> list[str]:
    """Every row label and column label of the three tables, and the printed groups."""
    out = []
    for table in fmt.tables:
        for row in table.rows:
            out += [row.label, *row.groups]
            out += [c.label for c in table.row_columns(row)]
    return list(dict.fromkeys(out))


def _squash(text: str) -> str:
    """pdftotext breaks long labels across lines inside narrow cells: compare without whitespace."""
    return "".join(text.split())


@needs_poppler
@pytest.mark.django_db
@pytest.mark.parametrize("year", [2020, 2023])
def test_pdf_has_every_row_label_and_figure(busy, year, artifacts_dir, tmp_path):
    report = agency_report(agency=busy, year=year)
    pdf = render(report, "pdf")
    assert pdf.startswith(b"%PDF")
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True,
                          text=True).stdout
    # -raw keeps the order WeasyPrint wrote the text in, so a label wrapped inside its cell stays together.
    flat = _squash(subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, check=True,
                                  text=True).stdout)
    assert f"{busy.name}{year}年政府信息公开工作年度报告" in flat
    for heading in report.format.sections:
        assert heading in flat, heading
    missing = [label for label in _labels(report.format) if _squash(label) not in flat]
    assert not missing, missing
    # Every figure of table 三 appears, in its row, left to right (pdftotext -layout keeps a row on one line).
    lines = text.splitlines()
    table = report.format.table("applications")
    for row in table.rows:
        figures = [format_value(report.cells[f"applications.{row.code}.{c.code}"]) for c in table.columns]
        assert any(line.split()[-7:] == figures for line in lines if len(line.split()) >= 7), (row.code, figures)
    # Table 二 and 四 figures too.
    proactive = [format_value(report.cells[code], kind) for _, _, column, code in report.format.cells()
                 if code.startswith("proactive.") for kind in [column.kind]]
    tokens = text.split()
    for value in proactive:
        assert value in tokens
    appeals = [format_value(report.cells[f"appeals.{r.code}.{c.code}"]) for r in report.format.table("appeals").rows
               for c in report.format.table("appeals").columns]
    assert any(line.split()[-15:] == appeals for line in lines), appeals
    # The narrative and the page numbers.
    if year == 2023:
        assert "全年共主动公开政府信息若干条" in flat and "本年度未收取信息处理费" in flat
    assert "第1页，共" in flat
    assert "附：年度对比图" in flat
    (artifacts_dir / f"report-{year}.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "70", "-f", "1", "-l", "4", str(path),
                    str(artifacts_dir / f"report-{year}-page")], check=True)


def _grid(table) -> list[list[str]]:
    """A Word table as text per grid position (a merged cell repeats its text over its span)."""
    return [[cell.text.strip() for cell in row.cells] for row in table.rows]


def _distinct(row) -> list:
    """A row's cells with the repetitions of a horizontally merged cell removed."""
    out, seen = [], None
    for cell in row.cells:
        if cell._tc is not seen:
            out.append(cell.text.strip())
        seen = cell._tc
    return out


def read_docx_tables(data: bytes, fmt) -> dict:
    """The figures of the three tables of a DOCX report, by canonical code, read by row labels only."""
    document = Document(io.BytesIO(data))
    assert len(document.tables) == 3
    proactive, applications, appeals = document.tables
    out = {}
    table = fmt.table("proactive")
    labels = {row.label: row for row in table.rows}
    for row in proactive.rows:
        texts = _distinct(row)
        if texts and texts[0] in labels and texts[1:] and texts[1] not in [c.label for c in table.columns]:
            code_row = labels[texts[0]]
            for column, text in zip(table.row_columns(code_row), texts[1:]):
                out[f"proactive.{code_row.code}.{column.code}"] = text
    table = fmt.table("applications")
    labels = {row.label: row for row in table.rows}
    for cells in _grid(applications):
        label = next((t for t in reversed(cells[:-7]) if t in labels), None)
        if label:
            for column, text in zip(table.columns, cells[-7:]):
                out[f"applications.{labels[label].code}.{column.code}"] = text
    table = fmt.table("appeals")
    last = _grid(appeals)[-1]
    for i, (row, column) in enumerate((r, c) for r in table.rows for c in table.columns):
        out[f"appeals.{row.code}.{column.code}"] = last[i]
    return out


@pytest.mark.django_db
@pytest.mark.parametrize("year", [2020, 2023])
def test_docx_tables_read_back_equal_the_json(busy, year, artifacts_dir):
    report = agency_report(agency=busy, year=year)
    data = render(report, "docx")
    (artifacts_dir / f"report-{year}.docx").write_bytes(data)
    read = read_docx_tables(data, report.format)
    doc = report.canonical()
    expected = {}
    for table in report.format.tables:
        for row, column, code in table.cells():
            node = doc[table.code]
            for part in row.code.split("."):
                node = node[part]
            expected[code] = format_value(node[column.code], column.kind)
    assert read == expected


@pytest.mark.django_db
def test_docx_has_title_sections_merged_headers_and_page_field(busy):
    report = agency_report(agency=busy, year=2023)
    document = Document(io.BytesIO(render(report, "docx")))
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == f"{busy.name}2023年政府信息公开工作年度报告"
    assert [t for t in texts if t in FORMATS["2021"].sections] == list(FORMATS["2021"].sections)
    assert "全年共主动公开政府信息若干条。" in texts
    rows = document.tables[1].rows
    # "申请人情况" spans the seven columns, "法人或其他组织" five: one merged cell seen that many times.
    for r, text, width in ((0, "申请人情况", 7), (1, "法人或其他组织", 5)):
        spans = [c for c in rows[r].cells if c.text == text]
        assert len(spans) == width and len({id(c._tc) for c in spans}) == 1
    # "三、本年度办理结果" spans its 21 outcome rows and （七）总计.
    column = [row.cells[0] for row in rows]
    results = [c for c in column if c.text == "三、本年度办理结果"]
    assert len({id(c._tc) for c in results}) == 1 and len(results) == 22
    footer = document.sections[0].footer._element.xml
    assert 'w:instr="PAGE"' in footer and 'w:instr="NUMPAGES"' in footer
