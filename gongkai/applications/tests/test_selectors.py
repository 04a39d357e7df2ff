"""Reads for the staff pages: visibility, overdue and due-soon lists, and the records behind each cell of table 三."""

from datetime import date, timedelta

import pytest
from django.contrib.auth.models import AnonymousUser, User

from gongkai.agencies.models import Membership, Role, Supervision
from gongkai.agencies.workdays import WorkingDayCalendar
from gongkai.applications.models import Application, CorrectionRequest, Status
from gongkai.applications.selectors import (
    applications_due_soon,
    applications_in_cell,
    applications_overdue,
    applications_visible_to,
    due_soon_limit,
    parse_cell,
    staff_access,
)
from gongkai.reports.formats import FORMAT_2019, FORMAT_2021
from gongkai.reports.selectors import agency_report, region_report
from gongkai.reports.tests.records import generate

CALENDAR = WorkingDayCalendar()
TODAY = date(2025, 6, 18)  # a Wednesday


def app(agency, status=Status.REGISTERED, *, received=date(2025, 5, 6), due=None, **fields):
    return Application.objects.create(agency=agency, applicant_type="natural_person", applicant_name="张三",
                                      channel="in_person", status=status, received_on=received,
                                      clock_started_on=received, due_on=due, **fields)


@pytest.mark.django_db
class TestVisibility:
    def test_members_supervisors_and_superusers(self, agency, other_agency, region):
        mine = app(agency)
        app(other_agency)
        member = User.objects.create_user("member")
        Membership.objects.create(user=member, agency=agency, role=Role.PROVIDER)
        supervisor = User.objects.create_user("supervisor")
        Supervision.objects.create(user=supervisor, region=region)
        province_supervisor = User.objects.create_user("province")
        Supervision.objects.create(user=province_supervisor, region=region.parent)
        root = User.objects.create_superuser("root")
        stranger = User.objects.create_user("stranger")
        Membership.objects.create(user=stranger, agency=other_agency, role=Role.AGENCY_ADMIN)

        assert list(applications_visible_to(member, agency)) == [mine]
        assert list(applications_visible_to(supervisor, agency)) == [mine]
        assert list(applications_visible_to(province_supervisor, agency)) == [mine]
        assert list(applications_visible_to(root, agency)) == [mine]
        assert not applications_visible_to(stranger, agency).exists()
        assert not applications_visible_to(supervisor, other_agency).exists()
        assert not applications_visible_to(AnonymousUser(), agency).exists()

    def test_supervisors_hold_no_roles(self, agency, region):
        supervisor = User.objects.create_user("supervisor")
        Supervision.objects.create(user=supervisor, region=region)
        access = staff_access(supervisor, agency)
        assert access.can_view and access.is_observer and not access.roles
        assert not (access.can_register or access.can_upload or access.can_assign)
        root = staff_access(User.objects.create_superuser("root"), agency)
        assert root.can_register and not root.is_observer


