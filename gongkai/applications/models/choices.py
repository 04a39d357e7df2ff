from django.db import models


class ApplicantType(models.TextChoices):
    """The applicant columns of table 三 (DOMAIN.md §2.2)."""

    NATURAL_PERSON = "natural_person", "自然人"
    COMMERCIAL_ENTERPRISE = "commercial_enterprise", "商业企业"
    RESEARCH_INSTITUTION = "research_institution", "科研机构"
    SOCIAL_WELFARE_ORGANIZATION = "social_welfare_organization", "社会公益组织"
    LEGAL_SERVICE_AGENCY = "legal_service_agency", "法律服务机构"
    OTHER_ORGANIZATION = "other_organization", "其他"


class Channel(models.TextChoices):
    """How the application arrived; it fixes the date of receipt (第三十一条)."""

    IN_PERSON = "in_person", "当面提交"
    SIGNED_MAIL = "signed_mail", "邮寄（需签收）"
    ORDINARY_MAIL = "ordinary_mail", "平常信函"
    ONLINE = "online", "互联网（在线申请）"
    FAX = "fax", "传真"
    EMAIL = "email", "电子邮件"
    ORAL = "oral", "口头申请（工作人员代填）"


class Outcome(models.TextChoices):
    """How an application ended: an outcome row of table 三 (DOMAIN.md §2.3).

    The 2021 format's three kinds of 其他处理 are stored; the 2019 format
    counts them in its single 其他处理 row.
    """

    DISCLOSED = "disclosed", "予以公开"
    PARTIALLY_DISCLOSED = "partially_disclosed", "部分公开"
    WITHHELD_STATE_SECRET = "withheld.state_secret", "不予公开：属于国家秘密"
    WITHHELD_PROHIBITED_BY_LAW = "withheld.prohibited_by_law", "不予公开：其他法律行政法规禁止公开"
    WITHHELD_SECURITY_STABILITY = "withheld.security_stability", "不予公开：危及“三安全一稳定”"
    WITHHELD_THIRD_PARTY_RIGHTS = "withheld.third_party_rights", "不予公开：保护第三方合法权益"
    WITHHELD_INTERNAL_AFFAIRS = "withheld.internal_affairs", "不予公开：属于三类内部事务信息"
    WITHHELD_PROCESS_INFORMATION = "withheld.process_information", "不予公开：属于四类过程性信息"
    WITHHELD_ENFORCEMENT_FILES = "withheld.enforcement_files", "不予公开：属于行政执法案卷"
    WITHHELD_ADMINISTRATIVE_QUERY = "withheld.administrative_query", "不予公开：属于行政查询事项"
    UNAVAILABLE_NOT_HELD = "unavailable.not_held", "无法提供：本机关不掌握相关政府信息"
    UNAVAILABLE_NEEDS_CREATION = "unavailable.needs_creation", "无法提供：没有现成信息需要另行制作"
    UNAVAILABLE_STILL_UNCLEAR = "unavailable.still_unclear", "无法提供：补正后申请内容仍不明确"
    NOT_PROCESSED_PETITION = "not_processed.petition", "不予处理：信访举报投诉类申请"
    NOT_PROCESSED_REPEATED = "not_processed.repeated", "不予处理：重复申请"
    NOT_PROCESSED_PUBLICATION = "not_processed.publication", "不予处理：要求提供公开出版物"
    NOT_PROCESSED_EXCESSIVE = "not_processed.excessive", "不予处理：无正当理由大量反复申请"
    NOT_PROCESSED_CONFIRMATION = "not_processed.confirmation", "不予处理：要求行政机关确认或重新出具已获取信息"
    OTHER_NO_CORRECTION = "other.no_correction", "其他处理：逾期不补正"
    OTHER_UNPAID_FEE = "other.unpaid_fee", "其他处理：逾期未缴纳费用"
    OTHER_OTHER = "other.other", "其他处理：其他（含申请人撤回）"


class Status(models.TextChoices):
    """Where an application stands in the workflow (README: the state diagram)."""

    PENDING_CONFIRMATION = "pending_confirmation", "待确认收到"
    REGISTERED = "registered", "办理中"
    CORRECTION = "correction", "补正中"
    CONSULTING = "consulting", "征求意见中"
    FEE_NOTICE = "fee_notice", "待缴费"
    DECIDED = "decided", "已答复"
    DELIVERED = "delivered", "已送达"
    ARCHIVED = "archived", "已归档"


# The reply clock runs in REGISTERED; CORRECTION, CONSULTING and FEE_NOTICE stop or pause it.
OPEN_STATUSES = (Status.PENDING_CONFIRMATION, Status.REGISTERED, Status.CORRECTION, Status.CONSULTING,
                 Status.FEE_NOTICE)
CONCLUDED_STATUSES = (Status.DECIDED, Status.DELIVERED, Status.ARCHIVED)


class IdentityType(models.TextChoices):
    RESIDENT_ID = "resident_id", "居民身份证"
    PASSPORT = "passport", "护照"
    HK_MACAO_PERMIT = "hk_macao_permit", "港澳居民来往内地通行证"
    TAIWAN_PERMIT = "taiwan_permit", "台湾居民来往大陆通行证"
    FOREIGN_RESIDENT_ID = "foreign_resident_id", "外国人永久居留身份证"
    CREDIT_CODE = "credit_code", "统一社会信用代码"
    OTHER = "other", "其他证件"


class DeliveryForm(models.TextChoices):
    """The form in which the applicant wants the information (第二十九条)."""

    PAPER = "paper", "纸质"
    EMAIL = "email", "电子邮件"
    ELECTRONIC_MEDIA = "electronic_media", "电子文档（光盘、U盘等）"
    ON_SITE = "on_site", "当场阅读、抄录"


class DeliveryMethod(models.TextChoices):
    """How the reply reaches the applicant."""

    MAIL = "mail", "邮寄"
    PICK_UP = "pick_up", "自行领取"
    EMAIL = "email", "电子邮件"
    FAX = "fax", "传真"
    ONLINE = "online", "网上获取"
    ON_SITE = "on_site", "当场送达"


class PartyKind(models.TextChoices):
    THIRD_PARTY = "third_party", "第三方（第三十二条）"
    OTHER_AGENCY = "other_agency", "其他机关（第三十四条）"


class Opinion(models.TextChoices):
    CONSENT = "consent", "同意公开"
    OBJECTION = "objection", "不同意公开"
    NO_REPLY = "no_reply", "逾期未答复"


class ExtensionStatus(models.TextChoices):
    REQUESTED = "requested", "待审批"
    APPROVED = "approved", "已批准"
    REFUSED = "refused", "未批准"
