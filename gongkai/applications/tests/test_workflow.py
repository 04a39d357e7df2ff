"""The application state machine: every transition, its refusals, its permissions and its audit entries."""

from datetime import date

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError

from gongkai.agencies.models import Membership, Role
from gongkai.agencies.workdays import WorkingDayCalendar
from gongkai.applications import workflow as wf
from gongkai.applications.models import Application, Outcome, Status
from gongkai.applications.services import Upload, application_register
from gongkai.audit.models import AuditEntry
from gongkai.audit.selectors import audit_trail

CALENDAR = WorkingDayCalendar()
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def staff(agency, name, *roles):
    user = User.objects.create_user(name, password="a-long-password-1")
    for role in roles:
        Membership.objects.create(user=user, agency=agency, role=role)
    return user


@pytest.fixture
def people(agency):
    return {
        "registrar": staff(agency, "registrar", Role.REGISTRAR),
        "handler": staff(agency, "handler", Role.HANDLER),
        "approver": staff(agency, "approver", Role.APPROVER),
        "provider": staff(agency, "provider", Role.PROVIDER),
    }


def register(agency, people, *, received=date(2025, 1, 20), channel="in_person", **extra):
    data = {"applicant_type": "natural_person", "applicant_name": "张三", "channel": channel,
            "description": "2024年工业企业技改补贴名单", "identity_number": "350322199001011234", "phone": "13812345678"}
    data.update(extra)
    dates = {"submitted_on": received} if channel in ("in_person", "oral") else {"confirmed_on": received}
    return application_register(user=people["registrar"], agency=agency, today=received, data=data,
                                calendar=CALENDAR, **dates)


def act(cls, app, user, today, **params):
    return cls(app, user=user, today=today, calendar=CALENDAR).run(**params)


@pytest.mark.django_db
class TestRegistration:
    def test_in_person_receipt_is_the_day_submitted(self, agency, people):
        app = register(agency, people)
        assert (app.status, app.received_on, app.clock_started_on) == (Status.REGISTERED, date(2025, 1, 20),
                                                                        date(2025, 1, 20))
        assert app.due_on == date(2025, 2, 21)  # DOMAIN.md §1.3: 2025-01-20 + 20
        assert app.reference == "依申请〔2025〕1号"
        assert register(agency, people).reference == "依申请〔2025〕2号"
        [entry] = audit_trail(target=app)
        assert (entry.action, entry.actor, entry.to_state) == ("application.register", people["registrar"],
                                                               "registered")

    def test_online_waits_for_confirmation(self, agency, people):
        app = application_register(user=people["registrar"], agency=agency, today=date(2025, 9, 28),
                                   data={"applicant_type": "commercial_enterprise", "organisation_name": "某科技公司",
                                         "applicant_name": "李四", "channel": "online", "description": "x"},
                                   submitted_on=date(2025, 9, 28), calendar=CALENDAR)
        assert (app.status, app.received_on, app.serial, app.due_on) == (Status.PENDING_CONFIRMATION, None, None,
                                                                          None)
        act(wf.ConfirmReceipt, app, people["registrar"], date(2025, 9, 30), confirmed_on=date(2025, 9, 30))
        assert app.status == Status.REGISTERED and app.received_on == date(2025, 9, 30)
        assert app.due_on == CALENDAR.add_working_days(date(2025, 9, 30), 20).day

    def test_signed_mail_needs_the_signing_date(self, agency, people):
        with pytest.raises(ValidationError) as e:
            application_register(user=people["registrar"], agency=agency, today=date(2025, 3, 3),
                                 data={"applicant_type": "natural_person", "applicant_name": "王五",
                                       "channel": "signed_mail", "description": "x"}, calendar=CALENDAR)
        assert e.value.message_dict == {"signed_for_on": ["以邮寄方式（需签收）提交的申请，请填写签收日期。"]}
        assert not Application.objects.exists()

    def test_future_receipt_is_refused(self, agency, people):
        with pytest.raises(ValidationError) as e:
            application_register(user=people["registrar"], agency=agency, today=date(2025, 3, 3),
                                 data={"applicant_type": "natural_person", "applicant_name": "王五",
                                       "channel": "in_person", "description": "x"},
                                 submitted_on=date(2025, 3, 4), calendar=CALENDAR)
        assert "不能晚于今天" in str(e.value)

    def test_organisation_needs_its_name(self, agency, people):
        with pytest.raises(ValidationError) as e:
            register(agency, people, applicant_type="legal_service_agency")
        assert "organisation_name" in e.value.message_dict

    def test_double_submission_creates_one_record(self, agency, people):
        import uuid

        key = uuid.uuid4()
        kwargs = dict(user=people["registrar"], agency=agency, today=date(2025, 5, 6), submitted_on=date(2025, 5, 6),
                      data={"applicant_type": "natural_person", "applicant_name": "赵六", "channel": "in_person",
                            "description": "x"}, submission_key=key, calendar=CALENDAR)
        first, second = application_register(**kwargs), application_register(**kwargs)
        assert first.pk == second.pk and Application.objects.count() == 1

    def test_only_registrars_register(self, agency, people):
        with pytest.raises(wf.ActionForbidden):
            application_register(user=people["provider"], agency=agency, today=date(2025, 1, 20),
                                 data={"channel": "in_person"}, submitted_on=date(2025, 1, 20), calendar=CALENDAR)

    def test_uploads_are_checked_by_content(self, agency, people):
        app = application_register(
            user=people["registrar"], agency=agency, today=date(2025, 1, 20), submitted_on=date(2025, 1, 20),
            data={"applicant_type": "natural_person", "applicant_name": "张三", "channel": "in_person",
                  "description": "x"},
            uploads=[Upload("application_form", "申请表.pdf", PDF)], calendar=CALENDAR)
        [doc] = app.documents.all()
        assert (doc.content_type, doc.size) == ("application/pdf", len(PDF))
        with pytest.raises(ValidationError) as e:
            application_register(
                user=people["registrar"], agency=agency, today=date(2025, 1, 20), submitted_on=date(2025, 1, 20),
                data={"applicant_type": "natural_person", "applicant_name": "张三", "channel": "in_person",
                      "description": "x"},
                uploads=[Upload("attachment", "扫描件.pdf", b"MZ\x90\x00 not a pdf at all")], calendar=CALENDAR)
        assert "不是可接受的格式" in str(e.value)
        assert Application.objects.count() == 1