@pytest.mark.django_db
class TestOverdueAndDueSoon:
    def test_overdue(self, agency, other_agency):
        late = app(agency, due=TODAY - timedelta(days=1))
        app(agency, due=TODAY)  # due today: not yet late
        app(agency, Status.CONSULTING, due=TODAY - timedelta(days=10))  # paused
        app(agency, Status.FEE_NOTICE, due=TODAY - timedelta(days=10))  # paused
        app(agency, Status.DECIDED, due=None, outcome="disclosed", concluded_on=date(2025, 6, 1))
        app(other_agency, due=TODAY - timedelta(days=1))
        unsupplemented = app(agency, Status.CORRECTION, due=TODAY + timedelta(days=30))
        CorrectionRequest.objects.create(application=unsupplemented, notified_on=date(2025, 5, 8), items="x",
                                         supplement_due_on=TODAY - timedelta(days=1))
        waiting = app(agency, Status.CORRECTION, due=TODAY - timedelta(days=30))  # the reply due date is stopped
        CorrectionRequest.objects.create(application=waiting, notified_on=date(2025, 5, 8), items="x",
                                         supplement_due_on=TODAY + timedelta(days=3))
        assert set(applications_overdue(agency, TODAY)) == {late, unsupplemented}

    def test_overdue_is_one_query(self, agency, django_assert_num_queries):
        app(agency, due=TODAY - timedelta(days=1))
        with django_assert_num_queries(1):
            assert len(list(applications_overdue(agency, TODAY))) == 1

    def test_due_soon_is_within_three_working_days(self, agency):
        limit = due_soon_limit(TODAY, CALENDAR)
        assert limit == date(2025, 6, 23)  # Thu, Fri, (weekend), Mon
        today = app(agency, due=TODAY)
        last = app(agency, due=limit)
        app(agency, due=limit + timedelta(days=1))
        app(agency, due=TODAY - timedelta(days=1))  # overdue, not "due soon"
        app(agency, Status.CONSULTING, due=TODAY + timedelta(days=1))
        correction = app(agency, Status.CORRECTION, due=TODAY + timedelta(days=40))
        CorrectionRequest.objects.create(application=correction, notified_on=date(2025, 6, 1), items="x",
                                         supplement_due_on=TODAY + timedelta(days=1))
        assert set(applications_due_soon(agency, TODAY, CALENDAR)) == {today, last, correction}

    def test_due_soon_counts_working_days_across_holidays(self, agency):
        # Sunday 28 September and Saturday 11 October 2025 were make-up working days; 1–8 October were holidays.
        assert due_soon_limit(date(2025, 9, 26), CALENDAR) == date(2025, 9, 30)
        assert due_soon_limit(date(2025, 9, 30), CALENDAR) == date(2025, 10, 11)
        inside = app(agency, due=date(2025, 10, 11))
        app(agency, due=date(2025, 10, 13))
        assert list(applications_due_soon(agency, date(2025, 9, 30), CALENDAR)) == [inside]


# --- the records behind each cell of table 三 -----------------------------------


@pytest.fixture
def generated(agency, other_agency):
    records = generate(agency, seed=20250618)
    generate(other_agency, seed=1)  # never counted for ``agency``
    return records


@pytest.mark.django_db
@pytest.mark.parametrize("year", [2019, 2020, 2021, 2022, 2023, 2024])
def test_every_cell_lists_the_applications_it_counts(agency, generated, year):
    """For each cell of table 三, ``applications_in_cell(...).count()`` is the report's figure (both formats)."""
    report = agency_report(agency=agency, year=year)
    table = report.format.table("applications")
    assert report.format is (FORMAT_2019 if year <= 2020 else FORMAT_2021)
    nonzero = 0
    for _row, _column, code in table.cells():
        count = applications_in_cell(agency, year, code).count()
        assert count == report.cells[code], code
        nonzero += count > 0
    assert nonzero > 20  # the generated data reaches most cells


@pytest.mark.django_db
@pytest.mark.parametrize("year", [2020, 2023])
def test_cells_of_a_region(agency, other_agency, generated, year):
    region = agency.region.parent  # both agencies
    report = region_report(region=region, year=year)
    for _row, _column, code in report.format.table("applications").cells():
        assert applications_in_cell(region, year, code).count() == report.cells[code], code


@pytest.mark.django_db
def test_other_of_2019_covers_the_three_other_outcomes(agency):
    for outcome in ("other.no_correction", "other.unpaid_fee", "other.other"):
        app(agency, Status.DECIDED, received=date(2020, 3, 2), outcome=outcome, concluded_on=date(2020, 3, 20))
    assert applications_in_cell(agency, 2020, "applications.other.natural_person").count() == 3
    assert applications_in_cell(agency, 2021, "applications.other.other.total").count() == 0


@pytest.mark.parametrize("year,code", [
    (2021, "applications.other.total"),  # 2019 format only
    (2020, "applications.other.other.total"),  # 2021 format only
    (2023, "applications.disclosed.nobody"),
    (2023, "proactive.regulations.issued"),
    (2023, "applications.total"),
    (2023, "applications"),
])
def test_unknown_cells_are_refused(year, code):
    with pytest.raises(ValueError, match="表三没有单元格"):
        parse_cell(year, code)


def test_cell_label():
    cell = parse_cell(2023, "applications.withheld.third_party_rights.legal_service_agency")
    assert cell.label == "三、本年度办理结果 （三）不予公开 4.保护第三方合法权益 · 法律服务机构"
