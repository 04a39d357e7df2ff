from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models

code_validator = RegexValidator(
    r"^[a-z0-9]+(?:-[a-z0-9]+)*$", "代码只能包含小写字母、数字和连字符，例如 xianyou-gxj。"
)


class Region(models.Model):
    """An administrative area (行政区划) whose agencies a supervisor oversees.

    Regions nest (province > city > county); ``path`` is the chain of codes
    from the root, so "every agency under a region" is one indexed prefix
    filter whatever the depth.
    """

    code = models.SlugField("代码", max_length=64, unique=True, validators=[code_validator])
    name = models.CharField("名称", max_length=100)
    parent = models.ForeignKey(
        "self", verbose_name="上级区划", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    path = models.CharField("层级路径", max_length=1000, editable=False, db_index=True)

    class Meta:
        verbose_name = "行政区划"
        verbose_name_plural = "行政区划"
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.path = (self.parent.path if self.parent else "/") + self.code + "/"
        super().save(*args, **kwargs)


class Agency(models.Model):
    """An administrative agency (行政机关) that discloses information and reports yearly."""

    code = models.SlugField("代码", max_length=64, unique=True, validators=[code_validator])
    name = models.CharField("机关全称", max_length=200)
    short_name = models.CharField("简称", max_length=50, blank=True)
    organisation_code = models.CharField(
        "组织机构代码或统一社会信用代码", max_length=18, blank=True,
        help_text="用于生成索引号，如 0142768-8 或 18 位统一社会信用代码。",
    )
    region = models.ForeignKey(Region, verbose_name="所属区划", on_delete=models.PROTECT, related_name="agencies")
    index_pattern = models.CharField(
        "索引号格式", max_length=100, default="{code}/{year}-{seq:05d}",
        help_text="可用 {code}（组织机构代码，未填写时为机关代码）、{year}、{seq}，如 {code}/{year}-{seq:05d}。",
    )

    class Meta:
        verbose_name = "行政机关"
        verbose_name_plural = "行政机关"
        ordering = ["region__path", "code"]

    def __str__(self) -> str:
        return self.name


class Unit(models.Model):
    """An internal unit (股室) that provides and reviews the information it answers for."""

    agency = models.ForeignKey(Agency, verbose_name="机关", on_delete=models.CASCADE, related_name="units")
    name = models.CharField("股室名称", max_length=100)

    class Meta:
        verbose_name = "股室"
        verbose_name_plural = "股室"
        ordering = ["agency", "name"]
        constraints = [models.UniqueConstraint(fields=["agency", "name"], name="unit_unique_name_per_agency")]

    def __str__(self) -> str:
        return f"{self.agency.short_name or self.agency.name} {self.name}"


class Role(models.TextChoices):
    PROVIDER = "provider", "信息提供人"
    REVIEWER = "reviewer", "审核人"
    PUBLISHER = "publisher", "发布人（办公室）"
    REGISTRAR = "registrar", "申请登记人"
    HANDLER = "handler", "申请承办人"
    APPROVER = "approver", "审批人"
    AGENCY_ADMIN = "agency_admin", "机关管理员"


class Membership(models.Model):
    """A staff member's role in an agency, optionally within one unit."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="用户", on_delete=models.CASCADE,
                             related_name="memberships")
    agency = models.ForeignKey(Agency, verbose_name="机关", on_delete=models.CASCADE, related_name="memberships")
    unit = models.ForeignKey(Unit, verbose_name="股室", null=True, blank=True, on_delete=models.SET_NULL)
    role = models.CharField("角色", max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = "工作人员角色"
        verbose_name_plural = "工作人员角色"
        constraints = [
            models.UniqueConstraint(fields=["user", "agency", "unit", "role"], name="membership_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.agency} · {self.get_role_display()}"


class Supervision(models.Model):
    """A supervisor (政务公开办) who sees every agency under a region."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="用户", on_delete=models.CASCADE,
                             related_name="supervisions")
    region = models.ForeignKey(Region, verbose_name="区划", on_delete=models.CASCADE, related_name="supervisions")

    class Meta:
        verbose_name = "政务公开监督人员"
        verbose_name_plural = "政务公开监督人员"
        constraints = [models.UniqueConstraint(fields=["user", "region"], name="supervision_unique")]

    def __str__(self) -> str:
        return f"{self.user} · {self.region}"


class CalendarDay(models.Model):
    """One dated exception to Monday–Friday: a holiday or a make-up working day (调休).

    The State Council announces next year's schedule in Oct–Dec, often before
    the ``chinesecalendar`` package has it; an administrator enters it here.
    A year with at least one row counts as officially known, so rows are also
    how a year beyond the package becomes "confirmed". Inside the package's
    years a row corrects the package.
    """

    day = models.DateField("日期", unique=True)
    is_working_day = models.BooleanField(
        "是否工作日", default=False, help_text="勾选表示当天上班（如周末调休上班）；不勾选表示放假。"
    )
    name = models.CharField("名称", max_length=50, blank=True, help_text="如 春节、国庆节、调休上班。")

    class Meta:
        verbose_name = "节假日与调休"
        verbose_name_plural = "节假日与调休"
        ordering = ["day"]

    def __str__(self) -> str:
        kind = "上班" if self.is_working_day else "放假"
        return f"{self.day:%Y-%m-%d} {self.name or kind}（{kind}）"
