"""Writes that are not transitions of an existing application: registering one, attaching files."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction

from gongkai.agencies.models import Agency, Role
from gongkai.agencies.selectors import roles_in
from gongkai.agencies.workdays import WorkingDayCalendar, working_day_calendar
from gongkai.audit.services import audit_record

from . import deadlines
from .models import Application, Document, DocumentKind, Status, new_tracking_code
from .uploads import check_upload, safe_file_name
from .workflow import ActionForbidden, assign_serial, refresh_due

REGISTER_ROLES = {Role.REGISTRAR, Role.AGENCY_ADMIN}

APPLICANT_FIELDS = (
    "applicant_type", "applicant_name", "organisation_name", "legal_representative", "identity_type",
    "identity_number", "phone", "email", "address", "postal_code",
)
REQUEST_FIELDS = ("channel", "description", "document_hint", "delivery_form", "delivery_method")


@dataclass(frozen=True)
class Upload:
    kind: str
    name: str
    content: bytes


def application_register(*, user, agency: Agency, today: date, data: dict, submission_key: uuid.UUID | None = None,
                         submitted_on: date | None = None, signed_for_on: date | None = None,
                         confirmed_on: date | None = None, uploads: list[Upload] = (),
                         calendar: WorkingDayCalendar | None = None) -> Application:
    """Register an application from any channel with its statutory date of receipt (第三十一条).

    Online, fax, e-mail and ordinary-letter applications not yet confirmed
    wait as 待确认收到 without a date of receipt. A repeated submission with
    the same ``submission_key`` returns the application it created.
    """
    if not roles_in(user, agency) & REGISTER_ROLES:
        raise ActionForbidden("您没有登记政府信息公开申请的权限。")
    if submission_key is not None:
        existing = Application.objects.filter(submission_key=submission_key).first()
        if existing is not None:
            return existing
    try:
        received_on = deadlines.receipt_date(channel=data.get("channel", ""), today=today, submitted_on=submitted_on,
                                             signed_for_on=signed_for_on, confirmed_on=confirmed_on)
    except deadlines.ReceiptDateError as e:
        raise ValidationError({e.field: str(e)}) from e
    checked = [(u, check_upload(name=u.name, content=u.content)) for u in uploads]
    application = Application(
        agency=agency,
        **{f: data.get(f, "") for f in APPLICANT_FIELDS + REQUEST_FIELDS},
        submitted_on=submitted_on or received_on,
        received_on=received_on,
        clock_started_on=received_on,
        status=Status.REGISTERED if received_on else Status.PENDING_CONFIRMATION,
        submission_key=submission_key,
        tracking_code=new_tracking_code(),
    )
    application.full_clean(exclude=["submission_key"])
    try:
        with transaction.atomic():
            if received_on:
                assign_serial(application)
            refresh_due(application, calendar or working_day_calendar())
            application.save()
            # The trail reads in order: registered first, then the files that came with it.
            audit_record(actor=user, agency=agency, target=application, action="application.register",
                         to_state=application.status,
                         data={"channel": application.channel, "received_on": str(received_on or "")})
            for upload, content_type in checked:
                document_attach(application=application, user=user, kind=upload.kind, name=upload.name,
                                content=upload.content, content_type=content_type)
    except IntegrityError:
        # Two identical submissions raced: the other one won; return it.
        if submission_key is not None:
            existing = Application.objects.filter(submission_key=submission_key).first()
            if existing is not None:
                return existing
        raise
    return application


def document_attach(*, application: Application, user, kind: str, name: str, content: bytes,
                    content_type: str | None = None, letter_kind: str = "") -> Document:
    """Keep a file with the application; uploads are checked by their content, letters are ours."""
    if content_type is None:
        content_type = check_upload(name=name, content=content)
    if kind not in DocumentKind.values:
        raise ValidationError({"kind": "未知的材料类型。"})
    document = Document(application=application, kind=kind, letter_kind=letter_kind, title=name,
                        content_type=content_type, size=len(content),
                        sha256=hashlib.sha256(content).hexdigest(), created_by=user if user else None)
    document.file.save(f"{uuid.uuid4().hex}-{safe_file_name(name)}", ContentFile(content), save=False)
    document.save()
    audit_record(actor=user, agency=application.agency, target=application, action="application.attach",
                 from_state=application.status, to_state=application.status,
                 data={"document": document.pk, "kind": kind, "title": name, "sha256": document.sha256})
    return document

