from django.conf import settings
from django.db import models

from .application import Application


class DocumentKind(models.TextChoices):
    APPLICATION_FORM = "application_form", "申请表或申请信件扫描件"
    IDENTITY_PROOF = "identity_proof", "身份证明"
    ATTACHMENT = "attachment", "其他附件"
    LETTER = "letter", "告知书"
    DELIVERY_PROOF = "delivery_proof", "送达凭证"


def document_path(instance, filename: str) -> str:
    return f"applications/{instance.application.agency.code}/{instance.application_id}/{filename}"


class Document(models.Model):
    """A file kept with an application: scans and attachments (checked by content), letters, proof of delivery."""

    application = models.ForeignKey(Application, verbose_name="申请", on_delete=models.CASCADE,
                                    related_name="documents")
    kind = models.CharField("类型", max_length=30, choices=DocumentKind.choices)
    letter_kind = models.CharField("告知书类型", max_length=40, blank=True)
    title = models.CharField("名称", max_length=200)
    file = models.FileField("文件", upload_to=document_path, max_length=300)
    content_type = models.CharField("文件类型", max_length=100)
    size = models.PositiveIntegerField("大小（字节）")
    sha256 = models.CharField("SHA-256", max_length=64)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="上传人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "申请材料"
        verbose_name_plural = "申请材料"
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.title
