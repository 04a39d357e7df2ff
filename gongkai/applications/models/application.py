import secrets
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q

from gongkai.agencies.models import Agency

from ..crypto import DigestField, EncryptedTextField

from .choices import (
    ApplicantType,
    Channel,
    DeliveryForm,
    DeliveryMethod,
    IdentityType,
    Outcome,
    Status,
)


class Application(models.Model):
    """A disclosure application (政府信息公开申请), from registration to the archive.

    ``received_on`` is the statutory date of receipt (第三十一条), empty while
    an online or fax application awaits confirmation. ``clock_started_on``
    is the day the reply clock last (re)started: receipt, or the day a
    supplemented application came back (第三十条). ``due_on`` is kept
    current by the workflow so lists of overdue applications are queries.
    """

    agency = models.ForeignKey(Agency, verbose_name="受理机关", on_delete=models.PROTECT, related_name="applications")
    serial = models.PositiveIntegerField("年度序号", null=True, blank=True, editable=False)
    serial_year = models.PositiveSmallIntegerField("序号年度", null=True, blank=True, editable=False)
    status = models.CharField("办理状态", max_length=30, choices=Status.choices, default=Status.REGISTERED,
                              db_index=True)

    # The applicant (personal data: shown only to the staff handling it).
    applicant_type = models.CharField("申请人类型", max_length=40, choices=ApplicantType.choices)
    applicant_name = models.CharField("申请人姓名", max_length=100, blank=True,
                                      help_text="自然人填写姓名；法人或其他组织填写经办人姓名。")
    organisation_name = models.CharField("法人或其他组织名称", max_length=200, blank=True)
    legal_representative = models.CharField("法定代表人或负责人", max_length=100, blank=True)
    identity_type = models.CharField("证件类型", max_length=30, choices=IdentityType.choices, blank=True)
    # Encrypted at rest; the digest finds the same applicant's other applications (fees) without decrypting.
    identity_number = EncryptedTextField("证件号码", max_length=40, blank=True)
    identity_digest = DigestField("证件号码摘要", source="identity_number", db_index=True)
    phone = models.CharField("联系电话", max_length=30, blank=True)
    email = models.EmailField("电子邮箱", blank=True)
    address = models.CharField("通信地址", max_length=300, blank=True)
    postal_code = models.CharField("邮政编码", max_length=6, blank=True)

    # The request.
    channel = models.CharField("申请方式", max_length=20, choices=Channel.choices)
    submitted_on = models.DateField("提交日期", null=True, blank=True)
    received_on = models.DateField("收到申请日期", null=True, blank=True)
    description = models.TextField("所需信息描述", blank=True)
    document_hint = models.CharField("文件名称、文号或其他特征描述", max_length=300, blank=True)
    delivery_form = models.CharField("信息提供形式", max_length=30, choices=DeliveryForm.choices, blank=True)
    delivery_method = models.CharField("获取信息方式", max_length=20, choices=DeliveryMethod.choices, blank=True)

    # Handling.
    handler = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="承办人", null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="handled_applications")
    clock_started_on = models.DateField("答复期限起算日", null=True, blank=True)
    extension_days = models.PositiveSmallIntegerField("延长工作日数", default=0)
    due_on = models.DateField("答复期限", null=True, blank=True, db_index=True)
    due_confirmed = models.BooleanField("期限已按官方日历确认", default=True)

    # The reply.
    outcome = models.CharField("办理结果", max_length=40, choices=Outcome.choices, blank=True)
    concluded_on = models.DateField("答复日期", null=True, blank=True)
    legal_basis = models.TextField("法律依据和理由", blank=True)
    reply_summary = models.TextField("答复内容摘要", blank=True)
    delivered_on = models.DateField("送达日期", null=True, blank=True)
    delivered_by = models.CharField("送达方式", max_length=20, choices=DeliveryMethod.choices, blank=True)
    delivery_proof = models.CharField("送达凭证", max_length=200, blank=True,
                                      help_text="如挂号信单号、签收人、电子邮件发送记录。")
    archived_on = models.DateField("归档日期", null=True, blank=True)

    # The applicant follows the application on the portal with this code plus their phone or e-mail.
    tracking_code = models.CharField("查询码", max_length=16, unique=True, null=True, blank=True, editable=False)
    # A retried or double-clicked submission carries the same key and creates nothing new.
    submission_key = models.UUIDField("提交标识", null=True, blank=True, unique=True, editable=False)
    created_at = models.DateTimeField("登记时间", auto_now_add=True, null=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True, null=True)

    class Meta:
        verbose_name = "政府信息公开申请"
        verbose_name_plural = "政府信息公开申请"
        ordering = ["-received_on", "-id"]
        indexes = [
            models.Index(fields=["agency", "received_on"]),
            models.Index(fields=["agency", "concluded_on"]),
            models.Index(fields=["agency", "status", "due_on"]),
        ]
        constraints = [
            # An application is concluded exactly when it has its one outcome.
            models.CheckConstraint(
                condition=(Q(outcome="") & Q(concluded_on__isnull=True))
                | (~Q(outcome="") & Q(concluded_on__isnull=False)),
                name="application_outcome_iff_concluded",
            ),
            models.CheckConstraint(
                condition=Q(concluded_on__isnull=True) | Q(concluded_on__gte=F("received_on")),
                name="application_concluded_after_received",
            ),
            models.CheckConstraint(
                condition=Q(concluded_on__isnull=True) | Q(received_on__isnull=False),
                name="application_concluded_only_when_received",
            ),
            models.UniqueConstraint(fields=["agency", "serial_year", "serial"], name="application_unique_serial"),
            models.CheckConstraint(condition=Q(extension_days__lte=20), name="application_extension_at_most_20"),
        ]

    def __str__(self) -> str:
        return self.reference or f"申请 #{self.pk}"

    @property
    def reference(self) -> str:
        """The application's number as letters cite it, e.g. 依申请〔2026〕12号."""
        return f"依申请〔{self.serial_year}〕{self.serial}号" if self.serial else ""

    @property
    def applicant_display(self) -> str:
        if self.applicant_type == ApplicantType.NATURAL_PERSON:
            return self.applicant_name
        return self.organisation_name or self.applicant_name

    @property
    def is_open(self) -> bool:
        return self.status not in (Status.DECIDED, Status.DELIVERED, Status.ARCHIVED)

    def clean(self):
        errors = {}
        if bool(self.outcome) != bool(self.concluded_on):
            errors["outcome"] = "办理结果与答复日期须同时填写或同时留空。"
        if self.concluded_on and self.received_on and self.concluded_on < self.received_on:
            errors["concluded_on"] = "答复日期不能早于收到申请日期。"
        if self.applicant_type and self.applicant_type != ApplicantType.NATURAL_PERSON and not self.organisation_name:
            errors["organisation_name"] = "法人或其他组织申请的，请填写组织名称。"
        if self.applicant_type == ApplicantType.NATURAL_PERSON and not self.applicant_name and self.pk is None:
            errors["applicant_name"] = "请填写申请人姓名。"
        if errors:
            raise ValidationError(errors)


def new_submission_key() -> uuid.UUID:
    return uuid.uuid4()


# No 0/O, 1/I/L: a code read out over the phone must not be misheard.
TRACKING_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def new_tracking_code() -> str:
    """A 12-character code (about 59 bits), grouped for reading, e.g. 7KQ4-M2XD-93HT."""
    raw = "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(12))
    return "-".join(raw[i:i + 4] for i in range(0, 12, 4))


class ApplicationSequence(models.Model):
    """The last serial number given to an agency's applications in a year (locked while numbering)."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last_serial = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "申请编号计数器"
        verbose_name_plural = "申请编号计数器"
        constraints = [models.UniqueConstraint(fields=["agency", "year"], name="application_sequence_unique")]
