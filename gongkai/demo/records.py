"""The shapes the demo builds before it writes anything.

The seed bureau and the synthetic agencies are declared as plain data
(``AgencySpec``) and their records are built in memory (``Batch``) as unsaved
model instances, so the narratives can quote exact figures and the whole lot
goes to the database in a handful of ``bulk_create`` calls.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from gongkai.appeals.models import AppealCase
from gongkai.applications.models import Application
from gongkai.catalogue.models import Item
from gongkai.reports.formats import FIRST_YEAR
from gongkai.reports.models import AdministrativeFigures, AnnualReport

# The demo's "now". Today is 2026-11-24; nothing is received, concluded,
# published or decided after this day, so recent work is still open, as it
# would be in a live system. A constant, never date.today(): every load must
# build the same data.
AS_OF = date(2026, 11, 20)

# The demo's years run from the first report year under the 2019 条例 to AS_OF.
# Reports and yearly figures exist up to 2025: its report was due on 31 January 2026.
LAST_REPORT_YEAR = 2025
YEARS = range(FIRST_YEAR, AS_OF.year + 1)
REPORT_YEARS = range(FIRST_YEAR, LAST_REPORT_YEAR + 1)


@dataclass(frozen=True)
class RegionSpec:
    code: str
    name: str
    parent: str | None


@dataclass(frozen=True)
class AgencySpec:
    """An agency of the demo, identified by its code (the natural key the load upserts on)."""

    code: str
    name: str
    short_name: str
    # 统一社会信用代码 of a 机关 (11 + division 350322 + organisation code);
    # the check digits are valid (GB 11714, GB 32100).
    organisation_code: str
    region: str
    units: tuple[str, ...]
    # How the agency speaks of itself in its reports: 我局, 我办.
    pronoun: str = "我局"


@dataclass
class Batch:
    """Unsaved records of the demo agencies, in the order they must be written."""

    items: list[Item] = field(default_factory=list)
    applications: list[Application] = field(default_factory=list)
    appeals: list[AppealCase] = field(default_factory=list)
    figures: list[AdministrativeFigures] = field(default_factory=list)
    reports: list[AnnualReport] = field(default_factory=list)

    def extend(self, other: Batch) -> None:
        self.items += other.items
        self.applications += other.applications
        self.appeals += other.appeals
        self.figures += other.figures
        self.reports += other.reports


def weekday_on_or_before(day: date) -> date:
    """Offices date their documents on working days; a weekend moves back to Friday."""
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return day


def weekday_on_or_after(day: date) -> date:
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def random_weekday(rng: random.Random, first: date, last: date) -> date:
    """A Monday–Friday between ``first`` and ``last``; ``first`` if a short span holds none."""
    for _ in range(50):
        day = first + timedelta(days=rng.randrange((last - first).days + 1))
        if day.weekday() < 5:
            return day
    return first


def weighted(rng: random.Random, weights: dict[str, float]) -> str:
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]
