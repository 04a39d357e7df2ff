"""The kinds of letter (告知书) an agency sends about an application, and the law each one cites.

Every outcome of table 三 has one reply letter (答复告知书) for its group,
and each outcome carries its statutory grounds: the articles of the 条例 and
the sentence the letter states. Replies, the 补正 notice, the extension
notice and the fee notice tell the applicant how to challenge them
(行政复议法: sixty days; 行政诉讼法 第四十六条: six months).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models

from gongkai.applications.models.choices import Outcome

REGULATION = "《中华人民共和国政府信息公开条例》"


class LetterKind(models.TextChoices):
    CORRECTION_NOTICE = "correction_notice", "补正告知书"
    EXTENSION_NOTICE = "extension_notice", "延期答复告知书"
    CONSULTATION_LETTER = "consultation_letter", "第三方意见征询函"
    FEE_NOTICE = "fee_notice", "收费通知书"
    REPLY_DISCLOSED = "reply_disclosed", "答复告知书（予以公开、部分公开）"
    REPLY_ALREADY_PUBLISHED = "reply_already_published", "答复告知书（已主动公开）"
    REPLY_WITHHELD = "reply_withheld", "答复告知书（不予公开）"
    REPLY_UNAVAILABLE = "reply_unavailable", "答复告知书（无法提供）"
    REPLY_NOT_PROCESSED = "reply_not_processed", "答复告知书（不予处理）"
    REPLY_OTHER = "reply_other", "答复告知书（其他处理）"


REPLY_KINDS = frozenset({
    LetterKind.REPLY_DISCLOSED, LetterKind.REPLY_ALREADY_PUBLISHED, LetterKind.REPLY_WITHHELD,
    LetterKind.REPLY_UNAVAILABLE, LetterKind.REPLY_NOT_PROCESSED, LetterKind.REPLY_OTHER,
})
# Letters that decide something about the applicant state the remedies; the
# consultation letter goes to a third party or another agency and does not.
KINDS_WITH_REMEDIES = REPLY_KINDS | {LetterKind.CORRECTION_NOTICE, LetterKind.EXTENSION_NOTICE, LetterKind.FEE_NOTICE}

# The outcome group (the part of the code before the dot) → its reply letter.
_REPLY_BY_GROUP = {
    "disclosed": LetterKind.REPLY_DISCLOSED,
    "partially_disclosed": LetterKind.REPLY_DISCLOSED,
    "withheld": LetterKind.REPLY_WITHHELD,
    "unavailable": LetterKind.REPLY_UNAVAILABLE,
    "not_processed": LetterKind.REPLY_NOT_PROCESSED,
    "other": LetterKind.REPLY_OTHER,
}


def reply_kind_for(outcome: str) -> LetterKind:
    """The reply letter for an outcome code, e.g. ``withheld.state_secret`` → ``reply_withheld``."""
    if outcome not in Outcome.values:
        raise ValueError(f"未知的办理结果：{outcome!r}")
    return _REPLY_BY_GROUP[outcome.split(".", 1)[0]]


def reply_kinds_for(outcome: str) -> tuple[LetterKind, ...]:
    """Every reply letter that may answer an outcome: information already published
    (第三十六条第（一）项) is counted as 予以公开 but has its own letter."""
    kind = reply_kind_for(outcome)
    if outcome == Outcome.DISCLOSED:
        return kind, LetterKind.REPLY_ALREADY_PUBLISHED
    return (kind,)


@dataclass(frozen=True)
class Grounds:
    """What a reply letter states for one outcome: the articles of the 条例 and why."""

    articles: str
    statement: str


OUTCOME_GROUNDS: dict[str, Grounds] = {
    Outcome.DISCLOSED: Grounds("第三十六条第（二）项", "您申请公开的信息属于可以公开的政府信息"),
    Outcome.PARTIALLY_DISCLOSED: Grounds(
        "第三十六条第（二）项、第三十七条",
        "您申请公开的信息中含有不应当公开或者不属于政府信息的内容，但是能够作区分处理"),
    Outcome.WITHHELD_STATE_SECRET: Grounds(
        "第十四条、第三十六条第（三）项", "您申请公开的信息属于依法确定为国家秘密的政府信息"),
    Outcome.WITHHELD_PROHIBITED_BY_LAW: Grounds(
        "第十四条、第三十六条第（三）项", "您申请公开的信息属于法律、行政法规禁止公开的政府信息"),
    Outcome.WITHHELD_SECURITY_STABILITY: Grounds(
        "第十四条、第三十六条第（三）项", "您申请公开的信息公开后可能危及国家安全、公共安全、经济安全、社会稳定"),
    Outcome.WITHHELD_THIRD_PARTY_RIGHTS: Grounds(
        "第十五条、第三十二条、第三十六条第（三）项",
        "您申请公开的信息涉及商业秘密、个人隐私等，公开会对第三方合法权益造成损害"),
    Outcome.WITHHELD_INTERNAL_AFFAIRS: Grounds(
        "第十六条第一款、第三十六条第（三）项",
        "您申请公开的信息属于行政机关的内部事务信息（人事管理、后勤管理、内部工作流程等）"),
    Outcome.WITHHELD_PROCESS_INFORMATION: Grounds(
        "第十六条第二款、第三十六条第（三）项",
        "您申请公开的信息属于行政机关在履行行政管理职能过程中形成的讨论记录、过程稿、磋商信函、请示报告等过程性信息"),
    Outcome.WITHHELD_ENFORCEMENT_FILES: Grounds(
        "第十六条第二款、第三十六条第（三）项", "您申请公开的信息属于行政执法案卷信息"),
    Outcome.WITHHELD_ADMINISTRATIVE_QUERY: Grounds(
        "第三十六条第（三）项、第（七）项",
        "您申请公开的信息属于行政查询事项，有关法律、行政法规对信息的获取有特别规定"),
    Outcome.UNAVAILABLE_NOT_HELD: Grounds(
        "第三十六条第（四）项", "本机关没有制作或者获取您申请公开的政府信息，该政府信息不存在"),
    Outcome.UNAVAILABLE_NEEDS_CREATION: Grounds(
        "第三十八条", "本机关没有您所需的现成信息，提供该信息需要对现有政府信息进行加工、分析或者另行制作"),
    Outcome.UNAVAILABLE_STILL_UNCLEAR: Grounds(
        "第三十条", "您补正后的申请内容仍不明确，本机关无法确定您所需的政府信息"),
    Outcome.NOT_PROCESSED_PETITION: Grounds(
        "第三十九条第一款",
        "您的申请属于以政府信息公开申请的形式进行信访、投诉、举报等活动，不作为政府信息公开申请处理，您可以通过相应渠道提出"),
    Outcome.NOT_PROCESSED_REPEATED: Grounds(
        "第三十六条第（六）项", "本机关已就您提出的政府信息公开申请作出答复，您重复申请公开相同政府信息"),
    Outcome.NOT_PROCESSED_PUBLICATION: Grounds(
        "第三十九条第二款", "您申请获取的是政府公报、报刊、书籍等公开出版物，可以通过公开发行渠道获取"),
    Outcome.NOT_PROCESSED_EXCESSIVE: Grounds(
        "第三十五条", "您申请公开政府信息的数量、频次明显超过合理范围，且申请理由不合理"),
    Outcome.NOT_PROCESSED_CONFIRMATION: Grounds(
        "第二条", "您的申请属于要求行政机关确认或者重新出具已获取的信息，不属于申请获取政府信息"),
    Outcome.OTHER_NO_CORRECTION: Grounds(
        "第三十条", "您无正当理由逾期未补正，视为放弃申请，本机关不再处理该政府信息公开申请"),
    Outcome.OTHER_UNPAID_FEE: Grounds(
        "第四十二条",
        "您逾期未按收费通知要求缴纳信息处理费，视为放弃申请，本机关不再处理该政府信息公开申请"),
    # Withdrawal and the like: the handler's legal basis says what happened.
    Outcome.OTHER_OTHER: Grounds("", ""),
}
