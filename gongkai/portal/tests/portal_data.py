"""Data for the portal's tests: a small published site built with the ORM, and a crawler of portal pages.

Import the fixtures into a test module (``from .portal_data import site  # noqa: F401``).
"""

from __future__ import annotations

import hashlib
import io
import itertools
import re
import zipfile
from collections import deque
from dataclasses import dataclass, field
from datetime import date, timedelta
from html.parser import HTMLParser
from types import SimpleNamespace
from urllib.parse import urldefrag, urlsplit

import pytest
from django.core.files.base import ContentFile

from gongkai.catalogue.models import (
    Attachment, CatalogueEntry, DisclosureMode, DocumentType, Genre, Guide, Item, ItemStatus, Validity,
)
from gongkai.catalogue.sanitize import clean_body
from gongkai.reports.models import AdministrativeFigures, AnnualReport
from gongkai.reports.selectors import agency_report

_numbers = itertools.count(1)

# The figure frozen into the 2023 report's table 二 (行政处罚 本年处理决定数量).
FROZEN_PENALTY_DECISIONS = 12


def make_item(agency, title: str, *, published_on: date | None = date(2024, 3, 1), status: str = ItemStatus.PUBLISHED,
              body: str | None = None, **fields) -> Item:
    """An item as the publication chain leaves it: a 索引号 once published (also kept when withdrawn)."""
    published = status in (ItemStatus.PUBLISHED, ItemStatus.WITHDRAWN)
    day = published_on or date(2024, 3, 1)
    fields.setdefault("formed_on", day - timedelta(days=2))
    return Item.objects.create(
        agency=agency, title=title, status=status,
        index_number=f"{agency.code}/{day.year}-{next(_numbers):05d}" if published else None,
        published_on=published_on if published else None,
        body=clean_body(body if body is not None else f"<p>{title}的正文。</p>"),
        **fields,
    )


def make_attachment(item: Item, title: str = "实施细则.pdf", content: bytes = b"%PDF-1.4\n% test\n") -> Attachment:
    attachment = Attachment(item=item, title=title, content_type="application/pdf", size=len(content),
                            sha256=hashlib.sha256(content).hexdigest())
    attachment.file.save(title, ContentFile(content), save=False)
    attachment.save()
    return attachment


@pytest.fixture
def site(agency, other_agency):
    """An agency with a guide, a catalogue, items of every state and a published (frozen) annual report."""
    ns = SimpleNamespace(agency=agency, other_agency=other_agency, region=agency.region)
    agency.short_name = "测试工信局"
    agency.save()

    ns.rules = CatalogueEntry.objects.create(agency=agency, name="政策文件", position=1,
                                             content="本机关制发的规范性文件", time_limit="形成之日起20个工作日内")
    ns.rules_child = CatalogueEntry.objects.create(agency=agency, parent=ns.rules, name="行政规范性文件", position=1)
    ns.finance = CatalogueEntry.objects.create(agency=agency, name="财政信息", position=2)

    ns.normative = make_item(
        agency, "测试县工业和信息化局关于印发《工业园区标准化厂房管理办法》的通知", published_on=date(2024, 5, 10),
        document_type=DocumentType.NORMATIVE_DOCUMENT, genre=Genre.NOTICE, topic="工业、交通",
        document_number="测工信〔2024〕7号", keywords="标准化厂房 管理办法", effective_on=date(2024, 6, 1),
        entry=ns.rules_child, body="<p>第一条 为规范标准化厂房管理，制定本办法。</p><h2>第二章</h2><p>第二条 ……</p>",
    )
    ns.abolished = make_item(
        agency, "测试县工业和信息化局关于印发《企业技术改造奖励办法》的通知", published_on=date(2021, 3, 2),
        document_type=DocumentType.NORMATIVE_DOCUMENT, genre=Genre.NOTICE, topic="工业、交通",
        validity=Validity.ABOLISHED, effective_on=date(2021, 4, 1), abolished_on=date(2024, 1, 1),
        entry=ns.rules_child,
    )
    ns.interpretation = make_item(
        agency, "《工业园区标准化厂房管理办法》政策解读", published_on=date(2024, 5, 12), genre=Genre.INTERPRETATION,
        topic="工业、交通", interprets=ns.normative, entry=ns.rules,
    )
    ns.budget = make_item(agency, "测试县工业和信息化局2024年部门预算", published_on=date(2024, 2, 20),
                          topic="财政预决算", genre=Genre.REPORT, entry=ns.finance)
    ns.news = make_item(agency, "县工信局召开安全生产工作会议", published_on=date(2023, 11, 3), topic="工作动态",
                        genre=Genre.NEWS)
    ns.draft = make_item(agency, "草稿：尚未审核的通知", status=ItemStatus.DRAFT, entry=ns.finance)
    ns.withdrawn = make_item(agency, "已撤回：有误的公示", status=ItemStatus.WITHDRAWN, published_on=date(2024, 4, 1),
                             withdrawal_reason="公示名单有误")
    ns.not_disclosed = make_item(agency, "不予公开的内部请示", published_on=date(2024, 4, 2),
                                 disclosure_mode=DisclosureMode.NOT_DISCLOSED)
    ns.other_item = make_item(other_agency, "邻县工信局关于开展电力设施保护专项检查的通知", published_on=date(2024, 6, 1))
    ns.attachment = make_attachment(ns.normative, "工业园区标准化厂房管理办法.pdf")
    ns.draft_attachment = make_attachment(ns.draft, "草稿附件.pdf")
    ns.withdrawn_attachment = make_attachment(ns.withdrawn, "撤回附件.pdf")

    ns.guide = Guide.objects.create(
        agency=agency, classification="本机关主动公开的政府信息分为机构职能、政策文件、财政信息等类别。",
        how_to_obtain="公众可通过本机关政府信息公开专栏查阅，也可到县档案馆、县图书馆查阅。",
        application_procedure="申请人可通过在线申请、信函、当面提交等方式提出申请。",
        office_name="测试县工业和信息化局办公室", office_address="测试县城关镇府前路1号", office_hours="工作日 8:00–12:00",
        phone="0594-8290001", fax="0594-8290002", email="gkb@example.gov.cn", website="http://gxj.example.gov.cn",
        postal_code="351200", supervision="对本机关政府信息公开工作有意见的，可向县政务公开办反映。",
    )

    # The 2023 report, published: its figures frozen as the canonical JSON, then a record changes.
    ns.figures = AdministrativeFigures.objects.create(agency=agency, year=2023, licensing_decisions=5,
                                                      penalty_decisions=FROZEN_PENALTY_DECISIONS, coercion_decisions=1)
    ns.report = AnnualReport.objects.create(
        agency=agency, year=2023, overview="2023年，我局认真贯彻落实《条例》，全年主动公开政府信息1条。",
        problems="公开内容还不够丰富。", other_matters="本年度未收取信息处理费。",
        snapshot=agency_report(agency=agency, year=2023).canonical(),
    )
    ns.figures.penalty_decisions = 99
    ns.figures.save()
    # A report still being written: not on the portal.
    ns.draft_report = AnnualReport.objects.create(agency=agency, year=2024, overview="草稿")
    return ns


