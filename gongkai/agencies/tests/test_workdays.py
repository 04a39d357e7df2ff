"""gongkai.agencies.workdays: working days, make-up days, pauses and unconfirmed years (DOMAIN.md §1.3)."""

from dataclasses import FrozenInstanceError
from datetime import date

import chinese_calendar
import pytest

from gongkai.agencies.models import CalendarDay
from gongkai.agencies.workdays import (
    Count,
    Deadline,
    WorkingDayCalendar,
    working_day_calendar,
)

D = date.fromisoformat

# DOMAIN.md §1.3, verified against chinesecalendar 1.11.0: (start, n, n-th working day after start).
WORKED_EXAMPLES = [
    ("2024-09-27", 20, "2024-10-30"),  # across National Day 2024
    ("2025-01-20", 20, "2025-02-21"),  # across Spring Festival 2025, make-up Sun 01-26 and Sat 02-08
    ("2025-01-20", 7, "2025-02-05"),
    ("2025-09-30", 15, "2025-10-28"),  # National Day + Mid-autumn 2025, make-up Sat 10-11
    ("2026-02-13", 20, "2026-03-19"),  # Spring Festival 2026, make-up Sat 02-14 and Sat 02-28
    ("2026-09-25", 20, "2026-10-29"),  # Mid-autumn and National Day 2026
    ("2026-09-25", 40, "2026-11-26"),
]


@pytest.mark.parametrize("start,n,expected", WORKED_EXAMPLES)
def test_add_working_days_matches_the_worked_examples(start, n, expected):
    """Each worked example of the domain specification, officially confirmed."""
    assert WorkingDayCalendar().add_working_days(D(start), n) == Deadline(day=D(expected), confirmed=True)


@pytest.mark.parametrize("day,working", [
    ("2026-02-14", True),   # Saturday, make-up working day (调休上班) for Spring Festival 2026
    ("2025-01-26", True),   # Sunday, make-up working day for Spring Festival 2025
    ("2025-02-08", True),   # Saturday, make-up working day for Spring Festival 2025
    ("2025-10-11", True),   # Saturday, make-up working day for National Day 2025
    ("2025-10-01", False),  # Wednesday, National Day
    ("2026-02-16", False),  # Monday, Spring Festival 2026
    ("2025-03-01", False),  # an ordinary Saturday
    ("2025-03-03", True),   # an ordinary Monday
])
def test_is_working_day_follows_holidays_and_make_up_days(day, working):
    """Statutory holidays are off and weekend make-up days (调休) are on, as the package says."""
    calendar = WorkingDayCalendar()
    assert calendar.is_working_day(D(day)) is working
    assert calendar.is_confirmed(D(day))


@pytest.mark.parametrize("start,n,expected", [
    ("2025-01-24", 1, "2025-01-26"),  # Friday + 1 → the Sunday make-up day, not Monday
    ("2026-02-13", 1, "2026-02-14"),  # Friday + 1 → the Saturday make-up day
    ("2025-10-10", 1, "2025-10-11"),
])
def test_a_deadline_can_fall_on_a_make_up_working_day(start, n, expected):
    assert WorkingDayCalendar().add_working_days(D(start), n).day == D(expected)


@pytest.mark.parametrize("paused,expected", [
    ([], "2025-10-29"),
    # A consultation letter sent 09-29 and answered 10-10: those days do not count.
    ([("2025-09-30", "2025-10-10")], "2025-11-03"),
    # Overlapping and touching ranges, given in any order, act as their union.
    ([("2025-10-05", "2025-10-10"), ("2025-09-30", "2025-10-06")], "2025-11-03"),
    ([("2025-10-06", "2025-10-10"), ("2025-09-30", "2025-10-05")], "2025-11-03"),
    # A pause wholly inside the holiday changes nothing: no working day was stopped.
    ([("2025-10-01", "2025-10-08")], "2025-10-29"),
    # A pause that began before the start date only stops the days after it.
    ([("2025-09-20", "2025-09-26")], "2025-10-30"),
])
def test_paused_days_are_not_counted(paused, expected):
    """Start 2025-09-25, 20 working days, across National Day 2025."""
    ranges = [(D(first), D(last)) for first, last in paused]
    deadline = WorkingDayCalendar().add_working_days(D("2025-09-25"), 20, paused=ranges)
    assert deadline == Deadline(day=D(expected), confirmed=True)


