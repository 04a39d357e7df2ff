"""``gongkai deadline --from YYYY-MM-DD --working-days N``: the n-th working day after a date.

Prints one line, the ISO date, followed by " unconfirmed" when a day counted
lies in a year without official holiday data — scripts can split on the
space. The holidays and make-up days come from the database (CalendarDay)
and the ``chinesecalendar`` package.
"""

import re
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from gongkai.agencies.workdays import working_day_calendar

# Usage errors exit with 2, like argparse's own (see ``gongkai report``).
USAGE = 2
# About 40 years: far beyond any statutory period, short enough to answer at once.
MAX_WORKING_DAYS = 10_000
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")

MISSING = "请指定 --from 和 --working-days，例如 --from 2025-01-20 --working-days 20"
BAD_DATE = "日期格式有误：{raw}（应为 YYYY-MM-DD，如 2025-01-20）"
BAD_COUNT = "工作日数须为 0–{max} 的整数：{raw}"
BAD_PAUSE = "暂停期间格式有误：{raw}（应为 起始日:结束日，如 2025-09-30:2025-10-10）"
REVERSED_PAUSE = "暂停期间的起始日晚于结束日：{raw}"


class Command(BaseCommand):
    help = "计算某日之后第 N 个工作日（自次日起算）；所涉年份无官方节假日安排时在日期后标注 unconfirmed。"

    def add_arguments(self, parser):
        # Validated in handle(), not by argparse, so every usage error is one Chinese line.
        parser.add_argument("--from", dest="start", metavar="YYYY-MM-DD", help="起算日期（当日不计入）")
        parser.add_argument("--working-days", dest="working_days", metavar="N", help="工作日数，如 20")
        parser.add_argument("--pause", dest="pauses", action="append", default=[], metavar="FIRST:LAST",
                            help="不计入期限的期间（含首尾两日），可重复，如 2025-09-30:2025-10-10")

    def handle(self, *args, start, working_days, pauses, **options):
        if start is None or working_days is None:
            raise CommandError(MISSING, returncode=USAGE)
        first_day = _parse_date(start)
        n = _parse_count(working_days)
        paused = [_parse_pause(raw) for raw in pauses]
        try:
            deadline = working_day_calendar().add_working_days(first_day, n, paused=paused)
        except ValueError as e:
            raise CommandError(str(e), returncode=USAGE) from e
        self.stdout.write(deadline.day.isoformat() + ("" if deadline.confirmed else " unconfirmed"))


def _parse_date(raw: str) -> date:
    day = _iso_date(raw)
    if day is None:
        raise CommandError(BAD_DATE.format(raw=raw), returncode=USAGE)
    return day


def _parse_count(raw: str) -> int:
    if not raw.isascii() or not raw.isdigit() or int(raw) > MAX_WORKING_DAYS:
        raise CommandError(BAD_COUNT.format(raw=raw, max=MAX_WORKING_DAYS), returncode=USAGE)
    return int(raw)


def _parse_pause(raw: str) -> tuple[date, date]:
    days = [_iso_date(part) for part in raw.split(":")]
    if len(days) != 2 or None in days:
        raise CommandError(BAD_PAUSE.format(raw=raw), returncode=USAGE)
    first, last = days
    if first > last:
        raise CommandError(REVERSED_PAUSE.format(raw=raw), returncode=USAGE)
    return first, last


def _iso_date(raw: str) -> date | None:
    """Only YYYY-MM-DD: ``date.fromisoformat`` alone would also take 20250120 and week dates."""
    if not ISO_DATE.fullmatch(raw):
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        return None