@pytest.mark.django_db
class TestCorrection:
    def test_correction_stops_and_restarts_the_clock(self, agency, people):
        app = register(agency, people)
        act(wf.RequestCorrection, app, people["handler"], date(2025, 1, 22), notified_on=date(2025, 1, 22),
            items="请提供文件名称或文号")
        assert app.status == Status.CORRECTION
        correction = app.corrections.get()
        assert correction.supplement_due_on == CALENDAR.add_working_days(date(2025, 1, 22), 15).day
        act(wf.RecordSupplement, app, people["handler"], date(2025, 2, 10), supplemented_on=date(2025, 2, 10))
        assert (app.status, app.clock_started_on) == (Status.REGISTERED, date(2025, 2, 10))
        assert app.due_on == CALENDAR.add_working_days(date(2025, 2, 10), 20).day

    def test_notice_after_seven_working_days_is_refused(self, agency, people):
        app = register(agency, people)
        # 2025-01-20 + 7 working days = 2025-02-05 (DOMAIN.md §1.3).
        with pytest.raises(wf.ActionRefused) as e:
            act(wf.RequestCorrection, app, people["handler"], date(2025, 2, 6), notified_on=date(2025, 2, 6),
                items="x")
        assert "2025年02月05日" in e.value.reason
        act(wf.RequestCorrection, app, people["handler"], date(2025, 2, 5), notified_on=date(2025, 2, 5), items="x")

    def test_only_one_correction(self, agency, people):
        app = register(agency, people)
        act(wf.RequestCorrection, app, people["handler"], date(2025, 1, 21), notified_on=date(2025, 1, 21), items="x")
        act(wf.RecordSupplement, app, people["handler"], date(2025, 1, 23), supplemented_on=date(2025, 1, 23))
        with pytest.raises(wf.ActionRefused, match="一次性告知"):
            act(wf.RequestCorrection, app, people["handler"], date(2025, 1, 24), notified_on=date(2025, 1, 24),
                items="y")

    def test_no_supplement_in_time_ends_as_other_no_correction(self, agency, people):
        app = register(agency, people)
        act(wf.RequestCorrection, app, people["handler"], date(2025, 1, 21), notified_on=date(2025, 1, 21),
            items="x", supplement_due_on=date(2025, 2, 14))
        with pytest.raises(wf.ActionRefused, match="尚未届满"):
            act(wf.CloseUnsupplemented, app, people["handler"], date(2025, 2, 14), closed_on=date(2025, 2, 14))
        act(wf.CloseUnsupplemented, app, people["handler"], date(2025, 2, 17), closed_on=date(2025, 2, 17))
        assert (app.status, app.outcome, app.concluded_on) == (Status.DECIDED, Outcome.OTHER_NO_CORRECTION,
                                                               date(2025, 2, 17))


