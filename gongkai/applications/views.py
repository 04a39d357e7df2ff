"""Staff pages for disclosure applications (依申请公开): thin views over selectors, services and workflow actions.

Permissions, in order: login; the agency visible to the user
(``selectors.staff_access``: members, supervisors of its region,
superusers) or 403; the application within that agency or 404; then the
role each write needs — registering and assigning for registrars and
administrators, uploads for handlers too, actions as ``workflow`` checks
(``ActionForbidden`` → 403). Personal data is masked per ``masking``.
"""

from __future__ import annotations

import uuid
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import F, Min, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from gongkai.agencies.models import Agency
from gongkai.agencies.workdays import WorkingDayCalendar, working_day_calendar
from gongkai.audit.selectors import audit_trail
from gongkai.reports.formats import FIRST_YEAR, UnknownYear

from . import stash
from .deadlines import correction_notice_deadline, deadline_view
from .forms import (
    ACTION_FORMS,
    ApplicationFilterForm,
    DocumentUploadForm,
    RegisterForm,
    new_register_form,
    parse_reference,
)
from .masking import MaskedApplicant, mask_identity_number, mask_phone, may_see_personal_data
from .models import Application, Document, Status
from .selectors import (
    StaffAccess,
    applications_due_soon,
    applications_in_cell,
    applications_overdue,
    applications_visible_to,
    parse_cell,
    staff_access,
)
from .services import application_register, document_attach
from .templatetags.applications_tags import person as _person
from .workflow import ACTIONS, ActionRefused, available_actions

PAGE_SIZE = 25
STATUS_LABELS = dict(Status.choices)
AUDIT_LABELS = {
    "application.register": "登记申请",
    "application.attach": "上传材料",
    **{f"application.{code}": cls.label for code, cls in ACTIONS.items()},
}
# Actions with a section of their own on the detail page.
SEPARATE_ACTIONS = ("assign_handler",)


# --- lookups ----------------------------------------------------------------


def _agency_for(request, code: str) -> tuple[Agency, StaffAccess]:
    agency = get_object_or_404(Agency.objects.select_related("region"), code=code)
    access = staff_access(request.user, agency)
    if not access.can_view:
        raise PermissionDenied("您无权查看该机关的政府信息公开申请。")
    return agency, access


def _application_in(request, agency: Agency, pk: int) -> Application:
    queryset = applications_visible_to(request.user, agency).select_related(
        "agency", "handler", "fee_notice", "extension", "extension__requested_by", "extension__decided_by")
    return get_object_or_404(queryset, pk=pk)


def _detail_url(agency: Agency, application: Application) -> str:
    return reverse("applications:detail", args=[agency.code, application.pk])


# --- lists ------------------------------------------------------------------


def _deadline_row(application: Application, calendar: WorkingDayCalendar, today: date) -> dict:
    view = deadline_view(application, calendar, today=today)
    return {
        "view": view,
        "unconfirmed": bool(view.due_on) and (not view.confirmed or not application.due_confirmed),
        "state": "overdue" if view.overdue else "at-risk" if view.at_risk else "",
        "late_days": -view.working_days_left if view.overdue else 0,
    }


def _list_row(application: Application, *, user, access: StaffAccess, calendar, today) -> dict:
    full = may_see_personal_data(user=user, roles=set(access.roles), application=application)
    return {
        "application": application,
        "applicant": MaskedApplicant(application, full=full).display,
        # Lists always mask identity numbers and phones, whoever looks.
        "identity_number": mask_identity_number(application.identity_number),
        "phone": mask_phone(application.phone),
        "deadline": _deadline_row(application, calendar, today),
        "handler": _person(application.handler) if application.handler_id else "",
    }


def _years(agency: Agency, today: date) -> list[int]:
    first = Application.objects.filter(agency=agency).aggregate(first=Min("received_on"))["first"]
    start = min(first.year if first else today.year, FIRST_YEAR)
    return list(range(today.year, start - 1, -1))


def _search(queryset, text: str):
    text = text.strip()
    if not text:
        return queryset
    q = Q(description__icontains=text) | Q(document_hint__icontains=text)
    if reference := parse_reference(text):
        q |= Q(serial_year=reference[0], serial=reference[1])
    elif text.isdigit():
        q |= Q(serial=int(text))
    return queryset.filter(q)


LIST_TITLES = {
    None: "政府信息公开申请",
    "overdue": "逾期未办结的申请",
    "due_soon": "三个工作日内到期的申请",
}


