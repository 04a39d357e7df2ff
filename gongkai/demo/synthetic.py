"""Synthetic but realistic activity of the demo county's agencies, 2019–2026.

Each agency of ``profiles.PROFILES`` gets its catalogue items, applications,
appeals, yearly table 二 figures and annual reports: most applications are
disclosed or answered "not held", yet every outcome of table 三 occurs in
every year; a few replies go to reconsideration or court. The seed bureau
(xianyou-gxj) gets a quiet version of the same around its real 2020 report,
so its staff logins have work to see; its 2020 comes from ``seed.py`` alone.

Everything is drawn from ``random.Random`` instances seeded from ``SEED``
and the agency and year, never from the global generator or the clock, so
every load builds the very same records, and changing one agency's profile
leaves the others' records as they were.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from gongkai.agencies.models import Agency, Unit
from gongkai.appeals.models import AppealCase, AppealKind, AppealResult
from gongkai.applications.models import ApplicantType, Application, Outcome
from gongkai.catalogue.models import DocumentType, Item, Validity
from gongkai.reports.models import AdministrativeFigures

from .narrative import annual_report, year_facts
from .profiles import OWN, PROFILES, Profile
from .records import (
    AS_OF,
    FIRST_YEAR,
    REPORT_YEARS,
    YEARS,
    Batch,
    random_weekday,
    weekday_on_or_after,
    weekday_on_or_before,
    weighted,
)
from .words import Words, fill

SEED = 20201231

# Volumes drift from year to year, the same way for every agency.
YEAR_TREND = {2019: 0.8, 2020: 0.9, 2021: 1.0, 2022: 1.1, 2023: 1.05, 2024: 0.95, 2025: 1.0, 2026: 1.0}


def _rng(*parts) -> random.Random:
    """A generator of its own for each agency, year and purpose (string seeds are stable across runs)."""
    return random.Random(":".join(str(p) for p in (SEED, *parts)))


def _share_of_year(year: int) -> float:
    """The part of ``year`` that has happened by AS_OF."""
    if year < AS_OF.year:
        return 1.0
    return (AS_OF - date(year, 1, 1)).days / 365


def _last_day(year: int) -> date:
    return min(date(year, 12, 31), AS_OF)


# --- catalogue items ---------------------------------------------------------------


@dataclass
class _Draft:
    """An item before its 文号 is known: numbers follow the order documents were formed."""

    item: Item
    prefix: str = ""
    title: str = ""


def _publication(rng: random.Random, formed: date, *, prompt: bool = False) -> date | None:
    """Most items go out within days; about one in thirty misses 第二十六条's 20 working days,
    so the timeliness check has something to find. Not yet published when that falls after AS_OF."""
    if not prompt and rng.random() < 0.03:
        published = formed + timedelta(days=rng.randint(45, 75))
    else:
        published = formed + timedelta(days=rng.randint(0, 9))
    published = weekday_on_or_after(published)
    return published if published <= AS_OF else None


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _effective(rng: random.Random, formed: date) -> date:
    """"自印发之日起施行", or from the first of a month some weeks on."""
    if rng.random() < 0.6:
        return formed
    later = formed + timedelta(days=20)
    return (later.replace(day=1) + timedelta(days=32)).replace(day=1)


def _annual_items(profile: Profile, year: int, rng: random.Random) -> list[tuple[str, str, date]]:
    """The items every agency publishes once a year: (topic, title, formed)."""
    name = profile.agency.name
    report, budget, enforcement = profile.annual_topics
    out = [
        (report, f"{name}{year - 1}年度政府信息公开工作年度报告", random_weekday(rng, date(year, 1, 8), date(year, 1, 22))),
        (budget, f"{name}{year}年部门预算", random_weekday(rng, date(year, 2, 10), date(year, 3, 10))),
        (budget, f"{name}{year - 1}年部门决算", random_weekday(rng, date(year, 7, 20), date(year, 8, 20))),
    ]
    if profile.figures.items.get("penalty"):  # agencies that inspect and penalise plan their spot checks
        out.append((enforcement, f"{name}{year}年“双随机、一公开”抽查工作计划",
                    random_weekday(rng, date(year, 3, 1), date(year, 4, 15))))
    return [entry for entry in out if entry[2] <= AS_OF]


def _normative_validity(rng: random.Random, item: Item) -> None:
    """行政规范性文件 run for a term (福建: mostly five years, 暂行 two or three); some are
    abolished early in a clean-up (清理). Only what has happened by AS_OF is recorded."""
    expires = _add_years(item.effective_on, rng.choice((2, 3, 5, 5, 5))) - timedelta(days=1)
    if rng.random() < 0.08:
        earliest = item.formed_on + timedelta(days=200)
        if earliest < min(expires, AS_OF):
            item.validity, item.abolished_on = Validity.ABOLISHED, random_weekday(rng, earliest, min(expires, AS_OF))
            return
    if expires <= AS_OF:
        item.validity, item.abolished_on = Validity.EXPIRED, expires


def _supersede(previous: Item, revision: Item) -> None:
    """A revised 行政规范性文件 abolishes the version it replaces from the day it takes effect."""
    if (revision.published_on and previous.abolished_on is None and revision.effective_on <= AS_OF
            and revision.effective_on >= previous.formed_on):
        previous.validity, previous.abolished_on = Validity.ABOLISHED, revision.effective_on


def _regulation_validity(rng: random.Random, item: Item, repealed_in: int | None) -> None:
    """规章 have no fixed term; the profile says which are repealed, and in which year."""
    if repealed_in is not None:
        day = random_weekday(rng, date(repealed_in, 1, 2), date(repealed_in, 12, 31))
        item.validity, item.abolished_on = Validity.ABOLISHED, max(day, item.effective_on)


def _agency_items(profile: Profile, agency: Agency, units: dict[str, Unit]) -> list[Item]:
    """Every year's items of one agency; revised 行政规范性文件 abolish the version they replace."""
    subjects = list(profile.normative_subjects)
    _rng(profile.agency.code, "subjects").shuffle(subjects)
    latest: dict[str, Item] = {}  # the last version issued of each subject
    normative_count = regulation_count = 0
    items = []
    for year in YEARS:
        if year == profile.seed_year:
            continue
        rng = _rng(profile.agency.code, year, "items")
        drafts: list[_Draft] = []

        def draft(topic: str, unit: str, title: str, formed: date, *, document_type=DocumentType.OTHER,
                  prefix: str = "", prompt: bool = False, pending: bool = False) -> Item:
            published = None if pending else _publication(rng, formed, prompt=prompt)
            item = Item(agency=agency, unit=units[unit], title=title, document_type=document_type, topic=topic,
                        formed_on=formed, published_on=published)
            drafts.append(_Draft(item, prefix, title))
            return item

        for topic, title, formed in _annual_items(profile, year, rng):
            draft(topic, profile.office_unit, title, formed, prompt=True)

        if year >= profile.normative_from:
            for _ in range(rng.randint(*profile.normative_per_year)):
                subject = subjects[normative_count % len(subjects)]
                normative_count += 1
                previous = latest.get(subject)
                formed = random_weekday(rng, date(year, 1, 2), _last_day(year))
                name = f"{subject}（修订）" if previous else subject
                item = draft(profile.normative_topic, profile.office_unit,
                             f"{profile.agency.name}关于印发《{name}》的通知", formed,
                             document_type=DocumentType.NORMATIVE_DOCUMENT, prefix=profile.normative_prefix,
                             prompt=True)
                item.effective_on = _effective(rng, formed)
                _normative_validity(rng, item)
                if previous:
                    _supersede(previous, item)
                latest[subject] = item

        if year in profile.regulation_years:
            subject = profile.regulation_subjects[regulation_count % len(profile.regulation_subjects)]
            regulation_count += 1
            formed = random_weekday(rng, date(year, 3, 1), date(year, 10, 31))
            item = draft("规章", profile.office_unit, subject, formed, document_type=DocumentType.REGULATION,
                         prompt=True)
            item.document_number = f"仙游县人民政府令第{regulation_count}号"
            item.effective_on = _effective(rng, formed)
            _regulation_validity(rng, item, profile.regulations_repealed.get(year))

        target = round(profile.items_per_year * YEAR_TREND[year] * _share_of_year(year) * rng.uniform(0.85, 1.15))
        # In the current year a few of the latest items still wait for review and publication.
        pending = rng.randint(2, 3) if year == AS_OF.year else 0
        while len(drafts) < target + pending:
            kind = rng.choice(profile.item_kinds)
            waiting = len(drafts) >= target
            first = AS_OF - timedelta(days=9) if waiting else date(year, 1, 2)
            formed = random_weekday(rng, first, _last_day(year))
            words = Words(rng, formed, profile.agency)
            prefix = profile.number_prefix if kind.numbered == OWN else kind.numbered
            draft(kind.topic, kind.unit, fill(kind.title.replace("{number}", "{{number}}"), words), formed,
                  prefix=prefix, pending=waiting)
        _number(drafts, rng, consecutive=profile.normative_prefix)
        items += [d.item for d in drafts]
    return items


