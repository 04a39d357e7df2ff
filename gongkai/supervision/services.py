"""Writes of supervision: the public sends a message; an agency's administrators and publishers answer it and
publish questions and answers for everyone (回应关切). Every write is audited in its transaction."""

from __future__ import annotations

import re
import uuid
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from gongkai.agencies.models import Agency, Role
from gongkai.agencies.selectors import roles_in
from gongkai.audit.services import audit_record

from .models import Concern, Feedback, FeedbackStatus

STAFF_ROLES = frozenset({Role.AGENCY_ADMIN, Role.PUBLISHER})

FORBIDDEN = "只有本机关的机关管理员和发布人可以处理留言和回应关切。"
SUBMISSION_KEY_INVALID = "留言表已失效，请重新打开留言页面后提交。"
ANSWER_EMPTY = "请填写答复内容。"
ANSWER_CLOSED = "该留言已办结，不能再答复。"
ALREADY_CLOSED = "该留言已办结。"
QUESTION_EMPTY = "请填写公开的问题。"
CONCERN_ANSWER_EMPTY = "请填写本机关的回应。"
SOURCE_OTHER_AGENCY = "来源留言不属于本机关。"
SOURCE_NO_CONSENT = "留言人未同意公开，不能据此发布回应关切；可以另行撰写不含个人信息的问题后发布。"
PERSONAL_DATA = "{what}中似乎含有{found}，公开前请删除个人信息。"
ALREADY_WITHDRAWN = "该回应关切已撤下。"

