"""What the parser recognises in a published report, as data.

Row and column labels come from ``reports/formats.py`` (the verbatim printed
labels); this module only adds the variants real reports print — aliases,
headings, header words to ignore, and the words that tell the formats apart.
Everything is compared after ``normalize`` (NFKC, no spaces, no punctuation).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Variants printed instead of a row's label, by table and row code.
ROW_ALIASES: dict[str, dict[str, tuple[str, ...]]] = {
    "proactive": {
        "normative_documents": ("规范性文件", "行政规范性文件"),
        "other_management_services": ("其他对外管理服务事项", "其他对外管理服务"),
        "fees": ("行政事业性收费",),
        "procurement": ("政府集中采购",),
    },
    "applications": {
        "new_received": ("本年新收政府信息公开申请数量", "本年新收政府信息公开申请"),
        "carried_over": ("上年结转政府信息公开申请数量", "上年结转政府信息公开申请"),
        "partially_disclosed": ("部分公开",),
        "withheld.security_stability": ("危及三安全一稳定",),
        "not_processed.confirmation": ("要求行政机关确认或重新出具已获取信息",),
        "other.other": ("其他",),
        "total_handled": ("总计",),
        "carried_forward": ("结转下年度继续办理",),
    },
    "appeals": {},
}

# Section headings: a short line containing one of these (numbering and punctuation removed).
HEADINGS = {
    "proactive": ("主动公开政府信息情况", "主动公开政府信息"),
    "applications": ("收到和处理政府信息公开申请", "收到和处理依申请公开"),
    "appeals": ("政府信息公开行政复议行政诉讼", "政府信息公开行政复议和行政诉讼", "行政复议行政诉讼情况",
                "行政复议和行政诉讼情况"),
    "end": ("存在的主要问题", "主要问题及改进", "其他需要报告的事项"),
}

# Words a table prints near its start: the heading followed by one of them is the table's
# (a sub-heading of 一、总体情况 such as （一）主动公开政府信息情况 is not).
TABLE_STARTS = {
    "proactive": ("第二十条", "信息内容", "规章", "行政许可"),
    "applications": ("申请人情况", "自然人", "本年新收", "勾稽关系"),
    "appeals": ("结果维持", "维持", "未经复议直接起诉", "尚未审结"),
}

# Header words of table 三 that a page break may repeat between a label and its figures.
HEADER_WORDS = (
    "本列数据的勾稽关系为第一项加第二项之和等于第三项加第四项之和",
    "申请人情况", "法人或其他组织", "自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构",
    "本年度办理结果",
)

# Words found only in one format's tables.
FORMAT_MARKERS = {
    "2019": ("本年新制作数量", "本年新公开数量", "对外公开总数量", "上一年项目数量", "本年增减",
             "其他对外管理服务事项", "政府集中采购", "采购项目数量", "采购总金额"),
    "2021": ("本年制发件数", "本年废止件数", "现行有效件数", "本年处理决定数量", "本年收费金额",
             "逾期不补正", "逾期未按收费通知要求缴纳费用"),
}

# Printed figures that mean "nothing" and are read as 0 (with a note).
NIL_FIGURES = ("—", "——", "-", "--", "/", "无", "－", "―", "–")

_DROP = re.compile(r"[\s\u3000()（）\[\]【】{}“”\"'‘’、，,。.:：;；《》<>「」·•_|*#+＋/／\\~～!！?？=…\-—–―]+")
_TAGS = re.compile(r"</?[a-zA-Z][^>]*>")


def fold(text: str) -> str:
    """NFKC (full-width digits and brackets become ASCII, ① becomes 1)."""
    return unicodedata.normalize("NFKC", text)


def normalize(text: str) -> str:
    return _DROP.sub("", _TAGS.sub("", fold(text)))


@lru_cache(maxsize=8192)
def bigrams(text: str) -> frozenset[str]:
    if len(text) < 2:
        return frozenset({text}) if text else frozenset()
    return frozenset(text[i:i + 2] for i in range(len(text) - 1))


# Numbering in front of a label: 一、 (一) 1. 1、 ① (folded to 1) — a digit is numbering
# only when a label word follows, never a unit (万元, 件, 条 …).
NUMBERING = re.compile(
    r"[一二三四五六七八九十]{1,3}\s*[、.．]"
    r"|[(（]\s*(?:[一二三四五六七八九十]{1,3}|\d{1,2})\s*[)）]"
    r"|(?<![\d.])\d{1,2}\s*[.、．]?\s*(?=[\u4e00-\u9fff])(?![万元件条项个次])"
)


def strip_numbering(label: str) -> str:
    return NUMBERING.sub("", fold(label))
