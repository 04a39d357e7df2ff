"""Staff pages for disclosure applications (依申请公开): thin views over selectors, services and workflow actions.

Permissions, in order: login; the agency visible to the user
(``selectors.staff_access``: members, supervisors of its region,
superusers) or 403; the application within that agency or 404; then the
role each write needs — registering and assigning for registrars and
administrators, uploads for handlers too, actions as ``workflow`` checks
(``ActionForbidden`` → 403), letters (告知书) as ``letter_generate`` checks,
and the letter settings and templates for agency administrators (the
agency's other staff read them). Personal data is masked per ``masking``.
"""

from __future__ import annotations

import uuid
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import F, Min, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template import Context
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from gongkai.agencies.models import Agency, Role
from gongkai.agencies.workdays import WorkingDayCalendar, working_day_calendar
from gongkai.audit.selectors import audit_trail
from gongkai.audit.services import audit_record
from gongkai.reports.formats import FIRST_YEAR, UnknownYear

from . import stash
from .deadlines import correction_notice_deadline, deadline_view
from .forms import (
    ACTION_FORMS,
    LETTER_SETTINGS_FIELDS,
    ApplicationFilterForm,
    DocumentUploadForm,
    LetterSettingsForm,
    LetterTemplateForm,
    RegisterForm,
    new_register_form,
    parse_reference,
)
from .letters.defaults import ALLOWED_FILTERS, VARIABLES, default_body, default_title, letter_template_compile
from .letters.kinds import LetterKind
from .letters.render import format_date, letter_context, letter_number, settings_for
from .letters.services import LETTER_FORBIDDEN, LETTER_ROLES, letter_generate, letter_refusal, letter_settings_get, \
    letters_available
