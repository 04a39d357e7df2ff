from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q

from gongkai.agencies.models import Agency
from gongkai.applications.models import Application


class AppealKind(models.TextChoices):
    """The groups of table 四."""

    RECONSIDERATION = "reconsideration", "行政复议"
    LITIGATION_DIRECT = "litigation_direct", "行政诉讼（未经复议直接起诉）"
    LITIGATION_AFTER_RECONSIDERATION = "litigation_after_reconsideration", "行政诉讼（复议后起诉）"


class AppealResult(models.TextChoices):
    UPHELD = "upheld", "结果维持"
    CORRECTED = "corrected", "结果纠正"
    OTHER = "other", "其他结果"


class AppealCase(models.Model):
    """An administrative reconsideration (行政复议) or a lawsuit (行政诉讼) about disclosure."""

    agency = models.ForeignKey(Agency, verbose_name="被申请（被诉）机关", on_delete=models.PROTECT,
                               related_name="appeal_cases")
    application = models.ForeignKey(Application, verbose_name="相关申请", null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="appeal_cases")
    kind = models.CharField("类型", max_length=40, choices=AppealKind.choices)
    case_number = models.CharField("案号", max_length=100, blank=True)
    filed_on = models.DateField("立案日期")
    decided_on = models.DateField("审结日期", null=True, blank=True)
    result = models.CharField("结果", max_length=20, choices=AppealResult.choices, blank=True)

    class Meta:
        verbose_name = "行政复议和行政诉讼案件"
        verbose_name_plural = "行政复议和行政诉讼案件"
        ordering = ["-filed_on", "-id"]
        indexes = [models.Index(fields=["agency", "filed_on"])]
        constraints = [
            models.CheckConstraint(
                condition=(Q(result="") & Q(decided_on__isnull=True))
                | (~Q(result="") & Q(decided_on__isnull=False)),
                name="appeal_result_iff_decided",
            ),
            models.CheckConstraint(
                condition=Q(decided_on__isnull=True) | Q(decided_on__gte=F("filed_on")),
                name="appeal_decided_after_filed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.case_number or self.pk}"

    def clean(self):
        if bool(self.result) != bool(self.decided_on):
            raise ValidationError("结果与审结日期须同时填写或同时留空。")
        if self.decided_on and self.filed_on and self.decided_on < self.filed_on:
            raise ValidationError({"decided_on": "审结日期不能早于立案日期。"})
