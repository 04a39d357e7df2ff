"""The statutory dates of an application (第三十–三十四条, 第四十二条), from its records and a calendar.

Pure functions: the calendar and ``today`` are passed in, nothing is read
from the clock or the database here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from gongkai.agencies.workdays import Deadline, WorkingDayCalendar

from .fees import PAYMENT_WORKING_DAYS  # noqa: F401  (re-exported: the deadlines in one place)
from .models import Channel, Status

REPLY_WORKING_DAYS = 20  # 第三十三条
MAX_EXTENSION_WORKING_DAYS = 20  # 第三十三条
CORRECTION_NOTICE_WORKING_DAYS = 7  # 第三十条
DEFAULT_SUPPLEMENT_WORKING_DAYS = 15  # 第三十条 "合理的补正期限" (practice)
CONSULTATION_WORKING_DAYS = 15  # 第三十二条, 第三十四条
AT_RISK_WORKING_DAYS = 3

# Channels whose date of receipt is the day both sides confirm (第三十一条第三项).
CONFIRMED_CHANNELS = (Channel.ONLINE, Channel.FAX, Channel.EMAIL, Channel.ORDINARY_MAIL)


class ReceiptDateError(ValueError):
    """A date of receipt that the channel's rule cannot give; the message names the field, in Chinese."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def receipt_date(*, channel: str, today: date, submitted_on: date | None = None,
                 signed_for_on: date | None = None, confirmed_on: date | None = None) -> date | None:
    """The statutory date of receipt (第三十一条), or None while it awaits confirmation.

    In person or orally: the day submitted. Signed-for mail: the day the
    agency signs for it. Ordinary letter: the day the office confirms with
    the applicant. Online, fax, e-mail: the day both sides confirm.
    """
    if channel in (Channel.IN_PERSON, Channel.ORAL):
        field, day = "submitted_on", submitted_on
        if day is None:
            raise ReceiptDateError(field, "当面或口头提出的申请，请填写提交日期。")
    elif channel == Channel.SIGNED_MAIL:
        field, day = "signed_for_on", signed_for_on
        if day is None:
            raise ReceiptDateError(field, "以邮寄方式（需签收）提交的申请，请填写签收日期。")
    else:
        field, day = "confirmed_on", confirmed_on
        if day is None:
            return None
    if day > today:
        raise ReceiptDateError(field, "收到申请的日期不能晚于今天。")
    if submitted_on and day < submitted_on:
        raise ReceiptDateError(field, "收到申请的日期不能早于提交日期。")
    return day


@dataclass(frozen=True)
class Pause:
    """Days on which the reply clock stands still, first and last inclusive."""

    first: date
    last: date
    reason: str
    open: bool = False


def pauses_of(application) -> list[Pause]:
    """Consultations and a fee notice pause the clock from the day after the
    letter or notice until the opinion arrives or the fee is paid (or their
    time limit, while still open)."""
    out = []
    if application.pk is None:
        return out
    for c in application.consultations.all():
        last = c.replied_on or c.reply_due_on
        if last > c.sent_on:
            out.append(Pause(c.sent_on + timedelta(days=1), last, f"征求{c.party_name}意见", open=c.replied_on is None))
    # A missing reverse one-to-one raises a subclass of AttributeError.
    notice = getattr(application, "fee_notice", None)
    if notice is not None:
        last = notice.paid_on or notice.payment_due_on
        if last > notice.notified_on:
            out.append(Pause(notice.notified_on + timedelta(days=1), last, "等待缴纳信息处理费",
                             open=notice.paid_on is None))
    return out


def reply_deadline(application, calendar: WorkingDayCalendar) -> Deadline | None:
    """The day the reply is due: 20 working days (plus an approved extension)
    after the clock started, not counting paused days."""
    if application.clock_started_on is None:
        return None
    pauses = [(p.first, p.last) for p in pauses_of(application) if p.last > application.clock_started_on]
    return calendar.add_working_days(application.clock_started_on,
                                     REPLY_WORKING_DAYS + application.extension_days, paused=pauses)


def correction_notice_deadline(received_on: date, calendar: WorkingDayCalendar) -> Deadline:
    """The last day to send a 补正 notice: 7 working days after receipt (第三十条)."""
    return calendar.add_working_days(received_on, CORRECTION_NOTICE_WORKING_DAYS)


@dataclass(frozen=True)
class DeadlineView:
    """What a handler sees for one application: which date is running, and how much time is left."""

    label: str
    due_on: date | None
    working_days_left: int | None
    confirmed: bool
    paused: bool
    pauses: tuple[Pause, ...]

    @property
    def overdue(self) -> bool:
        return self.working_days_left is not None and self.working_days_left < 0

    @property
    def at_risk(self) -> bool:
        return self.working_days_left is not None and 0 <= self.working_days_left <= AT_RISK_WORKING_DAYS


def deadline_view(application, calendar: WorkingDayCalendar, *, today: date) -> DeadlineView:
    pauses = tuple(pauses_of(application))
    status = application.status
    if status == Status.CORRECTION:
        correction = application.corrections.order_by("-notified_on", "-id").first()
        due = Deadline(correction.supplement_due_on, True) if correction else None
        label = "补正期限"
    elif status in (Status.REGISTERED, Status.CONSULTING, Status.FEE_NOTICE):
        due, label = reply_deadline(application, calendar), "答复期限"
    else:
        return DeadlineView("", None, None, True, False, pauses)
    if due is None:
        return DeadlineView(label, None, None, True, False, pauses)
    left = calendar.working_days_left(due.day, today, paused=[(p.first, p.last) for p in pauses])
    return DeadlineView(label, due.day, left.days, due.confirmed and left.confirmed,
                        status in (Status.CONSULTING, Status.FEE_NOTICE), pauses)
