"""Supervision's pages: the public's message form and 回应关切 list, and the staff's list of messages.

Messages carry personal data: only the agency's administrators and
publishers (``services.may_handle``; superusers hold every role) see them,
everyone else gets 403. Writes go through ``services``; the public form is
rate-limited per IP address.
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from gongkai.agencies.models import Agency
from gongkai.audit.selectors import audit_trail
from gongkai.portal.ratelimits import limit_posts
from gongkai.portal.views_apply import portal_frame

from . import services
from .forms import (
    AnswerForm,
    CloseForm,
    ConcernForm,
    FeedbackFilterForm,
    FeedbackForm,
    WithdrawForm,
    new_feedback_form,
)
from .models import Concern, Feedback, FeedbackStatus
from .selectors import concerns_of, concerns_published, feedback_of

PAGE_SIZE = 20
FEEDBACK_RECEIVED = "已收到您的留言。本机关将及时处理，并通过您留下的联系方式答复。"
FEEDBACK_REPEATED = "该留言已经提交，未重复提交。"
AUDIT_LABELS = {
    "feedback.submit": "收到留言",
    "feedback.answer": "答复",
    "feedback.close": "办结",
}


def _agency(code: str) -> Agency:
    return get_object_or_404(Agency.objects.select_related("region"), code=code)


def _uuid(value) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError):
        return None


def _add_service_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, texts in error.message_dict.items():
            form.add_error(field if field in form.fields else None, texts)
    else:
        form.add_error(None, error.messages)


# --- public -------------------------------------------------------------------


@limit_posts("feedback")
def feedback_form(request, agency):
    """写留言: 投诉/举报、意见建议、咨询 to the agency."""
    agency = _agency(agency)
    status = 200
    if request.method == "POST":
        form = FeedbackForm(request.POST)
        key = _uuid(request.POST.get("submission_key"))
        if key and Feedback.objects.filter(agency=agency, submission_key=key).exists():
            messages.info(request, FEEDBACK_REPEATED)
            return redirect("supervision:feedback", agency.code)
        if form.is_valid():
            try:
                services.feedback_submit(agency=agency, data=form.cleaned_data, submission_key=key)
            except ValidationError as e:
                _add_service_errors(form, e)
            else:
                messages.success(request, FEEDBACK_RECEIVED)
                return redirect("supervision:feedback", agency.code)
        status = 400
    else:
        form = new_feedback_form()
    return render(request, "portal/supervision/feedback_form.html", {**portal_frame(agency), "form": form},
                  status=status)


def concern_list(request, agency):
    """回应关切: the questions and answers the agency has published."""
    agency = _agency(agency)
    page = Paginator(concerns_published(agency=agency), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "portal/supervision/concerns.html", {**portal_frame(agency), "page": page})


# --- staff --------------------------------------------------------------------


def _staff_agency(request, code: str) -> Agency:
    agency = _agency(code)
    if not services.may_handle(request.user, agency):
        raise services.SupervisionForbidden(services.FORBIDDEN)
    return agency


def _feedback_in(agency: Agency, pk: int) -> Feedback:
    return get_object_or_404(Feedback.objects.select_related("agency", "answered_by"), agency=agency, pk=pk)


@login_required
def staff_feedback_list(request, agency):
    agency = _staff_agency(request, agency)
    form = FeedbackFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    page = Paginator(feedback_of(agency=agency, status=data.get("status", ""), kind=data.get("kind", "")),
                     PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "supervision/list.html", {
        "agency": agency,
        "form": form,
        "page": page,
        "open_count": feedback_of(agency=agency, status=FeedbackStatus.RECEIVED).count(),
        "concerns": concerns_of(agency=agency)[:50],
    })


def _detail_context(agency: Agency, feedback: Feedback, **forms) -> dict:
    return {
        "agency": agency,
        "feedback": feedback,
        "answer_form": forms.get("answer_form") or AnswerForm(prefix="answer", initial={"answer": feedback.answer}),
        "close_form": forms.get("close_form") or CloseForm(prefix="close"),
        "concern_form": forms.get("concern_form") or ConcernForm(prefix="concern", initial={
            "question": f"{feedback.subject}\n{feedback.message}", "answer": feedback.answer}),
        "concerns": list(feedback.concerns.all()),
        "audit": [{"entry": e, "label": AUDIT_LABELS.get(e.action, e.action)} for e in audit_trail(target=feedback)],
    }


@login_required
def staff_feedback_detail(request, agency, pk):
    agency = _staff_agency(request, agency)
    feedback = _feedback_in(agency, pk)
    return render(request, "supervision/detail.html", _detail_context(agency, feedback))


@login_required
@require_POST
def staff_feedback_answer(request, agency, pk):
    agency = _staff_agency(request, agency)
    feedback = _feedback_in(agency, pk)
    form = AnswerForm(request.POST, prefix="answer")
    if form.is_valid():
        try:
            services.feedback_answer(user=request.user, feedback=feedback, answer=form.cleaned_data["answer"],
                                     close=form.cleaned_data["close"])
        except ValidationError as e:
            _add_service_errors(form, e)
        else:
            messages.success(request, "已保存答复。")
            return redirect("supervision_staff:detail", agency.code, feedback.pk)
    return render(request, "supervision/detail.html", _detail_context(agency, feedback, answer_form=form), status=400)


@login_required
@require_POST
def staff_feedback_close(request, agency, pk):
    agency = _staff_agency(request, agency)
    feedback = _feedback_in(agency, pk)
    form = CloseForm(request.POST, prefix="close")
    if form.is_valid():
        try:
            services.feedback_close(user=request.user, feedback=feedback, note=form.cleaned_data["note"])
        except ValidationError as e:
            _add_service_errors(form, e)
        else:
            messages.success(request, "留言已办结。")
            return redirect("supervision_staff:detail", agency.code, feedback.pk)
    return render(request, "supervision/detail.html", _detail_context(agency, feedback, close_form=form), status=400)


@login_required
@require_POST
def staff_feedback_publish(request, agency, pk):
    """发布为回应关切: the question as staff have reworded it, and the answer."""
    agency = _staff_agency(request, agency)
    feedback = _feedback_in(agency, pk)
    form = ConcernForm(request.POST, prefix="concern")
    if form.is_valid():
        try:
            services.concern_publish(user=request.user, agency=agency, source=feedback, today=timezone.localdate(),
                                     question=form.cleaned_data["question"], answer=form.cleaned_data["answer"])
        except ValidationError as e:
            _add_service_errors(form, e)
        else:
            messages.success(request, "已发布到“回应关切”栏目。")
            return redirect("supervision_staff:detail", agency.code, feedback.pk)
    return render(request, "supervision/detail.html", _detail_context(agency, feedback, concern_form=form),
                  status=400)


@login_required
def staff_concern_new(request, agency):
    """A 回应关切 written by staff, not from one message (e.g. a question many people asked by phone)."""
    agency = _staff_agency(request, agency)
    status = 200
    if request.method == "POST":
        form = ConcernForm(request.POST, prefix="concern")
        if form.is_valid():
            try:
                services.concern_publish(user=request.user, agency=agency, today=timezone.localdate(),
                                         question=form.cleaned_data["question"], answer=form.cleaned_data["answer"])
            except ValidationError as e:
                _add_service_errors(form, e)
            else:
                messages.success(request, "已发布到“回应关切”栏目。")
                return redirect("supervision_staff:list", agency.code)
        status = 400
    else:
        form = ConcernForm(prefix="concern")
    return render(request, "supervision/concern_new.html", {"agency": agency, "form": form}, status=status)


@login_required
@require_POST
def staff_concern_withdraw(request, agency, pk):
    agency = _staff_agency(request, agency)
    concern = get_object_or_404(Concern, agency=agency, pk=pk)
    form = WithdrawForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        services.concern_withdraw(user=request.user, concern=concern, note=note)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(request, "已从“回应关切”栏目撤下。")
    return redirect("supervision_staff:list", agency.code)