@login_required
def application_list(request, agency, preset: str | None = None):
    """All of an agency's applications, filtered; also the overdue and due-soon lists and a report cell's records."""
    agency, access = _agency_for(request, agency)
    today, calendar = timezone.localdate(), working_day_calendar()
    form = ApplicationFilterForm(request.GET or None, years=_years(agency, today))
    data = form.cleaned_data if form.is_valid() else {}
    queryset = applications_visible_to(request.user, agency)
    cell = None
    if request.GET.get("cell"):
        # A drill-down that cannot be honoured must not fall back to every application.
        if not data.get("cell") or not data.get("year"):
            raise Http404("请指定表三的单元格和报告年度。")
        try:
            cell = parse_cell(data["year"], data["cell"])
        except (ValueError, UnknownYear) as e:
            raise Http404(str(e)) from e
        queryset = queryset & applications_in_cell(agency, data["year"], data["cell"])
    elif data.get("year"):
        queryset = queryset.filter(received_on__year=data["year"])
    deadline = preset or data.get("deadline") or None
    if deadline == "overdue":
        queryset = queryset & applications_overdue(agency, today)
    elif deadline == "due_soon":
        queryset = queryset & applications_due_soon(agency, today, calendar)
    if data.get("status"):
        queryset = queryset.filter(status=data["status"])
    if data.get("applicant_type"):
        queryset = queryset.filter(applicant_type=data["applicant_type"])
    queryset = _search(queryset, data.get("q") or "")
    ordering = ("received_on", "id") if deadline else (F("received_on").desc(nulls_first=True), "-id")
    queryset = queryset.select_related("handler", "fee_notice").prefetch_related("consultations", "corrections") \
        .order_by(*ordering)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [_list_row(a, user=request.user, access=access, calendar=calendar, today=today) for a in page]
    return render(request, "applications/list.html", {
        "agency": agency,
        "access": access,
        "form": form,
        "page": page,
        "rows": rows,
        "title": LIST_TITLES[preset] if preset else (f"表三 {data['year']}年 单元格中的申请" if cell else LIST_TITLES[None]),
        "preset": preset,
        "deadline": deadline,
        "cell": cell,
        "overdue_count": applications_overdue(agency, today).count(),
        "due_soon_count": applications_due_soon(agency, today, calendar).count(),
        "today": today,
        "filtered": bool(data) and any(data.get(k) for k in ("q", "status", "applicant_type", "year", "deadline")),
    })


# --- registering ------------------------------------------------------------


def _uuid(value) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError):
        return None


def _add_service_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, messages_ in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages_)
    else:
        form.add_error(None, error.messages)


@login_required
def application_register_view(request, agency):
    agency, access = _agency_for(request, agency)
    if not access.can_register:
        raise PermissionDenied("您没有登记政府信息公开申请的权限。")
    today = timezone.localdate()
    key = None
    if request.method == "POST":
        key = _uuid(request.POST.get("submission_key"))
        # A second click of the same form: the application exists already.
        existing = Application.objects.filter(agency=agency, submission_key=key).first() if key else None
        if existing is not None:
            messages.info(request, f"该申请已登记（{existing.reference or '待确认收到'}），未重复登记。")
            return redirect(_detail_url(agency, existing))
        form = RegisterForm(request.POST, request.FILES, today=today)
        kept = set(request.POST.getlist("kept_files"))
        if form.is_valid():
            try:
                uploads = stash.stash_take(request.user, key, kept) + form.accepted_uploads
                application = application_register(
                    user=request.user, agency=agency, today=today, data=form.application_data(),
                    submission_key=key, uploads=uploads, **form.receipt_dates())
            except ValidationError as e:
                _add_service_errors(form, e)
            else:
                if application.agency_id != agency.id:  # a key reused across agencies: never show the other one
                    raise PermissionDenied("提交标识无效，请重新打开登记表。")
                stash.stash_drop(request.user, key)
                messages.success(request, f"已登记申请 {application.reference or '（待确认收到）'}。")
                return redirect(_detail_url(agency, application))
        # Keep the files that passed, forget those the registrar unticked.
        listed = {e["id"] for e in stash.stash_list(request.user, key)}
        stash.stash_drop(request.user, key, listed - kept)
        stash.stash_add(request.user, key, form.accepted_uploads)
    else:
        form = new_register_form(today=today)
    return render(request, "applications/register.html", {
        "agency": agency,
        "access": access,
        "form": form,
        "kept_files": stash.stash_list(request.user, key),
        "today": today,
    })


# --- one application ---------------------------------------------------------


def _audit_rows(application: Application) -> list[dict]:
    rows = []
    for entry in audit_trail(target=application):
        rows.append({
            "at": timezone.localtime(entry.at),
            "actor": _person(entry.actor),
            "action": AUDIT_LABELS.get(entry.action, entry.action),
            "from_state": STATUS_LABELS.get(entry.from_state, entry.from_state),
            "to_state": STATUS_LABELS.get(entry.to_state, entry.to_state),
            "note": entry.note,
        })
    return rows


