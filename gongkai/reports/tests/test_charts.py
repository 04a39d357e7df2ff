"""The year-over-year charts: the same figures as the reports, published years as they were frozen."""

import pytest

from gongkai.reports.charts import chart_svg, chart_years, report_charts
from gongkai.reports.selectors import agency_report
from gongkai.reports.services import report_store_imported
from gongkai.reports.tests.records import generate


@pytest.mark.django_db
def test_chart_figures_are_the_reports_figures(agency):
    generate(agency, seed=5, applications=120, items=50, appeals=5)
    charts = {c.key: c for c in report_charts(year=2024, agency=agency)}
    assert list(charts["outcomes"].years) == [2020, 2021, 2022, 2023, 2024] == chart_years(2024)
    for i, year in enumerate(charts["outcomes"].years):
        cells = agency_report(agency=agency, year=year).cells
        assert sum(s.values[i] for s in charts["outcomes"].series) == cells["applications.total_handled.total"]
        assert sum(s.values[i] for s in charts["applicants"].series) == cells["applications.new_received.total"]
        assert charts["carried"].series[0].values[i] == cells["applications.carried_over.total"]
        assert charts["carried"].series[1].values[i] == cells["applications.carried_forward.total"]
        assert sum(s.values[i] for s in charts["items"].series) == \
            agency_report(agency=agency, year=year).facts["items_published"]


@pytest.mark.django_db
def test_a_published_year_is_charted_from_its_frozen_figures(agency):
    doc = agency_report(agency=agency, year=2022).canonical()
    doc["applications"]["new_received"]["natural_person"] = doc["applications"]["new_received"]["total"] = 7
    report_store_imported(agency=agency, year=2022, canonical=doc, replace=False, source_name="2022.pdf")
    applicants = next(c for c in report_charts(year=2023, agency=agency) if c.key == "applicants")
    assert applicants.series[0].name == "自然人" and applicants.series[0].values[applicants.years.index(2022)] == 7


def test_svg_names_every_series_and_year():
    from gongkai.reports.charts import Chart, Series

    svg = chart_svg(Chart("x", "结转的申请", (2023, 2024), (Series("上年结转", (3, 12)), Series("结转下年度", (0, 4)))))
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    for text in ("结转的申请（件）", "上年结转", "结转下年度", "2023年", "2024年", ">12<"):
        assert text in svg
