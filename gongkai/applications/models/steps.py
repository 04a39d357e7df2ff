"""The records of each workflow step, kept with the application (第四十五条: 登记、审核、办理、答复、归档)."""

from django.conf import settings
from django.db import models

from .application import Application
from .choices import ExtensionStatus, Opinion, PartyKind


class CorrectionRequest(models.Model):
    """A 补正 notice (第三十条): what to supplement and by when; the clock restarts on the supplement."""

    application = models.ForeignKey(Application, verbose_name="申请", on_delete=models.CASCADE,
                                    related_name="corrections")
    notified_on = models.DateField("告知日期")
    items = models.TextField("需补正的事项")
    supplement_due_on = models.DateField("补正期限")
    supplemented_on = models.DateField("收到补正日期", null=True, blank=True)
    closed_unsupplemented = models.BooleanField("逾期未补正", default=False)

    class Meta:
        verbose_name = "补正告知"
        verbose_name_plural = "补正告知"
        ordering = ["notified_on", "id"]


class Consultation(models.Model):
    """A written consultation of a third party (第三十二条) or another agency (第三十四条).

    The reply clock pauses from the day after the letter goes out until the
    day the opinion arrives or the party's 15 working days run out.
    """

    application = models.ForeignKey(Application, verbose_name="申请", on_delete=models.CASCADE,
                                    related_name="consultations")
    party_kind = models.CharField("征求对象类型", max_length=20, choices=PartyKind.choices)
    party_name = models.CharField("征求对象", max_length=200)
    sent_on = models.DateField("发出征求意见函日期")
    reply_due_on = models.DateField("答复期限")
    replied_on = models.DateField("收到意见日期", null=True, blank=True)
    opinion = models.CharField("意见", max_length=20, choices=Opinion.choices, blank=True)
    consequence = models.TextField("意见的处理", blank=True,
                                   help_text="如：第三方不同意且理由合理，不予公开；或公共利益需要，决定公开并书面告知第三方。")

    class Meta:
        verbose_name = "征求意见"
        verbose_name_plural = "征求意见"
        ordering = ["sent_on", "id"]


class Extension(models.Model):
    """One extension of the reply period, at most 20 working days, approved by an approver (第三十三条)."""

    application = models.OneToOneField(Application, verbose_name="申请", on_delete=models.CASCADE,
                                       related_name="extension")
    days = models.PositiveSmallIntegerField("延长工作日数")
    reason = models.TextField("延期理由")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="申请人", on_delete=models.PROTECT,
                                     related_name="+")
    requested_on = models.DateField("提出日期")
    status = models.CharField("审批状态", max_length=20, choices=ExtensionStatus.choices,
                              default=ExtensionStatus.REQUESTED)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="审批人", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    decided_on = models.DateField("审批日期", null=True, blank=True)
    notified_on = models.DateField("告知申请人日期", null=True, blank=True)

    class Meta:
        verbose_name = "延长答复期限"
        verbose_name_plural = "延长答复期限"
        constraints = [models.CheckConstraint(condition=models.Q(days__gte=1, days__lte=20),
                                              name="extension_days_1_to_20")]


class FeeNotice(models.Model):
    """An information-processing fee notice (收费通知, 第四十二条); the clock pauses until payment."""

    application = models.OneToOneField(Application, verbose_name="申请", on_delete=models.CASCADE,
                                       related_name="fee_notice")
    scheme = models.CharField("计收方式", max_length=20)
    quantity = models.PositiveIntegerField("件次或页数", help_text="按件计收：本月第几件申请；按量计收：页数。")
    amount = models.DecimalField("金额（元）", max_digits=12, decimal_places=2)
    breakdown = models.TextField("计算明细")
    notified_on = models.DateField("通知日期")
    payment_due_on = models.DateField("缴费期限")
    paid_on = models.DateField("缴费日期", null=True, blank=True)
    payment_reference = models.CharField("缴费凭证号", max_length=100, blank=True)

    class Meta:
        verbose_name = "收费通知"
        verbose_name_plural = "收费通知"
