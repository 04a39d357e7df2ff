"""The engine against records whose counts are known independently (DOMAIN.md §2.5)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gongkai.agencies.models import Agency
from gongkai.appeals.models import AppealCase
from gongkai.applications.models import ApplicantType, Application, Outcome
from gongkai.reports.checks import run_checks
from gongkai.reports.compute import compute_figures
from gongkai.reports.formats import FORMAT_2019, FORMAT_2021, UnknownYear, format_for_year
from gongkai.reports.models import AdministrativeFigures
from gongkai.reports.selectors import agency_report, agency_reports, region_agency_reports, region_report

from .records import expected_cells, generate

FIGURES_2020 = dict(
    licensing_previous_year_items=4, licensing_change=2, licensing_decisions=17,
    other_management_services_previous_year_items=3, other_management_services_change=-1,
    other_management_services_decisions=5, penalty_previous_year_items=62, penalty_change=0, penalty_decisions=9,
    coercion_previous_year_items=1, coercion_change=0, coercion_decisions=2, fees_previous_year_items=3,
    fees_change=-1, procurement_projects=4, procurement_total_amount=Decimal("123.4500"),
)
FIGURES_2023 = dict(licensing_decisions=31, penalty_decisions=12, coercion_decisions=3, fees_amount=Decimal("8.2500"))


@pytest.mark.parametrize("year", [2019, 2020, 2021, 2022, 2023, 2024])
@pytest.mark.parametrize("seed", [1, 2])
def test_every_cell_matches_the_records(agency, year, seed):
    """Each cell of either format equals a one-record-at-a-time count of the same records."""
    generated = generate(agency, seed=seed)
    figures = FIGURES_2020 if year <= 2020 else FIGURES_2023
    AdministrativeFigures.objects.create(agency=agency, year=year, **figures)
    fmt = format_for_year(year)
    got = compute_figures(year=year, agency_ids=[agency.id], by_agency=True)[agency.id]
    assert got.format is fmt
    assert got.cells == expected_cells(fmt, year, generated, figures)
    assert got.figures_entered


def test_formats_by_year():
    assert [format_for_year(y).code for y in (2019, 2020, 2021, 2025)] == ["2019", "2019", "2021", "2021"]
    with pytest.raises(UnknownYear):
        format_for_year(2018)


def test_format_shapes_match_the_printed_forms():
    """2019: 23 application rows, 2021: 25, both 7 columns; table 四 has 15 cells."""
    for fmt, rows in ((FORMAT_2019, 23), (FORMAT_2021, 25)):
        table = fmt.table("applications")
        assert (len(table.rows), len(table.columns)) == (rows, 7)
        assert len(list(fmt.table("appeals").cells())) == 15
    assert len(list(FORMAT_2019.table("proactive").cells())) == 22
    assert len(list(FORMAT_2021.table("proactive").cells())) == 10


def test_other_outcomes_merge_in_the_2019_format(agency):
    """The three kinds of 其他处理 are one row in 2019 and three rows from 2021."""
    for outcome in ("other.no_correction", "other.unpaid_fee", "other.other"):
        Application.objects.create(agency=agency, applicant_type=ApplicantType.NATURAL_PERSON, channel="online",
                                   received_on=date(2020, 3, 1), concluded_on=date(2020, 3, 20), outcome=outcome)
        Application.objects.create(agency=agency, applicant_type=ApplicantType.NATURAL_PERSON, channel="online",
                                   received_on=date(2021, 3, 1), concluded_on=date(2021, 3, 20), outcome=outcome)
    assert agency_report(agency=agency, year=2020).cells["applications.other.natural_person"] == 3
    cells_2021 = agency_report(agency=agency, year=2021).cells
    assert [cells_2021[f"applications.{o}.total"] for o in ("other.no_correction", "other.unpaid_fee",
                                                           "other.other")] == [1, 1, 1]
    assert cells_2021["applications.total_handled.total"] == 3


def test_carried_across_the_new_year(agency):
    """Received 30 December, concluded 5 January: carried forward, then carried over."""
    Application.objects.create(agency=agency, applicant_type=ApplicantType.LEGAL_SERVICE_AGENCY, channel="fax",
                               received_on=date(2022, 12, 30), concluded_on=date(2023, 1, 5),
                               outcome=Outcome.DISCLOSED)
    before, after = agency_report(agency=agency, year=2022), agency_report(agency=agency, year=2023)
    assert before.cells["applications.carried_forward.legal_service_agency"] == 1
    assert after.cells["applications.carried_over.legal_service_agency"] == 1
    assert after.cells["applications.disclosed.total"] == 1
    assert before.checks == after.checks == []


def test_region_report_is_the_sum_of_its_agencies(agency, other_agency, region):
    """The region's aggregate, computed by the database, equals the cell-wise sum of its agencies."""
    from gongkai.agencies.models import Agency

    sibling = Agency.objects.create(code="testcounty-zfb", name="测试县人民政府办公室", region=region)
    for i, a in enumerate((agency, sibling, other_agency)):
        generate(a, seed=10 + i)
        AdministrativeFigures.objects.create(agency=a, year=2023, **FIGURES_2023)
    for year in (2020, 2023):
        aggregate = region_report(region=region, year=year)
        parts = region_agency_reports(region=region, year=year)
        assert {p.agency.code for p in parts} == {"testcounty-gxj", "testcounty-zfb"}
        assert aggregate.cells == {code: sum(p.cells[code] for p in parts) for code in aggregate.cells}
        # The parent region holds both counties.
        everything = region_report(region=region.parent, year=year)
        assert everything.cells["applications.new_received.total"] == sum(
            agency_report(agency=a, year=year).cells["applications.new_received.total"]
            for a in (agency, sibling, other_agency))


