"""The narrative of the generated annual reports, quoting the records' own figures.

Sections 一、五、六 are assembled from the stock sentences of
``gongkai.reports.narrative`` (the drafting staff get), picked at random;
the figures in them (items published, applications received, reconsiderations) are counted from the generated records the way the
report engine counts them, so rule T1 finds the text and the tables agree.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from gongkai.agencies.models import Agency
from gongkai.appeals.models import AppealCase, AppealKind
from gongkai.applications.models import ApplicantType, Application, Outcome
from gongkai.catalogue.models import DocumentType, Item
from gongkai.reports.models import AnnualReport
from gongkai.reports.narrative import YearFacts, draft_other_matters, draft_overview, draft_problems

from .profiles import Profile


def _open_at(app: Application, day: date) -> bool:
    """Received by the end of ``day`` and not yet concluded then."""
    return app.received_on <= day and (app.concluded_on is None or app.concluded_on > day)


def year_facts(year: int, items: list[Item], apps: list[Application], cases: list[AppealCase]) -> YearFacts:
    """Counted the way DOMAIN.md §2.5 counts them, so the narrative agrees with the tables (rule T1)."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    facts = YearFacts()
    for item in items:
        if item.published_on and item.published_on.year == year:
            facts.published += 1
        if item.published_on and item.document_type == DocumentType.NORMATIVE_DOCUMENT and item.formed_on.year == year:
            facts.normative_issued += 1
    for app in apps:
        if app.received_on.year == year:
            facts.received += 1
            facts.received_from_persons += app.applicant_type == ApplicantType.NATURAL_PERSON
        facts.carried_over += _open_at(app, start - timedelta(days=1))
        facts.carried_forward += _open_at(app, end)
        if app.concluded_on and app.concluded_on.year == year:
            facts.concluded += 1
            facts.disclosed += app.outcome == Outcome.DISCLOSED
            facts.partially_disclosed += app.outcome == Outcome.PARTIALLY_DISCLOSED
            facts.unpaid_fee += app.outcome == Outcome.OTHER_UNPAID_FEE
    for case in cases:
        if case.filed_on.year == year:
            facts.reconsiderations += case.kind == AppealKind.RECONSIDERATION
            facts.lawsuits += case.kind != AppealKind.RECONSIDERATION
    return facts


def annual_report(*, profile: Profile, agency: Agency, year: int, facts: YearFacts, rng: random.Random
                  ) -> AnnualReport:
    """The narrative sections of a generated report; every figure they quote comes from ``facts``."""
    we = profile.agency.pronoun
    site = "仙游县人民政府门户网站"
    overview = draft_overview(year=year, we=we, site=site, facts=facts, pick=rng.choice, 
                              trainings=lambda: rng.randint(1, 4))
    return AnnualReport(agency=agency, year=year, overview=overview, problems=draft_problems(pick=rng.choice),
                        other_matters=draft_other_matters(year=year, we=we, facts=facts, region_name="仙游县",
                                                          rng=rng))