@pytest.mark.django_db
class TestConsultationExtensionFees:
    def test_consultation_pauses_the_clock(self, agency, people):
        app = register(agency, people)
        act(wf.StartConsultation, app, people["handler"], date(2025, 2, 11), party_kind="third_party",
            party_name="某公司", sent_on=date(2025, 2, 11))
        assert app.status == Status.CONSULTING
        assert app.consultations.get().reply_due_on == CALENDAR.add_working_days(date(2025, 2, 11), 15).day
        act(wf.RecordOpinion, app, people["handler"], date(2025, 2, 20), replied_on=date(2025, 2, 20),
            opinion="objection", consequence="第三方理由合理，不予公开")
        paused = CALENDAR.working_days_between(date(2025, 2, 11), date(2025, 2, 20)).days
        assert app.due_on == CALENDAR.add_working_days(date(2025, 1, 20), 20 + paused).day

    def test_silence_needs_the_time_to_run_out(self, agency, people):
        app = register(agency, people)
        act(wf.StartConsultation, app, people["handler"], date(2025, 1, 21), party_kind="other_agency",
            party_name="县财政局", sent_on=date(2025, 1, 21))
        due = app.consultations.get().reply_due_on
        with pytest.raises(wf.ActionRefused, match="尚未届满"):
            act(wf.RecordOpinion, app, people["handler"], due, replied_on=due, opinion="no_reply", consequence="x")
        act(wf.RecordOpinion, app, people["handler"], date(2025, 3, 3), replied_on=date(2025, 3, 3),
            opinion="no_reply", consequence="逾期未提出意见，视为同意")
        assert app.consultations.get().replied_on == due

    def test_extension_needs_an_approver_and_at_most_20_days(self, agency, people):
        app = register(agency, people)
        with pytest.raises(wf.ActionRefused, match="20个工作日"):
            act(wf.RequestExtension, app, people["handler"], date(2025, 2, 10), days=21, reason="复杂")
        act(wf.RequestExtension, app, people["handler"], date(2025, 2, 10), days=20, reason="需调取档案")
        assert app.extension_days == 0
        with pytest.raises(wf.ActionForbidden):
            act(wf.DecideExtension, app, people["handler"], date(2025, 2, 10), approve=True,
                notified_on=date(2025, 2, 10))
        act(wf.DecideExtension, app, people["approver"], date(2025, 2, 11), approve=True,
            notified_on=date(2025, 2, 11))
        assert app.extension_days == 20
        assert app.due_on == CALENDAR.add_working_days(date(2025, 1, 20), 40).day
        with pytest.raises(wf.ActionRefused, match="只能延长一次"):
            act(wf.RequestExtension, app, people["handler"], date(2025, 2, 12), days=5, reason="x")

    def test_approver_cannot_approve_own_request(self, agency, people):
        both = staff(agency, "both", Role.HANDLER, Role.APPROVER)
        app = register(agency, people)
        act(wf.RequestExtension, app, both, date(2025, 2, 10), days=10, reason="x")
        with pytest.raises(wf.ActionRefused, match="自己"):
            act(wf.DecideExtension, app, both, date(2025, 2, 10), approve=True, notified_on=date(2025, 2, 10))

    def test_fee_notice_pauses_and_payment_resumes(self, agency, people):
        app = register(agency, people)
        act(wf.IssueFeeNotice, app, people["handler"], date(2025, 1, 27), scheme="per_volume", quantity=250,
            notified_on=date(2025, 1, 27))
        notice = app.fee_notice
        assert (app.status, notice.amount) == (Status.FEE_NOTICE, 4700)
        assert "4700" in notice.breakdown
        act(wf.RecordPayment, app, people["handler"], date(2025, 2, 7), paid_on=date(2025, 2, 7), reference="POS1")
        paused = CALENDAR.working_days_between(date(2025, 1, 27), date(2025, 2, 7)).days
        assert app.status == Status.REGISTERED
        assert app.due_on == CALENDAR.add_working_days(date(2025, 1, 20), 20 + paused).day

    def test_free_amount_needs_no_notice(self, agency, people):
        app = register(agency, people)
        with pytest.raises(wf.ActionRefused, match="为零"):
            act(wf.IssueFeeNotice, app, people["handler"], date(2025, 1, 27), scheme="per_volume", quantity=30,
                notified_on=date(2025, 1, 27))

    def test_per_application_counts_the_applicants_month(self, agency, people):
        """The 11th application of one person at this agency in January costs 100 元; others are not counted."""
        apps = [register(agency, people, received=date(2025, 1, 2 + i)) for i in range(11)]
        register(agency, people, received=date(2024, 12, 31))
        register(agency, people, received=date(2025, 1, 3), identity_number="350322198001010011")
        with pytest.raises(wf.ActionRefused, match="本月第10件"):
            act(wf.IssueFeeNotice, apps[9], people["handler"], date(2025, 1, 27), scheme="per_application",
                notified_on=date(2025, 1, 27))
        act(wf.IssueFeeNotice, apps[10], people["handler"], date(2025, 1, 27), scheme="per_application",
            notified_on=date(2025, 1, 27))
        assert (apps[10].fee_notice.quantity, apps[10].fee_notice.amount) == (11, 100)

    def test_unpaid_ends_as_other_unpaid_fee(self, agency, people):
        app = register(agency, people)
        act(wf.IssueFeeNotice, app, people["handler"], date(2025, 1, 27), scheme="per_volume", quantity=101,
            notified_on=date(2025, 1, 27))
        due = app.fee_notice.payment_due_on
        with pytest.raises(wf.ActionRefused, match="逾期未缴费"):
            act(wf.RecordPayment, app, people["handler"], date(2025, 6, 1), paid_on=date(2025, 6, 1))
        with pytest.raises(wf.ActionRefused, match="尚未届满"):
            act(wf.CloseUnpaid, app, people["handler"], due, closed_on=due)
        act(wf.CloseUnpaid, app, people["handler"], date(2025, 6, 1), closed_on=date(2025, 6, 1))
        assert app.outcome == Outcome.OTHER_UNPAID_FEE