def _number(drafts: list[_Draft], rng: random.Random, *, consecutive: str) -> None:
    """文号 run up through the year in the order documents were formed. Other
    documents of the agency (not published here) take the numbers between,
    except in the ``consecutive`` series: every 行政规范性文件 is published."""
    by_prefix = defaultdict(list)
    for d in drafts:
        if d.prefix:
            by_prefix[d.prefix].append(d)
    for prefix, group in by_prefix.items():
        n = 0
        for d in sorted(group, key=lambda d: d.item.formed_on):
            n += 1 if prefix == consecutive else rng.randint(1, 5)
            number = f"{prefix}〔{d.item.formed_on.year}〕{n}号"
            d.item.document_number = number
            d.item.title = d.title.replace("{number}", number)


# --- applications --------------------------------------------------------------------

OUTCOME_WEIGHTS = {
    "disclosed": 34, "partially_disclosed": 9,
    "withheld.state_secret": 0.2, "withheld.prohibited_by_law": 0.5, "withheld.security_stability": 0.2,
    "withheld.third_party_rights": 1.5, "withheld.internal_affairs": 0.8, "withheld.process_information": 1.5,
    "withheld.enforcement_files": 0.6, "withheld.administrative_query": 0.8,
    "unavailable.not_held": 24, "unavailable.needs_creation": 4, "unavailable.still_unclear": 2,
    "not_processed.petition": 5, "not_processed.repeated": 3, "not_processed.publication": 0.4,
    "not_processed.excessive": 0.6, "not_processed.confirmation": 1.2,
    "other.no_correction": 2.5, "other.unpaid_fee": 0.3, "other.other": 7,
}
assert set(OUTCOME_WEIGHTS) == set(Outcome.values)

