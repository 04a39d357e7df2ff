"""The information-processing fee (信息处理费), 条例 第四十二条 and 国办函〔2020〕109号 (DOMAIN.md §1.2).

Applying is free; a fee may be charged only when an applicant's applications
clearly exceed a reasonable range, progressively on the excess, under one
scheme per application — never both. These are pure functions: the caller
counts the applicant's applications in the calendar month (自然月) or the
pages supplied, and gets the amount with a breakdown the handler can quote
in the fee notice (收费通知), which must state basis, rate and amount.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.db import models

# The applicant pays within 20 working days from the day after receiving the fee notice.
PAYMENT_WORKING_DAYS = 20

BAD_ORDINAL = "申请序号须为不小于 1 的整数：{value}"
BAD_COUNT = "申请件数须为不小于 0 的整数：{value}"
BAD_PAGES = "页数须为不小于 0 的整数：{value}"

# Per application: 1st–10th free, 11th–30th 100 元, then bands of 10 at 100 元 more each.
FREE_APPLICATIONS = 10
FIRST_PAID_BAND = (11, 30, Decimal(100))
LATER_BAND_SIZE = 10
LATER_BAND_STEP = Decimal(100)

# Per volume: (first page, last page or None for open-ended, 元 per page).
PAGE_BANDS: tuple[tuple[int, int | None, Decimal], ...] = (
    (1, 30, Decimal(0)),
    (31, 100, Decimal(10)),
    (101, 200, Decimal(20)),
    (201, None, Decimal(40)),
)


class FeeScheme(models.TextChoices):
    PER_APPLICATION = "per_application", "按件计收"
    PER_VOLUME = "per_volume", "按量计收"


@dataclass(frozen=True)
class FeeLine:
    """One band of the progressive scale: ``quantity`` units at ``rate`` 元 each."""

    label: str
    quantity: int
    rate: Decimal
    amount: Decimal
    unit: str = "件"

    def describe(self) -> str:
        if not self.rate:
            return f"{self.label}免费"
        return f"{self.label} {self.quantity}{self.unit}×{format_yuan(self.rate)}元={format_yuan(self.amount)}元"


@dataclass(frozen=True)
class Fee:
    """An amount in 元 and the bands it is made of, in the order of the scale."""

    amount: Decimal
    scheme: str
    lines: tuple[FeeLine, ...]

    def describe(self) -> str:
        """The breakdown for a fee notice, e.g. "第11–30件 20件×100元=2000元；…；合计3000元"."""
        return "；".join([*(line.describe() for line in self.lines), f"合计{format_yuan(self.amount)}元"])


def format_yuan(amount: Decimal) -> str:
    """``Decimal("2000.00")`` → "2000"; cents are shown only when there are any."""
    if amount == amount.to_integral_value():
        return str(int(amount))
    return f"{amount:.2f}"


def per_application_fee(ordinal: int) -> Fee:
    """The fee for the applicant's ``ordinal``-th application to this agency in one calendar month."""
    _require_int(ordinal, minimum=1, message=BAD_ORDINAL)
    first, last, rate = _application_band(ordinal)
    line = FeeLine(label=_application_label(first, last), quantity=1, rate=rate, amount=rate)
    return Fee(amount=rate, scheme=FeeScheme.PER_APPLICATION.value, lines=(line,))


def per_application_month_total(count: int) -> Fee:
    """What ``count`` applications in one calendar month cost together (35 → 3000 元)."""
    _require_int(count, minimum=0, message=BAD_COUNT)
    lines = tuple(_application_lines(count))
    return Fee(amount=sum((line.amount for line in lines), Decimal(0)), scheme=FeeScheme.PER_APPLICATION.value,
               lines=lines)


def per_volume_fee(pages: int) -> Fee:
    """The fee for supplying ``pages`` pages (paper, e-mail or electronic copies) for one application."""
    _require_int(pages, minimum=0, message=BAD_PAGES)
    lines = []
    for first, last, rate in PAGE_BANDS:
        if pages < first:
            break
        quantity = min(pages, last or pages) - first + 1
        lines.append(FeeLine(label=_page_label(first, last), quantity=quantity, rate=rate,
                             amount=rate * quantity, unit="页"))
    return Fee(amount=sum((line.amount for line in lines), Decimal(0)), scheme=FeeScheme.PER_VOLUME.value,
               lines=tuple(lines))


def _application_band(ordinal: int) -> tuple[int, int, Decimal]:
    """(first, last, rate) of the band holding the ``ordinal``-th application of the month."""
    if ordinal <= FREE_APPLICATIONS:
        return 1, FREE_APPLICATIONS, Decimal(0)
    first, last, rate = FIRST_PAID_BAND
    if ordinal <= last:
        return first, last, rate
    steps = (ordinal - last - 1) // LATER_BAND_SIZE + 1
    first = last + 1 + (steps - 1) * LATER_BAND_SIZE
    return first, first + LATER_BAND_SIZE - 1, rate + steps * LATER_BAND_STEP


def _application_lines(count: int) -> Iterator[FeeLine]:
    ordinal = 1
    while ordinal <= count:
        first, last, rate = _application_band(ordinal)
        quantity = min(count, last) - first + 1
        yield FeeLine(label=_application_label(first, last), quantity=quantity, rate=rate, amount=rate * quantity)
        ordinal = last + 1


def _application_label(first: int, last: int) -> str:
    return f"第{first}–{last}件"


def _page_label(first: int, last: int | None) -> str:
    return f"{first}–{last}页" if last else f"{first}页及以上"


def _require_int(value, *, minimum: int, message: str) -> None:
    """Counts come from forms and the command line; reject bools, floats and strings with a Chinese message."""
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise ValueError(message.format(value=value))
