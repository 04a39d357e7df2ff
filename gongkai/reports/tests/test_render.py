"""The report exports: JSON, Markdown, the standalone HTML page laid out like
the official form, and the XLSX workbook with the same merged layout.

Every cell gets a distinct figure, so each assertion that a figure sits under
a header and beside a label checks the placement, not just the presence."""

import json
from decimal import Decimal
from html.parser import HTMLParser
from io import BytesIO

import pytest
from django.template.loader import render_to_string
from openpyxl import load_workbook

from gongkai.agencies.models import Agency, Region
from gongkai.reports.checks import run_checks
from gongkai.reports.formats import AMOUNT, CHANGE, FORMATS
from gongkai.reports.render import CONTENT_TYPES, EXTENSIONS, RENDERERS, UnknownFormat, download_name, render
from gongkai.reports.render.common import format_value
from gongkai.reports.render.html import table_layout
from gongkai.reports.schema import validate_report
from gongkai.reports.selectors import Report, agency_report

from .records import generate

# --- the labels of the printed forms, copied from DOMAIN.md §2 --------------

PROACTIVE_LABELS = {
    "2019": ["规章", "规范性文件", "行政许可", "其他对外管理服务事项", "行政处罚", "行政强制", "行政事业性收费",
             "政府集中采购", "本年新制作数量", "本年新公开数量", "对外公开总数量", "上一年项目数量", "本年增/减",
             "处理决定数量", "采购项目数量", "采购总金额"],
    "2021": ["规章", "行政规范性文件", "本年制发件数", "本年废止件数", "现行有效件数", "行政许可", "行政处罚",
             "行政强制", "行政事业性收费", "本年处理决定数量", "本年收费金额（单位：万元）"],
}
SECTIONS = {
    "2019": ["第二十条第（一）项", "第二十条第（五）项", "第二十条第（六）项", "第二十条第（八）项",
             "第二十条第（九）项"],
    "2021": ["第二十条第（一）项", "第二十条第（五）项", "第二十条第（六）项", "第二十条第（八）项"],
}
APPLICATION_COLUMNS = ["申请人情况", "自然人", "法人或其他组织", "商业企业", "科研机构", "社会公益组织", "法律服务机构",
                       "其他", "总计"]
NOTE = "本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和"
# (groups, label) of each row of table 三, in printed order.
_ROWS_BEFORE_OTHER = [
    ((), "一、本年新收政府信息公开申请数量"),
    ((), "二、上年结转政府信息公开申请数量"),
    (("三、本年度办理结果",), "（一）予以公开"),
    (("三、本年度办理结果",), "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"),
    *((("三、本年度办理结果", "（三）不予公开"), label) for label in (
        "1.属于国家秘密", "2.其他法律行政法规禁止公开", "3.危及“三安全一稳定”", "4.保护第三方合法权益",
        "5.属于三类内部事务信息", "6.属于四类过程性信息", "7.属于行政执法案卷", "8.属于行政查询事项")),
    *((("三、本年度办理结果", "（四）无法提供"), label) for label in (
        "1.本机关不掌握相关政府信息", "2.没有现成信息需要另行制作", "3.补正后申请内容仍不明确")),
    *((("三、本年度办理结果", "（五）不予处理"), label) for label in (
        "1.信访举报投诉类申请", "2.重复申请", "3.要求提供公开出版物", "4.无正当理由大量反复申请",
        "5.要求行政机关确认或重新出具已获取信息")),
]
_ROWS_AFTER_OTHER = [(("三、本年度办理结果",), "（七）总计"), ((), "四、结转下年度继续办理")]
APPLICATION_ROWS = {
    "2019": [*_ROWS_BEFORE_OTHER, (("三、本年度办理结果",), "（六）其他处理"), *_ROWS_AFTER_OTHER],
    "2021": [*_ROWS_BEFORE_OTHER, *((("三、本年度办理结果", "（六）其他处理"), label) for label in (
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        "3.其他")), *_ROWS_AFTER_OTHER],
}
APPEAL_LABELS = ["行政复议", "行政诉讼", "未经复议直接起诉", "复议后起诉", "结果维持", "结果纠正", "其他结果", "尚未审结",
                 "总计"]
