"""Messages the public sends an agency (监督、投诉、意见建议、咨询) and the answers it publishes (回应关切).

A ``Feedback`` carries personal data (the sender's name, phone, e-mail) and
is seen only by the agency's administrators and publishers. A ``Concern``
is what the public list shows: a question as staff have worded it, free of
personal data, and the agency's answer.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from gongkai.agencies.models import Agency


class FeedbackKind(models.TextChoices):
    COMPLAINT = "complaint", "投诉/举报"
    SUGGESTION = "suggestion", "意见建议"
    CONSULTATION = "consultation", "咨询"


class FeedbackStatus(models.TextChoices):
    RECEIVED = "received", "已收到"
    ANSWERED = "answered", "已答复"
    CLOSED = "closed", "已办结"


class Feedback(models.Model):
    """A message to an agency about its disclosure work (监督保障, 条例第四十七、五十一条)."""

    agency = models.ForeignKey(Agency, verbose_name="机关", on_delete=models.PROTECT, related_name="feedback")
    kind = models.CharField("类型", max_length=20, choices=FeedbackKind.choices)
    subject = models.CharField("标题", max_length=200)
    message = models.TextField("内容")
    # The sender (personal data: shown only to the agency's administrators and publishers).
    contact_name = models.CharField("姓名", max_length=100)
    phone = models.CharField("联系电话", max_length=30, blank=True)
    email = models.EmailField("电子邮箱", blank=True)
    public = models.BooleanField("同意公开", default=False,
                                 help_text="留言人同意本机关将问题和答复（不含个人信息）在“回应关切”中公开。")
    status = models.CharField("办理状态", max_length=20, choices=FeedbackStatus.choices,
                              default=FeedbackStatus.RECEIVED, db_index=True)
    answer = models.TextField("答复", blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="答复人", null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    answered_at = models.DateTimeField("答复时间", null=True, blank=True)
    # A retried or double-clicked submission carries the same key and creates nothing new.
    submission_key = models.UUIDField("提交标识", null=True, blank=True, unique=True, editable=False)
    created_at = models.DateTimeField("提交时间", auto_now_add=True)

    class Meta:
        verbose_name = "留言（监督、投诉、意见建议）"
        verbose_name_plural = "留言（监督、投诉、意见建议）"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["agency", "status", "created_at"], name="feedback_agency_status")]
        constraints = [
            models.CheckConstraint(condition=~Q(phone="") | ~Q(email=""), name="feedback_has_contact"),
            models.CheckConstraint(condition=~Q(status="answered") | ~Q(answer=""),
                                   name="feedback_answered_has_answer"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.subject}"


class Concern(models.Model):
    """回应关切: a question the public asked and the agency's answer, curated by staff for the public list."""

    agency = models.ForeignKey(Agency, verbose_name="机关", on_delete=models.PROTECT, related_name="concerns")
    question = models.TextField("问题", help_text="公开显示，请勿包含姓名、电话等个人信息。")
    answer = models.TextField("回应")
    published = models.BooleanField("已发布", default=True, db_index=True)
    published_on = models.DateField("发布日期")
    source = models.ForeignKey(Feedback, verbose_name="来源留言", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="concerns")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="发布人", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "回应关切"
        verbose_name_plural = "回应关切"
        ordering = ["-published_on", "-id"]
        indexes = [models.Index(fields=["agency", "published", "published_on"], name="concern_agency_published")]

    def __str__(self) -> str:
        return self.question[:50]
