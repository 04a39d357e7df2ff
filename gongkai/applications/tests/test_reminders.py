"""``gongkai deadlines remind``: one e-mail a day to each person with applications at risk."""

from datetime import date

import pytest
from django.core import mail
from django.core.management import call_command

from gongkai.agencies.models import Role
from gongkai.agencies.workdays import WorkingDayCalendar
from gongkai.applications import workflow as wf
from gongkai.applications.reminders import deadline_reminders_send

from .test_workflow import register, staff

CALENDAR = WorkingDayCalendar()


@pytest.fixture
def people(agency):
    handler = staff(agency, "handler", Role.HANDLER)
    handler.email = "handler@example.invalid"
    handler.save()
    registrar = staff(agency, "registrar", Role.REGISTRAR)
    registrar.email = "registrar@example.invalid"
    registrar.save()
    return {"handler": handler, "registrar": registrar}


@pytest.mark.django_db
def test_handlers_hear_of_overdue_and_due_soon_once_a_day(agency, people):
    late = register(agency, people, received=date(2025, 1, 20))  # due 2025-02-21
    soon = register(agency, people, received=date(2025, 2, 5))  # due 2025-03-06
    calm = register(agency, people, received=date(2025, 2, 24))
    for app in (late, soon, calm):
        wf.AssignHandler(app, user=people["registrar"], today=date(2025, 2, 24), calendar=CALENDAR).run(
            handler=people["handler"])
    summary = deadline_reminders_send(today=date(2025, 3, 3), calendar=CALENDAR)
    assert summary.sent == {"handler": 2}
    [message] = mail.outbox
    assert message.to == ["handler@example.invalid"]
    assert late.reference in message.body and "已逾期" in message.body
    assert soon.reference in message.body and "即将到期" in message.body
    assert calm.reference not in message.body
    assert "350322199001011234" not in message.body  # no personal data in e-mail

    again = deadline_reminders_send(today=date(2025, 3, 3), calendar=CALENDAR)
    assert again.sent == {} and again.already_reminded == ["handler"]
    assert len(mail.outbox) == 1
    deadline_reminders_send(today=date(2025, 3, 4), calendar=CALENDAR)
    assert len(mail.outbox) == 2


@pytest.mark.django_db
def test_unassigned_applications_go_to_the_registrars(agency, people):
    app = register(agency, people, received=date(2025, 1, 20))
    summary = deadline_reminders_send(today=date(2025, 3, 3), calendar=CALENDAR)
    assert summary.sent == {"registrar": 1}
    assert app.reference in mail.outbox[0].body


@pytest.mark.django_db
def test_paused_and_concluded_applications_are_not_at_risk(agency, people):
    paused = register(agency, people, received=date(2025, 1, 20))
    wf.StartConsultation(paused, user=people["handler"], today=date(2025, 1, 21), calendar=CALENDAR).run(
        party_kind="third_party", party_name="某公司", sent_on=date(2025, 1, 21))
    done = register(agency, people, received=date(2025, 1, 20))
    wf.Decide(done, user=people["handler"], today=date(2025, 1, 22), calendar=CALENDAR).run(
        outcome="disclosed", legal_basis="第三十六条", decided_on=date(2025, 1, 22))
    assert deadline_reminders_send(today=date(2025, 3, 3), calendar=CALENDAR).sent == {}


@pytest.mark.django_db
def test_command(agency, people, capsys):
    register(agency, people, received=date(2025, 1, 20))
    call_command("deadlines", "remind", "--today", "2025-03-03", "--dry-run")
    assert "将提醒 registrar：1 件" in capsys.readouterr().out
    assert mail.outbox == []
    call_command("deadlines", "remind", "--today", "2025-03-03")
    assert len(mail.outbox) == 1