APPLICANT_WEIGHTS = {
    "natural_person": 80, "commercial_enterprise": 9, "research_institution": 0.8,
    "social_welfare_organization": 1.2, "legal_service_agency": 5.5, "other_organization": 3.5,
}
assert set(APPLICANT_WEIGHTS) == set(ApplicantType.values)

# Calendar days from receipt to reply, by outcome (or by the group before the dot).
REPLY_DAYS = {
    "disclosed": (3, 30), "partially_disclosed": (10, 40), "withheld": (15, 40),
    "unavailable.not_held": (4, 25), "unavailable.needs_creation": (5, 25), "unavailable.still_unclear": (20, 50),
    "not_processed": (3, 20), "other.no_correction": (25, 55), "other.unpaid_fee": (30, 60), "other.other": (1, 30),
}
# Replies that may take the one extension of 第三十三条.
EXTENDABLE = ("disclosed", "partially_disclosed", "withheld")


def _biased(weights: dict[str, float], bias: dict[str, float]) -> dict[str, float]:
    return {k: w * bias.get(k, 1) for k, w in weights.items()}


def _outcome_weights(profile: Profile, year: int) -> dict[str, float]:
    weights = _biased(OUTCOME_WEIGHTS, profile.outcome_bias)
    if year < 2021:  # fees for processing information exist from 2021 (国办函〔2020〕109号)
        weights["other.unpaid_fee"] = 0
    return weights


def _channel_weights(year: int) -> dict[str, float]:
    """Online applications grow and letters and faxes fade."""
    k = year - FIRST_YEAR
    return {"online": 30 + 4 * k, "signed_mail": 30 - 2 * k, "in_person": 18, "ordinary_mail": 6, "email": 6,
            "fax": max(0.3, 2 - 0.3 * k), "oral": 2}


def _reply_days(rng: random.Random, outcome: str) -> int:
    if outcome.split(".")[0] in EXTENDABLE and rng.random() < 0.07:
        return rng.randint(41, 60)
    low, high = REPLY_DAYS.get(outcome) or REPLY_DAYS[outcome.split(".")[0]]
    return rng.randint(low, high)