# What must not reach the public list: mobile numbers, identity numbers, e-mail addresses.
PERSONAL_PATTERNS = (
    (re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)"), "手机号码"),
    (re.compile(r"(?<![\dA-Za-z])\d{17}[\dXx](?![\dA-Za-z])"), "身份证号码"),
    (re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+"), "电子邮箱"),
)


class SupervisionForbidden(PermissionDenied):
    """The user holds neither the agency_admin nor the publisher role in the agency."""


def may_handle(user, agency: Agency) -> bool:
    return bool(roles_in(user, agency) & STAFF_ROLES)


def _require(user, agency: Agency) -> None:
    if not may_handle(user, agency):
        raise SupervisionForbidden(FORBIDDEN)


# --- the public ---------------------------------------------------------------


def feedback_submit(*, agency: Agency, data: dict, submission_key: uuid.UUID | None = None) -> Feedback:
    """A message from the public; a repeated submission with the same key returns the one it created."""
    if submission_key is not None:
        existing = _existing(agency, submission_key)
        if existing is not None:
            return existing
    feedback = Feedback(
        agency=agency,
        kind=data.get("kind", ""),
        subject=(data.get("subject") or "").strip(),
        message=(data.get("message") or "").strip(),
        contact_name=(data.get("contact_name") or "").strip(),
        phone=(data.get("phone") or "").strip(),
        email=(data.get("email") or "").strip(),
        public=bool(data.get("public")),
        submission_key=submission_key,
    )
    feedback.full_clean(exclude=["submission_key"])
    try:
        with transaction.atomic():
            feedback.save()
            audit_record(actor=None, agency=agency, target=feedback, action="feedback.submit",
                         to_state=feedback.status, note="网上留言", data={"kind": feedback.kind})
    except IntegrityError:
        if submission_key is not None and (existing := _existing(agency, submission_key)) is not None:
            return existing
        raise
    return feedback


def _existing(agency: Agency, submission_key: uuid.UUID) -> Feedback | None:
    existing = Feedback.objects.filter(submission_key=submission_key).first()
    if existing is not None and existing.agency_id != agency.pk:
        raise ValidationError({"submission_key": SUBMISSION_KEY_INVALID})
    return existing


# --- the agency ---------------------------------------------------------------


def feedback_answer(*, user, feedback: Feedback, answer: str, close: bool = False) -> Feedback:
    """Answer a message (or change the answer); ``close`` also marks it 已办结."""
    _require(user, feedback.agency)
    answer = (answer or "").strip()
    if not answer:
        raise ValidationError({"answer": ANSWER_EMPTY})
    with transaction.atomic():
        locked = Feedback.objects.select_for_update().get(pk=feedback.pk)
        if locked.status == FeedbackStatus.CLOSED:
            raise ValidationError({"answer": ANSWER_CLOSED})
        before, previous = locked.status, locked.answer
        locked.answer, locked.answered_by, locked.answered_at = answer, user, timezone.now()
        locked.status = FeedbackStatus.CLOSED if close else FeedbackStatus.ANSWERED
        locked.full_clean(exclude=["submission_key"])
        locked.save()
        audit_record(actor=user, agency=locked.agency, target=locked, action="feedback.answer", from_state=before,
                     to_state=locked.status, data={"answer": answer, "previous_answer": previous})
    feedback.refresh_from_db()
    return locked


def feedback_close(*, user, feedback: Feedback, note: str = "") -> Feedback:
    """办结 a message, answered or not (e.g. a duplicate, or one answered by phone: say so in ``note``)."""
    _require(user, feedback.agency)
    with transaction.atomic():
        locked = Feedback.objects.select_for_update().get(pk=feedback.pk)
        if locked.status == FeedbackStatus.CLOSED:
            raise ValidationError(ALREADY_CLOSED)
        before = locked.status
        locked.status = FeedbackStatus.CLOSED
        locked.save(update_fields=["status"])
        audit_record(actor=user, agency=locked.agency, target=locked, action="feedback.close", from_state=before,
                     to_state=locked.status, note=note.strip())
    feedback.refresh_from_db()
    return locked


def personal_data_found(text: str) -> list[str]:
    """The kinds of personal data the text seems to contain (手机号码, 身份证号码, 电子邮箱)."""
    return [label for pattern, label in PERSONAL_PATTERNS if pattern.search(text or "")]


def concern_publish(*, user, agency: Agency, question: str, answer: str, today: date,
                    source: Feedback | None = None) -> Concern:
    """Publish a question and the agency's answer on the public 回应关切 list.

    From a message only if its sender agreed to publication; never with a
    phone number, identity number, e-mail address, or the sender's name.
    """
    _require(user, agency)
    question, answer = (question or "").strip(), (answer or "").strip()
    errors: dict[str, list[str]] = {}
    if source is not None:
        if source.agency_id != agency.pk:
            raise SupervisionForbidden(SOURCE_OTHER_AGENCY)
        if not source.public:
            errors.setdefault("question", []).append(SOURCE_NO_CONSENT)
    for field, text, what, empty in (("question", question, "问题", QUESTION_EMPTY),
                                     ("answer", answer, "回应", CONCERN_ANSWER_EMPTY)):
        if not text:
            errors.setdefault(field, []).append(empty)
        if found := personal_data_found(text):
            errors.setdefault(field, []).append(PERSONAL_DATA.format(what=what, found="、".join(found)))
        if source is not None and source.contact_name and source.contact_name in text:
            errors.setdefault(field, []).append(PERSONAL_DATA.format(what=what, found="留言人的姓名"))
    if errors:
        raise ValidationError(errors)
    concern = Concern(agency=agency, question=question, answer=answer, published=True, published_on=today,
                      source=source, created_by=user)
    concern.full_clean()
    with transaction.atomic():
        concern.save()
        audit_record(actor=user, agency=agency, target=concern, action="concern.publish", to_state="published",
                     data={"source": source.pk if source else None, "published_on": today.isoformat()})
    return concern


def concern_withdraw(*, user, concern: Concern, note: str = "") -> Concern:
    """Take a 回应关切 off the public list (it is kept, unpublished)."""
    _require(user, concern.agency)
    with transaction.atomic():
        locked = Concern.objects.select_for_update().get(pk=concern.pk)
        if not locked.published:
            raise ValidationError(ALREADY_WITHDRAWN)
        locked.published = False
        locked.save(update_fields=["published"])
        audit_record(actor=user, agency=locked.agency, target=locked, action="concern.withdraw",
                     from_state="published", to_state="withdrawn", note=note.strip())
    concern.refresh_from_db()
    return locked
