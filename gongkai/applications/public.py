"""The public channel (互联网在线申请, 第二十九条): submitting an application online and following it.

There is no staff user here. An online application waits as 待确认收到
(PENDING_CONFIRMATION) without a date of receipt: the statutory date of
receipt is the day the office confirms it (第三十一条), which staff record
with ``workflow.ConfirmReceipt``; the 20-working-day reply period starts then.

The applicant follows the application with its tracking code plus the phone
or e-mail given on the form. ``PublicStatus`` is all a lookup ever returns:
no names, identity numbers, phone numbers, e-mail or postal addresses.

Files that passed the content check in an attempt that failed on other
fields are kept for the next attempt (``PublicStash``), as ``stash.py`` does
for the staff register form, but owned by a random token kept in the
browser's session instead of a user id.
"""

from __future__ import annotations

import hmac
import json
import re
import shutil
import time
import uuid
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from gongkai.agencies.models import Agency
from gongkai.audit.services import audit_record

from .forms import normalise_phone
from .models import Application, Channel, DocumentKind, ExtensionStatus, Outcome, Status, new_tracking_code
from .services import APPLICANT_FIELDS, Upload, document_attach
from .uploads import check_upload

ONLINE_NOTE = "网上申请"
MAX_ATTACHMENTS = 5
MAX_IDENTITY_PROOFS = 2
# Identity proof is a photo or a scan: images and PDF only, whatever else ``check_upload`` accepts.
IDENTITY_PROOF_TYPES = {"application/pdf", "image/jpeg", "image/png", "image/tiff"}
IDENTITY_PROOF_LABEL = "JPG、PNG、TIFF 图片或 PDF"

ONLINE_REQUEST_FIELDS = ("description", "document_hint", "delivery_form", "delivery_method")

SUBMISSION_KEY_INVALID = "申请表已失效，请重新打开申请页面后提交。"
TOO_MANY_ATTACHMENTS = f"其他附件最多{MAX_ATTACHMENTS}个。"
TOO_MANY_IDENTITY_PROOFS = f"身份证明最多{MAX_IDENTITY_PROOFS}个文件（如身份证正反面）。"
IDENTITY_PROOF_REQUIRED = "请上传身份证明。"
IDENTITY_PROOF_WRONG_TYPE = "文件“{name}”不能作为身份证明：只接受" + IDENTITY_PROOF_LABEL + "。"

# The stage of an application in plain words, as the applicant reads it.
PUBLIC_STAGES = {
    Status.PENDING_CONFIRMATION: "已提交待确认",
    Status.REGISTERED: "办理中",
    Status.CORRECTION: "需补正",
    Status.CONSULTING: "征求意见中（期限暂停）",
    Status.FEE_NOTICE: "待缴费",
    Status.DECIDED: "已答复",
    Status.DELIVERED: "已送达",
    Status.ARCHIVED: "已归档",
}

STAGE_NOTES = {
    Status.PENDING_CONFIRMATION: "本机关尚未确认收到您的申请。网上提交的申请，以双方确认之日为收到申请之日（第三十一条），"
                                 "答复期限自该日起计算。",
    Status.REGISTERED: "本机关正在办理您的申请。",
    Status.CORRECTION: "本机关已告知您补正申请内容，请在补正期限内补正；答复期限自收到补正之日起重新计算（第三十条）。",
    Status.CONSULTING: "本机关正在征求第三方或其他机关的意见，征求意见的时间不计入答复期限，答复期限相应顺延（第三十二条、第三十四条）。",
    Status.FEE_NOTICE: "本机关已向您发出收费通知，请按通知缴纳信息处理费；等待缴费的时间不计入答复期限（第四十二条）。",
    Status.DECIDED: "本机关已作出答复，答复书将按您选择的方式送达。",
    Status.DELIVERED: "答复书已送达。",
    Status.ARCHIVED: "本申请已办结并归档。",
}

TRACKING_CODE_RE = re.compile(r"^[2-9A-HJKMNP-Z]{12}$")