def _conclude(app: Application, rng: random.Random, outcome: str, *, within_year: bool = False) -> None:
    """Reply on a working day, the days the outcome takes after receipt; a reply
    due after AS_OF has not been given yet. ``within_year`` keeps the reply in
    the year of receipt."""
    concluded = weekday_on_or_before(app.received_on + timedelta(days=_reply_days(rng, outcome)))
    if within_year:
        concluded = min(concluded, weekday_on_or_before(date(app.received_on.year, 12, 31)))
    concluded = max(concluded, app.received_on)
    if concluded > AS_OF:
        app.outcome, app.concluded_on = "", None
    else:
        app.outcome, app.concluded_on = outcome, concluded


def _agency_applications(profile: Profile, agency: Agency) -> dict[int, list[Application]]:
    """Each year's applications of one agency, received on working days across the year."""
    by_year = {}
    for year in YEARS:
        by_year[year] = apps = []
        if year < profile.first_application_year or year == profile.seed_year:
            continue
        rng = _rng(profile.agency.code, year, "applications")
        count = round(profile.applications_per_year * YEAR_TREND[year] * _share_of_year(year) * rng.uniform(0.85, 1.15))
        outcomes = _outcome_weights(profile, year)
        applicants = _biased(APPLICANT_WEIGHTS, profile.applicant_bias)
        for received in sorted(random_weekday(rng, date(year, 1, 2), _last_day(year)) for _ in range(count)):
            app = Application(
                agency=agency, applicant_type=weighted(rng, applicants), channel=weighted(rng, _channel_weights(year)),
                received_on=received,
                description=fill(rng.choice(profile.requests), Words(rng, received, profile.agency)),
            )
            _conclude(app, rng, weighted(rng, outcomes))
            apps.append(app)
    return by_year


def _cover(applications: dict[str, dict[int, list[Application]]]) -> None:
    """Make every outcome and applicant type occur in every report year across the
    region, and every outcome at some time in each agency.

    Outcome i goes to agency (i + year) mod n in ``year``; over seven years
    each outcome visits every agency. The application it lands on is one
    received and replied to within that year.
    """
    covering = [p.agency.code for p in PROFILES if p.covers_every_outcome]
    for year in REPORT_YEARS:
        rng = _rng("cover", year)
        outcome_taken, applicant_taken = set(), set()
        for i, outcome in enumerate(Outcome.values):
            app = _pick(rng, applications[covering[(i + year) % len(covering)]][year], outcome_taken)
            _conclude(app, rng, outcome, within_year=True)
        for i, applicant_type in enumerate(ApplicantType.values):
            app = _pick(rng, applications[covering[(i + year) % len(covering)]][year], applicant_taken)
            app.applicant_type = applicant_type


def _pick(rng: random.Random, apps: list[Application], taken: set[int]) -> Application:
    candidates = [a for a in apps if a.received_on <= date(a.received_on.year, 11, 15) and id(a) not in taken]
    app = rng.choice(candidates)
    taken.add(id(app))
    return app


# A few applications received in December 2025 are still open on AS_OF (the
# third party never answered, the file went missing…): carried forward into
# 2026 and overdue, as real registers have.
STILL_OPEN_FROM_2025 = {"xianyou-zrzyj": 2, "xianyou-zfb": 1}


def _leave_open(applications: dict[str, dict[int, list[Application]]]) -> None:
    for code, count in STILL_OPEN_FROM_2025.items():
        december = [a for a in applications[code][2025] if a.received_on.month == 12]
        for app in december[-count:]:
            app.outcome, app.concluded_on = "", None


# --- appeals -------------------------------------------------------------------------

ADVERSE = tuple(o for o in Outcome.values if o not in ("disclosed", "other.other"))
RESULT_WEIGHTS = {"upheld": 62, "corrected": 18, "other": 20}


def _appeal(agency: Agency, app: Application, kind: str, filed: date, decided: date | None, result: str
            ) -> AppealCase:
    if decided is None or decided > AS_OF:
        decided, result = None, ""
    return AppealCase(agency=agency, application=app, kind=kind, filed_on=filed, decided_on=decided, result=result)


