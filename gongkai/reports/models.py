from django.db import models

from gongkai.agencies.models import Agency


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

    class Meta:
        verbose_name = "政府信息公开工作年度报告"
        verbose_name_plural = "政府信息公开工作年度报告"
        ordering = ["agency", "-year"]
        constraints = [models.UniqueConstraint(fields=["agency", "year"], name="annual_report_unique_agency_year")]

    def __str__(self) -> str:
        return f"{self.agency} {self.year}年度政府信息公开工作年度报告"
