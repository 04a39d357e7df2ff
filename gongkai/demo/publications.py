"""Fill in what the publication chain records for the demo's generated items, and attach files.

Published items get their status, 索引号 (in publication order, per agency
and year, from the agency's pattern), channels, a body, an abstract, a 体裁
and the timeliness flag of 第二十六条; drafts stay drafts. The seed bureau's
惠企政策 notices carry the forwarded policy as a DOCX attachment, with its
text extracted for search. Deterministic: same input, same output.
"""

from __future__ import annotations

import io
from collections import defaultdict

import docx

from gongkai.agencies.workdays import WorkingDayCalendar
from gongkai.catalogue.models import Genre, IndexSequence, Item, ItemStatus, PublicationChannel
from gongkai.catalogue.services import attachment_add
from gongkai.catalogue.workflow import lateness

from .seed import TOPIC_POLICIES

GENRES = (("通知", Genre.NOTICE), ("意见", Genre.OPINION), ("办法", Genre.MEASURES), ("规定", Genre.PROVISIONS),
          ("公告", Genre.ANNOUNCEMENT), ("通告", Genre.PUBLIC_NOTICE), ("决定", Genre.DECISION),
          ("报告", Genre.REPORT), ("解读", Genre.INTERPRETATION), ("计划", Genre.PLAN), ("规划", Genre.PLAN))


def _genre(title: str) -> str:
    return next((genre for word, genre in GENRES if title.endswith(word) or word in title[-6:]), Genre.OTHER)


def _body(item: Item) -> str:
    name = item.agency.name
    if item.title.startswith("关于转发"):
        forwarded = item.title[len("关于转发"):].removesuffix("的通知")
        lines = ["各有关单位、各有关企业：", f"现将{forwarded}转发给你们，请结合实际，认真贯彻落实。",
                 "执行中遇到的问题，请及时向我局相关股室反映。"]
    elif item.title.startswith("关于"):
        lines = ["各有关单位：", f"{item.title.removeprefix('关于').removesuffix('的通知')}，现将有关事项通知如下。",
                 "一、高度重视，认真组织实施。", "二、明确责任，按时完成各项工作。", "三、加强督促检查，确保取得实效。"]
    else:
        lines = [f"现将{item.title}予以公开。", "如有疑问，请与我单位办公室联系。"]
    paragraphs = "".join(f"<p>{line}</p>" for line in lines)
    signature = f'<p class="signature">{name}</p><p class="signature">{item.formed_on:%Y年%-m月%-d日}</p>'
    return paragraphs + signature


def _channels(item: Item) -> list[str]:
    channels = [PublicationChannel.WEBSITE]
    if item.topic == TOPIC_POLICIES or item.document_type != "other":
        channels += [PublicationChannel.WECHAT, PublicationChannel.BULLETIN_BOARD]
    return channels


def complete_items(items: list[Item], *, calendar: WorkingDayCalendar) -> list[IndexSequence]:
    """Give each generated item what publication records; return the 索引号 counters used."""
    counters: dict[tuple[int, int], int] = defaultdict(int)
    ordered = sorted(items, key=lambda i: (i.agency.code, i.published_on or i.formed_on, i.formed_on, i.title))
    for item in ordered:
        item.genre = item.genre or _genre(item.title)
        item.body = item.body or _body(item)
        item.abstract = item.abstract or item.title[:100]
        if item.published_on is None:
            item.status = ItemStatus.DRAFT
            continue
        item.status = ItemStatus.PUBLISHED
        key = (item.agency.pk, item.published_on.year)
        counters[key] += 1
        item.index_number = item.agency.index_pattern.format(
            code=item.agency.organisation_code or item.agency.code, year=item.published_on.year, seq=counters[key])
        item.channels = _channels(item)
        item.late, item.late_confirmed = lateness(item, item.published_on, calendar)
    return [IndexSequence(agency_id=agency_id, year=year, last=last) for (agency_id, year), last in
            sorted(counters.items())]


def _policy_docx(item: Item) -> bytes:
    document = docx.Document()
    document.core_properties.author = item.agency.name
    document.add_heading(item.title, level=1)
    document.add_paragraph(f"文号：{item.document_number or '无'}")
    for paragraph in ("为支持企业发展，现就有关政策措施明确如下：", "一、加大财政资金支持力度。",
                      "二、降低企业生产经营成本。", "三、优化涉企服务，及时兑现政策。"):
        document.add_paragraph(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def attach_policies(*, agency, user) -> int:
    """The seed bureau's 惠企政策 notices carry the policy they forward as an attachment."""
    items = Item.objects.filter(agency=agency, topic=TOPIC_POLICIES, status=ItemStatus.PUBLISHED,
                                title__startswith="关于转发")
    for item in items:
        name = item.title.removeprefix("关于转发").removesuffix("的通知").strip("《》") + ".docx"
        attachment_add(user=user, item=item, name=name, content=_policy_docx(item))
    return len(items)
