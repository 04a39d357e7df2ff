"""What an agency sets for its letters (告知书): the letterhead and remedies, and its own template texts."""

from django.core.exceptions import ValidationError
from django.db import models

from gongkai.agencies.models import Agency

from ..letters.defaults import TEMPLATE_EMPTY, letter_template_compile
from ..letters.kinds import LetterKind


class LetterSettings(models.Model):
    """One agency's letter layout and the bodies its letters name for remedies; created on first use."""

    agency = models.OneToOneField(Agency, verbose_name="机关", on_delete=models.CASCADE,
                                  related_name="letter_settings")
    letterhead = models.CharField("函头", max_length=100, blank=True, help_text="留空则使用机关全称。")
    office = models.CharField("落款单位", max_length=100, blank=True,
                              help_text="如 某某局 或 某某局政府信息公开工作机构；留空则使用机关全称。")
    number_prefix = models.CharField("文号前缀", max_length=30, blank=True,
                                     help_text="如 仙工信依申，文号为 仙工信依申〔2026〕12号；留空则为 依申请〔2026〕12号。")
    address = models.CharField("通信地址", max_length=200, blank=True)
    postal_code = models.CharField("邮政编码", max_length=6, blank=True)
    phone = models.CharField("联系电话", max_length=30, blank=True)
    contact_person = models.CharField("联系人", max_length=50, blank=True)
    reconsideration_body = models.CharField(
        "行政复议机关", max_length=100, blank=True,
        help_text="县级以上人民政府工作部门一般为本级人民政府，如 仙游县人民政府；留空则为“所属区划名称+人民政府”。")
    court = models.CharField(
        "行政诉讼管辖法院", max_length=100, blank=True,
        help_text="实行行政案件集中管辖的地方，请填写集中管辖法院；留空则为“所属区划名称+人民法院”。")
    fee_payment_method = models.TextField("缴费方式", blank=True,
                                          help_text="写入收费通知书，如 缴费账户、地点和需携带的材料。")
    footer = models.CharField("页脚", max_length=200, blank=True,
                              help_text="印在每页底部，如 本告知书一式两份，一份送达申请人，一份存档。")
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "告知书设置"
        verbose_name_plural = "告知书设置"

    def __str__(self) -> str:
        return f"{self.agency} 告知书设置"

    @classmethod
    def defaults_for(cls, agency: Agency) -> "LetterSettings":
        """Unsaved settings filled from the agency: its name and its region's government and court."""
        region = agency.region.name
        return cls(agency=agency, letterhead=agency.name, office=agency.name,
                   reconsideration_body=f"{region}人民政府", court=f"{region}人民法院")


class LetterTemplate(models.Model):
    """An agency's own text for one kind of letter; kinds without one use the built-in default.

    ``title`` and ``body`` are Django template texts limited to variables,
    ``{% if %}`` and ``{% for %}``; they are checked whenever they are saved.
    """

    agency = models.ForeignKey(Agency, verbose_name="机关", on_delete=models.CASCADE,
                               related_name="letter_templates")
    kind = models.CharField("告知书类型", max_length=40, choices=LetterKind.choices)
    title = models.CharField("标题", max_length=200, blank=True, help_text="留空则使用默认标题。")
    body = models.TextField("正文", help_text="每一行为一个段落；可使用 {{ 变量 }}、{% if %} 和 {% for %}。")
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "告知书模板"
        verbose_name_plural = "告知书模板"
        ordering = ["agency", "kind"]
        constraints = [models.UniqueConstraint(fields=["agency", "kind"], name="letter_template_unique_kind")]

    def __str__(self) -> str:
        return f"{self.agency} · {self.get_kind_display()}"

    def clean(self):
        errors = {}
        if not self.body.strip():
            errors["body"] = TEMPLATE_EMPTY
        for field in ("title", "body"):
            if field in errors:
                continue
            try:
                letter_template_compile(getattr(self, field))
            except ValidationError as e:
                errors[field] = e.messages
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        # Templates written from code or the shell are checked like the admin's.
        self.clean()
        super().save(*args, **kwargs)
