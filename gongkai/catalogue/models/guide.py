from django.conf import settings
from django.db import models

from gongkai.agencies.models import Agency


class Guide(models.Model):
    """An agency's 政府信息公开指南 (第十二条): how its information is arranged and how to obtain it,
    and the disclosure office's name, address, hours, phone, fax and internet contact."""

    agency = models.OneToOneField(Agency, verbose_name="机关", on_delete=models.CASCADE, related_name="guide")
    classification = models.TextField("信息分类和编排体系")
    how_to_obtain = models.TextField("获取信息的方式")
    application_procedure = models.TextField("依申请公开的办理程序", blank=True)
    office_name = models.CharField("政府信息公开工作机构名称", max_length=200)
    office_address = models.CharField("办公地址", max_length=300)
    office_hours = models.CharField("办公时间", max_length=200)
    phone = models.CharField("联系电话", max_length=50)
    fax = models.CharField("传真", max_length=50)
    email = models.EmailField("电子邮箱", blank=True)
    website = models.URLField("互联网联系方式（网址）", blank=True)
    postal_code = models.CharField("邮政编码", max_length=6, blank=True)
    supervision = models.TextField("监督和救济", blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="更新人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "政府信息公开指南"
        verbose_name_plural = "政府信息公开指南"

    def __str__(self) -> str:
        return f"{self.agency.name}政府信息公开指南"
