"""The application workflow as an explicit state machine (README: the state diagram).

Each transition is one ``Action`` class: ``check()`` refuses with a reason
(``ActionForbidden`` for a missing role, ``ActionRefused`` for a transition
the state or the law does not allow), and ``run(**params)`` re-checks under
a row lock, changes the application, keeps its due date current and writes
an audit entry, all in one transaction. Views, commands and tests call the
same classes; nothing else changes an application's status.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Q

from gongkai.agencies.models import Role
from gongkai.agencies.selectors import roles_in
from gongkai.agencies.sequences import sequence_next
from gongkai.agencies.workdays import WorkingDayCalendar
from gongkai.audit.transitions import ActionForbidden, ActionRefused, Transition  # noqa: F401  (re-exported)

from . import deadlines
from .crypto import identity_digest
from .fees import FeeScheme, per_application_fee, per_volume_fee
from .models import (
    Application,
    ApplicationSequence,
    Consultation,
    CorrectionRequest,
    Extension,
    ExtensionStatus,
    FeeNotice,
    Opinion,
    Outcome,
    PartyKind,
    Status,
)

OPEN = (Status.REGISTERED, Status.CORRECTION, Status.CONSULTING, Status.FEE_NOTICE)
# Outcomes that only their own transition may give.
PROCEDURAL_OUTCOMES = (Outcome.OTHER_NO_CORRECTION, Outcome.OTHER_UNPAID_FEE)


def assign_serial(application: Application) -> None:
    """Number the application within its agency and year of receipt."""
    year = application.received_on.year
    application.serial = sequence_next(ApplicationSequence, field="last_serial", agency=application.agency, year=year)
    application.serial_year = year


def refresh_due(application: Application, calendar: WorkingDayCalendar) -> None:
    """Keep ``due_on`` current so lists of overdue applications are plain queries."""
    # During a 补正 the reply clock is stopped, not paused: it restarts from the supplement.
    if application.status in OPEN and application.status != Status.CORRECTION:
        due = deadlines.reply_deadline(application, calendar)
        application.due_on = due.day if due else None
        application.due_confirmed = due.confirmed if due else True
    else:
        application.due_on, application.due_confirmed = None, True


class Action(Transition):
    """A step of the application workflow (see ``Transition``)."""

    subject = "申请"
    sources: tuple[str, ...] = OPEN
    roles: tuple[str, ...] = (Role.HANDLER, Role.AGENCY_ADMIN)

    @property
    def application(self) -> Application:
        return self.obj

    def before_save(self) -> None:
        refresh_due(self.application, self.calendar)

    def clean_exclude(self) -> list[str]:
        return ["handler"]


class ConfirmReceipt(Action):
    """An online, fax, e-mail or ordinary-mail application: the day both sides confirm is the day of receipt."""

    code, label = "confirm_receipt", "确认收到申请"
    sources, target = (Status.PENDING_CONFIRMATION,), Status.REGISTERED
    roles = (Role.REGISTRAR, Role.AGENCY_ADMIN)

    def validate(self, *, confirmed_on: date):
        self.not_before(confirmed_on, self.application.submitted_on, "确认收到日期", "confirmed_on")

    def apply(self, *, confirmed_on: date):
        app = self.application
        app.received_on = app.clock_started_on = confirmed_on
        assign_serial(app)
        return {"received_on": confirmed_on}


class AssignHandler(Action):
    code, label = "assign_handler", "指定承办人"
    sources = (Status.PENDING_CONFIRMATION, *OPEN)
    roles = (Role.REGISTRAR, Role.AGENCY_ADMIN)

    def validate(self, *, handler):
        if Role.HANDLER not in roles_in(handler, self.application.agency):
            raise ActionRefused("所选人员不是本机关的申请承办人。", "handler")

    def apply(self, *, handler):
        self.application.handler = handler
        return {"handler": handler.get_username()}


class RequestCorrection(Action):
    """One consolidated 补正 notice within 7 working days of receipt; the reply clock stops (第三十条)."""

    code, label = "request_correction", "告知补正"
    sources, target = (Status.REGISTERED,), Status.CORRECTION

    def validate(self, *, notified_on: date, items: str, supplement_due_on: date | None = None):
        app = self.application
        self.not_before(notified_on, app.received_on, "补正告知日期", "notified_on")
        if app.corrections.exists():
            raise ActionRefused("补正应一次性告知，本申请已告知过补正。")
        last = deadlines.correction_notice_deadline(app.received_on, self.calendar).day
        if notified_on > last:
            raise ActionRefused(f"补正告知应在收到申请之日起7个工作日内（{last:%Y年%m月%d日}前）发出。", "notified_on")
        if not items.strip():
            raise ActionRefused("请写明需要补正的事项。", "items")
        if supplement_due_on and supplement_due_on <= notified_on:
            raise ActionRefused("补正期限应晚于告知日期。", "supplement_due_on")

    def apply(self, *, notified_on: date, items: str, supplement_due_on: date | None = None):
        due = supplement_due_on or self.calendar.add_working_days(
            notified_on, deadlines.DEFAULT_SUPPLEMENT_WORKING_DAYS).day
        CorrectionRequest.objects.create(application=self.application, notified_on=notified_on, items=items.strip(),
                                         supplement_due_on=due)
        return {"notified_on": notified_on, "supplement_due_on": due}


class RecordSupplement(Action):
    """The supplemented application arrived: the reply clock restarts that day (第三十条)."""

    code, label = "record_supplement", "登记补正材料"
    sources, target = (Status.CORRECTION,), Status.REGISTERED

    def validate(self, *, supplemented_on: date):
        correction = self.application.corrections.latest("notified_on")
        self.not_before(supplemented_on, correction.notified_on, "收到补正日期", "supplemented_on")

    def apply(self, *, supplemented_on: date):
        correction = self.application.corrections.latest("notified_on")
        correction.supplemented_on = supplemented_on
        correction.save(update_fields=["supplemented_on"])
        self.application.clock_started_on = supplemented_on
        return {"supplemented_on": supplemented_on}


class CloseUnsupplemented(Action):
    """No supplement in time: deemed abandoned, ends as 其他处理 (2021: 其他处理 1)."""

    code, label = "close_unsupplemented", "逾期未补正，不再处理"
    sources, target = (Status.CORRECTION,), Status.DECIDED

    def check(self):
        super().check()
        # Offered only once the period has run out, so the button never promises what it cannot do.
        due = self.application.corrections.latest("notified_on").supplement_due_on
        if self.today <= due:
            raise ActionRefused(f"补正期限（{due:%Y年%m月%d日}）尚未届满。")

    def validate(self, *, closed_on: date):
        correction = self.application.corrections.latest("notified_on")
        self.not_before(closed_on, correction.notified_on, "办结日期", "closed_on")
        if closed_on <= correction.supplement_due_on:
            raise ActionRefused(f"补正期限（{correction.supplement_due_on:%Y年%m月%d日}）尚未届满。", "closed_on")

    def apply(self, *, closed_on: date):
        correction = self.application.corrections.latest("notified_on")
        correction.closed_unsupplemented = True
        correction.save(update_fields=["closed_unsupplemented"])
        app = self.application
        app.outcome, app.concluded_on = Outcome.OTHER_NO_CORRECTION, closed_on
        app.legal_basis = app.legal_basis or "《中华人民共和国政府信息公开条例》第三十条：申请人无正当理由逾期不补正的，视为放弃申请。"
        return {"outcome": app.outcome, "concluded_on": closed_on}


class StartConsultation(Action):
    """Ask a third party (第三十二条) or another agency (第三十四条); the reply clock pauses."""

    code, label = "start_consultation", "征求意见"
    sources, target = (Status.REGISTERED,), Status.CONSULTING

    def validate(self, *, party_kind: str, party_name: str, sent_on: date):
        self.not_before(sent_on, self.application.clock_started_on, "征求意见函发出日期", "sent_on")
        if party_kind not in PartyKind.values:
            raise ActionRefused("请选择征求对象类型。", "party_kind")
        if not party_name.strip():
            raise ActionRefused("请填写征求意见的对象。", "party_name")

    def apply(self, *, party_kind: str, party_name: str, sent_on: date):
        due = self.calendar.add_working_days(sent_on, deadlines.CONSULTATION_WORKING_DAYS).day
        Consultation.objects.create(application=self.application, party_kind=party_kind,
                                    party_name=party_name.strip(), sent_on=sent_on, reply_due_on=due)
        return {"party": party_name, "sent_on": sent_on, "reply_due_on": due}


class RecordOpinion(Action):
    """The opinion arrived, or the 15 working days ran out; the clock runs again."""

    code, label = "record_opinion", "登记征求意见结果"
    sources, target = (Status.CONSULTING,), Status.REGISTERED

    def _open(self) -> Consultation:
        return self.application.consultations.filter(replied_on__isnull=True).latest("sent_on")

    def validate(self, *, replied_on: date, opinion: str, consequence: str):
        consultation = self._open()
        self.not_before(replied_on, consultation.sent_on, "收到意见日期", "replied_on")
        if opinion not in Opinion.values:
            raise ActionRefused("请选择意见。", "opinion")
        if opinion == Opinion.NO_REPLY and replied_on <= consultation.reply_due_on:
            raise ActionRefused(f"答复期限（{consultation.reply_due_on:%Y年%m月%d日}）尚未届满，不能按逾期未答复处理。",
                                "opinion")
        if not consequence.strip():
            raise ActionRefused("请写明对意见的处理。", "consequence")

    def apply(self, *, replied_on: date, opinion: str, consequence: str):
        consultation = self._open()
        # Silence ends the pause when the party's time runs out, not when staff notice it.
        consultation.replied_on = consultation.reply_due_on if opinion == Opinion.NO_REPLY else replied_on
        consultation.opinion, consultation.consequence = opinion, consequence.strip()
        consultation.save(update_fields=["replied_on", "opinion", "consequence"])
        return {"opinion": opinion, "replied_on": consultation.replied_on}


class RequestExtension(Action):
    """Ask to extend the reply period once, by at most 20 working days (第三十三条)."""

    code, label = "request_extension", "申请延期答复"
    sources = (Status.REGISTERED, Status.CONSULTING, Status.FEE_NOTICE)

    def validate(self, *, days: int, reason: str):
        if Extension.objects.filter(application=self.application).exists():
            raise ActionRefused("答复期限只能延长一次，本申请已申请过延期。")
        if not 1 <= days <= deadlines.MAX_EXTENSION_WORKING_DAYS:
            raise ActionRefused("延长的期限最长不超过20个工作日。", "days")
        if not reason.strip():
            raise ActionRefused("请写明延期理由。", "reason")
        due = deadlines.reply_deadline(self.application, self.calendar)
        if due and self.today > due.day:
            raise ActionRefused(f"答复期限已于{due.day:%Y年%m月%d日}届满，不能再申请延期。")

    def apply(self, *, days: int, reason: str):
        Extension.objects.create(application=self.application, days=days, reason=reason.strip(),
                                 requested_by=self.user, requested_on=self.today)
        return {"days": days}


class DecideExtension(Action):
    """The head of the disclosure office approves or refuses the extension; the applicant is told."""

    code, label = "decide_extension", "审批延期答复"
    sources = (Status.REGISTERED, Status.CONSULTING, Status.FEE_NOTICE)
    roles = (Role.APPROVER,)

    def check(self):
        super().check()
        extension = Extension.objects.filter(application=self.application).first()
        if extension is None or extension.status != ExtensionStatus.REQUESTED:
            raise ActionRefused("没有待审批的延期申请。")
        if extension.requested_by_id == self.user.pk:
            raise ActionRefused("不能审批自己提出的延期申请。")

    def validate(self, *, approve: bool, notified_on: date | None = None):
        if approve and notified_on is None:
            raise ActionRefused("批准延期的，请填写告知申请人的日期。", "notified_on")
        if notified_on:
            self.not_before(notified_on, None, "告知日期", "notified_on")

    def apply(self, *, approve: bool, notified_on: date | None = None):
        extension = self.application.extension
        extension.status = ExtensionStatus.APPROVED if approve else ExtensionStatus.REFUSED
        extension.decided_by, extension.decided_on, extension.notified_on = self.user, self.today, notified_on
        extension.save()
        if approve:
            self.application.extension_days = extension.days
        return {"approved": approve, "days": extension.days}


def monthly_ordinal(application: Application) -> int:
    """Which of the applicant's applications to this agency in the calendar month of receipt this one is.

    The applicant is recognised by identity number, else by name and phone
    (国办函〔2020〕109号 counts per applicant, per agency, per 自然月).
    """
    same = Application.objects.filter(agency=application.agency, received_on__year=application.received_on.year,
                                      received_on__month=application.received_on.month)
    if application.identity_number:
        same = same.filter(identity_digest=identity_digest(application.identity_number))
    else:
        same = same.filter(applicant_name=application.applicant_name, organisation_name=application.organisation_name,
                           phone=application.phone)
    earlier = Q(received_on__lt=application.received_on) | Q(received_on=application.received_on,
                                                               pk__lte=application.pk)
    return same.filter(earlier).count()


class IssueFeeNotice(Action):
    """Send a fee notice (第四十二条); the clock pauses until payment, 20 working days at most.

    Per application, the ordinal comes from the records, not from the
    handler; per volume, the handler gives the number of pages.
    """

    code, label = "issue_fee_notice", "发出收费通知"
    sources, target = (Status.REGISTERED,), Status.FEE_NOTICE

    def _fee(self, scheme: str, quantity: int | None):
        """The fee and the quantity it was computed from."""
        if scheme == FeeScheme.PER_APPLICATION:
            quantity, compute = monthly_ordinal(self.application), per_application_fee
        elif scheme == FeeScheme.PER_VOLUME:
            if quantity is None:
                raise ActionRefused("按量计收的，请填写页数。", "quantity")
            compute = per_volume_fee
        else:
            raise ActionRefused("请选择计收方式（按件或按量，二者只能选其一）。", "scheme")
        try:
            return compute(quantity), quantity
        except ValueError as e:
            raise ActionRefused(str(e), "quantity") from e

    def validate(self, *, scheme: str, notified_on: date, quantity: int | None = None):
        if getattr(self.application, "fee_notice", None) is not None:
            raise ActionRefused("本申请已发出过收费通知。")
        self.not_before(notified_on, self.application.clock_started_on, "通知日期", "notified_on")
        fee, counted = self._fee(scheme, quantity)
        if fee.amount <= 0:
            what = f"本申请为申请人本月第{counted}件" if scheme == FeeScheme.PER_APPLICATION else f"{counted}页"
            raise ActionRefused(f"{what}，按所选方式计算的费用为零，无需收费。", "quantity")

    def apply(self, *, scheme: str, notified_on: date, quantity: int | None = None):
        fee, counted = self._fee(scheme, quantity)
        due = self.calendar.add_working_days(notified_on, deadlines.PAYMENT_WORKING_DAYS).day
        FeeNotice.objects.create(application=self.application, scheme=scheme, quantity=counted, amount=fee.amount,
                                 breakdown=fee.describe(), notified_on=notified_on, payment_due_on=due)
        return {"scheme": scheme, "quantity": counted, "amount": fee.amount, "payment_due_on": due}


class RecordPayment(Action):
    code, label = "record_payment", "登记缴费"
    sources, target = (Status.FEE_NOTICE,), Status.REGISTERED

    def validate(self, *, paid_on: date, reference: str = ""):
        notice = self.application.fee_notice
        self.not_before(paid_on, notice.notified_on, "缴费日期", "paid_on")
        if paid_on > notice.payment_due_on:
            raise ActionRefused(f"已超过缴费期限（{notice.payment_due_on:%Y年%m月%d日}），应按逾期未缴费处理。", "paid_on")

    def apply(self, *, paid_on: date, reference: str = ""):
        notice = self.application.fee_notice
        notice.paid_on, notice.payment_reference = paid_on, reference.strip()
        notice.save(update_fields=["paid_on", "payment_reference"])
        return {"paid_on": paid_on, "amount": notice.amount}


class CloseUnpaid(Action):
    """Not paid in time: deemed abandoned, ends as 其他处理 (2021: 其他处理 2)."""

    code, label = "close_unpaid", "逾期未缴费，不再处理"
    sources, target = (Status.FEE_NOTICE,), Status.DECIDED

    def check(self):
        super().check()
        due = self.application.fee_notice.payment_due_on
        if self.today <= due:
            raise ActionRefused(f"缴费期限（{due:%Y年%m月%d日}）尚未届满。")

    def validate(self, *, closed_on: date):
        notice = self.application.fee_notice
        self.not_before(closed_on, notice.notified_on, "办结日期", "closed_on")
        if closed_on <= notice.payment_due_on:
            raise ActionRefused(f"缴费期限（{notice.payment_due_on:%Y年%m月%d日}）尚未届满。", "closed_on")

    def apply(self, *, closed_on: date):
        app = self.application
        app.outcome, app.concluded_on = Outcome.OTHER_UNPAID_FEE, closed_on
        app.legal_basis = app.legal_basis or "《中华人民共和国政府信息公开条例》第四十二条；申请人逾期未按收费通知要求缴纳费用，视为放弃申请。"
        return {"outcome": app.outcome, "concluded_on": closed_on}


class Decide(Action):
    """The reply: exactly one outcome of table 三 and its legal basis (第三十六–三十九条)."""

    code, label = "decide", "作出答复"
    sources, target = (Status.REGISTERED,), Status.DECIDED

    def validate(self, *, outcome: str, legal_basis: str, decided_on: date, reply_summary: str = ""):
        if outcome not in Outcome.values:
            raise ActionRefused("请选择一项办理结果。", "outcome")
        if outcome in PROCEDURAL_OUTCOMES:
            raise ActionRefused("逾期不补正、逾期未缴费须通过相应的办理步骤结束。", "outcome")
        if not legal_basis.strip():
            raise ActionRefused("请写明答复的法律依据和理由。", "legal_basis")
        self.not_before(decided_on, self.application.received_on, "答复日期", "decided_on")

    def apply(self, *, outcome: str, legal_basis: str, decided_on: date, reply_summary: str = ""):
        app = self.application
        app.outcome, app.concluded_on = outcome, decided_on
        app.legal_basis, app.reply_summary = legal_basis.strip(), reply_summary.strip()
        due = deadlines.reply_deadline(app, self.calendar)
        return {"outcome": outcome, "concluded_on": decided_on, "on_time": bool(due and decided_on <= due.day)}


class Withdraw(Action):
    """The applicant withdraws: ends as 其他处理 (2021: 其他处理 3)."""

    code, label = "withdraw", "申请人撤回申请"
    sources, target = OPEN, Status.DECIDED
    roles = (Role.HANDLER, Role.REGISTRAR, Role.AGENCY_ADMIN)

    def validate(self, *, withdrawn_on: date):
        self.not_before(withdrawn_on, self.application.received_on, "撤回日期", "withdrawn_on")

    def apply(self, *, withdrawn_on: date):
        app = self.application
        app.outcome, app.concluded_on = Outcome.OTHER_OTHER, withdrawn_on
        app.legal_basis = app.legal_basis or "申请人主动撤回政府信息公开申请。"
        return {"outcome": app.outcome, "concluded_on": withdrawn_on}


class Deliver(Action):
    code, label = "deliver", "登记送达"
    sources, target = (Status.DECIDED,), Status.DELIVERED
    roles = (Role.HANDLER, Role.REGISTRAR, Role.AGENCY_ADMIN)

    def validate(self, *, delivered_on: date, method: str, proof: str):
        self.not_before(delivered_on, self.application.concluded_on, "送达日期", "delivered_on")
        if not method:
            raise ActionRefused("请选择送达方式。", "method")
        if not proof.strip():
            raise ActionRefused("请填写送达凭证（如邮件单号、签收人、发送记录）。", "proof")

    def apply(self, *, delivered_on: date, method: str, proof: str):
        app = self.application
        app.delivered_on, app.delivered_by, app.delivery_proof = delivered_on, method, proof.strip()
        return {"delivered_on": delivered_on, "method": method}


class Archive(Action):
    code, label = "archive", "归档"
    sources, target = (Status.DELIVERED,), Status.ARCHIVED
    roles = (Role.HANDLER, Role.REGISTRAR, Role.AGENCY_ADMIN)

    def validate(self, *, archived_on: date):
        self.not_before(archived_on, self.application.delivered_on, "归档日期", "archived_on")

    def apply(self, *, archived_on: date):
        self.application.archived_on = archived_on
        return {"archived_on": archived_on}


ACTIONS: dict[str, type[Action]] = {cls.code: cls for cls in (
    ConfirmReceipt, AssignHandler, RequestCorrection, RecordSupplement, CloseUnsupplemented, StartConsultation,
    RecordOpinion, RequestExtension, DecideExtension, IssueFeeNotice, RecordPayment, CloseUnpaid, Decide, Withdraw,
    Deliver, Archive,
)}


def available_actions(application: Application, *, user, today: date,
                      calendar: WorkingDayCalendar | None = None) -> list[Action]:
    """The actions this user may take on the application now (for the detail page's buttons)."""
    actions = [cls(application, user=user, today=today, calendar=calendar) for cls in ACTIONS.values()]
    return [a for a in actions if a.allowed()]
