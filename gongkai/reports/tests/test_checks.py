"""Each identity of DOMAIN.md §2.6, broken on purpose, is reported in plain Chinese naming its cells."""

from datetime import date

import pytest

from gongkai.applications.models import Application
from gongkai.catalogue.models import DocumentType, Item
from gongkai.reports.canonical import flatten
from gongkai.reports.checks import ERROR, WARNING, run_checks
from gongkai.reports.formats import FORMAT_2019, FORMAT_2021
from gongkai.reports.models import AdministrativeFigures, AnnualReport
from gongkai.reports.selectors import agency_report

from .records import expected_cells, generate


def consistent(fmt, year, agency, seed=7):
    """Cells of a report that satisfies every identity (computed from generated records)."""
    generated = generate(agency, seed=seed)
    return expected_cells(fmt, year, generated)


def only(violations, rule):
    found = [v for v in violations if v.rule == rule]
    assert found, f"{rule} not reported: {violations}"
    assert all(v.rule == rule for v in violations), violations
    return found


@pytest.mark.django_db
@pytest.mark.parametrize("fmt,year", [(FORMAT_2019, 2020), (FORMAT_2021, 2023)])
class TestIdentitiesWithinAReport:
    def test_consistent_report_passes(self, agency, fmt, year):
        assert run_checks(fmt, year, consistent(fmt, year, agency)) == []

    def test_a1_received_and_carried_over_equal_handled_and_carried_forward(self, agency, fmt, year):
        cells = consistent(fmt, year, agency)
        cells["applications.carried_forward.research_institution"] += 1
        cells["applications.carried_forward.total"] += 1
        v, v_total = only(run_checks(fmt, year, cells), "A1")
        assert v.severity == ERROR
        assert v_total.cells[-1] == "applications.carried_forward.total"
        assert v.cells == tuple(f"applications.{r}.research_institution"
                                for r in ("new_received", "carried_over", "total_handled", "carried_forward"))
        c = lambda r: cells[f"applications.{r}.research_institution"]  # noqa: E731
        assert v.message == (f"表三 科研机构列：第一项({c('new_received')})+第二项({c('carried_over')})"
                             f"≠第三项总计({c('total_handled')})+第四项({c('carried_forward')})")

    def test_a2_total_handled_is_the_sum_of_outcomes(self, agency, fmt, year):
        cells = consistent(fmt, year, agency)
        cells["applications.withheld.state_secret.natural_person"] += 1
        cells["applications.withheld.state_secret.total"] += 1
        a2 = only(run_checks(fmt, year, cells), "A2")
        assert [v.cells[-1] for v in a2] == ["applications.total_handled.natural_person",
                                             "applications.total_handled.total"]
        handled = cells["applications.total_handled.natural_person"]
        assert a2[0].message == f"表三 自然人列：第三项各办理结果之和({handled + 1})≠（七）总计({handled})"

    def test_a3_row_total_is_the_sum_of_applicant_columns(self, agency, fmt, year):
        cells = consistent(fmt, year, agency)
        cells["applications.not_processed.repeated.total"] += 2
        cells["applications.total_handled.total"] += 2
        cells["applications.carried_forward.total"] -= 2
        violations = run_checks(fmt, year, cells)
        a3 = [v for v in violations if v.rule == "A3"]
        assert {v.cells[-1] for v in a3} == {"applications.not_processed.repeated.total",
                                            "applications.total_handled.total",
                                            "applications.carried_forward.total"}
        assert any(v.message.startswith("表三「2.重复申请」行：六类申请人之和(") for v in a3)

    def test_r1_appeal_total(self, agency, fmt, year):
        cells = consistent(fmt, year, agency)
        cells["appeals.litigation_after_reconsideration.pending"] += 1
        [v] = only(run_checks(fmt, year, cells), "R1")
        assert v.severity == ERROR
        assert v.message.startswith("表四 行政诉讼·复议后起诉：维持(")
        assert v.cells[-1] == "appeals.litigation_after_reconsideration.total"

    def test_n1_unclean_values(self, agency, fmt, year):
        cells = consistent(fmt, year, agency)
        cells["applications.withheld.administrative_query.total"] = "00"
        cells["appeals.reconsideration.upheld"] = -1
        violations = run_checks(fmt, year, cells)
        n1 = only([v for v in violations if v.rule == "N1"], "N1")
        assert [v.cells for v in n1] == [("applications.withheld.administrative_query.total",),
                                         ("appeals.reconsideration.upheld",)]
        assert n1[0].message == "表三「8.属于行政查询事项」行「总计」列的值“00”不是规范的非负整数"
        # Unclean cells are left out of the sums rather than guessed at.
        assert not [v for v in violations if v.rule in ("A2", "A3", "R1")]

    def test_unread_cells_are_skipped(self, agency, fmt, year):
        cells = consistent(fmt, year, agency)
        cells["applications.new_received.total"] = None
        assert run_checks(fmt, year, cells) == []


