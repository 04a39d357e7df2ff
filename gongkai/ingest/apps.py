from django.apps import AppConfig


class IngestConfig(AppConfig):
    name = "gongkai.ingest"
    label = "ingest"
    verbose_name = "已发布年度报告的读取与核查"