from .masking import MaskedApplicant, mask_identity_number, mask_phone, may_see_personal_data
from .models import Application, Document, DocumentKind, LetterSettings, LetterTemplate, Status
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
    "application.attach.letter": "生成告知书",
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
        action = entry.action
        if action == "application.attach" and (entry.data or {}).get("kind") == DocumentKind.LETTER:
            action = "application.attach.letter"
        rows.append({
            "at": timezone.localtime(entry.at),
            "actor": _person(entry.actor),
            "action": AUDIT_LABELS.get(action, action),
            "from_state": STATUS_LABELS.get(entry.from_state, entry.from_state),
            "to_state": STATUS_LABELS.get(entry.to_state, entry.to_state),
            # A letter's entry names the letter; uploads keep their title out of the trail (it may name a person).
            "note": entry.note or (entry.data or {}).get("title", "") if action == "application.attach.letter"
            else entry.note,
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
    documents = list(application.documents.select_related("created_by"))
    letters = [d for d in documents if d.kind == DocumentKind.LETTER]
    may_write_letters = bool(access.roles & LETTER_ROLES)
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
        "documents": [d for d in documents if d.kind != DocumentKind.LETTER],
        "letter_groups": _letter_groups(letters),
        "letter_buttons": _letter_buttons(application, letters) if may_write_letters else [],
        "may_write_letters": may_write_letters,
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


# --- letters (告知书) on the detail page ------------------------------------

LETTER_REPEATED = "《{title}》已于{at:%H:%M:%S}由{person}生成，本次提交未重复生成。如需再生成一份，请再次点击。"
LETTER_STALE_FORM = "页面已过期，请刷新后重新生成告知书。"
# DOCX and PDF of one letter are filed by one call, one after the other; a later file starts a new letter.
LETTER_PAIR_SECONDS = 60


def _letter_format(document: Document) -> str:
    return document.title.rsplit(".", 1)[-1].lower() if "." in document.title else ""


def _letter_stem(document: Document) -> str:
    return document.title.rsplit(".", 1)[0]


def _letter_groups(letters: list[Document]) -> list[dict]:
    """The letters filed with an application, by kind (in ``LetterKind`` order), each one's files side by side,
    newest first."""
    issues: dict[str, list[dict]] = {}
    for document in sorted(letters, key=lambda d: (d.created_at, d.pk)):
        rows = issues.setdefault(document.letter_kind, [])
        last = rows[-1] if rows else None
        fmt = _letter_format(document)
        same = (last is not None and fmt not in last["files"] and last["title"] == _letter_stem(document)
                and last["created_by"] == document.created_by_id
                and (document.created_at - last["created_at"]).total_seconds() < LETTER_PAIR_SECONDS)
        if not same:
            last = {"title": _letter_stem(document), "created_at": document.created_at,
                    "created_by": document.created_by_id, "author": document.created_by, "files": {}}
            rows.append(last)
        last["files"][fmt] = document
    order = {kind: index for index, kind in enumerate(LetterKind.values)}
    return [{"kind": kind, "label": LetterKind(kind).label if kind in order else (kind or "其他告知书"),
             "letters": [{**row, "files": sorted(row["files"].items())} for row in reversed(rows)]}
            for kind, rows in sorted(issues.items(), key=lambda item: order.get(item[0], len(order)))]


def _newest_letter_pk(letters: list[Document], kind: str) -> int:
    return max((d.pk for d in letters if d.letter_kind == kind), default=0)


def _letter_buttons(application: Application, letters: list[Document]) -> list[dict]:
    """One button per kind that fits now; each carries the newest letter of its kind the page shows."""
    return [{"kind": kind.value, "label": kind.label, "seen": _newest_letter_pk(letters, kind),
             "again": any(d.letter_kind == kind for d in letters)}
            for kind in letters_available(application)]


def _int_or_none(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@login_required
@require_POST
def letter_create(request, agency, pk, kind):
    """Generate one letter as DOCX and PDF: ``ActionForbidden`` → 403, ``ActionRefused`` → the reason as a message.

    A double submission must not file a pile of letters. Each button carries a
    per-form token, ``seen``: the id of the newest letter of that kind on the
    page the user clicked. The request locks the application row and, if a
    letter of that kind newer than ``seen`` exists, the click is a repeat (a
    double click, a resubmitted or stale tab) and nothing is generated. The
    lock makes a second concurrent click wait for the first to commit (on
    SQLite the IMMEDIATE transaction takes the write lock, held for the
    ~0.1 s of rendering). A token rather than a time window: a window either
    lets a slow double click through or refuses a deliberate second letter,
    while after the redirect the page carries the new letter's id, so a
    deliberate second click generates again.
    """
    agency, access = _agency_for(request, agency)
    application = _application_in(request, agency, pk)
    if kind not in LetterKind.values:
        raise Http404("没有这种告知书。")
    if not access.roles & LETTER_ROLES:
        raise PermissionDenied(LETTER_FORBIDDEN)
    back = _detail_url(agency, application) + "#letters"
    seen = _int_or_none(request.POST.get("seen"))
    if seen is None:
        messages.error(request, LETTER_STALE_FORM)
        return redirect(back)
    try:
        with transaction.atomic():
            Application.objects.select_for_update().only("pk").get(pk=application.pk)
            newer = application.documents.filter(kind=DocumentKind.LETTER, letter_kind=kind, pk__gt=seen) \
                .select_related("created_by").order_by("-pk").first()
            if newer is not None:
                messages.info(request, LETTER_REPEATED.format(
                    title=_letter_stem(newer), person=_person(newer.created_by),
                    at=timezone.localtime(newer.created_at)))
                return redirect(back)
            documents = letter_generate(application=application, kind=kind, user=request.user,
                                        today=timezone.localdate())
    except ActionRefused as e:
        messages.error(request, e.reason)
        return redirect(back)
    formats = "、".join(_letter_format(d).upper() for d in documents)
    messages.success(request, f"已生成《{_letter_stem(documents[0])}》（{formats}）")
    return redirect(back)


# --- letter settings and templates (agency administrators) ------------------

LETTER_SETTINGS_FORBIDDEN = "只有机关管理员可以修改告知书设置和模板。"
# Enough to find a fitting application among the recent ones without reading a whole agency's history.
PREVIEW_CANDIDATES = 200


def _may_edit_letters(access: StaffAccess) -> bool:
    return Role.AGENCY_ADMIN in access.roles


def _letter_kind(kind: str) -> LetterKind:
    if kind not in LetterKind.values:
        raise Http404("没有这种告知书。")
    return LetterKind(kind)


def _settings_values(settings: LetterSettings) -> dict[str, str]:
    return {name: getattr(settings, name) for name in LETTER_SETTINGS_FIELDS}


@transaction.atomic
def _letter_settings_save(*, agency: Agency, user, data: dict) -> tuple[LetterSettings, dict]:
    """Write the settings and audit the fields that changed (old and new value each)."""
    letter_settings_get(agency=agency)
    settings = LetterSettings.objects.select_for_update().get(agency=agency)
    before = _settings_values(settings)
    changed = {name: [before[name], data[name]] for name in LETTER_SETTINGS_FIELDS if before[name] != data[name]}
    if changed:
        for name in changed:
            setattr(settings, name, data[name])
        settings.full_clean()
        settings.save()
        audit_record(actor=user, agency=agency, target=settings, action="letter_settings.update",
                     note="修改告知书设置：" + "、".join(str(settings._meta.get_field(n).verbose_name) for n in changed),
                     data={"changed": changed})
    return settings, changed


@login_required
def letter_settings_view(request, agency):
    """函头、落款、联系方式、救济机关: every staff member of the agency may read them, its administrators edit them."""
    agency, access = _agency_for(request, agency)
    can_edit = _may_edit_letters(access)
    fallback = LetterSettings.defaults_for(agency)
    status = 200
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied(LETTER_SETTINGS_FORBIDDEN)
        form = LetterSettingsForm(request.POST, instance=settings_for(agency), fallback=fallback)
        if form.is_valid():
            try:
                _, changed = _letter_settings_save(agency=agency, user=request.user, data=form.cleaned_data)
            except ValidationError as e:
                _add_service_errors(form, e)
            else:
                messages.success(request, "已保存告知书设置。" if changed else "告知书设置没有变化。")
                return redirect("applications:letter_settings", agency.code)
        status = 400
    else:
        # Reading never writes: an agency without settings yet sees the defaults it would get.
        form = LetterSettingsForm(instance=settings_for(agency), fallback=fallback)
    if not can_edit:
        for field in form.fields.values():
            field.disabled = True
    return render(request, "applications/letter_settings.html", {
        "agency": agency, "access": access, "form": form, "can_edit": can_edit,
    }, status=status)


@login_required
def letter_template_list(request, agency):
    agency, access = _agency_for(request, agency)
    custom = {t.kind: t for t in LetterTemplate.objects.filter(agency=agency)}
    rows = [{"kind": kind, "template": custom.get(kind.value)} for kind in LetterKind]
    return render(request, "applications/letter_templates.html", {
        "agency": agency, "access": access, "rows": rows, "can_edit": _may_edit_letters(access),
    })


def _preview_application(user, agency: Agency, kind: str) -> Application | None:
    """The agency's most recently received application that a letter of this kind fits now."""
    candidates = applications_visible_to(user, agency).filter(received_on__isnull=False) \
        .select_related("agency", "agency__region", "extension", "fee_notice").order_by("-received_on", "-id")
    return next((a for a in candidates[:PREVIEW_CANDIDATES] if letter_refusal(a, kind) is None), None)


def _letter_preview(request, access: StaffAccess, agency: Agency, kind: str, title_text: str,
                    body_text: str) -> dict:
    """The letter as it would read for the latest fitting application; the applicant masked for staff who may
    not see the application's personal data."""
    application = _preview_application(request.user, agency, kind)
    if application is None:
        return {"application": None}
    full = may_see_personal_data(user=request.user, roles=set(access.roles), application=application)
    extra = None if full else {"applicant": MaskedApplicant(application, full=False).display}
    settings = settings_for(agency)
    today = timezone.localdate()
    context = Context(letter_context(application, kind, today=today, extra=extra, settings=settings),
                      autoescape=False)
    title = " ".join(letter_template_compile(title_text or default_title(kind)).render(context).split())
    body = letter_template_compile(body_text).render(context)
    return {
        "application": application,
        "masked": not full,
        "letterhead": settings.letterhead or agency.name,
        "office": settings.office or agency.name,
        "number": letter_number(application, settings),
        "title": title,
        "paragraphs": [line.strip() for line in body.splitlines() if line.strip()],
        "dated": format_date(today),
        "footer": settings.footer,
    }


@transaction.atomic
def _letter_template_save(*, agency: Agency, kind: str, user, title: str,
                          body: str) -> tuple[LetterTemplate | None, str]:
    """Create or change the agency's template of one kind; returns it and what happened ("" for no change)."""
    template = LetterTemplate.objects.select_for_update().filter(agency=agency, kind=kind).first()
    if template is None:
        if (title, body) in ((default_title(kind), default_body(kind).strip()), ("", default_body(kind).strip())):
            return None, ""
        template = LetterTemplate(agency=agency, kind=kind)
        before, action = {}, "letter_template.create"
    else:
        before, action = {"title": template.title, "body": template.body}, "letter_template.update"
        if (template.title, template.body) == (title, body):
            return template, ""
    template.title, template.body = title, body
    template.full_clean(exclude=["agency", "kind"])
    template.save()
    audit_record(actor=user, agency=agency, target=template, action=action,
                 note=f"{'自定义' if action.endswith('create') else '修改'}告知书模板：{template.get_kind_display()}",
                 data={"kind": kind, "before": before, "after": {"title": title, "body": body}})
    return template, action


@login_required
def letter_template_edit(request, agency, kind):
    """One kind's template text beside the variables it may use, with a preview; administrators save it."""
    agency, access = _agency_for(request, agency)
    kind = _letter_kind(kind)
    can_edit = _may_edit_letters(access)
    template = LetterTemplate.objects.filter(agency=agency, kind=kind).first()
    initial = {} if template else {"title": default_title(kind), "body": default_body(kind).strip()}
    status, previewing = 200, False
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied(LETTER_SETTINGS_FORBIDDEN)
        form = LetterTemplateForm(request.POST, instance=template or LetterTemplate(agency=agency, kind=kind))
        if form.is_valid() and "preview" in request.POST:
            previewing = True
        elif form.is_valid():
            try:
                saved, action = _letter_template_save(agency=agency, kind=kind, user=request.user,
                                                      title=form.cleaned_data["title"], body=form.cleaned_data["body"])
            except ValidationError as e:
                _add_service_errors(form, e)
            else:
                messages.success(request, {
                    "letter_template.create": f"已保存本机关的《{kind.label}》模板，此后生成的告知书使用新模板。",
                    "letter_template.update": f"已修改《{kind.label}》模板，此后生成的告知书使用新模板。",
                    "": "模板内容没有变化，未保存。" if saved else "内容与默认模板相同，未另存自定义模板。",
                }[action])
                return redirect("applications:letter_template", agency.code, kind.value)
        if form.errors:
            status = 400
    else:
        form = LetterTemplateForm(instance=template, initial=initial)
    if not can_edit:
        for field in form.fields.values():
            field.disabled = True
    if form.is_bound and not form.errors:
        texts = (form.cleaned_data["title"], form.cleaned_data["body"])
    elif not form.is_bound:
        texts = (template.title, template.body) if template else (default_title(kind), default_body(kind))
    else:
        texts = None  # the text has errors: nothing to preview until they are fixed
    return render(request, "applications/letter_template.html", {
        "agency": agency, "access": access, "form": form, "kind": kind, "template": template,
        "can_edit": can_edit, "previewing": previewing,
        "preview": _letter_preview(request, access, agency, kind, *texts) if texts else None,
        "variables": VARIABLES.items(), "filters": sorted(ALLOWED_FILTERS),
    }, status=status)


@login_required
@require_POST
def letter_template_reset(request, agency, kind):
    """恢复默认: delete the agency's template of this kind, keeping its text in the audit entry."""
    agency, access = _agency_for(request, agency)
    kind = _letter_kind(kind)
    if not _may_edit_letters(access):
        raise PermissionDenied(LETTER_SETTINGS_FORBIDDEN)
    with transaction.atomic():
        template = LetterTemplate.objects.select_for_update().filter(agency=agency, kind=kind).first()
        if template is not None:
            audit_record(actor=request.user, agency=agency, target=template, action="letter_template.reset",
                         note=f"恢复默认告知书模板：{kind.label}",
                         data={"kind": kind.value, "before": {"title": template.title, "body": template.body}})
            template.delete()
    if template is None:
        messages.info(request, f"《{kind.label}》使用的已是默认模板。")
    else:
        messages.success(request, f"已恢复《{kind.label}》的默认模板。")
    return redirect("applications:letter_template", agency.code, kind.value)
