from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q

from gongkai.agencies.models import Agency, Unit


class DocumentType(models.TextChoices):
    """What table 二 counts an item as; everything else is ``OTHER``."""

    REGULATION = "regulation", "规章"
    NORMATIVE_DOCUMENT = "normative_document", "行政规范性文件"
    OTHER = "other", "其他政府信息"


class Validity(models.TextChoices):
    VALID = "valid", "有效"
    EXPIRED = "expired", "失效"
    ABOLISHED = "abolished", "废止"
    AMENDED = "amended", "已修改"


class Item(models.Model):
    """A piece of government information proactively disclosed (主动公开).

    Table 二 counts 规章 and 行政规范性文件 from ``formed_on`` (成文日期),
    ``published_on`` (发布日期) and ``abolished_on`` (the day it stopped being
    in force, by 废止 or 失效).
    """

    agency = models.ForeignKey(Agency, verbose_name="发布机构", on_delete=models.PROTECT, related_name="items")
    unit = models.ForeignKey(Unit, verbose_name="提供股室", null=True, blank=True, on_delete=models.SET_NULL)
    title = models.CharField("标题", max_length=300)
    document_type = models.CharField("文件类型", max_length=20, choices=DocumentType.choices,
                                     default=DocumentType.OTHER, db_index=True)
    topic = models.CharField("主题分类", max_length=100, blank=True)
    document_number = models.CharField("文号", max_length=100, blank=True)
    formed_on = models.DateField("成文日期")
    published_on = models.DateField("发布日期", null=True, blank=True, help_text="尚未发布的留空。")
    validity = models.CharField("有效性", max_length=10, choices=Validity.choices, default=Validity.VALID)
    effective_on = models.DateField("实施日期", null=True, blank=True)
    abolished_on = models.DateField("废止日期", null=True, blank=True, help_text="废止或失效之日。")

    class Meta:
        verbose_name = "主动公开信息"
        verbose_name_plural = "主动公开信息"
        ordering = ["-published_on", "-id"]
        indexes = [models.Index(fields=["agency", "document_type", "published_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(published_on__isnull=True) | Q(published_on__gte=F("formed_on")),
                name="item_published_after_formed",
            ),
            models.CheckConstraint(
                condition=Q(abolished_on__isnull=True) | Q(abolished_on__gte=F("formed_on")),
                name="item_abolished_after_formed",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self):
        if self.published_on and self.formed_on and self.published_on < self.formed_on:
            raise ValidationError({"published_on": "发布日期不能早于成文日期。"})
        if self.abolished_on and self.formed_on and self.abolished_on < self.formed_on:
            raise ValidationError({"abolished_on": "废止日期不能早于成文日期。"})
        if self.validity in (Validity.ABOLISHED, Validity.EXPIRED) and not self.abolished_on:
            raise ValidationError({"abolished_on": "已废止或失效的文件须填写废止日期。"})
