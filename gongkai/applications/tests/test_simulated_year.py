"""A simulated year of applications, driven day by day through the services, gives a table 三
equal to the counts taken straight from the records — in both formats."""

import random
from datetime import date, timedelta

import pytest

from gongkai.agencies.models import Role
from gongkai.agencies.workdays import WorkingDayCalendar
from gongkai.applications import workflow as wf
from gongkai.applications.models import ApplicantType, Application, Outcome, Status
from gongkai.applications.services import application_register
from gongkai.reports.formats import format_for_year
from gongkai.reports.selectors import agency_report
from gongkai.reports.tests.records import Generated, expected_cells

from .test_workflow import staff

CALENDAR = WorkingDayCalendar()
DECIDABLE = [o for o in Outcome.values if o not in wf.PROCEDURAL_OUTCOMES]
CHANNELS = ["in_person", "signed_mail", "ordinary_mail", "online", "fax", "email", "oral"]


def simulate(agency, people, *, first: date, last: date, seed: int) -> None:
    """Each working day: a few applications arrive; open ones move on at random, as staff would move them."""
    rng = random.Random(seed)
    day = first
    while day <= last:
        if CALENDAR.is_working_day(day):
            for _ in range(rng.choice((0, 0, 1, 1, 2))):
                _arrive(agency, people, day, rng)
            for app in Application.objects.filter(agency=agency, status__in=wf.OPEN + (Status.PENDING_CONFIRMATION,)):
                _advance(app, people, day, rng)
            for app in Application.objects.filter(agency=agency, status=Status.DECIDED, concluded_on__lt=day):
                act(wf.Deliver, app, people["handler"], day, delivered_on=day, method="mail", proof="挂号信")
        day += timedelta(days=1)


def act(cls, app, user, today, **params):
    return cls(app, user=user, today=today, calendar=CALENDAR).run(**params)


def _arrive(agency, people, day, rng):
    applicant_type = rng.choices(ApplicantType.values, weights=(70, 12, 3, 4, 6, 5))[0]
    channel = rng.choice(CHANNELS)
    data = {"applicant_type": applicant_type, "applicant_name": "申请人", "channel": channel, "description": "x",
            "organisation_name": "" if applicant_type == "natural_person" else "某单位"}
    dates = {"submitted_on": day}
    if channel == "signed_mail":
        dates["signed_for_on"] = day
    elif channel not in ("in_person", "oral") and rng.random() < 0.7:
        dates["confirmed_on"] = day  # the rest wait for confirmation
    application_register(user=people["registrar"], agency=agency, today=day, data=data, calendar=CALENDAR, **dates)


def _advance(app, people, day, rng):
    handler = people["handler"]
    try:
        if app.status == Status.PENDING_CONFIRMATION:
            act(wf.ConfirmReceipt, app, people["registrar"], day, confirmed_on=day)
        elif app.status == Status.CORRECTION:
            due = app.corrections.latest("notified_on").supplement_due_on
            if day > due:
                act(wf.CloseUnsupplemented, app, handler, day, closed_on=day)
            elif rng.random() < 0.15:
                act(wf.RecordSupplement, app, handler, day, supplemented_on=day)
        elif app.status == Status.CONSULTING:
            consultation = app.consultations.get(replied_on__isnull=True)
            if day > consultation.reply_due_on:
                act(wf.RecordOpinion, app, handler, day, replied_on=day, opinion="no_reply", consequence="视为同意")
            elif rng.random() < 0.2:
                act(wf.RecordOpinion, app, handler, day, replied_on=day, opinion="consent", consequence="公开")
        elif app.status == Status.FEE_NOTICE:
            notice = app.fee_notice
            if day > notice.payment_due_on:
                act(wf.CloseUnpaid, app, handler, day, closed_on=day)
            elif rng.random() < 0.1:
                act(wf.RecordPayment, app, handler, day, paid_on=day)
        else:
            _advance_registered(app, people, day, rng)
    except wf.ActionRefused:
        pass  # e.g. a correction asked too late: staff pick another step another day


def _advance_registered(app, people, day, rng):
    handler = people["handler"]
    r = rng.random()
    if r < 0.04:
        act(wf.RequestCorrection, app, handler, day, notified_on=day, items="请补充文号")
    elif r < 0.06:
        act(wf.StartConsultation, app, handler, day, party_kind=rng.choice(["third_party", "other_agency"]),
            party_name="某公司", sent_on=day)
    elif r < 0.07:
        act(wf.IssueFeeNotice, app, handler, day, scheme="per_volume", quantity=rng.randint(31, 300),
            notified_on=day)
    elif r < 0.08:
        act(wf.Withdraw, app, handler, day, withdrawn_on=day)
    elif r < 0.09 and not hasattr(app, "extension"):
        act(wf.RequestExtension, app, handler, day, days=rng.randint(5, 20), reason="需要调取档案")
        act(wf.DecideExtension, app, people["approver"], day, approve=True, notified_on=day)
    elif r < 0.22 or (app.due_on and day >= app.due_on):
        act(wf.Decide, app, handler, day, outcome=rng.choice(DECIDABLE), legal_basis="第三十六条",
            decided_on=day)


@pytest.mark.django_db
@pytest.mark.parametrize("year", [2020, 2023])
def test_simulated_year_gives_the_records_counts(agency, year):
    people = {"registrar": staff(agency, "registrar", Role.REGISTRAR),
              "handler": staff(agency, "handler", Role.HANDLER),
              "approver": staff(agency, "approver", Role.APPROVER)}
    simulate(agency, people, first=date(year - 1, 11, 15), last=date(year + 1, 1, 20), seed=year)

    records = list(Application.objects.filter(agency=agency))
    fmt = format_for_year(year)
    report = agency_report(agency=agency, year=year)
    expected = expected_cells(fmt, year, Generated(applications=records))
    table = {c: v for c, v in report.cells.items() if c.startswith("applications.")}
    assert table == {c: v for c, v in expected.items() if c.startswith("applications.")}
    assert not report.has_errors, report.checks

    # The simulation exercised the workflow, not just the happy path.
    assert report.cells["applications.new_received.total"] > 100
    assert report.cells["applications.carried_over.total"] > 0
    assert report.cells["applications.carried_forward.total"] > 0
    outcomes = {a.outcome for a in records if a.outcome}
    assert {"other.no_correction", "other.unpaid_fee", "other.other"} & outcomes
    assert Application.objects.filter(agency=agency, status=Status.DELIVERED).exists()
