"""The seed report and the two real 洪泽区 PDFs parse to the figures a person reads in them."""

from pathlib import Path

import pytest

from gongkai.ingest.selectors import report_parse_file
from gongkai.reports.formats import FORMATS
from gongkai.reports.schema import validate_report

CORPUS = Path(__file__).with_name("corpus")


def _zeros(fmt_code):
    return {code: 0 for code in FORMATS[fmt_code].cell_codes()}


def _rules(report):
    return sorted((c.rule, tuple(c.cells)) for c in report.checks)


@pytest.fixture(scope="module")
def parsed():
    return report_parse_file(CORPUS / "seed-xianyou-gxj-2020.txt")


class TestSeed:
    """仙游县工业和信息化局 2020 (DOMAIN.md §3), OCR'd with a lost header, a "00" and a missing row."""

    def test_title_and_format(self, parsed):
        assert parsed.report.agency_name == "仙游县工业和信息化局"
        assert parsed.report.year == 2020
        assert parsed.report.format.code == "2019"
        assert parsed.kind == "text"

    def test_figures_are_those_of_domain_section_3(self, parsed):
        expected = _zeros("2019")
        expected.update({
            "proactive.licensing.previous_year_items": 4,
            "proactive.other_management_services.previous_year_items": 3,
            "proactive.penalty.previous_year_items": 62,
            "proactive.coercion.previous_year_items": 1,
        })
        # Not guessed: the "00" cell, and the row 四、结转下年度继续办理 the OCR lost entirely.
        expected["applications.withheld.administrative_query.total"] = None
        for column in FORMATS["2019"].table("applications").columns:
            expected[f"applications.carried_forward.{column.code}"] = None
        assert parsed.report.cells == expected

    def test_the_doubled_digit_is_a_problem_and_an_n1_violation(self, parsed):
        cell = "applications.withheld.administrative_query.total"
        problems = [p for p in parsed.report.problems if p.cell == cell]
        assert [(p.raw, p.kind) for p in problems] == [("00", "unreadable")]
        assert ("N1", (cell,)) in _rules(parsed.report)

    def test_the_lost_row_is_a_problem(self, parsed):
        assert any(p.cell == "applications.carried_forward" and p.kind == "unreadable"
                   for p in parsed.report.problems)

    def test_rows_read_without_a_one_to_one_print_are_recorded(self, parsed):
        inferred = {p.cell for p in parsed.report.problems if p.kind == "inferred"}
        # 6 figures printed for 7 cells (新收, 予以公开), 8 for 7 (5.要求行政机关确认…, a "0" inside the label),
        # and the label of （二）部分公开 lost (“本年 形)”): placed by position between its neighbours.
        assert inferred == {"applications.new_received", "applications.disclosed",
                            "applications.not_processed.confirmation", "applications.partially_disclosed"}
        lost = next(p for p in parsed.report.problems if p.cell == "applications.partially_disclosed")
        assert "按位置" in lost.message

    def test_canonical_json_validates(self, parsed):
        doc = parsed.canonical()
        validate_report(doc)
        assert doc["agency"] == {"code": None, "name": "仙游县工业和信息化局"}
        assert doc["source"] == {"file": "seed-xianyou-gxj-2020.txt", "kind": "text"}


HONGZE_2023 = {
    "proactive.regulations": (0, 0, 0), "proactive.normative_documents": (0, 5, 5),
    "proactive.licensing": (550,), "proactive.penalty": (4119,), "proactive.coercion": (195,),
    "applications.new_received": (21,), "applications.partially_disclosed": (4,),
    "applications.withheld.state_secret": (1,), "applications.withheld.process_information": (1,),
    "applications.withheld.enforcement_files": (1,), "applications.unavailable.not_held": (10,),
    "applications.unavailable.needs_creation": (3,), "applications.not_processed.petition": (1,),
    "applications.total_handled": (21,),
    # As printed: the totals of 行政复议 and 复议后起诉 were left at 0 (R1 catches it).
    "appeals.reconsideration": (10, 1, 0, 0, 0), "appeals.litigation_after_reconsideration": (5, 0, 0, 0, 0),
}
HONGZE_2024 = {
    "proactive.regulations": (0, 0, 0), "proactive.normative_documents": (3, 0, 8),
    "proactive.licensing": (9487,), "proactive.penalty": (2776,), "proactive.coercion": (84,),
    "applications.new_received": (95,), "applications.disclosed": (50,), "applications.partially_disclosed": (9,),
    "applications.withheld.security_stability": (1,), "applications.withheld.process_information": (1,),
    "applications.withheld.enforcement_files": (1,), "applications.unavailable.not_held": (31,),
    "applications.unavailable.needs_creation": (1,), "applications.not_processed.petition": (1,),
    "applications.total_handled": (95,),
    "appeals.reconsideration": (1, 1, 0, 0, 2), "appeals.litigation_direct": (1, 0, 0, 0, 1),
    "appeals.litigation_after_reconsideration": (2, 0, 1, 0, 3),
}


def _expected(rows: dict, fees) -> dict:
    fmt = FORMATS["2021"]
    cells = _zeros("2021")
    for table in fmt.tables:
        for row in table.rows:
            values = rows.get(f"{table.code}.{row.code}")
            if values is None:
                continue
            columns = table.row_columns(row)
            if table.code == "applications" and len(values) == 1:  # natural persons only
                values = (values[0], 0, 0, 0, 0, 0, values[0])
            for column, value in zip(columns, values):
                cells[f"{table.code}.{row.code}.{column.code}"] = value
    cells["proactive.fees.amount"] = fees
    return cells


class TestHongze:
    @pytest.mark.parametrize("year, rows, fees", [(2023, HONGZE_2023, 7730.28), (2024, HONGZE_2024, 7545)])
    def test_figures_as_printed(self, year, rows, fees):
        parsed = report_parse_file(CORPUS / f"hongze-{year}.pdf")
        report = parsed.report
        assert (report.year, report.format.code, parsed.kind) == (year, "2021", "pdf")
        assert report.agency_name.endswith("洪泽区人民政府")
        cells = dict(report.cells)
        cells["proactive.fees.amount"] = float(cells["proactive.fees.amount"])
        assert cells == _expected(rows, fees)
        validate_report(parsed.canonical())

    def test_2023_slips_are_flagged(self):
        report = report_parse_file(CORPUS / "hongze-2023.pdf").report
        assert [c.rule for c in report.checks] == ["R1", "R1"]
        assert {c.cells[-1] for c in report.checks} == {"appeals.reconsideration.total",
                                                        "appeals.litigation_after_reconsideration.total"}
        # The 2021 form has three 其他处理 rows; this report printed one, all 0.
        assert any(p.cell == "applications.other" and p.kind == "inferred" for p in report.problems)
        # Its label “2.其他法律行政止公开” lost 法规禁; read as that row, and said so.
        slip = next(p for p in report.problems if p.cell == "applications.withheld.prohibited_by_law")
        assert slip.raw == "其他法律行政止公开" and "相近" in slip.message

    def test_2024_is_clean(self):
        report = report_parse_file(CORPUS / "hongze-2024.pdf").report
        assert report.checks == []
        assert all(p.kind == "inferred" for p in report.problems)
