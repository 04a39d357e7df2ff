"""Generating letters (告知书) and keeping them with the application (第四十五条: every step is filed)."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from gongkai.agencies.models import Agency, Role
from gongkai.agencies.selectors import roles_in
from gongkai.agencies.workdays import WorkingDayCalendar

from ..models import Application, Document, DocumentKind, ExtensionStatus, LetterSettings, Status
from ..services import document_attach
from ..uploads import ACCEPTED
from ..workflow import ActionForbidden, ActionRefused
from .kinds import REPLY_KINDS, LetterKind, reply_kind_for, reply_kinds_for
from .render import letter_number, render_docx, render_letter_text, render_pdf

LETTER_ROLES = frozenset({Role.HANDLER, Role.REGISTRAR, Role.AGENCY_ADMIN})
FORMATS = {
    "docx": (ACCEPTED["docx"][0], render_docx),
    "pdf": (ACCEPTED["pdf"][0], render_pdf),
}

LETTER_FORBIDDEN = "您没有出具告知书的权限。"
LETTER_UNKNOWN_KIND = "未知的告知书类型：{kind}"
LETTER_UNKNOWN_FORMAT = "未知的文件格式：{format}（可选 docx、pdf）"
LETTER_NOT_RECEIVED = "申请尚未确认收到，不能出具告知书。"
LETTER_NO_CORRECTION = "本申请没有补正告知记录，请先办理“告知补正”。"
LETTER_NO_EXTENSION = "本申请没有已批准的延期答复，不能出具延期答复告知书。"
LETTER_NO_CONSULTATION = "本申请没有征求意见记录，请先办理“征求意见”。"
LETTER_NO_FEE_NOTICE = "本申请没有发出收费通知，不能出具收费通知书。"
LETTER_NOT_DECIDED = "申请尚未作出答复，不能出具答复告知书。"
LETTER_WRONG_REPLY = "本申请的办理结果为“{outcome}”，应出具“{kind}”。"


def letter_settings_get(*, agency: Agency) -> LetterSettings:
    """The agency's letter settings, created from its name and region on first use."""
    defaults = LetterSettings.defaults_for(agency)
    settings, _ = LetterSettings.objects.get_or_create(agency=agency, defaults={
        field: getattr(defaults, field) for field in ("letterhead", "office", "reconsideration_body", "court")})
    return settings


def letter_refusal(application: Application, kind: str) -> str | None:
    """Why a letter of this kind does not fit the application now, or None if it does."""
    if application.status == Status.PENDING_CONFIRMATION or not application.received_on:
        return LETTER_NOT_RECEIVED
    if kind == LetterKind.CORRECTION_NOTICE:
        return None if application.corrections.exists() else LETTER_NO_CORRECTION
    if kind == LetterKind.EXTENSION_NOTICE:
        extension = getattr(application, "extension", None)
        approved = extension is not None and extension.status == ExtensionStatus.APPROVED
        return None if approved else LETTER_NO_EXTENSION
    if kind == LetterKind.CONSULTATION_LETTER:
        return None if application.consultations.exists() else LETTER_NO_CONSULTATION
    if kind == LetterKind.FEE_NOTICE:
        return None if getattr(application, "fee_notice", None) is not None else LETTER_NO_FEE_NOTICE
    if kind in REPLY_KINDS:
        if not application.outcome:
            return LETTER_NOT_DECIDED
        if kind not in reply_kinds_for(application.outcome):
            return LETTER_WRONG_REPLY.format(outcome=application.get_outcome_display(),
                                             kind=reply_kind_for(application.outcome).label)
        return None
    return LETTER_UNKNOWN_KIND.format(kind=kind)


def letters_available(application: Application) -> list[LetterKind]:
    """The kinds of letter that fit the application now, in the order of ``LetterKind``."""
    return [kind for kind in LetterKind if letter_refusal(application, kind) is None]


def letter_generate(*, application: Application, kind: str, user, today: date, formats=("docx", "pdf"),
                    calendar: WorkingDayCalendar | None = None) -> list[Document]:
    """Render a letter and keep each format as a document (kind LETTER) with the application.

    A new call files new documents; earlier ones stay, as sent. Raises
    ``ActionForbidden`` without a handler, registrar or agency-admin role and
    ``ActionRefused`` with a Chinese reason when the letter does not fit.
    """
    if not roles_in(user, application.agency) & LETTER_ROLES:
        raise ActionForbidden(LETTER_FORBIDDEN)
    if kind not in LetterKind.values:
        raise ActionRefused(LETTER_UNKNOWN_KIND.format(kind=kind))
    for fmt in formats:
        if fmt not in FORMATS:
            raise ActionRefused(LETTER_UNKNOWN_FORMAT.format(format=fmt))
    application.refresh_from_db()
    reason = letter_refusal(application, kind)
    if reason:
        raise ActionRefused(reason)
    settings = letter_settings_get(agency=application.agency)
    title, paragraphs = render_letter_text(application, kind, today=today, settings=settings, calendar=calendar)
    number = letter_number(application, settings)
    # Render before the transaction: a PDF takes a moment and SQLite holds its write lock throughout.
    files = [(fmt, FORMATS[fmt][0], FORMATS[fmt][1](title, paragraphs, settings, number=number, dated=today))
             for fmt in formats]
    with transaction.atomic():
        return [document_attach(application=application, user=user, kind=DocumentKind.LETTER,
                                name=f"{title}.{fmt}", content=content, content_type=content_type,
                                letter_kind=kind)
                for fmt, content_type, content in files]
