"""``gongkai deadline`` as a user runs it: one line of output, one line of error, exit 2 on bad input."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from gongkai.agencies.models import CalendarDay
from gongkai.testing import run_console


def run(argv: list[str], capsys) -> tuple[int, str, str]:
    return run_console(argv, capsys)


def deadline(*argv: str) -> str:
    out = StringIO()
    call_command("deadline", *argv, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize("start,n,expected", [
    ("2024-09-27", "20", "2024-10-30"),
    ("2025-01-20", "20", "2025-02-21"),
    ("2025-01-20", "7", "2025-02-05"),
    ("2025-09-30", "15", "2025-10-28"),
    ("2026-02-13", "20", "2026-03-19"),
    ("2026-09-25", "20", "2026-10-29"),
    ("2026-09-25", "40", "2026-11-26"),
    ("2025-10-01", "0", "2025-10-01"),
])
def test_prints_the_iso_date_alone(start, n, expected):
    """A confirmed deadline is the ISO date and nothing else."""
    assert deadline("--from", start, "--working-days", n) == f"{expected}\n"


@pytest.mark.django_db
def test_marks_a_deadline_in_a_year_without_data_unconfirmed(capsys):
    code, out, err = run(["deadline", "--from", "2026-12-10", "--working-days", "20"], capsys)
    assert (code, out, err) == (0, "2027-01-07 unconfirmed\n", "")


@pytest.mark.django_db
def test_uses_calendar_days_from_the_database():
    """Once the administrator enters 2027's 元旦, the deadline moves and is confirmed."""
    CalendarDay.objects.create(day=date(2027, 1, 1), is_working_day=False, name="元旦")
    assert deadline("--from", "2026-12-10", "--working-days", "20") == "2027-01-08\n"


@pytest.mark.django_db
@pytest.mark.parametrize("pauses,expected", [
    ([], "2025-10-29"),
    (["2025-09-30:2025-10-10"], "2025-11-03"),
    (["2025-09-30:2025-10-05", "2025-10-06:2025-10-10"], "2025-11-03"),
])
def test_pause_stops_the_clock(pauses, expected):
    argv = ["--from", "2025-09-25", "--working-days", "20"]
    for pause in pauses:
        argv += ["--pause", pause]
    assert deadline(*argv) == f"{expected}\n"


@pytest.mark.django_db
@pytest.mark.parametrize("argv,message", [
    (["--from", "2025-13-01", "--working-days", "2"], "日期格式有误：2025-13-01"),
    (["--from", "20250101", "--working-days", "2"], "日期格式有误：20250101"),
    (["--from", "明天", "--working-days", "2"], "日期格式有误：明天"),
    (["--from", "2025-01-01", "--working-days", "-2"], "工作日数须为 0–10000 的整数：-2"),
    (["--from", "2025-01-01", "--working-days", "2.5"], "工作日数须为 0–10000 的整数：2.5"),
    (["--from", "2025-01-01", "--working-days", "二十"], "工作日数须为 0–10000 的整数：二十"),
    (["--from", "2025-01-01", "--working-days", "99999"], "工作日数须为 0–10000 的整数：99999"),
    (["--from", "2025-01-01"], "请指定 --from 和 --working-days"),
    (["--working-days", "3"], "请指定 --from 和 --working-days"),
    (["--from", "2025-01-01", "--working-days", "3", "--pause", "2025-01-05"], "暂停期间格式有误：2025-01-05"),
    (["--from", "2025-01-01", "--working-days", "3", "--pause", "2025-01-05:2025-02-30"],
     "暂停期间格式有误：2025-01-05:2025-02-30"),
    (["--from", "2025-01-01", "--working-days", "3", "--pause", "2025-01-05:2025-01-02"],
     "暂停期间的起始日晚于结束日：2025-01-05:2025-01-02"),
    (["--from", "9999-12-20", "--working-days", "30"], "日期超出可计算的范围"),
])
def test_bad_input_is_one_chinese_line_and_exit_2(capsys, argv, message):
    code, out, err = run(["deadline", *argv], capsys)
    assert code == 2
    assert out == ""
    assert err.strip().count("\n") == 0 and message in err
    assert "Traceback" not in err


@pytest.mark.django_db
def test_call_command_raises_with_returncode():
    with pytest.raises(CommandError) as e:
        call_command("deadline", "--from", "2025-01-01", "--working-days", "-1")
    assert e.value.returncode == 2