def published_items(agency, count: int, *, start: date = date(2022, 1, 3), **fields) -> list[Item]:
    """``count`` published items, one a day from ``start`` (the newest last)."""
    return [make_item(agency, f"批量信息第{n + 1}号", published_on=start + timedelta(days=n), **fields)
            for n in range(count)]


# --- crawling ---------------------------------------------------------------------------


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[tuple[str, str, str]] = []  # (tag, attribute, value)

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src", "action", "srcset", "poster", "data") and value is not None:
                self.links.append((tag, name, value))


def links_in(html: str) -> list[tuple[str, str, str]]:
    parser = _Links()
    parser.feed(html)
    return parser.links


@dataclass
class Crawl:
    pages: dict[str, str] = field(default_factory=dict)  # url → text (HTML, XML, or text extracted from a file)
    statuses: dict[str, int] = field(default_factory=dict)
    content_types: dict[str, str] = field(default_factory=dict)
    downloads: set[str] = field(default_factory=set)  # served as attachments (Content-Disposition)

    def html_pages(self) -> dict[str, str]:
        """The pages a browser shows (not downloads)."""
        return {u: p for u, p in self.pages.items()
                if self.content_types[u].startswith("text/html") and u not in self.downloads}


def _text_of(response) -> str:
    content_type = response.get("Content-Type", "")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if content_type.startswith(("text/", "application/json", "application/rss", "application/atom", "application/xml")):
        return body.decode("utf-8")
    if body[:2] == b"PK":  # XLSX and DOCX: the text of their XML parts
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            return "\n".join(re.sub(r"<[^>]+>", " ", archive.read(n).decode("utf-8", "replace"))
                             for n in archive.namelist() if n.endswith(".xml"))
    return body.decode("latin-1")


def crawl(client, starts: list[str], *, within: tuple[str, ...], skip: tuple[str, ...] = (), limit: int = 5000
          ) -> Crawl:
    """Every page reachable from ``starts`` through links (and feeds, downloads) whose path starts with one
    of ``within`` and holds none of ``skip``; each fetched once, query strings included (pagination, filters)."""
    seen: set[str] = set(starts)
    todo = deque(starts)
    out = Crawl()
    while todo:
        url = todo.popleft()
        response = client.get(url)
        out.statuses[url] = response.status_code
        out.content_types[url] = response.get("Content-Type", "")
        if response.get("Content-Disposition", "").startswith("attachment"):
            out.downloads.add(url)
        text = _text_of(response)
        out.pages[url] = text
        assert len(out.pages) <= limit, "the crawl found more pages than expected"
        if not out.content_types[url].startswith("text/html") or url in out.downloads or response.status_code != 200:
            continue
        for tag, attribute, value in links_in(text):
            if attribute != "href" or tag not in ("a", "link"):
                continue
            target, _ = urldefrag(value)
            if not target:
                continue
            if not target.startswith("/"):
                target = urlsplit(url).path + target if target.startswith("?") else target
            if target.startswith(within) and not any(part in target for part in skip) and target not in seen:
                seen.add(target)
                todo.append(target)
    return out