def _detail_context(request, agency: Agency, access: StaffAccess, application: Application, *,
                    bound: tuple[str, object] | None = None, upload_form=None) -> dict:
    today, calendar = timezone.localdate(), working_day_calendar()
    user = request.user
    full = may_see_personal_data(user=user, roles=set(access.roles), application=application)
    actions = available_actions(application, user=user, today=today, calendar=calendar)
    forms = []
    bound_code, bound_form = bound or (None, None)
    for action in actions:
        if action.code == bound_code:
            form = bound_form
        else:
            form = ACTION_FORMS[action.code](prefix=action.code, application=application, agency=agency, today=today)
        forms.append({"code": action.code, "label": action.label, "form": form})
    if bound_code and bound_code not in {a.code for a in actions}:
        # A refused action (e.g. the state changed meanwhile) keeps its form, with the reason, on top.
        forms.insert(0, {"code": bound_code, "label": ACTIONS[bound_code].label, "form": bound_form})
    assign = next((f for f in forms if f["code"] in SEPARATE_ACTIONS), None)
    forms = [f for f in forms if f["code"] not in SEPARATE_ACTIONS]
    corrections = list(application.corrections.all())
    no_correction_yet = application.status == Status.REGISTERED and not corrections and application.received_on
    can_upload = access.can_upload and application.status != Status.ARCHIVED
    return {
        "agency": agency,
        "access": access,
        "application": application,
        "applicant": MaskedApplicant(application, full=full),
        "full_data": full,
        "deadline": _deadline_row(application, calendar, today),
        "correction_notice_due": (correction_notice_deadline(application.received_on, calendar)
                                  if no_correction_yet else None),
        "corrections": corrections,
        "consultations": list(application.consultations.all()),
        "extension": getattr(application, "extension", None),
        "fee_notice": getattr(application, "fee_notice", None),
        "documents": list(application.documents.select_related("created_by")),
        "audit": _audit_rows(application),
        "action_forms": forms,
        "assign": assign,
        "upload_form": upload_form or (DocumentUploadForm(prefix="upload") if can_upload else None),
        "can_upload": can_upload,
        "today": today,
    }


@login_required
def application_detail(request, agency, pk):
    agency, access = _agency_for(request, agency)
    application = _application_in(request, agency, pk)
    return render(request, "applications/detail.html", _detail_context(request, agency, access, application))


@login_required
@require_POST
def application_action(request, agency, pk, code):
    """Take one workflow action: ``ActionForbidden`` → 403, ``ActionRefused`` → the form again with its reason."""
    agency, access = _agency_for(request, agency)
    application = _application_in(request, agency, pk)
    if code not in ACTIONS or code not in ACTION_FORMS:
        raise Http404("没有这项办理操作。")
    today = timezone.localdate()
    action = ACTIONS[code](application, user=request.user, today=today, calendar=working_day_calendar())
    form = ACTION_FORMS[code](request.POST, prefix=code, application=application, agency=agency, today=today)
    try:
        action.check()  # ActionForbidden propagates: a 403 before the input is even read
        if form.is_valid():
            action.run(note=form.note_value, **form.params())
            messages.success(request, f"操作已完成：{action.label}。")
            return redirect(_detail_url(agency, application))
    except ActionRefused as e:
        form.add_error(e.field if e.field in form.fields else None, e.reason)
    except ValidationError as e:
        _add_service_errors(form, e)
    application.refresh_from_db()
    context = _detail_context(request, agency, access, application, bound=(code, form))
    return render(request, "applications/detail.html", context, status=400)


@login_required
@require_POST
def application_assign(request, agency, pk):
    """指定承办人: the ``assign_handler`` action, among the agency's handlers."""
    return application_action(request, agency=agency, pk=pk, code="assign_handler")


@login_required
def document_upload(request, agency, pk):
    agency, access = _agency_for(request, agency)
    application = _application_in(request, agency, pk)
    if not access.can_upload:
        raise PermissionDenied("您没有为该申请上传材料的权限。")
    if request.method != "POST":
        return render(request, "applications/upload.html", {
            "agency": agency, "application": application, "form": DocumentUploadForm(prefix="upload")})
    form = DocumentUploadForm(request.POST, request.FILES, prefix="upload")
    if application.status == Status.ARCHIVED:
        form.is_valid()
        form.add_error(None, "已归档的申请不能再上传材料。")
    elif form.is_valid():
        for upload in form.accepted_uploads:
            document_attach(application=application, user=request.user, kind=upload.kind, name=upload.name,
                            content=upload.content)
        messages.success(request, f"已上传{len(form.accepted_uploads)}个文件。")
        return redirect(_detail_url(agency, application) + "#documents")
    return render(request, "applications/upload.html",
                  {"agency": agency, "application": application, "form": form}, status=400)


@login_required
def document_download(request, agency, pk, document_pk):
    """A document, to the staff who see the application's personal data only; never a public media URL."""
    agency, access = _agency_for(request, agency)
    application = _application_in(request, agency, pk)
    if not may_see_personal_data(user=request.user, roles=set(access.roles), application=application):
        raise PermissionDenied("只有承办人、申请登记人和机关管理员可以下载申请材料。")
    document = get_object_or_404(Document, application=application, pk=document_pk)
    try:
        handle = document.file.open("rb")
    except FileNotFoundError as e:
        raise Http404("文件不存在。") from e
    response = FileResponse(handle, as_attachment=True, filename=document.title, content_type=document.content_type)
    response["Cache-Control"] = "private, no-store"
    return response
