"""The catalogue (政府信息公开目录) of an agency, and the 基层政务公开标准目录 templates applied to it."""

from django.db import models

from gongkai.agencies.models import Agency


class StandardFields(models.Model):
    """The fields of an entry of a 基层政务公开标准目录 (DOMAIN.md §1.1, practice)."""

    name = models.CharField("公开事项", max_length=200)
    level1 = models.CharField("一级事项", max_length=100, blank=True)
    level2 = models.CharField("二级事项", max_length=100, blank=True)
    content = models.TextField("公开内容（要素）", blank=True)
    basis = models.TextField("公开依据", blank=True)
    time_limit = models.CharField("公开时限", max_length=200, blank=True,
                                  default="信息形成或者变更之日起20个工作日内")
    subject = models.CharField("公开主体", max_length=200, blank=True)
    channels = models.CharField("公开渠道和载体", max_length=300, blank=True)
    audience = models.CharField("公开对象", max_length=20, blank=True, help_text="全社会 / 特定群体")
    mode = models.CharField("公开方式", max_length=20, blank=True, help_text="主动 / 依申请")
    tier = models.CharField("公开层级", max_length=20, blank=True, help_text="县级 / 乡级")

    class Meta:
        abstract = True


class StandardCatalogue(models.Model):
    """A 基层政务公开标准目录 for one domain (国办发〔2019〕54号), kept as a template."""

    name = models.CharField("名称", max_length=200, unique=True)
    domain = models.CharField("领域", max_length=100, blank=True)
    source = models.CharField("来源文件", max_length=200, blank=True)

    class Meta:
        verbose_name = "基层政务公开标准目录"
        verbose_name_plural = "基层政务公开标准目录"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class StandardEntry(StandardFields):
    catalogue = models.ForeignKey(StandardCatalogue, verbose_name="标准目录", on_delete=models.CASCADE,
                                  related_name="entries")
    position = models.PositiveIntegerField("序号", default=0)

    class Meta:
        verbose_name = "标准目录事项"
        verbose_name_plural = "标准目录事项"
        ordering = ["catalogue", "position", "id"]

    def __str__(self) -> str:
        return self.name


class CatalogueEntry(StandardFields):
    """A node of an agency's catalogue tree; items are filed under entries."""

    agency = models.ForeignKey(Agency, verbose_name="机关", on_delete=models.CASCADE, related_name="catalogue")
    parent = models.ForeignKey("self", verbose_name="上级目录", null=True, blank=True, on_delete=models.CASCADE,
                               related_name="children")
    position = models.PositiveIntegerField("序号", default=0)
    standard_entry = models.ForeignKey(StandardEntry, verbose_name="来自标准目录事项", null=True, blank=True,
                                       on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "信息公开目录"
        verbose_name_plural = "信息公开目录"
        ordering = ["agency", "parent_id", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "parent", "name"], name="catalogue_entry_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name