# --- submitting ---------------------------------------------------------------


def check_identity_proofs(uploads: list[Upload]) -> None:
    """Raise a ValidationError (Chinese, one message per problem) unless the identity proofs are acceptable."""
    proofs = [u for u in uploads if u.kind == DocumentKind.IDENTITY_PROOF]
    errors = []
    if not proofs:
        errors.append(IDENTITY_PROOF_REQUIRED)
    if len(proofs) > MAX_IDENTITY_PROOFS:
        errors.append(TOO_MANY_IDENTITY_PROOFS)
    for upload in proofs:
        if check_upload(name=upload.name, content=upload.content) not in IDENTITY_PROOF_TYPES:
            errors.append(IDENTITY_PROOF_WRONG_TYPE.format(name=upload.name))
    if errors:
        raise ValidationError({"identity_proof": errors})


def application_submit_online(*, agency: Agency, data: dict, uploads: list[Upload], submission_key: uuid.UUID,
                              today: date) -> Application:
    """An application sent through the portal: 待确认收到, channel online, submitted today, with a tracking code.

    A repeated submission with the same ``submission_key`` returns the
    application it created (a key of another agency's application is refused).
    Every file is checked by its content again; the identity proof must be an
    image or a PDF. The audit entries have no actor: nobody on the staff did it.
    """
    if submission_key is None:
        raise ValidationError({"submission_key": SUBMISSION_KEY_INVALID})
    existing = _existing(agency, submission_key)
    if existing is not None:
        return existing
    check_identity_proofs(uploads)
    if sum(1 for u in uploads if u.kind == DocumentKind.ATTACHMENT) > MAX_ATTACHMENTS:
        raise ValidationError({"attachments": TOO_MANY_ATTACHMENTS})
    checked = [(u, check_upload(name=u.name, content=u.content)) for u in uploads]
    application = Application(
        agency=agency,
        **{f: (data.get(f) or "").strip() for f in APPLICANT_FIELDS + ONLINE_REQUEST_FIELDS},
        channel=Channel.ONLINE,
        submitted_on=today,
        status=Status.PENDING_CONFIRMATION,
        submission_key=submission_key,
        tracking_code=new_tracking_code(),
    )
    application.full_clean(exclude=["submission_key"])
    try:
        with transaction.atomic():
            application.save()
            audit_record(actor=None, agency=agency, target=application, action="application.register",
                         to_state=application.status, note=ONLINE_NOTE,
                         data={"channel": Channel.ONLINE, "received_on": "", "submitted_on": today.isoformat()})
            for upload, content_type in checked:
                document_attach(application=application, user=None, kind=upload.kind, name=upload.name,
                                content=upload.content, content_type=content_type)
    except IntegrityError:
        # Two identical submissions raced (a double click): the other one won; return it.
        existing = _existing(agency, submission_key)
        if existing is not None:
            return existing
        raise
    return application


def _existing(agency: Agency, submission_key: uuid.UUID) -> Application | None:
    existing = Application.objects.filter(submission_key=submission_key).first()
    if existing is not None and existing.agency_id != agency.pk:
        raise ValidationError({"submission_key": SUBMISSION_KEY_INVALID})
    return existing


# --- following it -------------------------------------------------------------


@dataclass(frozen=True)
class PublicStep:
    label: str
    day: date


@dataclass(frozen=True)
class PublicStatus:
    """What the applicant sees on the status page: nothing that names or reaches a person."""

    tracking_code: str
    reference: str  # 依申请〔2026〕12号 once received, else ""
    agency_name: str
    status: str
    stage: str
    submitted_on: date | None
    received_on: date | None
    due_label: str
    due_on: date | None
    due_unconfirmed: bool  # the due date rests on Monday–Friday, not on the official holiday schedule
    outcome: str  # the outcome label once concluded, else ""
    concluded_on: date | None
    steps: tuple[PublicStep, ...]

    @property
    def note(self) -> str:
        return STAGE_NOTES.get(self.status, "")

    @property
    def concluded(self) -> bool:
        return bool(self.outcome)

    @property
    def paused(self) -> bool:
        return self.status in (Status.CONSULTING, Status.FEE_NOTICE)


