"""The same figures, laid out the ways pages and converters lay them out, read exactly alike."""

import dataclasses
import json
from pathlib import Path

import pytest

from gongkai.ingest.selectors import report_parse
from gongkai.ingest.tests.make_corpus import SPECS, cells_of, render_html, render_text
from gongkai.reports.canonical import nest
from gongkai.reports.formats import FORMATS

CLEAN = [dataclasses.replace(s, printed={}, unreadable=(), run_together=(), inferred=(), missing_rows=(),
                             single_other=False, split_rows=(), lost_labels=())
         for s in SPECS if s.name[:2] in ("01", "02", "05", "07", "10", "11")]

SEPARATORS = {
    "one cell per line": "\n",
    "pipes": " | ",
    "full-width spaces": "\u3000",
    "doubled tabs": "\t\t",
    "tabs": "\t",
}


def _same(fmt_code, got: dict, want: dict) -> bool:
    fmt = FORMATS[fmt_code]
    return json.loads(json.dumps(nest(fmt, got))) == json.loads(json.dumps(nest(fmt, want)))


@pytest.mark.parametrize("separator", SEPARATORS.values(), ids=SEPARATORS.keys())
@pytest.mark.parametrize("spec", CLEAN, ids=[s.name for s in CLEAN])
def test_text_layouts(spec, separator):
    spec = dataclasses.replace(spec, sep=separator)
    parsed = report_parse(render_text(spec).encode("utf-8"), name="report.txt")
    assert _same(spec.format, parsed.report.cells, cells_of(FORMATS[spec.format], spec))


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
@pytest.mark.parametrize("spec", CLEAN[:2], ids=[s.name for s in CLEAN[:2]])
def test_encodings(spec, encoding):
    parsed = report_parse(render_text(spec).encode(encoding), name="report.txt")
    assert _same(spec.format, parsed.report.cells, cells_of(FORMATS[spec.format], spec))
    assert parsed.report.agency_name == spec.agency


@pytest.mark.parametrize("spec", CLEAN, ids=[s.name for s in CLEAN])
def test_html_with_cms_markup(spec):
    """Cells wrapped in <p><span> with non-breaking spaces, as web editors save them."""
    html = render_html(spec).replace("<td", "<td class='x'")
    html = html.replace("<td class='x'>", "<td class='x'><p style='text-align:center'><span>&nbsp;")
    html = html.replace("</td>", "&nbsp;</span></p></td>")
    parsed = report_parse(html.encode("utf-8"), name="page.html")
    assert parsed.kind == "html"
    assert _same(spec.format, parsed.report.cells, cells_of(FORMATS[spec.format], spec))


def test_docx_tables_inside_content_controls():
    """WPS and templates wrap blocks in content controls (w:sdt); the tables inside are read."""
    import io
    from pathlib import Path

    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    data = (Path(__file__).with_name("corpus") / "10-docx-2021.docx").read_bytes()
    document = docx.Document(io.BytesIO(data))
    for table in document.element.body.findall(qn("w:tbl")):
        sdt, content = OxmlElement("w:sdt"), OxmlElement("w:sdtContent")
        table.addprevious(sdt)
        sdt.append(content)
        content.append(table)
    buffer = io.BytesIO()
    document.save(buffer)
    wrapped = report_parse(buffer.getvalue(), name="wrapped.docx").report
    assert wrapped.cells == report_parse(data, name="plain.docx").report.cells
    assert wrapped.cells_unread == 0


def test_ofd_is_refused_with_a_hint():
    import io
    import zipfile

    from gongkai.ingest.selectors import ParseError

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("OFD.xml", "<ofd:OFD/>")
    with pytest.raises(ParseError, match="OFD"):
        report_parse(buffer.getvalue(), name="report.ofd")


@pytest.mark.parametrize("spec", CLEAN[:3], ids=[s.name for s in CLEAN[:3]])
def test_text_without_line_breaks(spec):
    """A page copied as one long line: headings are found inside it, rows by their labels."""
    text = render_text(spec).replace("\n", " ")
    parsed = report_parse(text.encode("utf-8"), name="report.txt")
    assert _same(spec.format, parsed.report.cells, cells_of(FORMATS[spec.format], spec))
    assert (parsed.report.agency_name, parsed.report.year) == (spec.agency, spec.year)


