"""Supervision's services: messages from the public, answers, closing, and 回应关切 with their permissions and audit."""

import uuid
from datetime import date

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError

from gongkai.agencies.models import Membership, Role
from gongkai.audit.models import AuditEntry
from gongkai.supervision import services
from gongkai.supervision.models import Concern, Feedback, FeedbackKind, FeedbackStatus

TODAY = date(2026, 3, 5)
DATA = {
    "kind": FeedbackKind.COMPLAINT, "subject": "申请逾期未答复", "contact_name": "李四",
    "message": "我于上月提交的政府信息公开申请已超过二十个工作日仍未收到答复。", "phone": "13812345678",
    "email": "", "public": True,
}


def user(username, agency=None, *roles, **extra):
    u = User.objects.create_user(username, password="x-long-password-1", **extra)
    for role in roles:
        Membership.objects.create(user=u, agency=agency, role=role)
    return u


@pytest.fixture
def people(agency, other_agency):
    return {
        "admin": user("admin", agency, Role.AGENCY_ADMIN),
        "publisher": user("publisher", agency, Role.PUBLISHER),
        "handler": user("handler", agency, Role.HANDLER, Role.REGISTRAR),
        "outsider": user("outsider", other_agency, Role.AGENCY_ADMIN, Role.PUBLISHER),
        "root": user("root", is_superuser=True),
    }


def entries(obj, action):
    return AuditEntry.objects.filter(target_type=obj._meta.label_lower, target_id=str(obj.pk), action=action)


class TestFeedbackSubmit:
    def test_creates_a_received_message_audited_without_an_actor(self, agency):
        feedback = services.feedback_submit(agency=agency, data=DATA, submission_key=uuid.uuid4())
        assert feedback.status == FeedbackStatus.RECEIVED and feedback.public
        entry = entries(feedback, "feedback.submit").get()
        assert entry.actor is None and entry.agency == agency and entry.to_state == "received"

    def test_the_same_key_twice_creates_one(self, agency):
        key = uuid.uuid4()
        first = services.feedback_submit(agency=agency, data=DATA, submission_key=key)
        second = services.feedback_submit(agency=agency, data={**DATA, "subject": "另一个标题"}, submission_key=key)
        assert first.pk == second.pk and Feedback.objects.count() == 1

    def test_a_key_of_another_agency_is_refused(self, agency, other_agency):
        key = uuid.uuid4()
        services.feedback_submit(agency=agency, data=DATA, submission_key=key)
        with pytest.raises(ValidationError):
            services.feedback_submit(agency=other_agency, data=DATA, submission_key=key)

    def test_needs_a_phone_or_an_email(self, agency):
        with pytest.raises(ValidationError):
            services.feedback_submit(agency=agency, data={**DATA, "phone": "", "email": ""})


@pytest.fixture
def feedback(agency):
    return services.feedback_submit(agency=agency, data=DATA)


class TestFeedbackAnswer:
    @pytest.mark.parametrize("who", ["admin", "publisher", "root"])
    def test_administrators_and_publishers_answer(self, people, feedback, who):
        services.feedback_answer(user=people[who], feedback=feedback, answer="经核查，已于3月3日答复。")
        assert feedback.status == FeedbackStatus.ANSWERED
        assert feedback.answered_by == people[who] and feedback.answered_at is not None
        entry = entries(feedback, "feedback.answer").get()
        assert entry.actor == people[who] and (entry.from_state, entry.to_state) == ("received", "answered")

    @pytest.mark.parametrize("who", ["handler", "outsider"])
    def test_other_roles_and_other_agencies_may_not(self, people, feedback, who):
        with pytest.raises(services.SupervisionForbidden):
            services.feedback_answer(user=people[who], feedback=feedback, answer="答复")
        assert not entries(feedback, "feedback.answer").exists()

    def test_an_empty_answer_is_refused(self, people, feedback):
        with pytest.raises(ValidationError) as e:
            services.feedback_answer(user=people["admin"], feedback=feedback, answer="  ")
        assert e.value.message_dict == {"answer": [services.ANSWER_EMPTY]}

    def test_answer_and_close_then_no_more_answers(self, people, feedback):
        services.feedback_answer(user=people["admin"], feedback=feedback, answer="已答复。", close=True)
        assert feedback.status == FeedbackStatus.CLOSED
        with pytest.raises(ValidationError):
            services.feedback_answer(user=people["admin"], feedback=feedback, answer="再次答复")

    def test_close_without_an_answer(self, people, feedback):
        services.feedback_close(user=people["publisher"], feedback=feedback, note="重复留言")
        assert feedback.status == FeedbackStatus.CLOSED
        assert entries(feedback, "feedback.close").get().note == "重复留言"
        with pytest.raises(ValidationError):
            services.feedback_close(user=people["publisher"], feedback=feedback)


class TestConcernPublish:
    def test_publish_from_a_message_whose_sender_agreed(self, people, feedback, agency):
        concern = services.concern_publish(user=people["publisher"], agency=agency, source=feedback, today=TODAY,
                                           question="申请超过答复期限怎么办？", answer="可以向本机关投诉，我们将核查。")
        assert concern.published and concern.published_on == TODAY and concern.source == feedback
        entry = entries(concern, "concern.publish").get()
        assert entry.actor == people["publisher"] and entry.data["source"] == feedback.pk

    def test_not_from_a_message_whose_sender_did_not_agree(self, people, agency):
        private = services.feedback_submit(agency=agency, data={**DATA, "public": False})
        with pytest.raises(ValidationError) as e:
            services.concern_publish(user=people["admin"], agency=agency, source=private, today=TODAY,
                                     question="问题？", answer="回应。")
        assert services.SOURCE_NO_CONSENT in e.value.message_dict["question"]
        assert not Concern.objects.exists()

    @pytest.mark.parametrize("question, found", [
        ("我的电话13812345678，为什么不答复？", "手机号码"),
        ("身份证350322199001011234的申请", "身份证号码"),
        ("请回复 lisi@example.com", "电子邮箱"),
        ("李四的申请为什么逾期？", "留言人的姓名"),
    ])
    def test_never_with_personal_data(self, people, feedback, agency, question, found):
        with pytest.raises(ValidationError) as e:
            services.concern_publish(user=people["admin"], agency=agency, source=feedback, today=TODAY,
                                     question=question, answer="回应。")
        assert any(found in m for m in e.value.message_dict["question"])

    def test_a_message_of_another_agency_cannot_be_the_source(self, people, feedback, other_agency):
        with pytest.raises(services.SupervisionForbidden):
            services.concern_publish(user=people["outsider"], agency=other_agency, source=feedback, today=TODAY,
                                     question="问题？", answer="回应。")

    def test_only_administrators_and_publishers(self, people, agency):
        with pytest.raises(services.SupervisionForbidden):
            services.concern_publish(user=people["handler"], agency=agency, today=TODAY, question="问题？",
                                     answer="回应。")

    def test_withdraw(self, people, agency):
        concern = services.concern_publish(user=people["admin"], agency=agency, today=TODAY, question="问题？",
                                           answer="回应。")
        services.concern_withdraw(user=people["publisher"], concern=concern, note="已过时")
        assert not concern.published
        assert entries(concern, "concern.withdraw").get().note == "已过时"
        with pytest.raises(services.SupervisionForbidden):
            services.concern_withdraw(user=people["outsider"], concern=concern)
