from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q

from gongkai.agencies.models import Agency


class ApplicantType(models.TextChoices):
    """The applicant columns of table 三 (DOMAIN.md §2.2)."""

    NATURAL_PERSON = "natural_person", "自然人"
    COMMERCIAL_ENTERPRISE = "commercial_enterprise", "商业企业"
    RESEARCH_INSTITUTION = "research_institution", "科研机构"
    SOCIAL_WELFARE_ORGANIZATION = "social_welfare_organization", "社会公益组织"
    LEGAL_SERVICE_AGENCY = "legal_service_agency", "法律服务机构"
    OTHER_ORGANIZATION = "other_organization", "其他"


class Channel(models.TextChoices):
    """How the application arrived; it fixes the date of receipt (第三十一条)."""

    IN_PERSON = "in_person", "当面提交"
    SIGNED_MAIL = "signed_mail", "邮寄（需签收）"
    ORDINARY_MAIL = "ordinary_mail", "平常信函"
    ONLINE = "online", "互联网（在线申请）"
    FAX = "fax", "传真"
    EMAIL = "email", "电子邮件"
    ORAL = "oral", "口头申请（工作人员代填）"


class Outcome(models.TextChoices):
    """How an application ended: an outcome row of table 三 (DOMAIN.md §2.3).

    The 2021 format's three kinds of 其他处理 are stored; the 2019 format
    counts them in its single 其他处理 row.
    """

    DISCLOSED = "disclosed", "予以公开"
    PARTIALLY_DISCLOSED = "partially_disclosed", "部分公开"
    WITHHELD_STATE_SECRET = "withheld.state_secret", "不予公开：属于国家秘密"
    WITHHELD_PROHIBITED_BY_LAW = "withheld.prohibited_by_law", "不予公开：其他法律行政法规禁止公开"
    WITHHELD_SECURITY_STABILITY = "withheld.security_stability", "不予公开：危及“三安全一稳定”"
    WITHHELD_THIRD_PARTY_RIGHTS = "withheld.third_party_rights", "不予公开：保护第三方合法权益"
    WITHHELD_INTERNAL_AFFAIRS = "withheld.internal_affairs", "不予公开：属于三类内部事务信息"
    WITHHELD_PROCESS_INFORMATION = "withheld.process_information", "不予公开：属于四类过程性信息"
    WITHHELD_ENFORCEMENT_FILES = "withheld.enforcement_files", "不予公开：属于行政执法案卷"
    WITHHELD_ADMINISTRATIVE_QUERY = "withheld.administrative_query", "不予公开：属于行政查询事项"
    UNAVAILABLE_NOT_HELD = "unavailable.not_held", "无法提供：本机关不掌握相关政府信息"
    UNAVAILABLE_NEEDS_CREATION = "unavailable.needs_creation", "无法提供：没有现成信息需要另行制作"
    UNAVAILABLE_STILL_UNCLEAR = "unavailable.still_unclear", "无法提供：补正后申请内容仍不明确"
    NOT_PROCESSED_PETITION = "not_processed.petition", "不予处理：信访举报投诉类申请"
    NOT_PROCESSED_REPEATED = "not_processed.repeated", "不予处理：重复申请"
    NOT_PROCESSED_PUBLICATION = "not_processed.publication", "不予处理：要求提供公开出版物"
    NOT_PROCESSED_EXCESSIVE = "not_processed.excessive", "不予处理：无正当理由大量反复申请"
    NOT_PROCESSED_CONFIRMATION = "not_processed.confirmation", "不予处理：要求行政机关确认或重新出具已获取信息"
    OTHER_NO_CORRECTION = "other.no_correction", "其他处理：逾期不补正"
    OTHER_UNPAID_FEE = "other.unpaid_fee", "其他处理：逾期未缴纳费用"
    OTHER_OTHER = "other.other", "其他处理：其他（含申请人撤回）"


class Application(models.Model):
    """A disclosure application (政府信息公开申请)."""

    agency = models.ForeignKey(Agency, verbose_name="受理机关", on_delete=models.PROTECT, related_name="applications")
    applicant_type = models.CharField("申请人类型", max_length=40, choices=ApplicantType.choices)
    channel = models.CharField("申请方式", max_length=20, choices=Channel.choices)
    received_on = models.DateField("收到申请日期")
    description = models.TextField("所需信息描述", blank=True)
    outcome = models.CharField("办理结果", max_length=40, choices=Outcome.choices, blank=True)
    concluded_on = models.DateField("办结日期", null=True, blank=True)

    class Meta:
        verbose_name = "政府信息公开申请"
        verbose_name_plural = "政府信息公开申请"
        ordering = ["-received_on", "-id"]
        indexes = [
            models.Index(fields=["agency", "received_on"]),
            models.Index(fields=["agency", "concluded_on"]),
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
        ]

    def __str__(self) -> str:
        return f"{self.agency.short_name or self.agency.name} {self.received_on:%Y-%m-%d} 申请 #{self.pk}"

    def clean(self):
        if bool(self.outcome) != bool(self.concluded_on):
            raise ValidationError("办理结果与办结日期须同时填写或同时留空。")
        if self.concluded_on and self.received_on and self.concluded_on < self.received_on:
            raise ValidationError({"concluded_on": "办结日期不能早于收到申请日期。"})
