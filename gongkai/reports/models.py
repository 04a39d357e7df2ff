from django.conf import settings
from django.db import models

from gongkai.agencies.models import Agency


class ReportStatus(models.TextChoices):
    """Where an agency's report for a year stands in its sign-off (decision 014)."""

    DRAFT = "draft", "起草中"
    SUBMITTED = "submitted", "已提交审批"
    APPROVED = "approved", "已审批待发布"
    PUBLISHED = "published", "已发布"


class AdministrativeFigures(models.Model):
    """One agency's yearly figures for table 二 that come from other systems
    (licensing, management services, penalty, coercion, fees, procurement).

    Field names are ``<row>_<column>`` with the canonical codes of DOMAIN.md
    §2.1, so the report formats name their cells and nothing maps by hand.
    Amounts are in 万元.
    """

    agency = models.ForeignKey(Agency, verbose_name="机关", on_delete=models.CASCADE, related_name="figures")
    year = models.PositiveSmallIntegerField("年度")

    licensing_previous_year_items = models.PositiveIntegerField("行政许可 上一年项目数量", default=0)
    licensing_change = models.IntegerField("行政许可 本年增/减", default=0)
    licensing_decisions = models.PositiveIntegerField("行政许可 处理决定数量", default=0)
    other_management_services_previous_year_items = models.PositiveIntegerField(
        "其他对外管理服务事项 上一年项目数量", default=0)
    other_management_services_change = models.IntegerField("其他对外管理服务事项 本年增/减", default=0)
    other_management_services_decisions = models.PositiveIntegerField("其他对外管理服务事项 处理决定数量", default=0)
    penalty_previous_year_items = models.PositiveIntegerField("行政处罚 上一年项目数量", default=0)
    penalty_change = models.IntegerField("行政处罚 本年增/减", default=0)
    penalty_decisions = models.PositiveIntegerField("行政处罚 处理决定数量", default=0)
    coercion_previous_year_items = models.PositiveIntegerField("行政强制 上一年项目数量", default=0)
    coercion_change = models.IntegerField("行政强制 本年增/减", default=0)
    coercion_decisions = models.PositiveIntegerField("行政强制 处理决定数量", default=0)
    fees_previous_year_items = models.PositiveIntegerField("行政事业性收费 上一年项目数量", default=0)
    fees_change = models.IntegerField("行政事业性收费 本年增/减", default=0)
    fees_amount = models.DecimalField("行政事业性收费 本年收费金额（万元）", max_digits=14, decimal_places=4, default=0)
    procurement_projects = models.PositiveIntegerField("政府集中采购 采购项目数量", default=0)
    procurement_total_amount = models.DecimalField("政府集中采购 采购总金额（万元）", max_digits=14,
                                                   decimal_places=4, default=0)

    class Meta:
        verbose_name = "年度行政管理数据（表二）"
        verbose_name_plural = "年度行政管理数据（表二）"
        ordering = ["agency", "-year"]
        constraints = [models.UniqueConstraint(fields=["agency", "year"], name="figures_unique_agency_year")]

    def __str__(self) -> str:
        return f"{self.agency} {self.year}年"


class AnnualReport(models.Model):
    """The annual report (政府信息公开工作年度报告) of an agency for a year:
    its narrative sections. The tables are computed from the records."""

    agency = models.ForeignKey(Agency, verbose_name="机关", on_delete=models.CASCADE, related_name="annual_reports")
    year = models.PositiveSmallIntegerField("年度")
    overview = models.TextField("一、总体情况", blank=True)
    problems = models.TextField("五、存在的主要问题及改进情况", blank=True)
    other_matters = models.TextField("六、其他需要报告的事项", blank=True)
    snapshot = models.JSONField(
        "已发布的报告数据", null=True, blank=True, editable=False,
        help_text="发布或导入时冻结的规范 JSON；为空表示按记录实时计算。",
    )
    status = models.CharField("状态", max_length=20, choices=ReportStatus.choices,
                              default=ReportStatus.DRAFT, db_index=True)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="提交人", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField("审批时间", null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="审批人", null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    # While a published report is being corrected: why (the next version carries it).
    correction_reason = models.TextField("更正原因", blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True, null=True)

    class Meta:
        verbose_name = "政府信息公开工作年度报告"
        verbose_name_plural = "政府信息公开工作年度报告"
        ordering = ["agency", "-year"]
        constraints = [models.UniqueConstraint(fields=["agency", "year"], name="annual_report_unique_agency_year")]

    def __str__(self) -> str:
        return f"{self.agency} {self.year}年度政府信息公开工作年度报告"


class AnnualReportVersion(models.Model):
    """One published version of an annual report, frozen: the canonical JSON of
    its tables and checks and the text of its narrative sections as published.

    Versions are only added: a correction publishes version 2 with its reason,
    and version 1 stays readable. The report's ``snapshot`` is the canonical
    JSON of its newest version.
    """

    report = models.ForeignKey(AnnualReport, verbose_name="年度报告", on_delete=models.CASCADE,
                               related_name="versions")
    number = models.PositiveSmallIntegerField("版本号")
    canonical = models.JSONField("规范 JSON")
    overview = models.TextField("一、总体情况", blank=True)
    problems = models.TextField("五、存在的主要问题及改进情况", blank=True)
    other_matters = models.TextField("六、其他需要报告的事项", blank=True)
    published_at = models.DateTimeField("发布时间")
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="发布人", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    reason = models.TextField("更正原因", blank=True, help_text="第一版为空；更正版必须说明原因。")
    imported = models.BooleanField("导入", default=False, help_text="从已发布的报告文件导入，而非在本系统中起草发布。")
    source_name = models.CharField("来源文件", max_length=300, blank=True)

    class Meta:
        verbose_name = "年度报告发布版本"
        verbose_name_plural = "年度报告发布版本"
        ordering = ["report", "number"]
        constraints = [models.UniqueConstraint(fields=["report", "number"], name="report_version_unique_number")]

    def __str__(self) -> str:
        return f"{self.report} 第{self.number}版"

    @property
    def on_time(self) -> bool:
        return self.published_at.date() <= publication_deadline(self.report.year)


def publication_deadline(year: int):
    """条例 第五十条: a department publishes its report for ``year`` by 31 January of the next year."""
    import datetime

    return datetime.date(year + 1, 1, 31)