def test_zero_working_days_is_the_start_date():
    assert WorkingDayCalendar().add_working_days(D("2025-10-01"), 0) == Deadline(day=D("2025-10-01"), confirmed=True)


@pytest.mark.parametrize("call", [
    lambda c: c.add_working_days(D("2025-01-01"), -1),
    lambda c: c.add_working_days(D("2025-01-01"), 3, paused=[(D("2025-01-05"), D("2025-01-02"))]),
    lambda c: c.add_working_days(date.max.replace(day=20), 30),
])
def test_impossible_requests_raise_value_error_in_chinese(call):
    """Negative counts, reversed pauses and dates past year 9999 are refused with a message a user can read."""
    with pytest.raises(ValueError, match=r"[\u4e00-\u9fff]"):
        call(WorkingDayCalendar())


@pytest.mark.parametrize("start,n,expected,confirmed", [
    ("2026-12-10", 10, "2026-12-24", True),   # still inside the package's years
    ("2026-12-10", 20, "2027-01-07", False),  # 2027 counted Monday–Friday: 01-01 (a Friday) counts
    ("2026-12-31", 5, "2027-01-07", False),
    ("2003-12-24", 6, "2004-01-02", False),   # before 2004: 12-25 … 12-31 counted Mon–Fri, then 元旦 2004
])
def test_years_beyond_the_package_are_counted_monday_to_friday_and_unconfirmed(start, n, expected, confirmed):
    """chinesecalendar raises NotImplementedError outside 2004–2026; it must never reach the caller."""
    assert WorkingDayCalendar().add_working_days(D(start), n) == Deadline(day=D(expected), confirmed=confirmed)


def test_is_confirmed_is_false_for_a_year_without_data():
    calendar = WorkingDayCalendar()
    assert calendar.is_working_day(D("2027-01-01")) and not calendar.is_confirmed(D("2027-01-01"))
    assert not calendar.is_working_day(D("2027-01-02")) and not calendar.is_confirmed(D("2027-01-02"))


# Hypothetical 2027 schedules an administrator might enter (the real one is announced in late 2026).
@pytest.mark.parametrize("overrides,expected", [
    ({"2027-01-01": False}, "2027-01-08"),                       # 元旦 off
    ({"2027-01-01": False, "2027-01-02": True}, "2027-01-07"),   # 元旦 off, Saturday make-up day
    ({"2027-02-10": False}, "2027-01-07"),                       # any row makes 2027 confirmed
])
def test_rows_for_a_new_year_confirm_it_and_change_the_result(overrides, expected):
    calendar = WorkingDayCalendar({D(day): working for day, working in overrides.items()})
    assert calendar.add_working_days(D("2026-12-10"), 20) == Deadline(day=D(expected), confirmed=True)
    assert calendar.is_confirmed(D("2027-06-30"))
    assert not calendar.is_confirmed(D("2028-01-03"))


def test_confirmed_years_can_be_given_without_rows():
    """An administrator may declare a year known that has no exceptions to Monday–Friday."""
    calendar = WorkingDayCalendar(confirmed_years={2027})
    assert calendar.add_working_days(D("2026-12-10"), 20) == Deadline(day=D("2027-01-07"), confirmed=True)


@pytest.mark.parametrize("overrides,start,n,expected", [
    ({}, "2025-09-30", 15, "2025-10-28"),
    ({"2025-10-09": False}, "2025-09-30", 15, "2025-10-29"),   # a working Thursday declared off
    ({"2025-10-11": False}, "2025-09-30", 15, "2025-10-29"),   # a make-up Saturday withdrawn
    ({"2025-10-08": True}, "2025-09-30", 15, "2025-10-27"),    # a holiday declared a working day
    ({"2025-12-01": False}, "2025-09-30", 15, "2025-10-28"),   # a row elsewhere in the year changes nothing here
])
def test_rows_beat_the_package_inside_its_years(overrides, start, n, expected):
    """Inside the package's years a row is a correction; unlisted days still follow the package, not Mon–Fri."""
    calendar = WorkingDayCalendar({D(day): working for day, working in overrides.items()})
    assert calendar.add_working_days(D(start), n) == Deadline(day=D(expected), confirmed=True)
    assert not calendar.is_working_day(D("2025-10-01"))


