from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q

from gongkai.agencies.models import Agency, Unit

from .choices import DisclosureMode, DocumentType, Genre, ItemStatus, PublicationChannel, Validity

ABSTRACT_MAX_LENGTH = 100  # 内容概述 (practice)


class Item(models.Model):
    """A piece of government information proactively disclosed (主动公开), from draft to publication.

    Table 二 counts 规章 and 行政规范性文件 from ``formed_on`` (成文日期),
    ``published_on`` (发布日期) and ``abolished_on`` (the day it stopped
    being in force, by 废止 or 失效); a withdrawn item is not counted.
    """

    agency = models.ForeignKey(Agency, verbose_name="发布机构", on_delete=models.PROTECT, related_name="items")
    unit = models.ForeignKey(Unit, verbose_name="提供股室", null=True, blank=True, on_delete=models.SET_NULL)
    status = models.CharField("状态", max_length=20, choices=ItemStatus.choices, default=ItemStatus.DRAFT,
                              db_index=True)
    index_number = models.CharField("索引号", max_length=60, unique=True, null=True, blank=True, editable=False)

    title = models.CharField("标题", max_length=300)
    document_type = models.CharField("文件类型", max_length=20, choices=DocumentType.choices,
                                     default=DocumentType.OTHER, db_index=True)
    topic = models.CharField("主题分类", max_length=100, blank=True)
    genre = models.CharField("体裁", max_length=20, choices=Genre.choices, blank=True)
    document_number = models.CharField("文号", max_length=100, blank=True)
    keywords = models.CharField("关键词", max_length=200, blank=True)
    abstract = models.CharField("内容概述", max_length=ABSTRACT_MAX_LENGTH, blank=True)
    body = models.TextField("正文", blank=True, help_text="保存时自动清理不安全的内容。")
    disclosure_mode = models.CharField("公开方式", max_length=20, choices=DisclosureMode.choices,
                                       default=DisclosureMode.PROACTIVE)

    formed_on = models.DateField("成文日期")
    changed_on = models.DateField("变更日期", null=True, blank=True, help_text="信息变更时填写，公开时限自变更之日起算。")
    published_on = models.DateField("发布日期", null=True, blank=True, help_text="尚未发布的留空。")
    validity = models.CharField("有效性", max_length=10, choices=Validity.choices, default=Validity.VALID)
    effective_on = models.DateField("实施日期", null=True, blank=True)
    abolished_on = models.DateField("废止日期", null=True, blank=True, help_text="废止或失效之日。")

    interprets = models.ForeignKey("self", verbose_name="解读的文件", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="interpretations",
                                   help_text="政策解读填写所解读的文件。")
    entry = models.ForeignKey("catalogue.CatalogueEntry", verbose_name="目录", null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="items")
    channels = models.JSONField("发布渠道", default=list, blank=True)

    late = models.BooleanField("超过公开时限", default=False,
                               help_text="发布日期晚于形成或变更之日起20个工作日。")
    late_confirmed = models.BooleanField("时限计算已按官方日历确认", default=True)
    scheduled_for = models.DateTimeField("定时发布时间", null=True, blank=True)
    version = models.PositiveIntegerField("版本", default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="提供人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="审核人", null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    review_note = models.TextField("保密审查意见", blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="发布人", null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    withdrawal_reason = models.TextField("撤回理由", blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True, null=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True, null=True)

    class Meta:
        verbose_name = "主动公开信息"
        verbose_name_plural = "主动公开信息"
        ordering = ["-published_on", "-id"]
        indexes = [
            models.Index(fields=["agency", "document_type", "published_on"]),
            models.Index(fields=["agency", "status", "published_on"]),
        ]
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

    @property
    def formed_or_changed_on(self):
        """The day the 20 working days of 第二十六条 run from."""
        return max(filter(None, [self.formed_on, self.changed_on]), default=None)

    def clean(self):
        errors = {}
        if self.published_on and self.formed_on and self.published_on < self.formed_on:
            errors["published_on"] = "发布日期不能早于成文日期。"
        if self.abolished_on and self.formed_on and self.abolished_on < self.formed_on:
            errors["abolished_on"] = "废止日期不能早于成文日期。"
        if self.validity in (Validity.ABOLISHED, Validity.EXPIRED) and not self.abolished_on:
            errors["abolished_on"] = "已废止或失效的文件须填写废止日期。"
        if self.effective_on and self.abolished_on and self.abolished_on < self.effective_on:
            errors["abolished_on"] = "废止日期不能早于实施日期。"
        if self.changed_on and self.formed_on and self.changed_on < self.formed_on:
            errors["changed_on"] = "变更日期不能早于成文日期。"
        unknown = [c for c in self.channels or [] if c not in PublicationChannel.values]
        if unknown:
            errors["channels"] = "未知的发布渠道：" + "、".join(map(str, unknown))
        if self.interprets_id and self.interprets_id == self.pk:
            errors["interprets"] = "政策解读不能解读自身。"
        if self.interprets_id and self.interprets and self.interprets.agency_id != self.agency_id:
            errors["interprets"] = "只能关联本机关发布的文件。"
        if self.entry_id and self.entry and self.entry.agency_id != self.agency_id:
            errors["entry"] = "只能归入本机关的信息公开目录。"
        if self.unit_id and self.unit and self.unit.agency_id != self.agency_id:
            errors["unit"] = "只能选择本机关的股室。"
        if errors:
            raise ValidationError(errors)


class ItemVersion(models.Model):
    """An earlier state of an item, kept when it is amended or withdrawn (version history)."""

    item = models.ForeignKey(Item, verbose_name="信息", on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveIntegerField("版本")
    data = models.JSONField("内容")
    reason = models.TextField("修改或撤回理由")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="操作人", null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "历史版本"
        verbose_name_plural = "历史版本"
        ordering = ["item", "version"]
        constraints = [models.UniqueConstraint(fields=["item", "version"], name="item_version_unique")]


def attachment_path(instance, filename: str) -> str:
    return f"items/{instance.item.agency.code}/{instance.item_id}/{filename}"


class Attachment(models.Model):
    """A file published with an item, checked by content; its text is kept for search."""

    item = models.ForeignKey(Item, verbose_name="信息", on_delete=models.CASCADE, related_name="attachments")
    title = models.CharField("名称", max_length=200)
    file = models.FileField("文件", upload_to=attachment_path, max_length=300)
    content_type = models.CharField("文件类型", max_length=100)
    size = models.PositiveIntegerField("大小（字节）")
    sha256 = models.CharField("SHA-256", max_length=64)
    text = models.TextField("提取的文本", blank=True, editable=False)
    created_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "附件"
        verbose_name_plural = "附件"
        ordering = ["item", "id"]

    def __str__(self) -> str:
        return self.title


class IndexSequence(models.Model):
    """The last 索引号 sequence number given in an agency's year; only ever grows, so none is reused."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "索引号计数器"
        verbose_name_plural = "索引号计数器"
        constraints = [models.UniqueConstraint(fields=["agency", "year"], name="index_sequence_unique")]
