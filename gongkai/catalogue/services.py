"""Writes outside the transitions: drafting an item and attaching files to it."""

from __future__ import annotations

import hashlib
import uuid

from django.core.files.base import ContentFile
from django.db import transaction

from gongkai.agencies.models import Agency, Role
from gongkai.agencies.selectors import roles_in
from gongkai.applications.uploads import check_upload, safe_file_name
from gongkai.audit.services import audit_record
from gongkai.audit.transitions import ActionForbidden, ActionRefused

from .extract import extract_text
from .models import Attachment, Item, ItemStatus
from .sanitize import clean_body
from .workflow import CONTENT_FIELDS, unit_roles

EDITABLE = (ItemStatus.DRAFT, ItemStatus.RETURNED)
DRAFTING_ROLES = {Role.PROVIDER, Role.AGENCY_ADMIN}


def _may_draft(user, item: Item) -> None:
    if not unit_roles(user, item) & DRAFTING_ROLES:
        raise ActionForbidden("您没有在该股室提供信息的权限。")


def item_create(*, user, agency: Agency, data: dict) -> Item:
    """A provider drafts an item of their unit; the body is sanitized before it is stored."""
    item = Item(agency=agency, created_by=user, status=ItemStatus.DRAFT,
                **{f: v for f, v in data.items() if f in CONTENT_FIELDS})
    _may_draft(user, item)
    item.body = clean_body(item.body)
    item.full_clean()
    with transaction.atomic():
        item.save()
        audit_record(actor=user, agency=agency, target=item, action="item.create", to_state=item.status)
    return item


def item_update(*, user, item: Item, data: dict) -> Item:
    """Edit a draft or a returned item (published ones are amended through ``workflow.Amend``)."""
    _may_draft(user, item)
    if item.status not in EDITABLE:
        raise ActionRefused(f"信息当前为“{item.get_status_display()}”，不能直接修改。")
    changed = sorted(f for f, v in data.items() if f in CONTENT_FIELDS and getattr(item, f) != v)
    for field in changed:
        setattr(item, field, data[field])
    item.body = clean_body(item.body)
    item.full_clean()
    with transaction.atomic():
        item.save()
        audit_record(actor=user, agency=item.agency, target=item, action="item.update", from_state=item.status,
                     to_state=item.status, data={"fields": changed})
    return item


def attachment_add(*, user, item: Item, name: str, content: bytes) -> Attachment:
    """Attach a file, checked by content (PDF, DOCX, XLSX, OFD, images), with its text kept for search."""
    drafting = unit_roles(user, item) & DRAFTING_ROLES and item.status in EDITABLE
    # The office publishes for every unit, so its role is agency-wide.
    if not drafting and not roles_in(user, item.agency) & {Role.PUBLISHER, Role.AGENCY_ADMIN}:
        raise ActionForbidden("您不能为该信息上传附件。")
    content_type = check_upload(name=name, content=content)
    attachment = Attachment(item=item, title=name, content_type=content_type, size=len(content),
                            sha256=hashlib.sha256(content).hexdigest(), text=extract_text(content, content_type))
    with transaction.atomic():
        attachment.file.save(f"{uuid.uuid4().hex}-{safe_file_name(name)}", ContentFile(content), save=False)
        attachment.save()
        audit_record(actor=user, agency=item.agency, target=item, action="item.attach", from_state=item.status,
                     to_state=item.status, data={"attachment": attachment.pk, "title": name,
                                                  "sha256": attachment.sha256})
    return attachment