@pytest.mark.parametrize("start,end,days,confirmed", [
    ("2025-09-30", "2025-10-28", 15, True),
    ("2025-09-30", "2025-09-30", 0, True),
    ("2025-10-28", "2025-09-30", 0, True),
    ("2025-10-01", "2025-10-08", 0, True),   # wholly inside the holiday
    ("2025-10-03", "2025-10-11", 3, True),   # Thursday 10-09, Friday 10-10 and the make-up Saturday 10-11
    ("2026-12-10", "2027-01-07", 20, False),
])
def test_working_days_between_counts_after_start_up_to_end(start, end, days, confirmed):
    assert WorkingDayCalendar().working_days_between(D(start), D(end)) == Count(days=days, confirmed=confirmed)


def test_working_days_between_skips_paused_days():
    paused = [(D("2025-09-30"), D("2025-10-10"))]
    count = WorkingDayCalendar().working_days_between(D("2025-09-25"), D("2025-11-03"), paused=paused)
    assert count == Count(days=20, confirmed=True)


@pytest.mark.parametrize("due,today,left", [
    ("2025-10-28", "2025-09-30", 15),   # fifteen working days to go
    ("2025-10-28", "2025-10-27", 1),    # due tomorrow
    ("2025-10-28", "2025-10-28", 0),    # due today
    ("2025-10-28", "2025-10-29", -1),   # one working day late
    ("2025-10-28", "2025-11-04", -5),
    ("2025-10-31", "2025-11-01", -1),   # Saturday after a Friday deadline: late, though no working day passed
    ("2025-10-31", "2025-11-03", -1),
    ("2025-10-10", "2025-09-30", 2),    # 10-09 and 10-10: the holiday does not count
])
def test_working_days_left_is_signed(due, today, left):
    """Positive ahead, zero on the due date, negative once overdue."""
    assert WorkingDayCalendar().working_days_left(D(due), D(today)) == Count(days=left, confirmed=True)


def test_working_days_left_skips_paused_days_and_reports_unconfirmed_years():
    calendar = WorkingDayCalendar()
    paused = [(D("2025-10-20"), D("2025-10-24"))]
    assert calendar.working_days_left(D("2025-10-28"), D("2025-10-17"), paused=paused).days == 2
    assert calendar.working_days_left(D("2027-01-07"), D("2026-12-31")) == Count(days=5, confirmed=False)
    assert calendar.working_days_left(D("2026-12-31"), D("2027-01-05")) == Count(days=-3, confirmed=False)


def test_results_are_frozen():
    with pytest.raises(FrozenInstanceError):
        Deadline(day=D("2025-01-01"), confirmed=True).day = D("2025-01-02")
    with pytest.raises(FrozenInstanceError):
        Count(days=1, confirmed=True).days = 2


def test_lookups_are_memoised_per_day(monkeypatch):
    """A page of deadlines asks about the same days again and again; the package is asked once per day."""
    asked = []
    real = chinese_calendar.is_workday
    monkeypatch.setattr(chinese_calendar, "is_workday", lambda d: asked.append(d) or real(d))
    calendar = WorkingDayCalendar()
    for _ in range(3):
        calendar.add_working_days(D("2025-09-30"), 15)
    assert len(asked) == len(set(asked)) == (D("2025-10-28") - D("2025-09-30")).days


@pytest.mark.django_db
def test_working_day_calendar_reads_every_row_in_one_query(django_assert_num_queries):
    CalendarDay.objects.create(day=D("2027-01-01"), is_working_day=False, name="元旦")
    CalendarDay.objects.create(day=D("2025-10-09"), is_working_day=False, name="更正")
    with django_assert_num_queries(1):
        calendar = working_day_calendar()
        assert calendar.add_working_days(D("2026-12-10"), 20) == Deadline(day=D("2027-01-08"), confirmed=True)
        assert calendar.add_working_days(D("2025-09-30"), 15) == Deadline(day=D("2025-10-29"), confirmed=True)
        assert calendar.working_days_left(D("2027-01-08"), D("2026-12-31")).days == 5


@pytest.mark.django_db
def test_working_day_calendar_sees_rows_added_later():
    """Nothing is cached across calls: a schedule entered in the admin applies to the next request."""
    assert not working_day_calendar().add_working_days(D("2026-12-10"), 20).confirmed
    CalendarDay.objects.create(day=D("2027-01-01"), is_working_day=False, name="元旦")
    assert working_day_calendar().add_working_days(D("2026-12-10"), 20) == Deadline(D("2027-01-08"), True)


@pytest.mark.django_db
def test_calendar_day_str_names_the_day():
    day = CalendarDay.objects.create(day=D("2026-02-14"), is_working_day=True, name="调休上班")
    assert str(day) == "2026-02-14 调休上班（上班）"