def _random_appeals(profile: Profile, agency: Agency, apps: list[Application]) -> list[AppealCase]:
    """Some applicants refused something go to reconsideration (within 60 days) or
    straight to court; a reconsideration upheld is sometimes taken to court."""
    rng = _rng(profile.agency.code, "appeals")
    cases = []
    for app in apps:
        if not app.concluded_on or app.outcome not in ADVERSE or rng.random() >= profile.appeal_rate:
            continue
        filed = weekday_on_or_after(app.concluded_on + timedelta(days=rng.randint(10, 55)))
        if filed > AS_OF:
            continue
        kind = weighted(rng, {AppealKind.RECONSIDERATION: 72, AppealKind.LITIGATION_DIRECT: 28})
        days = rng.randint(35, 85) if kind == AppealKind.RECONSIDERATION else rng.randint(60, 200)
        case = _appeal(agency, app, kind, filed, weekday_on_or_before(filed + timedelta(days=days)),
                       weighted(rng, RESULT_WEIGHTS))
        cases.append(case)
        if case.result == AppealResult.UPHELD and kind == AppealKind.RECONSIDERATION and rng.random() < 0.3:
            sued = weekday_on_or_after(case.decided_on + timedelta(days=rng.randint(5, 14)))
            if sued <= AS_OF:
                cases.append(_appeal(agency, app, AppealKind.LITIGATION_AFTER_RECONSIDERATION, sued,
                                     weekday_on_or_before(sued + timedelta(days=rng.randint(60, 200))),
                                     weighted(rng, RESULT_WEIGHTS)))
    return cases


@dataclass(frozen=True)
class Scenario:
    """An appeal the demo must show whatever the dice say: ``timing`` is
    ``within`` (decided in the year filed), ``next_year`` (pending at the year's
    end, decided the next) or ``pending`` (undecided on AS_OF)."""

    agency: str
    year: int
    kind: str
    result: str
    timing: str = "within"


R, D, A = AppealKind.RECONSIDERATION, AppealKind.LITIGATION_DIRECT, AppealKind.LITIGATION_AFTER_RECONSIDERATION
SCENARIOS = (
    Scenario("xianyou-zrzyj", 2019, R, "upheld"), Scenario("xianyou-zrzyj", 2019, D, "corrected"),
    Scenario("xianyou-zfb", 2020, R, "corrected"), Scenario("xianyou-zrzyj", 2020, A, "upheld"),
    Scenario("xianyou-zrzyj", 2021, R, "other"), Scenario("xianyou-scjgj", 2021, D, "upheld"),
    Scenario("xianyou-zrzyj", 2022, A, "corrected"), Scenario("xianyou-zfb", 2022, D, "other"),
    Scenario("xianyou-zrzyj", 2023, A, "other"), Scenario("xianyou-zrzyj", 2023, R, "upheld", "next_year"),
    Scenario("xianyou-zfb", 2024, D, "upheld", "next_year"), Scenario("xianyou-zrzyj", 2025, R, "corrected"),
    Scenario("xianyou-zrzyj", 2026, R, "", "pending"), Scenario("xianyou-zrzyj", 2026, D, "", "pending"),
)


def _scenario_appeals(scenario: Scenario, agency: Agency, apps: list[Application], used: set[int]
                      ) -> list[AppealCase]:
    rng = _rng(scenario.agency, scenario.year, scenario.kind, scenario.timing, "scenario")
    # Late conclusions for a case to straddle the new year; early ones for it to end within the year.
    window = {"within": (1, 5), "next_year": (10, 10), "pending": (7, 9)}[scenario.timing]
    candidates = [a for a in apps if a.concluded_on and a.outcome in ADVERSE and id(a) not in used
                  and a.concluded_on.year == scenario.year and window[0] <= a.concluded_on.month <= window[1]]
    app = rng.choice(candidates)
    used.add(id(app))
    filed = weekday_on_or_after(app.concluded_on + timedelta(days=rng.randint(15, 30)))
    cases = []
    if scenario.kind == A:
        reconsidered = weekday_on_or_before(filed + timedelta(days=rng.randint(40, 55)))
        cases.append(_appeal(agency, app, R, filed, reconsidered, AppealResult.UPHELD))
        filed = weekday_on_or_after(reconsidered + timedelta(days=rng.randint(5, 12)))
    if scenario.timing == "within":
        decided = weekday_on_or_before(min(filed + timedelta(days=rng.randint(40, 90)), date(filed.year, 12, 28)))
    elif scenario.timing == "next_year":
        decided = weekday_on_or_after(date(filed.year + 1, 1, 1) + timedelta(days=rng.randint(20, 80)))
    else:
        decided = None
    cases.append(_appeal(agency, app, scenario.kind, filed, decided, scenario.result))
    return cases


