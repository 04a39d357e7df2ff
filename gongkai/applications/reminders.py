"""Daily e-mail to each handler about their applications at risk (overdue or due within 3 working days).

Safe to run from cron once a day, or more often: a person already reminded
on a day is not reminded again that day (the audit trail records each
reminder). Applications without a handler go to the agency's registrars and
administrators, so nothing at risk is left unseen.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction

from gongkai.agencies.models import Agency, Membership, Role
from gongkai.agencies.workdays import WorkingDayCalendar
from gongkai.audit.models import AuditEntry
from gongkai.audit.services import audit_record

from .models import Application, Status
from .selectors import applications_due_soon, applications_overdue

ACTION = "deadlines.remind"


@dataclass
class ReminderSummary:
    sent: dict[str, int] = field(default_factory=dict)  # username → applications listed
    skipped_no_email: list[str] = field(default_factory=list)
    already_reminded: list[str] = field(default_factory=list)

    @property
    def applications(self) -> int:
        return sum(self.sent.values())


def _at_risk(today: date, calendar: WorkingDayCalendar) -> dict[int, list[tuple[Application, bool]]]:
    """At-risk applications by the user who should hear of them; True marks overdue."""
    by_user: dict[int, list[tuple[Application, bool]]] = defaultdict(list)
    agencies = Agency.objects.filter(applications__status__in=(Status.REGISTERED, Status.CORRECTION)).distinct()
    for agency in agencies:
        overdue = list(applications_overdue(agency, today).select_related("agency"))
        soon = list(applications_due_soon(agency, today, calendar).select_related("agency"))
        unassigned = [a for a in overdue + soon if a.handler_id is None]
        fallback = list(Membership.objects.filter(agency=agency, role__in=(Role.REGISTRAR, Role.AGENCY_ADMIN))
                        .values_list("user_id", flat=True).distinct()) if unassigned else []
        for app, late in [(a, True) for a in overdue] + [(a, False) for a in soon]:
            for user_id in ([app.handler_id] if app.handler_id else fallback):
                by_user[user_id].append((app, late))
    return by_user


def _body(user, items: list[tuple[Application, bool]], today: date) -> str:
    lines = [f"{user.get_full_name() or user.get_username()}：", "",
             f"截至{today:%Y年%m月%d日}，以下政府信息公开申请已逾期或将在3个工作日内到期，请及时办理：", ""]
    for app, late in sorted(items, key=lambda x: (x[0].agency.name, x[0].due_on or today)):
        due = app.due_on
        when = f"答复期限 {due:%Y年%m月%d日}" if due else "补正期限已届满"
        state = "已逾期" if late else "即将到期"
        lines.append(f"- {app.agency.name} {app.reference or f'#{app.pk}'}（{app.get_status_display()}）"
                     f"{when}，{state}：{app.description[:40]}")
    lines += ["", "本邮件由 gongkai 政府信息公开系统自动发送，每日一次。"]
    return "\n".join(lines)


def deadline_reminders_send(*, today: date, calendar: WorkingDayCalendar, dry_run: bool = False
                            ) -> ReminderSummary:
    summary = ReminderSummary()
    by_user = _at_risk(today, calendar)
    users = get_user_model().objects.in_bulk(list(by_user))
    reminded = set(AuditEntry.objects.filter(action=ACTION, target_type="auth.user", data__day=today.isoformat())
                   .values_list("target_id", flat=True))
    for user_id, items in sorted(by_user.items()):
        user = users[user_id]
        if str(user_id) in reminded:
            summary.already_reminded.append(user.get_username())
            continue
        if not user.email:
            summary.skipped_no_email.append(user.get_username())
            continue
        if not dry_run:
            with transaction.atomic():
                send_mail(f"【政府信息公开】{len(items)}件申请已逾期或即将到期", _body(user, items, today),
                          None, [user.email])
                audit_record(actor=None, agency=None, target=user, action=ACTION,
                             data={"day": today.isoformat(), "applications": [a.pk for a, _ in items]})
        summary.sent[user.get_username()] = len(items)
    return summary