def test_sub_headings_of_the_overview_are_not_the_tables():
    """一、总体情况 often has （一）主动公开政府信息情况 and （二）收到和处理政府信息公开申请情况 of its own."""
    spec = CLEAN[0]
    narrative = ("（一）主动公开政府信息情况\n全年主动公开政府信息120条，其中规章0件、行政许可312件。\n"
                 "（二）收到和处理政府信息公开申请情况\n本年新收政府信息公开申请20件，均按期答复。\n")
    text = render_text(spec).replace("一、总体情况\n", "一、总体情况\n" + narrative, 1)
    parsed = report_parse(text.encode("utf-8"), name="report.txt")
    assert _same(spec.format, parsed.report.cells, cells_of(FORMATS[spec.format], spec))


def test_a_text_cut_in_the_middle_of_a_character_is_still_read():
    spec = CLEAN[0]
    data = render_text(spec).encode("utf-8")
    cut = data[: data.index("五、存在".encode()) + 2]  # ends inside 五
    parsed = report_parse(cut, name="report.txt")
    assert _same(spec.format, parsed.report.cells, cells_of(FORMATS[spec.format], spec))


def test_units_printed_with_the_figures():
    """550件 is 550; 3000元 is 0.3 万元, noted; 0.3万元 is 0.3."""
    path = Path(__file__).with_name("corpus") / "07-fullwidth-2021.txt"
    text = path.read_text(encoding="utf-8")
    for fee, note in (("3000元", True), ("0.3万元", False)):
        changed = text.replace("行政事业性收费 ０．３", f"行政事业性收费 {fee}").replace("行政许可 ２４５", "行政许可 245件")
        report = report_parse(changed.encode("utf-8"), name="report.txt").report
        assert report.cells["proactive.licensing.decisions"] == 245
        assert float(report.cells["proactive.fees.amount"]) == 0.3
        assert any(p.cell == "proactive.fees.amount" for p in report.problems) == note


def test_a_blank_cell_copied_as_an_extra_space():
    """Figures one space apart, a blank cell as a second space (text copied from a page)."""
    spec = dataclasses.replace(CLEAN[0], sep=" ", printed={"applications.new_received.research_institution": "",
                                                           "applications.disclosed.commercial_enterprise": ""})
    text = render_text(spec)
    assert "14 3  1 2 0 20" in text
    report = report_parse(text.encode("utf-8"), name="report.txt").report
    truth = cells_of(FORMATS[spec.format], spec)
    assert report.cells["applications.new_received.research_institution"] == 0
    assert report.cells["applications.disclosed.commercial_enterprise"] == truth[
        "applications.disclosed.commercial_enterprise"] == 1
    assert all(v == truth[c] for c, v in report.cells.items())
    assert {p.cell for p in report.problems if p.kind == "inferred"} >= {"applications.new_received",
                                                                          "applications.disclosed"}


@pytest.mark.parametrize("kind", ["text", "html"])
@pytest.mark.parametrize("spec", CLEAN[:2], ids=[s.name for s in CLEAN[:2]])
def test_tables_without_their_section_headings(spec, kind):
    """Only the tables (and the title) copied: each table is found by words only it prints."""
    rendered = render_text(spec) if kind == "text" else render_html(spec)
    for heading in ("二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况", "四、政府信息公开行政复议、行政诉讼情况"):
        assert heading in rendered
        rendered = rendered.replace(heading, "")
    parsed = report_parse(rendered.encode("utf-8"), name=f"report.{'txt' if kind == 'text' else 'html'}")
    assert _same(spec.format, parsed.report.cells, cells_of(FORMATS[spec.format], spec))


def test_table_four_stops_at_the_narrative_when_its_end_heading_is_unusual():
    spec = CLEAN[0]
    text = render_text(spec).replace("五、存在的主要问题及改进情况", "（五）工作中的不足与下一步打算")
    text = text.replace("一是公开内容有待深化。", "复议案件 1 件维持、0 件纠正、0 件其他、0 件未结，合计 1 件，均已整改。")
    report = report_parse(text.encode("utf-8"), name="report.txt").report
    assert _same(spec.format, report.cells, cells_of(FORMATS[spec.format], spec))
