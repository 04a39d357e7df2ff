"""``gongkai fee`` as a user runs it: the amount first, one Chinese line and exit 2 on bad input."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from gongkai.testing import run_console


def run(argv: list[str], capsys) -> tuple[int, str, str]:
    return run_console(argv, capsys)


def fee(*argv: str) -> str:
    out = StringIO()
    call_command("fee", *argv, stdout=out)
    return out.getvalue()


@pytest.mark.parametrize("argv,expected", [
    (["--scheme", "per-application", "--ordinal", "1"], "0 元（第1–10件，免费）"),
    (["--scheme", "per-application", "--ordinal", "11"], "100 元（第11–30件，每件100元）"),
    (["--scheme", "per-application", "--ordinal", "31"], "200 元（第31–40件，每件200元）"),
    (["--scheme", "per-application", "--ordinal", "51"], "400 元（第51–60件，每件400元）"),
    (["--scheme", "per-volume", "--pages", "0"], "0 元（0页，免费）"),
    (["--scheme", "per-volume", "--pages", "30"], "0 元（1–30页免费）"),
    (["--scheme", "per-volume", "--pages", "31"], "10 元（1–30页免费；31–100页 1页×10元=10元）"),
    (["--scheme", "per-volume", "--pages", "250"],
     "4700 元（1–30页免费；31–100页 70页×10元=700元；101–200页 100页×20元=2000元；201页及以上 50页×40元=2000元）"),
])
def test_prints_the_amount_then_the_basis(argv, expected):
    assert fee(*argv) == expected + "\n"


def test_the_first_number_is_the_amount(capsys):
    code, out, err = run(["fee", "--scheme", "per-volume", "--pages", "250"], capsys)
    assert code == 0 and err == ""
    assert re.match(r"\d+", out).group() == "4700"


@pytest.mark.parametrize("argv,message", [
    ([], "请用 --scheme 指定计收方式"),
    (["--scheme", "per_page", "--pages", "3"], "未知的计收方式：per_page"),
    (["--scheme", "per-application"], "按件计收请用 --ordinal"),
    (["--scheme", "per-application", "--ordinal", "3", "--pages", "3"], "按件计收请用 --ordinal"),
    (["--scheme", "per-volume"], "按量计收请用 --pages"),
    (["--scheme", "per-volume", "--pages", "3", "--ordinal", "3"], "按量计收请用 --pages"),
    (["--scheme", "per-application", "--ordinal", "0"], "申请序号须为不小于 1 的整数：0"),
    (["--scheme", "per-application", "--ordinal", "-3"], "申请序号须为不小于 1 的整数：-3"),
    (["--scheme", "per-application", "--ordinal", "三"], "申请序号须为整数：三"),
    (["--scheme", "per-volume", "--pages", "-1"], "页数须为不小于 0 的整数：-1"),
    (["--scheme", "per-volume", "--pages", "2.5"], "页数须为整数：2.5"),
    (["--scheme", "per-volume", "--pages", "1_000"], "页数须为整数：1_000"),
])
def test_bad_input_is_one_chinese_line_and_exit_2(capsys, argv, message):
    code, out, err = run(["fee", *argv], capsys)
    assert code == 2
    assert out == ""
    assert err.strip().count("\n") == 0 and message in err
    assert "Traceback" not in err


def test_call_command_raises_with_returncode():
    with pytest.raises(CommandError) as e:
        call_command("fee", "--scheme", "per-volume", "--pages", "-1")
    assert e.value.returncode == 2