def _queries(fn) -> int:
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def test_query_count_does_not_grow_with_records_or_agencies(region):
    """A report costs the same queries for 10 or 400 records, and for 1 or 12 agencies."""
    small = Agency.objects.create(code="small", name="小机关", region=region)
    generate(small, seed=3, applications=10, items=5, appeals=2)
    one_small = _queries(lambda: agency_report(agency=small, year=2022))
    assert _queries(lambda: compute_figures(year=2022, agency_ids=[small.id], by_agency=True)) == 5

    big = Agency.objects.create(code="big", name="大机关", region=region)
    generate(big, seed=4, applications=400, items=200, appeals=60)
    assert _queries(lambda: agency_report(agency=big, year=2022)) == one_small

    agencies = [small, big]
    for i in range(10):
        a = Agency.objects.create(code=f"many-{i}", name=f"机关{i}", region=region)
        generate(a, seed=100 + i, applications=30, items=10, appeals=5)
        agencies.append(a)
    assert _queries(lambda: agency_reports(agencies=agencies, year=2022)) == one_small
    # The year's five queries (the fifth: fees paid, for section 六), and items and figures for each neighbouring year (selectors.NEIGHBOUR_PARTS).
    assert _queries(lambda: region_report(region=region, year=2022)) == 5 + 2 * 2


_day = st.dates(min_value=date(2018, 10, 1), max_value=date(2025, 3, 31))


@st.composite
def application_rows(draw):
    received = draw(_day)
    gap = draw(st.one_of(st.none(), st.integers(min_value=0, max_value=500)))
    concluded = received + timedelta(days=gap) if gap is not None else None
    return (draw(st.sampled_from(ApplicantType.values)), received, concluded,
            draw(st.sampled_from(Outcome.values)) if concluded else "")


@st.composite
def appeal_rows(draw):
    filed = draw(_day)
    gap = draw(st.one_of(st.none(), st.integers(min_value=0, max_value=500)))
    return (draw(st.sampled_from(["reconsideration", "litigation_direct", "litigation_after_reconsideration"])),
            filed, filed + timedelta(days=gap) if gap is not None else None,
            draw(st.sampled_from(["upheld", "corrected", "other"])) if gap is not None else "")


@pytest.mark.django_db
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(apps=st.lists(application_rows(), max_size=25), appeals=st.lists(appeal_rows(), max_size=8),
       year=st.integers(min_value=2019, max_value=2024))
def test_any_records_give_a_report_that_adds_up(agency, apps, appeals, year):
    """Whatever the records, the computed report satisfies every identity, in both formats."""
    Application.objects.filter(agency=agency).delete()
    AppealCase.objects.filter(agency=agency).delete()
    Application.objects.bulk_create(
        Application(agency=agency, applicant_type=t, channel="online", received_on=r, concluded_on=c, outcome=o)
        for t, r, c, o in apps)
    AppealCase.objects.bulk_create(
        AppealCase(agency=agency, kind=k, filed_on=f, decided_on=d, result=res) for k, f, d, res in appeals)
    report = agency_report(agency=agency, year=year)
    assert report.checks == []
    assert run_checks(report.format, year, report.cells) == []
    assert report.cells["applications.new_received.total"] == sum(1 for _, r, _, _ in apps if r.year == year)