APPLICANT_PATHS = [["申请人情况", "自然人"], *(["申请人情况", "法人或其他组织", label] for label in (
    "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")), ["申请人情况", "总计"]]
APPEAL_PATHS = [[*groups, label] for groups in (["行政复议"], ["行政诉讼", "未经复议直接起诉"], ["行政诉讼", "复议后起诉"])
                for label in ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")]

CASES = [("2019", 2020), ("2021", 2023)]


def all_labels(fmt_code: str) -> list[str]:
    rows = {text for groups, label in APPLICATION_ROWS[fmt_code] for text in (*groups, label)}
    return [*PROACTIVE_LABELS[fmt_code], *SECTIONS[fmt_code], *APPLICATION_COLUMNS, *sorted(rows), *APPEAL_LABELS]


# --- reports with a distinct figure in every cell ---------------------------


def distinct_cells(fmt) -> dict:
    cells = {}
    for i, (code, kind) in enumerate(fmt.cell_kinds().items(), start=1):
        cells[code] = -i if kind == CHANGE else Decimal(f"{i}.5000") if kind == AMOUNT else i
    return cells


def make_report(fmt_code="2021", year=2023, *, cells=None, checks=None, region=False) -> Report:
    fmt = FORMATS[fmt_code]
    cells = distinct_cells(fmt) if cells is None else cells
    owner = {"region": Region(code="xianyou", name="仙游县")} if region else {
        "agency": Agency(code="xianyou-gxj", name="仙游县工业和信息化局")}
    return Report(fmt, year, cells, checks=[] if checks is None else checks, **owner)


def zero_report(fmt_code="2021", year=2023) -> Report:
    return make_report(fmt_code, year, cells={code: 0 for code in FORMATS[fmt_code].cell_codes()})


def checked_report(fmt_code="2021", year=2023) -> Report:
    fmt = FORMATS[fmt_code]
    cells = distinct_cells(fmt)
    return make_report(fmt_code, year, cells=cells, checks=run_checks(fmt, year, cells))


def text_of(report, code) -> str:
    return format_value(report.cells[code], report.format.cell_kinds()[code])


# --- HTML tables as grids ----------------------------------------------------


class TableGrid(HTMLParser):
    """Parses every table of a page into a grid, resolving rowspan and colspan
    the way a browser does, so tests can ask what sits at (row, column)."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.tables: list[dict] = []
        self.title = ""
        self._cell = None
        self._in = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table":
            self.tables.append({"caption": "", "rows": [], "section": None, "attrs": attrs})
        elif tag in ("thead", "tbody") and self.tables:
            self.tables[-1]["section"] = tag
        elif tag == "caption" or tag == "title":
            self._in = tag
        elif tag == "tr":
            self.tables[-1]["rows"].append([])
        elif tag in ("th", "td"):
            self._cell = {"tag": tag, "attrs": attrs, "text": "", "section": self.tables[-1]["section"],
                          "rowspan": int(attrs.get("rowspan", 1)), "colspan": int(attrs.get("colspan", 1))}
            self.tables[-1]["rows"][-1].append(self._cell)

    def handle_endtag(self, tag):
        if tag in ("th", "td"):
            self._cell["text"] = self._cell["text"].strip()
            self._cell = None
        elif tag in ("caption", "title"):
            self._in = None
        elif tag == "table":
            self._place(self.tables[-1])

    def handle_data(self, data):
        if self._cell is not None:
            self._cell["text"] += data
        elif self._in == "caption":
            self.tables[-1]["caption"] += data
        elif self._in == "title":
            self.title += data

    @staticmethod
    def _place(table):
        grid = {}
        for r, row in enumerate(table["rows"]):
            c = 0
            for cell in row:
                while (r, c) in grid:
                    c += 1
                cell["row"], cell["col"] = r, c
                for dr in range(cell["rowspan"]):
                    for dc in range(cell["colspan"]):
                        grid[(r + dr, c + dc)] = cell
                c += cell["colspan"]
        table["grid"] = grid
        table["cells"] = [cell for row in table["rows"] for cell in row]

    def table(self, caption: str) -> dict:
        return next(t for t in self.tables if t["caption"].strip() == caption)


def column_texts(table, col, rows) -> list[str]:
    """The distinct cells covering ``col`` in ``rows``, top to bottom."""
    out = []
    for r in rows:
        cell = table["grid"][(r, col)]
        if not out or out[-1] is not cell:
            out.append(cell)
    return [c["text"] for c in out]


def row_texts(table, row, cols) -> list[str]:
    out = []
    for c in cols:
        cell = table["grid"][(row, c)]
        if not out or out[-1] is not cell:
            out.append(cell)
    return [c["text"] for c in out]


def cell_with(table, text: str, tag: str | None = None) -> dict:
    matches = [c for c in table["cells"] if c["text"] == text and (tag is None or c["tag"] == tag)]
    assert len(matches) == 1, f"{text!r} found {len(matches)} times"
    return matches[0]


def html_of(report) -> str:
    return render(report, "html").decode("utf-8")


# --- the registry --------------------------------------------------------------


class TestRegistry:
    def test_every_format_has_a_renderer_content_type_and_extension(self):
        assert set(RENDERERS) == set(CONTENT_TYPES) == set(EXTENSIONS) == {"json", "md", "html", "xlsx", "docx", "pdf"}

    def test_unknown_format_is_refused(self):
        with pytest.raises(UnknownFormat):
            render(zero_report(), "odt")

    def test_download_name_is_ascii(self):
        assert download_name(zero_report(), "xlsx") == "xianyou-gxj-2023.xlsx"
        assert download_name(make_report(region=True), "md").isascii()


class TestFormatValue:
    @pytest.mark.parametrize("value,kind,text", [
        (Decimal("12.5000"), AMOUNT, "12.5"),
        (Decimal("0.0000"), AMOUNT, "0"),
        (Decimal("100.0000"), AMOUNT, "100"),
        (Decimal("-0.00"), AMOUNT, "0"),
        (12.5, AMOUNT, "12.5"),
        (3, AMOUNT, "3"),
        (0, "count", "0"),
        (-3, CHANGE, "-3"),
        (None, "count", "—"),
    ])
    def test_figures_print_as_the_form_prints_them(self, value, kind, text):
        assert format_value(value, kind) == text


# --- JSON ------------------------------------------------------------------------


class TestJson:
    @pytest.mark.parametrize("fmt_code,year", CASES)
    def test_is_the_canonical_document_and_valid(self, fmt_code, year):
        report = checked_report(fmt_code, year)
        data = render(report, "json")
        text = data.decode("utf-8")
        assert text.endswith("}\n") and "仙游县工业和信息化局" in text
        doc = json.loads(text)
        assert doc == json.loads(json.dumps(report.canonical()))
        validate_report(doc)


# --- HTML --------------------------------------------------------------------------


@pytest.mark.django_db
class TestHtmlPage:
    @pytest.mark.parametrize("fmt_code,year", CASES)
    def test_every_label_appears_verbatim(self, fmt_code, year):
        html = html_of(zero_report(fmt_code, year))
        grid = TableGrid(html)
        texts = {c["text"] for t in grid.tables for c in t["cells"]}
        for label in all_labels(fmt_code):
            assert label in texts, label
        assert NOTE in texts

    def test_standalone_page(self):
        html = html_of(zero_report("2021", 2023))
        assert html.startswith("<!DOCTYPE html>")
        assert '<html lang="zh-CN">' in html
        assert TableGrid(html).title == "仙游县工业和信息化局2023年政府信息公开工作年度报告（表格）"
        assert "<style>" in html
        for external in ("<link", "<script", "src=", "url(", "http://", "https://", "@import"):
            assert external not in html

    def test_region_report_is_titled_as_a_sum(self):
        assert "仙游县2023年政府信息公开工作年度报告（汇总表格）" in html_of(make_report(region=True))

    @pytest.mark.parametrize("fmt_code,year", CASES)
    def test_accessible_markup(self, fmt_code, year):
        grid = TableGrid(html_of(zero_report(fmt_code, year)))
        assert [t["caption"] for t in grid.tables] == [
            "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况", "四、政府信息公开行政复议、行政诉讼情况"]
        ids = {c["attrs"]["id"] for t in grid.tables for c in t["cells"] if "id" in c["attrs"]}
        for table in grid.tables:
            for cell in table["cells"]:
                if cell["tag"] == "th":
                    assert cell["attrs"].get("scope") in ("row", "col", "rowgroup"), cell
                elif "data-cell" in cell["attrs"]:
                    headers = cell["attrs"]["headers"].split()
                    assert headers and set(headers) <= ids, cell

    @pytest.mark.parametrize("fmt_code,year", CASES)
    def test_table_two_prints_sections(self, fmt_code, year):
        report = make_report(fmt_code, year)
        table = TableGrid(html_of(report)).table("二、主动公开政府信息情况")
        fmt_table = report.format.table("proactive")
        for section in SECTIONS[fmt_code]:
            cell = cell_with(table, section)
            assert (cell["tag"], cell["colspan"], cell["attrs"]["scope"]) == ("th", 4, "rowgroup")
            # The section's header row follows its heading.
            assert row_texts(table, cell["row"] + 1, range(4))[0] == "信息内容"
        for row in fmt_table.rows:
            r = cell_with(table, row.label, "th")["row"]
            header_row = max(c["row"] for c in table["cells"] if c["text"] == "信息内容" and c["row"] < r)
            section_row = header_row - 1
            assert table["grid"][(section_row, 0)]["text"] == row.section
            headers, figures = row_texts(table, header_row, range(4)), row_texts(table, r, range(4))
            columns = fmt_table.row_columns(row)
            assert headers == ["信息内容", *(c.label for c in columns)]
            assert figures == [row.label, *(text_of(report, f"proactive.{row.code}.{c.code}") for c in columns)]

    def test_table_two_2021_amount_spans_the_table(self):
        report = make_report("2021", 2023)
        table = TableGrid(html_of(report)).table("二、主动公开政府信息情况")
        assert cell_with(table, "本年收费金额（单位：万元）")["colspan"] == 3
        fee = next(c for c in table["cells"] if c["attrs"].get("data-cell") == "proactive.fees.amount")
        assert fee["colspan"] == 3 and fee["text"] == format_value(report.cells["proactive.fees.amount"], AMOUNT)
        assert fee["text"].endswith(".5")

    def test_table_two_2019_prints_negative_change(self):
        report = make_report("2019", 2020)
        html = html_of(report)
        assert f">{report.cells['proactive.licensing.change']}<" in html
        assert report.cells["proactive.licensing.change"] < 0

    @pytest.mark.parametrize("fmt_code,year,outcome_rows", [("2019", 2020, 19), ("2021", 2023, 21)])
    def test_table_three_merges_like_the_form(self, fmt_code, year, outcome_rows):
        table = TableGrid(html_of(zero_report(fmt_code, year))).table("三、收到和处理政府信息公开申请情况")
        note = cell_with(table, NOTE)
        assert (note["row"], note["col"], note["rowspan"], note["colspan"]) == (0, 0, 3, 3)
        spans = {text: (cell_with(table, text)["rowspan"], cell_with(table, text)["colspan"])
                 for text in ("申请人情况", "自然人", "法人或其他组织", "商业企业", "其他")}
        assert spans == {"申请人情况": (1, 7), "自然人": (2, 1), "法人或其他组织": (1, 5), "商业企业": (1, 1),
                         "其他": (1, 1)}
        total = next(c for c in table["cells"] if c["text"] == "总计" and c["section"] == "thead")
        assert (total["rowspan"], total["colspan"]) == (2, 1)
        # The outcome group spans every outcome row and （七）总计.
        results = cell_with(table, "三、本年度办理结果")
        assert results["rowspan"] == outcome_rows + 1
        assert cell_with(table, "（三）不予公开")["rowspan"] == 8
        assert cell_with(table, "（四）无法提供")["rowspan"] == 3
        assert cell_with(table, "（五）不予处理")["rowspan"] == 5
        other = cell_with(table, "（六）其他处理")
        assert (other["rowspan"], other["colspan"]) == ((1, 2) if fmt_code == "2019" else (3, 1))
        assert cell_with(table, "一、本年新收政府信息公开申请数量")["colspan"] == 3
        assert cell_with(table, "（七）总计")["colspan"] == 2
        assert cell_with(table, "1.属于国家秘密")["colspan"] == 1

    @pytest.mark.parametrize("fmt_code,year", CASES)
    def test_table_three_figures_sit_under_their_headers(self, fmt_code, year):
        report = make_report(fmt_code, year)
        table = TableGrid(html_of(report)).table("三、收到和处理政府信息公开申请情况")
        fmt_table = report.format.table("applications")
        assert len(fmt_table.rows) == len(APPLICATION_ROWS[fmt_code])
        for j, path in enumerate(APPLICANT_PATHS):
            assert column_texts(table, 3 + j, range(3)) == path
        for i, (row, (groups, label)) in enumerate(zip(fmt_table.rows, APPLICATION_ROWS[fmt_code])):
            r = 3 + i
            assert row_texts(table, r, range(3)) == [*groups, label]
            figures = row_texts(table, r, range(3, 10))
            assert figures == [text_of(report, f"applications.{row.code}.{c.code}") for c in fmt_table.columns]

    def test_table_four_prints_one_row_under_three_header_rows(self):
        report = make_report("2021", 2023)
        table = TableGrid(html_of(report)).table("四、政府信息公开行政复议、行政诉讼情况")
        assert len(table["rows"]) == 4
        spans = {text: (cell_with(table, text)["rowspan"], cell_with(table, text)["colspan"])
                 for text in ("行政复议", "行政诉讼", "未经复议直接起诉", "复议后起诉")}
        assert spans == {"行政复议": (1, 5), "行政诉讼": (1, 10), "未经复议直接起诉": (1, 5), "复议后起诉": (1, 5)}
        data = table["rows"][3]
        assert len(data) == 15 and all(c["tag"] == "td" for c in data)
        assert [c["rowspan"] for c in table["rows"][1][:5]] == [2] * 5
        fmt_table = report.format.table("appeals")
        codes = [f"appeals.{r.code}.{c.code}" for r in fmt_table.rows for c in fmt_table.columns]
        for j, (path, code) in enumerate(zip(APPEAL_PATHS, codes)):
            assert column_texts(table, j, range(3)) == path
            assert data[j]["text"] == text_of(report, code) and data[j]["attrs"]["data-cell"] == code

    def test_checks_are_listed(self):
        report = checked_report("2021", 2023)
        html = html_of(report)
        assert "全部校验通过" not in html
        for v in report.checks:
            assert v.message in html
        assert '<span class="gk-rule" title="表三 第一项加第二项之和等于第三项加第四项之和">A1</span>' in html
        assert '<span class="gk-severity">错误</span>' in html
        # Cells a check names are marked in the tables.
        assert 'data-cell="applications.new_received.total" class="gk-num gk-flag-error"' in html

    def test_warnings_are_labelled(self):
        fmt = FORMATS["2021"]
        cells = {code: 0 for code in fmt.cell_codes()}
        report = make_report(cells=cells, checks=run_checks(fmt, 2023, cells, narrative="全年共主动公开政府信息9条",
                                                            facts={"items_published": 0}))
        assert [v.severity for v in report.checks] == ["warning"]
        assert '<span class="gk-severity">警告</span>' in html_of(report)

    def test_no_checks_means_all_passed(self):
        assert "全部校验通过" in html_of(zero_report())

    def test_unreadable_cell_prints_a_dash(self):
        report = zero_report()
        report.cells["applications.new_received.total"] = None
        assert 'data-cell="applications.new_received.total" class="gk-num gk-missing">—<' in html_of(report)


@pytest.mark.django_db
class TestTablesFragment:
    def test_fragment_renders_without_a_page(self):
        """The staff page includes ``_tables.html`` with the layout of ``table_layout``."""
        html = render_to_string("reports/_tables.html", {"layout": table_layout(zero_report())})
        assert "<html" not in html and "<title" not in html
        assert html.count("<table") == 3 and html.count("<caption") == 3

    def test_layout_is_plain_data(self):
        layout = table_layout(zero_report("2019", 2020))
        assert [t.code for t in layout.tables] == ["proactive", "applications", "appeals"]
        applications = layout.tables[1]
        assert (applications.width, applications.label_columns, len(applications.head)) == (10, 3, 3)
        assert len(applications.bodies[0]) == 23


@pytest.mark.django_db
class TestFromRecords:
    @pytest.mark.parametrize("year", [2020, 2023])
    def test_computed_report_renders_its_figures(self, agency, year):
        generate(agency, seed=3)
        report = agency_report(agency=agency, year=year)
        table = TableGrid(html_of(report)).table("三、收到和处理政府信息公开申请情况")
        row = next(i for i, r in enumerate(report.format.table("applications").rows) if r.code == "total_handled")
        assert row_texts(table, 3 + row, [9]) == [str(report.cells["applications.total_handled.total"])]
        for fmt in RENDERERS:
            assert render(report, fmt)


# --- Markdown ----------------------------------------------------------------------


class TestMarkdown:
    @pytest.mark.parametrize("fmt_code,year", CASES)
    def test_labels_and_figures(self, fmt_code, year):
        report = make_report(fmt_code, year)
        md = render(report, "md").decode("utf-8")
        assert md.startswith(f"# 仙游县工业和信息化局{year}年政府信息公开工作年度报告（表格）\n")
        for label in all_labels(fmt_code):
            assert label in md, label
        lines = md.splitlines()
        for row in report.format.table("proactive").rows:
            figures = [text_of(report, code) for r, _, code in report.format.table("proactive").cells() if r is row]
            assert f"| {row.label} | {' | '.join(figures)} |" in lines
        table = report.format.table("applications")
        for row in table.rows:
            figures = [text_of(report, f"applications.{row.code}.{c.code}") for c in table.columns]
            assert f"| {' '.join((*row.groups, row.label))} | {' | '.join(figures)} |" in lines
        for row in report.format.table("appeals").rows:
            figures = [text_of(report, f"appeals.{row.code}.{c.code}") for c in report.format.table("appeals").columns]
            assert f"| {'·'.join((*row.groups, row.label))} | {' | '.join(figures)} |" in lines

    def test_checks(self):
        report = checked_report()
        md = render(report, "md").decode("utf-8")
        assert "| 规则 | 级别 | 说明 |" in md
        v = report.checks[0]
        assert f"| {v.rule} | 错误 | {v.message} |" in md
        assert "全部校验通过" in render(zero_report(), "md").decode("utf-8")


# --- XLSX --------------------------------------------------------------------------


def workbook(report):
    return load_workbook(BytesIO(render(report, "xlsx")))


def merged(ws) -> set[str]:
    return {str(r) for r in ws.merged_cells.ranges}


def sheet_figure(report, code):
    value = report.cells[code]
    return float(value) if isinstance(value, Decimal) else value


class TestXlsx:
    @pytest.mark.parametrize("fmt_code,year", CASES)
    def test_sheets_and_titles(self, fmt_code, year):
        report = make_report(fmt_code, year)
        wb = workbook(report)
        assert wb.sheetnames == ["表二 主动公开", "表三 依申请公开", "表四 复议诉讼", "校验结果"]
        for name, caption in zip(wb.sheetnames, ("二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
                                                 "四、政府信息公开行政复议、行政诉讼情况")):
            ws = wb[name]
            assert ws["A1"].value == f"仙游县工业和信息化局{year}年政府信息公开工作年度报告（表格）"
            assert ws["A2"].value == caption
            assert any(r.startswith("A1:") for r in merged(ws))

    @pytest.mark.parametrize("fmt_code,year", CASES)
    def test_table_two_figures_under_their_headers(self, fmt_code, year):
        report = make_report(fmt_code, year)
        ws = workbook(report)["表二 主动公开"]
        labels = {ws.cell(r, 1).value: r for r in range(1, ws.max_row + 1)}
        for section in SECTIONS[fmt_code]:
            assert f"A{labels[section]}:D{labels[section]}" in merged(ws)
        for row in report.format.table("proactive").rows:
            r = labels[row.label]
            header_row = max(h for h in range(3, r) if ws.cell(h, 1).value == "信息内容")
            for column in report.format.table("proactive").row_columns(row):
                col = next(c for c in range(2, 5) if ws.cell(header_row, c).value == column.label)
                value = ws.cell(r, col).value
                assert value == sheet_figure(report, f"proactive.{row.code}.{column.code}")
                assert type(value) is (float if column.kind == AMOUNT else int)

    @pytest.mark.parametrize("fmt_code,year", CASES)
    def test_table_three_layout_and_figures(self, fmt_code, year):
        report = make_report(fmt_code, year)
        ws = workbook(report)["表三 依申请公开"]
        ranges = merged(ws)
        assert {"A3:C5", "D3:J3", "D4:D5", "E4:I4", "J4:J5"} <= ranges
        assert ws["A3"].value == NOTE and ws["D3"].value == "申请人情况"
        assert [ws.cell(5, c).value for c in range(5, 10)] == ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
        table = report.format.table("applications")
        codes = [r.code for r in table.rows]
        first, last = 6 + codes.index("disclosed"), 6 + codes.index("total_handled")
        assert f"A{first}:A{last}" in ranges and ws.cell(first, 1).value == "三、本年度办理结果"
        assert (first, last) == ((8, 27) if fmt_code == "2019" else (8, 29))
        for i, row in enumerate(table.rows):
            r = 6 + i
            assert ws.cell(r, 1 + len(row.groups)).value == row.label
            for j, column in enumerate(table.columns):
                value = ws.cell(r, 4 + j).value
                assert value == report.cells[f"applications.{row.code}.{column.code}"] and type(value) is int

    def test_table_four_layout_and_figures(self):
        report = make_report("2021", 2023)
        ws = workbook(report)["表四 复议诉讼"]
        assert {"A3:E3", "F3:O3", "F4:J4", "K4:O4", "A4:A5", "E4:E5"} <= merged(ws)
        assert [ws.cell(3, c).value for c in (1, 6)] == ["行政复议", "行政诉讼"]
        assert [ws.cell(4, c).value for c in (1, 6, 11)] == ["结果维持", "未经复议直接起诉", "复议后起诉"]
        table = report.format.table("appeals")
        codes = [f"appeals.{r.code}.{c.code}" for r in table.rows for c in table.columns]
        assert [ws.cell(6, 1 + j).value for j in range(15)] == [report.cells[c] for c in codes]

    def test_formatting(self):
        ws = workbook(make_report("2021", 2023))["表三 依申请公开"]
        label = ws["C8"] if ws["C8"].value else ws["B8"]
        assert label.alignment.wrap_text
        assert ws["D6"].border.left.style == "thin" and ws["C5"].border.bottom.style == "thin"
        assert ws.column_dimensions["C"].width > ws.column_dimensions["D"].width >= 8

    def test_checks_sheet(self):
        report = checked_report()
        ws = workbook(report)["校验结果"]
        assert [ws.cell(3, c).value for c in range(1, 6)] == ["规则", "规则说明", "级别", "涉及单元格", "说明"]
        v = report.checks[0]
        assert [ws.cell(4, c).value for c in (1, 3, 5)] == [v.rule, "错误", v.message]
        assert "表三「一、本年新收政府信息公开申请数量」行「自然人」列" in ws.cell(4, 4).value
        assert ws.max_row == 3 + len(report.checks)
        assert workbook(zero_report())["校验结果"]["A3"].value == "全部校验通过"

    def test_unreadable_cell_is_marked_not_zero(self):
        report = zero_report()
        report.cells["applications.new_received.total"] = None
        assert workbook(report)["表三 依申请公开"]["J6"].value == "—"