@pytest.mark.django_db
def test_a4_across_years_against_a_published_report(agency):
    """A frozen previous-year report that carried forward 2 while the records say 0: A4 names both years."""
    previous = agency_report(agency=agency, year=2022).canonical()
    previous["applications"]["carried_forward"]["natural_person"] = 2
    previous["applications"]["carried_forward"]["total"] = 2
    AnnualReport.objects.create(agency=agency, year=2022, snapshot=previous)
    report = agency_report(agency=agency, year=2023)
    a4 = only(report.checks, "A4")
    assert [v.message for v in a4] == ["表三 自然人列：2022年第四项结转下年度继续办理(2)≠2023年第二项上年结转(0)",
                                       "表三 总计列：2022年第四项结转下年度继续办理(2)≠2023年第二项上年结转(0)"]
    assert a4[0].cells == ("applications.carried_over.natural_person",)
    assert report.has_errors


@pytest.mark.django_db
def test_a4_following_year(agency):
    cells_2023 = agency_report(agency=agency, year=2023).cells
    following = dict(cells_2023)
    following["applications.carried_over.total"] = 4
    violations = run_checks(FORMAT_2021, 2023, cells_2023, following=following)
    [v] = only(violations, "A4")
    assert v.message == "表三 总计列：2023年第四项结转下年度继续办理(0)≠2024年第二项上年结转(4)"


@pytest.mark.django_db
def test_p1_in_force_follows_from_last_year(agency):
    """Two normative documents in force at the end of 2022 per a published report, but the records hold one."""
    Item.objects.create(agency=agency, title="规范性文件", document_type=DocumentType.NORMATIVE_DOCUMENT,
                        formed_on=date(2021, 5, 1), published_on=date(2021, 5, 8))
    previous = agency_report(agency=agency, year=2022).canonical()
    assert previous["proactive"]["normative_documents"]["in_force"] == 1
    assert agency_report(agency=agency, year=2023).checks == []
    previous["proactive"]["normative_documents"]["in_force"] = 2
    AnnualReport.objects.create(agency=agency, year=2022, snapshot=previous)
    [v] = only(agency_report(agency=agency, year=2023).checks, "P1")
    assert v.severity == WARNING
    assert v.message == "表二 行政规范性文件：2022年现行有效件数(2)+本年制发件数(0)−本年废止件数(0)≠现行有效件数(1)"


@pytest.mark.django_db
def test_p2_project_counts_chain_across_years(agency):
    AdministrativeFigures.objects.create(agency=agency, year=2019, licensing_previous_year_items=4, licensing_change=2)
    AdministrativeFigures.objects.create(agency=agency, year=2020, licensing_previous_year_items=6)
    assert agency_report(agency=agency, year=2019).checks == []
    AdministrativeFigures.objects.filter(year=2020).update(licensing_previous_year_items=5)
    [v] = only(agency_report(agency=agency, year=2019).checks, "P2")
    assert v.message == "表二 行政许可：2019年上一年项目数量(4)+本年增/减(2)≠2020年上一年项目数量(5)"
    assert v.severity == WARNING
    # Seen from 2020, the same break names 2020's cell.
    [v] = only(agency_report(agency=agency, year=2020).checks, "P2")
    assert v.cells == ("proactive.licensing.previous_year_items",)


@pytest.mark.django_db
def test_p2_needs_both_years_entered(agency):
    AdministrativeFigures.objects.create(agency=agency, year=2019, licensing_previous_year_items=4, licensing_change=2)
    assert agency_report(agency=agency, year=2019).checks == []


@pytest.mark.django_db
def test_t1_narrative_figures_agree_with_records(agency):
    for i in range(3):
        Item.objects.create(agency=agency, title=f"信息{i}", formed_on=date(2023, 3, 1), published_on=date(2023, 3, 2))
    Application.objects.create(agency=agency, applicant_type="natural_person", channel="online",
                               received_on=date(2023, 5, 1))
    AnnualReport.objects.create(agency=agency, year=2023,
                                overview="全年共主动公开政府信息3条。全年收到政府信息公开申请1件。")
    assert agency_report(agency=agency, year=2023).checks == []
    AnnualReport.objects.filter(agency=agency).update(overview="全年共主动公开政府信息 22 条。本年度无依申请公开件。")
    t1 = only(agency_report(agency=agency, year=2023).checks, "T1")
    assert [v.message for v in t1] == ["正文“主动公开政府信息 22 条”与全年主动公开政府信息条数(3)不一致",
                                       "正文“无依申请公开件”与本年新收政府信息公开申请数量(1)不一致"]
    assert t1[1].cells == ("applications.new_received.total",)


@pytest.mark.django_db
def test_checks_in_canonical_json(agency):
    AnnualReport.objects.create(agency=agency, year=2023, overview="全年共主动公开政府信息5条。")
    doc = agency_report(agency=agency, year=2023).canonical()
    assert doc["checks"] == [{"rule": "T1", "severity": "warning", "cells": [],
                              "message": "正文“主动公开政府信息5条”与全年主动公开政府信息条数(0)不一致"}]
    fmt, cells = flatten(doc)
    assert fmt is FORMAT_2021 and cells == agency_report(agency=agency, year=2023).cells