def normalise_tracking_code(value: str) -> str:
    """``7kq4 m2xd 93ht`` or ``7KQ4M2XD93HT`` → ``7KQ4-M2XD-93HT``; "" when it cannot be a code."""
    raw = re.sub(r"[\s\-－—_]", "", value or "").upper()
    if not TRACKING_CODE_RE.match(raw):
        return ""
    return "-".join(raw[i:i + 4] for i in range(0, 12, 4))


def normalise_contact(value: str) -> str:
    """A phone number as its digits (without +86), or an e-mail address in lower case."""
    value = (value or "").strip()
    if "@" in value:
        return value.lower()
    return re.sub(r"\D", "", normalise_phone(value))


def _contact_matches(application: Application, contact: str) -> bool:
    given = normalise_contact(contact)
    if not given:
        return False
    known = [normalise_contact(v) for v in (application.phone, application.email) if v]
    # Compare every known contact, in constant time, so the answer's timing tells nothing.
    matched = False
    for value in known:
        matched |= hmac.compare_digest(value.encode(), given.encode())
    return matched


def application_track(*, tracking_code: str, contact: str) -> PublicStatus | None:
    """The status of the application with this tracking code, if ``contact`` is its phone or e-mail; else None.

    A wrong code and a wrong contact give the same None: the caller must not
    tell the applicant which of the two was wrong.
    """
    code = normalise_tracking_code(tracking_code)
    if not code:
        return None
    application = Application.objects.select_related("agency", "extension", "fee_notice") \
        .filter(tracking_code=code).first()
    if application is None or not _contact_matches(application, contact):
        return None
    return public_status(application)


def public_status(application: Application) -> PublicStatus:
    due_label, due_on, unconfirmed = _due(application)
    return PublicStatus(
        tracking_code=application.tracking_code or "",
        reference=application.reference,
        agency_name=application.agency.name,
        status=application.status,
        stage=PUBLIC_STAGES.get(application.status, application.get_status_display()),
        submitted_on=application.submitted_on,
        received_on=application.received_on,
        due_label=due_label,
        due_on=due_on,
        due_unconfirmed=unconfirmed,
        outcome=Outcome(application.outcome).label if application.outcome in Outcome.values else "",
        concluded_on=application.concluded_on,
        steps=tuple(_steps(application)),
    )


def _due(application: Application) -> tuple[str, date | None, bool]:
    status = application.status
    if status == Status.CORRECTION:
        correction = application.corrections.order_by("-notified_on", "-id").first()
        if correction is not None:
            return "补正期限", correction.supplement_due_on, False
    if status == Status.FEE_NOTICE:
        notice = getattr(application, "fee_notice", None)
        if notice is not None and notice.paid_on is None:
            return "缴费期限", notice.payment_due_on, False
    if status in (Status.REGISTERED, Status.CONSULTING, Status.FEE_NOTICE) and application.due_on:
        return "答复期限", application.due_on, not application.due_confirmed
    return "", None, False


def _steps(application: Application) -> list[PublicStep]:
    """The dated steps, in order; parties consulted and amounts are not named."""
    steps: list[tuple[date | None, str]] = [
        (application.submitted_on, "提交申请"),
        (application.received_on, "确认收到申请（答复期限自此起算）"),
    ]
    for c in application.corrections.all():
        steps.append((c.notified_on, "告知补正"))
        steps.append((c.supplemented_on, "收到补正材料（答复期限重新起算）"))
    for c in application.consultations.all():
        steps.append((c.sent_on, "征求意见（期限暂停）"))
        steps.append((c.replied_on, "征求意见结束（期限恢复计算）"))
    extension = getattr(application, "extension", None)
    if extension is not None and extension.status == ExtensionStatus.APPROVED:
        steps.append((extension.notified_on or extension.decided_on, f"延长答复期限{extension.days}个工作日"))
    notice = getattr(application, "fee_notice", None)
    if notice is not None:
        steps.append((notice.notified_on, "发出收费通知"))
        steps.append((notice.paid_on, "缴费"))
    steps.append((application.concluded_on, "作出答复"))
    steps.append((application.delivered_on, "送达"))
    steps.append((application.archived_on, "归档"))
    dated = [(day, i, label) for i, (day, label) in enumerate(steps) if day]
    return [PublicStep(label, day) for day, _, label in sorted(dated)]


