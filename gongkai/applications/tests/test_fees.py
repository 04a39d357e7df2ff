"""gongkai.applications.fees: the information-processing fee of 国办函〔2020〕109号 (DOMAIN.md §1.2)."""

from dataclasses import FrozenInstanceError
from decimal import Decimal

import pytest

from gongkai.applications.fees import (
    PAYMENT_WORKING_DAYS,
    Fee,
    FeeLine,
    FeeScheme,
    format_yuan,
    per_application_fee,
    per_application_month_total,
    per_volume_fee,
)


@pytest.mark.parametrize("ordinal,amount,label", [
    (1, 0, "第1–10件"),
    (10, 0, "第1–10件"),
    (11, 100, "第11–30件"),
    (30, 100, "第11–30件"),
    (31, 200, "第31–40件"),
    (40, 200, "第31–40件"),
    (41, 300, "第41–50件"),
    (50, 300, "第41–50件"),
    (51, 400, "第51–60件"),
    (101, 900, "第101–110件"),
])
def test_per_application_fee_on_every_band_boundary(ordinal, amount, label):
    """1st–10th free, 11th–30th 100 元, then 100 元 more for every further ten."""
    fee = per_application_fee(ordinal)
    assert fee.amount == Decimal(amount)
    assert fee.scheme == FeeScheme.PER_APPLICATION == "per_application"
    assert fee.lines == (FeeLine(label=label, quantity=1, rate=Decimal(amount), amount=Decimal(amount)),)


@pytest.mark.parametrize("count,amount", [
    (0, 0), (1, 0), (10, 0), (11, 100), (30, 2000), (31, 2200), (35, 3000), (40, 4000), (41, 4300), (50, 7000),
])
def test_per_application_month_total(count, amount):
    assert per_application_month_total(count).amount == Decimal(amount)


def test_month_total_is_the_sum_of_each_applications_fee():
    """The month total and the per-application fee are one scale read two ways."""
    running = Decimal(0)
    for count in range(1, 121):
        running += per_application_fee(count).amount
        assert per_application_month_total(count).amount == running


def test_month_total_breakdown_reads_like_a_fee_notice():
    fee = per_application_month_total(35)
    assert [(line.label, line.quantity, line.rate, line.amount) for line in fee.lines] == [
        ("第1–10件", 10, Decimal(0), Decimal(0)),
        ("第11–30件", 20, Decimal(100), Decimal(2000)),
        ("第31–40件", 5, Decimal(200), Decimal(1000)),
    ]
    assert fee.describe() == "第1–10件免费；第11–30件 20件×100元=2000元；第31–40件 5件×200元=1000元；合计3000元"


@pytest.mark.parametrize("pages,amount", [
    (0, 0),
    (1, 0),
    (30, 0),
    (31, 10),
    (100, 700),
    (101, 720),
    (200, 2700),
    (201, 2740),
    (250, 4700),
])
def test_per_volume_fee_on_every_band_boundary(pages, amount):
    """Pages 1–30 free, 31–100 10 元, 101–200 20 元, from 201 40 元 a page, progressively."""
    fee = per_volume_fee(pages)
    assert fee.amount == Decimal(amount)
    assert fee.scheme == FeeScheme.PER_VOLUME == "per_volume"
    assert sum(line.quantity for line in fee.lines) == pages


def test_per_volume_breakdown_of_250_pages():
    fee = per_volume_fee(250)
    assert [(line.label, line.quantity, line.amount) for line in fee.lines] == [
        ("1–30页", 30, Decimal(0)),
        ("31–100页", 70, Decimal(700)),
        ("101–200页", 100, Decimal(2000)),
        ("201页及以上", 50, Decimal(2000)),
    ]
    assert fee.describe() == (
        "1–30页免费；31–100页 70页×10元=700元；101–200页 100页×20元=2000元；201页及以上 50页×40元=2000元；合计4700元"
    )


def test_no_pages_no_lines():
    assert per_volume_fee(0) == Fee(amount=Decimal(0), scheme="per_volume", lines=())
    assert per_volume_fee(0).describe() == "合计0元"


@pytest.mark.parametrize("function,value,message", [
    (per_application_fee, 0, "申请序号须为不小于 1 的整数：0"),
    (per_application_fee, -5, "申请序号须为不小于 1 的整数：-5"),
    (per_application_fee, 1.5, "申请序号须为不小于 1 的整数：1.5"),
    (per_application_fee, "3", "申请序号须为不小于 1 的整数：3"),
    (per_application_fee, True, "申请序号须为不小于 1 的整数：True"),
    (per_application_month_total, -1, "申请件数须为不小于 0 的整数：-1"),
    (per_volume_fee, -1, "页数须为不小于 0 的整数：-1"),
    (per_volume_fee, None, "页数须为不小于 0 的整数：None"),
])
def test_invalid_input_raises_value_error_in_chinese(function, value, message):
    with pytest.raises(ValueError) as e:
        function(value)
    assert str(e.value) == message


@pytest.mark.parametrize("amount,text", [
    (Decimal("2000"), "2000"), (Decimal("2000.00"), "2000"), (Decimal("0"), "0"), (Decimal("12.5"), "12.50"),
])
def test_format_yuan_drops_zero_cents(amount, text):
    assert format_yuan(amount) == text


def test_constants():
    assert PAYMENT_WORKING_DAYS == 20
    assert dict(FeeScheme.choices) == {"per_application": "按件计收", "per_volume": "按量计收"}


def test_fee_is_frozen():
    with pytest.raises(FrozenInstanceError):
        per_application_fee(31).amount = Decimal(0)