def _number_appeals(cases: list[AppealCase]) -> None:
    """案号: reconsiderations by the county government (仙政行复〔2021〕7号), lawsuits by
    the court that hears the county's administrative cases (（2021）闽0304行初12号)."""
    rng = _rng("case-numbers")
    counters: dict[tuple[str, int], int] = {}
    for case in sorted(cases, key=lambda c: (c.filed_on, c.kind, c.agency.code)):
        court = case.kind != AppealKind.RECONSIDERATION
        key = ("court" if court else "government", case.filed_on.year)
        counters[key] = counters.get(key, rng.randint(2, 9)) + rng.randint(1, 6)
        n, year = counters[key], case.filed_on.year
        case.case_number = f"（{year}）闽0304行初{n}号" if court else f"仙政行复〔{year}〕{n}号"


# --- table 二 figures ---------------------------------------------------------------

PROJECT_ROWS = ("licensing", "other_management_services", "penalty", "coercion", "fees")
DECISION_ROWS = ("licensing", "other_management_services", "penalty", "coercion")


def _amount(rng: random.Random, bounds: tuple[str, str]) -> Decimal:
    """An amount in 万元 with two decimals."""
    low, high = (int(Decimal(b) * 100) for b in bounds)
    return Decimal(rng.randint(low, high)) / 100


def _agency_figures(profile: Profile, agency: Agency) -> list[AdministrativeFigures]:
    """Yearly figures whose project counts chain: previous_year_items(Y+1) =
    previous_year_items(Y) + change(Y) (rule P2)."""
    rng = _rng(profile.agency.code, "figures")
    plan = profile.figures
    counts = dict(plan.items)
    out = []
    for year in REPORT_YEARS:
        change = {}
        for row in PROJECT_ROWS:
            change[row] = 0
            if rng.random() < plan.change_chance:
                change[row] = max(rng.choice((-2, -1, 1, 1, 2, 3)), -counts[row])
        values = {}
        for row in PROJECT_ROWS:
            values[f"{row}_previous_year_items"] = counts[row]
            values[f"{row}_change"] = change[row]
        for row in DECISION_ROWS:
            low, high = plan.decisions.get(row, (0, 0))
            values[f"{row}_decisions"] = rng.randint(low, high)
        values["fees_amount"] = _amount(rng, plan.fees_amount) if counts["fees"] else Decimal("0")
        projects = rng.randint(*plan.procurement_projects)
        values["procurement_projects"] = projects
        values["procurement_total_amount"] = _amount(rng, plan.procurement_amount) if projects else Decimal("0")
        if year != profile.seed_year:
            out.append(AdministrativeFigures(agency=agency, year=year, **values))
        counts = {row: counts[row] + change[row] for row in PROJECT_ROWS}
    return out


# --- all together ------------------------------------------------------------------


def synthetic_batch(*, agencies: dict[str, Agency], units: dict[tuple[str, str], Unit]) -> Batch:
    """Every synthetic record of the demo agencies (the seed bureau's 2020 excepted).

    ``agencies`` maps codes to saved agencies, ``units`` (agency code, unit
    name) to saved units. Appeals point at application instances not yet
    saved: save the applications first.
    """
    applications = {p.agency.code: _agency_applications(p, agencies[p.agency.code]) for p in PROFILES}
    _cover(applications)
    _leave_open(applications)

    batch = Batch()
    for profile in PROFILES:
        code = profile.agency.code
        agency = agencies[code]
        unit_names = {name: units[(code, name)] for name in profile.agency.units}
        items = _agency_items(profile, agency, unit_names)
        apps = [a for year in YEARS for a in applications[code][year]]
        used: set[int] = set()
        cases = []
        for scenario in SCENARIOS:
            if scenario.agency == code:
                cases += _scenario_appeals(scenario, agency, apps, used)
        cases += _random_appeals(profile, agency, [a for a in apps if id(a) not in used])
        batch.items += items
        batch.applications += apps
        batch.appeals += cases
        batch.figures += _agency_figures(profile, agency)
        for year in REPORT_YEARS:
            if year != profile.seed_year:
                facts = year_facts(year, items, apps, cases)
                rng = _rng(code, year, "report")
                batch.reports.append(annual_report(profile=profile, agency=agency, year=year, facts=facts, rng=rng))
    _number_appeals(batch.appeals)
    return batch