# --- files kept between attempts -------------------------------------------------


class PublicStash:
    """Accepted files of a failed attempt, under ``MEDIA_ROOT/public-stash/<owner>/<submission key>/``.

    ``owner`` is a random token kept in the applicant's session, so one
    browser never sees another's files; the submission key separates the
    forms one browser has open. Folders older than a day are swept whenever
    files are kept, and a folder never holds more files than a form accepts.
    """

    MAX_AGE_SECONDS = 24 * 3600
    MAX_FILES = MAX_ATTACHMENTS + MAX_IDENTITY_PROOFS
    MANIFEST = "manifest.json"
    OWNER_RE = re.compile(r"^[0-9a-f]{32}$")

    def __init__(self, owner: str, key: uuid.UUID | None):
        if not self.OWNER_RE.match(owner or ""):
            raise ValueError("invalid stash owner")
        self.owner = owner
        self.key = key

    @staticmethod
    def root() -> Path:
        return Path(settings.MEDIA_ROOT) / "public-stash"

    @property
    def folder(self) -> Path | None:
        return self.root() / self.owner / str(uuid.UUID(str(self.key))) if self.key else None

    def list(self) -> list[dict]:
        """The kept files' entries: id, kind, name, size."""
        if self.folder is None:
            return []
        try:
            return json.loads((self.folder / self.MANIFEST).read_text(encoding="utf-8"))
        except (FileNotFoundError, ValueError):
            return []

    def add(self, uploads: list[Upload]) -> None:
        if not uploads or self.folder is None:
            return
        self.sweep()
        entries = self.list()
        room = self.MAX_FILES - len(entries)
        if room <= 0:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        for upload in uploads[:room]:
            file_id = uuid.uuid4().hex
            (self.folder / file_id).write_bytes(upload.content)
            entries.append({"id": file_id, "kind": upload.kind, "name": upload.name, "size": len(upload.content)})
        self._write(entries)

    def take(self, keep_ids: set[str]) -> list[Upload]:
        """The kept files the applicant left ticked, checked again by their content."""
        out = []
        for entry in self.list():
            if entry["id"] in keep_ids:
                content = (self.folder / entry["id"]).read_bytes()
                check_upload(name=entry["name"], content=content)
                out.append(Upload(entry["kind"], entry["name"], content))
        return out

    def drop(self, ids: set[str] | None = None) -> None:
        """Forget the kept files (``ids`` only, or all of them)."""
        if self.folder is None:
            return
        if ids is None:
            shutil.rmtree(self.folder, ignore_errors=True)
            return
        entries = [e for e in self.list() if e["id"] not in ids]
        for file_id in ids:
            if re.fullmatch(r"[0-9a-f]{32}", file_id):
                (self.folder / file_id).unlink(missing_ok=True)
        if self.folder.exists():
            self._write(entries)

    def _write(self, entries: list[dict]) -> None:
        (self.folder / self.MANIFEST).write_text(json.dumps(entries, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def sweep(cls) -> None:
        root = cls.root()
        if not root.exists():
            return
        limit = time.time() - cls.MAX_AGE_SECONDS
        for folder in root.glob("*/*"):
            try:
                if folder.stat().st_mtime < limit:
                    shutil.rmtree(folder, ignore_errors=True)
            except FileNotFoundError:
                continue
