"""The working-day calendar (工作日) behind every statutory deadline (DOMAIN.md §1.3).

A day is a working day according to, in order:

1. a ``CalendarDay`` row (the administrator's holidays and make-up working
   days, 调休) — corrections inside the package's years, the whole schedule
   beyond them;
2. the ``chinesecalendar`` package, for the years it covers (1.11.0:
   2004–2026); outside them it raises ``NotImplementedError``, which is caught;
3. Monday–Friday.

Rule 3 is official ("confirmed") only in a year that has at least one
``CalendarDay`` row; otherwise a result that depends on it is *unconfirmed*
and must be shown as such. ``today`` is never read here: callers pass dates,
so deadlines are reproducible and testable.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta

import chinese_calendar

from gongkai.agencies.models import CalendarDay

PausedRanges = Iterable[tuple[date, date]]

ONE_DAY = timedelta(days=1)
NEGATIVE_DAYS = "工作日数不能为负数：{n}"
PAUSE_REVERSED = "暂停期间的起始日 {first} 晚于结束日 {last}"
OUT_OF_RANGE = "日期超出可计算的范围"


@dataclass(frozen=True)
class Deadline:
    """The day a period ends, and whether every day counted had official calendar data."""

    day: date
    confirmed: bool


@dataclass(frozen=True)
class Count:
    """A number of working days (signed for ``working_days_left``), and whether it is official."""

    days: int
    confirmed: bool


class WorkingDayCalendar:
    """Answers working-day questions from data handed in; it never queries the database.

    ``overrides`` maps a day to whether it is a working day (the ``CalendarDay``
    rows). ``confirmed_years`` are years whose schedule is officially known;
    the years of ``overrides`` always are, so callers rarely pass it.
    Lookups are memoised per day: a report computing thousands of deadlines
    asks about the same few hundred days over and over.
    """

    def __init__(self, overrides: dict[date, bool] | None = None, confirmed_years: set[int] | None = None):
        self._overrides = dict(overrides or {})
        self._confirmed_years = {d.year for d in self._overrides} | set(confirmed_years or ())
        self._days: dict[date, tuple[bool, bool]] = {}

    def is_working_day(self, d: date) -> bool:
        return self._lookup(d)[0]

    def is_confirmed(self, d: date) -> bool:
        """Whether ``is_working_day(d)`` rests on official data rather than on Monday–Friday alone."""
        return self._lookup(d)[1]

    def add_working_days(self, start: date, n: int, *, paused: PausedRanges = ()) -> Deadline:
        """The n-th working day after ``start``; counting starts the next day (民法典 第二百零一条).

        Working days inside a ``paused`` range (first, last inclusive) are not
        counted: the clock stops during consultations and fee notices. Paused
        days are not examined, so they never make the result unconfirmed.
        """
        if n < 0:
            raise ValueError(NEGATIVE_DAYS.format(n=n))
        if n == 0:
            return Deadline(day=start, confirmed=True)
        counted, confirmed = 0, True
        for day in self._counted_days(start, paused):
            working, known = self._lookup(day)
            confirmed = confirmed and known
            if working:
                counted += 1
            if counted == n:
                return Deadline(day=day, confirmed=confirmed)
        raise AssertionError("unreachable: _counted_days never ends")  # pragma: no cover

    def working_days_between(self, start: date, end: date, *, paused: PausedRanges = ()) -> Count:
        """Working days after ``start`` up to and including ``end``, paused days excluded (0 if end ≤ start)."""
        if end <= start:
            return Count(days=0, confirmed=True)
        days, confirmed = 0, True
        for day in self._counted_days(start, paused):
            if day > end:
                break
            working, known = self._lookup(day)
            confirmed = confirmed and known
            if working:
                days += 1
        return Count(days=days, confirmed=confirmed)

    def working_days_left(self, due: date, today: date, *, paused: PausedRanges = ()) -> Count:
        """Working days from ``today`` until ``due``: positive ahead, 0 on the day, negative when overdue.

        Ahead: ``working_days_between(today, due)`` (due itself is one of the
        days left). Overdue: ``-working_days_between(due, today)``, but never
        above -1 — on the weekend after a Friday deadline no working day has
        passed, yet the application is late, and a sign test must say so.
        """
        if today <= due:
            return self.working_days_between(today, due, paused=paused)
        late = self.working_days_between(due, today, paused=paused)
        return Count(days=-max(late.days, 1), confirmed=late.confirmed)

    def _lookup(self, d: date) -> tuple[bool, bool]:
        """(is a working day, rests on official data), memoised."""
        found = self._days.get(d)
        if found is None:
            found = self._days[d] = self._decide(d)
        return found

    def _decide(self, d: date) -> tuple[bool, bool]:
        if d in self._overrides:
            return self._overrides[d], True
        try:
            return chinese_calendar.is_workday(d), True
        except NotImplementedError:
            # Beyond the package's years: an unknown schedule must not crash a deadline.
            return d.weekday() < 5, d.year in self._confirmed_years

    @staticmethod
    def _counted_days(after: date, paused: PausedRanges) -> Iterator[date]:
        """Every day after ``after``, in order, jumping over paused ranges."""
        ranges = _merged(paused)
        day, i = after, 0
        while True:
            day = _next_day(day)
            while i < len(ranges) and ranges[i][1] < day:
                i += 1
            if i < len(ranges) and ranges[i][0] <= day:
                day = ranges[i][1]  # the next step lands on the day after the pause
                continue
            yield day


def _merged(paused: PausedRanges) -> list[tuple[date, date]]:
    """Paused ranges sorted and merged, so the day loop needs one forward pass."""
    ranges = sorted((first, last) for first, last in paused)
    merged: list[tuple[date, date]] = []
    for first, last in ranges:
        if first > last:
            raise ValueError(PAUSE_REVERSED.format(first=first, last=last))
        if merged and (first - merged[-1][1]).days <= 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], last))
        else:
            merged.append((first, last))
    return merged


def _next_day(d: date) -> date:
    try:
        return d + ONE_DAY
    except OverflowError:
        raise ValueError(OUT_OF_RANGE) from None


def working_day_calendar() -> WorkingDayCalendar:
    """The calendar with every ``CalendarDay`` row, read in one query.

    Built per request or per command, never cached module-wide: an
    administrator may add next year's schedule at any moment.
    """
    rows = CalendarDay.objects.values_list("day", "is_working_day")
    return WorkingDayCalendar(overrides=dict(rows))
