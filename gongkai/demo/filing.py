"""The seed bureau's catalogue: the sample 工业和信息化 standard catalogue applied to it, and its
published items filed under the entries, as its office would file them."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from gongkai.agencies.models import Agency
from gongkai.catalogue.models import CatalogueEntry, Item, ItemStatus
from gongkai.catalogue.standard import import_standard_file, standard_apply

from .seed import TOPIC_DOCUMENTS, TOPIC_POLICIES

STANDARD_FILE = Path(__file__).resolve().parents[1] / "catalogue" / "fixtures" / "standard-industry.yaml"

# (words in the title, or a topic) → the 一级事项 whose first entry files the item; first match wins.
RULES = (
    (("年度报告", "政府信息公开"), "政府信息公开"),
    (("预算", "决算", "三公"), "财政资金"),
    (("专项资金", "技术改造", "技改"), "专项资金"),
    (("双随机", "处罚", "执法", "电力设施"), "行政执法"),
    (("规划", "计划"), "规划计划"),
    (("统计", "经济运行"), "统计信息"),
    (("解读",), "政策文件"),
)
TOPICS = {TOPIC_POLICIES: "惠企政策", TOPIC_DOCUMENTS: "政策文件"}


def _first_level(item: Item) -> str:
    for words, level1 in RULES:
        if any(w in item.title for w in words):
            return level1
    return TOPICS.get(item.topic, "政府信息公开")


def file_items(*, agency: Agency) -> int:
    """Apply the sample standard catalogue to the agency and file its published items; returns how many."""
    standard = import_standard_file(data=STANDARD_FILE.read_bytes(), filename=STANDARD_FILE.name)
    standard_apply(user=None, agency=agency, standard=standard)
    leaves: dict[str, CatalogueEntry] = {}
    for entry in CatalogueEntry.objects.filter(agency=agency, parent__isnull=False).select_related("parent") \
            .order_by("parent__position", "position", "id"):
        leaves.setdefault(entry.parent.name, entry)
    by_entry: dict[int, list[int]] = defaultdict(list)
    for item in Item.objects.filter(agency=agency, status=ItemStatus.PUBLISHED).only("id", "title", "topic"):
        entry = leaves.get(_first_level(item)) or next(iter(leaves.values()), None)
        if entry is not None:
            by_entry[entry.pk].append(item.pk)
    for entry_id, ids in by_entry.items():
        Item.objects.filter(pk__in=ids).update(entry_id=entry_id)
    return sum(len(ids) for ids in by_entry.values())