@pytest.mark.django_db
class TestDecisionDeliveryArchive:
    def test_full_path(self, agency, people):
        app = register(agency, people)
        with pytest.raises(wf.ActionRefused, match="法律依据"):
            act(wf.Decide, app, people["handler"], date(2025, 2, 3), outcome="disclosed", legal_basis=" ",
                decided_on=date(2025, 2, 3))
        with pytest.raises(wf.ActionRefused, match="相应的办理步骤"):
            act(wf.Decide, app, people["handler"], date(2025, 2, 3), outcome="other.unpaid_fee", legal_basis="x",
                decided_on=date(2025, 2, 3))
        act(wf.Decide, app, people["handler"], date(2025, 2, 3), outcome="partially_disclosed",
            legal_basis="第三十七条", decided_on=date(2025, 2, 3))
        assert (app.status, app.due_on) == (Status.DECIDED, None)
        with pytest.raises(wf.ActionRefused, match="送达凭证"):
            act(wf.Deliver, app, people["handler"], date(2025, 2, 5), delivered_on=date(2025, 2, 5), method="mail",
                proof="")
        act(wf.Deliver, app, people["handler"], date(2025, 2, 5), delivered_on=date(2025, 2, 5), method="mail",
            proof="挂号信 XA123456789CN")
        act(wf.Archive, app, people["handler"], date(2025, 2, 6), archived_on=date(2025, 2, 6))
        assert app.status == Status.ARCHIVED
        steps = [(e.action, e.from_state, e.to_state) for e in audit_trail(target=app)]
        assert steps == [("application.register", "", "registered"),
                         ("application.decide", "registered", "decided"),
                         ("application.deliver", "decided", "delivered"),
                         ("application.archive", "delivered", "archived")]

    def test_impossible_transitions_name_the_state(self, agency, people):
        app = register(agency, people)
        with pytest.raises(wf.ActionRefused) as e:
            act(wf.Deliver, app, people["handler"], date(2025, 2, 5), delivered_on=date(2025, 2, 5), method="mail",
                proof="x")
        assert e.value.reason == "申请当前为“办理中”，不能登记送达。"
        assert AuditEntry.objects.filter(action="application.deliver").count() == 0

    def test_withdrawal(self, agency, people):
        app = register(agency, people)
        act(wf.StartConsultation, app, people["handler"], date(2025, 1, 22), party_kind="third_party",
            party_name="某公司", sent_on=date(2025, 1, 22))
        act(wf.Withdraw, app, people["registrar"], date(2025, 1, 24), withdrawn_on=date(2025, 1, 24), note="电话撤回")
        assert (app.outcome, app.status) == (Outcome.OTHER_OTHER, Status.DECIDED)
        assert audit_trail(target=app).last().note == "电话撤回"

    def test_roles(self, agency, people, other_agency):
        app = register(agency, people)
        for user in (people["provider"], people["approver"], staff(other_agency, "stranger", Role.HANDLER)):
            with pytest.raises(wf.ActionForbidden):
                act(wf.Decide, app, user, date(2025, 2, 3), outcome="disclosed", legal_basis="x",
                    decided_on=date(2025, 2, 3))
        actions = {a.code for a in wf.available_actions(app, user=people["handler"], today=date(2025, 2, 3),
                                                        calendar=CALENDAR)}
        assert {"decide", "request_correction", "start_consultation", "issue_fee_notice", "request_extension",
                "withdraw"} <= actions
        assert "deliver" not in actions and "decide_extension" not in actions
