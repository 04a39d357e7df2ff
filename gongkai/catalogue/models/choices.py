from django.db import models


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


class ItemStatus(models.TextChoices):
    """Where a piece of information stands in the chain 谁提供，谁审核，谁负责 → the office publishes."""

    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "待审核"
    RETURNED = "returned", "退回修改"
    APPROVED = "approved", "审核通过，待发布"
    SCHEDULED = "scheduled", "定时发布"
    PUBLISHED = "published", "已发布"
    WITHDRAWN = "withdrawn", "已撤回"


class Genre(models.TextChoices):
    """体裁: the kind of document (公文种类, 党政机关公文处理工作条例 第八条, and common others)."""

    NOTICE = "notice", "通知"
    OPINION = "opinion", "意见"
    MEASURES = "measures", "办法"
    PROVISIONS = "provisions", "规定"
    ANNOUNCEMENT = "announcement", "公告"
    PUBLIC_NOTICE = "public_notice", "通告"
    DECISION = "decision", "决定"
    REPORT = "report", "报告"
    REPLY = "reply", "批复"
    LETTER = "letter", "函"
    PLAN = "plan", "规划、计划"
    INTERPRETATION = "interpretation", "政策解读"
    NEWS = "news", "工作动态"
    OTHER = "other", "其他"


class DisclosureMode(models.TextChoices):
    PROACTIVE = "proactive", "主动公开"
    ON_APPLICATION = "on_application", "依申请公开"
    NOT_DISCLOSED = "not_disclosed", "不予公开"


class PublicationChannel(models.TextChoices):
    """Where an item was published (第二十三–二十五条)."""

    WEBSITE = "website", "政府网站信息公开专栏"
    WECHAT = "wechat", "政务微信公众号"
    BULLETIN_BOARD = "bulletin_board", "政务公开栏"
    SERVICE_GUIDE = "service_guide", "办事服务指南"
