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


def guide_write(*, agency: Agency) -> None:
    """The seed bureau's 政府信息公开指南, with the office and contacts its 2020 report gives."""
    from gongkai.catalogue.models import Guide

    Guide.objects.update_or_create(agency=agency, defaults={
        "classification": "本机关政府信息按照机构信息、政策文件、规划计划、惠企政策、专项资金、行政权力、行政执法、"
                          "财政资金、统计信息、项目管理、政府信息公开等类别编排，每条信息标注索引号、发布机构、文号、"
                          "成文日期和发布日期。",
        "how_to_obtain": "主动公开的政府信息通过仙游县人民政府网站本机关信息公开专栏、“仙游县工业和信息化局”微信公众号和"
                         "本机关政务公开栏发布，并定期报送县档案馆、县图书馆供公众查阅。公民、法人或者其他组织可以向本机关"
                         "申请获取未主动公开的政府信息。",
        "application_procedure": "申请人可以通过网上申请、当面提交、邮寄或传真等方式提出申请；本机关自收到申请之日起"
                                 "20个工作日内予以答复，需要延长的，经政府信息公开工作机构负责人同意并告知申请人，"
                                 "延长期限最长不超过20个工作日。",
        "office_name": "仙游县工业和信息化局办公室",
        "office_address": "仙游县鲤城街道清源路1号行政中心1305室",
        "office_hours": "工作日上午8:00—12:00，下午15:00—18:00（夏令时）",
        "phone": "0594-8292450",
        "fax": "0594-8278326",
        "postal_code": "351200",
        "website": "http://www.xianyou.gov.cn/",
        "supervision": "公民、法人或者其他组织认为本机关在政府信息公开工作中侵犯其合法权益的，可以向仙游县政务公开办公室"
                       "投诉、举报，也可以依法申请行政复议或者提起行政诉讼。",
    })
