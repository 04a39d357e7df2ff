"""The shapes of the public API's query parameters and responses (docs/decisions/013-public-api.md).

Only public data has a field here: no applicant, application, staff user,
review note, withdrawal reason or draft. A field added to a response must be
added here first, so the OpenAPI document is the list of what is public.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal, Optional

from ninja import Field, Schema
from pydantic import field_validator

from gongkai.catalogue.models import DocumentType, Validity

DocumentTypeCode = Literal[tuple(DocumentType.values)]  # type: ignore[valid-type]
ValidityCode = Literal[tuple(Validity.values)]  # type: ignore[valid-type]


def _also_empty(schema: dict) -> None:
    """Document that a filter may be sent empty (it then does not filter)."""
    schema.setdefault("anyOf", []).append({"const": ""})

MAX_LIMIT = 100
# Deep OFFSETs make the database walk every row before the page; nobody pages
# that far by hand, and a crawler can narrow by agency and year instead.
MAX_OFFSET = 10_000
MAX_QUERY_LENGTH = 200


class ItemQuery(Schema):
    q: str = Field("", max_length=MAX_QUERY_LENGTH,
                   description="全文检索词；为空时按发布日期从新到旧列出全部已公开信息。")
    agency: Optional[str] = Field(None, description="发布机构代码，如 xianyou-gxj。")
    region: Optional[str] = Field(None, description="行政区划代码，含下级区划的机关。")
    # An empty value ("?year=", as an HTML form sends it) means no filter: the document says so ("" allowed).
    type: Optional[DocumentTypeCode] = Field(None, json_schema_extra=_also_empty, description="文件类型（空值表示不限）："
                                             + "、".join(f"{value}（{label}）" for value, label in DocumentType.choices))
    topic: Optional[str] = Field(None, max_length=100, description="主题分类，须完全一致。")
    year: Optional[int] = Field(None, ge=1949, le=2100, json_schema_extra=_also_empty,
                                description="发布年度（空值表示不限）。")
    validity: Optional[ValidityCode] = Field(None, json_schema_extra=_also_empty, description="有效性（空值表示不限）："
                                             + "、".join(f"{value}（{label}）" for value, label in Validity.choices))
    offset: int = Field(0, ge=0, le=MAX_OFFSET)
    limit: int = Field(20, ge=1, le=MAX_LIMIT)

    @field_validator("agency", "region", "topic", mode="before")
    @classmethod
    def _blank_is_absent(cls, value):
        """An empty form field (``?agency=``) means no filter, as on the portal's search form."""
        if isinstance(value, str) and not value.strip():
            return None
        return value.strip() if isinstance(value, str) else value

    @field_validator("type", "year", "validity", mode="before")
    @classmethod
    def _empty_is_absent(cls, value):
        """Exactly "" (documented) means no filter; anything else must be a valid value."""
        return None if value == "" else value

    @field_validator("q", mode="before")
    @classmethod
    def _strip_query(cls, value):
        return value.strip() if isinstance(value, str) else value


class Message(Schema):
    """An error, as a sentence in Chinese."""

    message: str


class InvalidParameters(Message):
    """Invalid query parameters (422): the sentence, and pydantic's details per parameter."""

    detail: list[dict[str, Any]]


class Choice(Schema):
    code: str
    label: str


class AgencyRef(Schema):
    code: str
    name: str


class RegionRef(Schema):
    code: str
    name: str


class AgencyLinks(Schema):
    self: str = Field(description="本机关的 API 地址。")
    items: str = Field(description="本机关已公开信息的 API 地址。")
    reports: str = Field(description="本机关已发布年度报告的 API 地址。")
    page: str = Field(description="本机关在门户网站上的页面。")


class Agency(Schema):
    code: str
    name: str
    short_name: str
    region: RegionRef
    links: AgencyLinks


class Guide(Schema):
    """The contact part of the agency's 政府信息公开指南 (第十二条): public by law."""

    office_name: str
    office_address: str
    office_hours: str
    phone: str
    fax: str
    email: str
    website: str
    postal_code: str
    updated_at: datetime


class AgencyDetail(Agency):
    guide: Optional[Guide] = Field(description="政府信息公开指南中的工作机构和联系方式；尚未编写时为 null。")


class AgencyList(Schema):
    count: int
    results: list[Agency]


class RegionLinks(Schema):
    self: str
    items: str
    page: str = Field(description="本区划在门户网站上的页面。")


class Region(Schema):
    code: str
    name: str
    parent: Optional[str] = Field(description="上级区划代码；最高一级为 null。")
    links: RegionLinks


class RegionList(Schema):
    count: int
    results: list[Region]


class RegionDetail(Schema):
    code: str
    name: str
    parent: Optional[RegionRef]
    children: list[RegionRef]
    agencies: list[Agency] = Field(description="本区划及其下级区划的全部机关。")
    links: RegionLinks


class Attachment(Schema):
    id: int
    title: str
    content_type: str
    size: int = Field(description="字节数。")
    sha256: str
    url: str = Field(description="门户网站上的下载地址。")


class Item(Schema):
    id: int
    index_number: Optional[str] = Field(description="索引号。")
    title: str
    agency: AgencyRef = Field(description="发布机构。")
    document_number: str = Field(description="文号；没有时为空字符串。")
    document_type: Choice
    topic: str = Field(description="主题分类。")
    genre: Optional[Choice] = Field(description="体裁；未填写时为 null。")
    validity: Choice
    formed_on: date = Field(description="成文日期。")
    published_on: date = Field(description="发布日期。")
    effective_on: Optional[date] = Field(description="实施日期。")
    abolished_on: Optional[date] = Field(description="废止或失效日期。")
    abstract: str = Field(description="内容概述。")
    url: str = Field(description="门户网站上的页面。")
    attachments: list[Attachment]


class ItemHit(Item):
    score: Optional[float] = Field(None, description="检索相关度，仅在给出 q 时有值。")
    snippet: Optional[str] = Field(None, description="命中片段，仅在给出 q 时有值。")


class ItemList(Schema):
    count: int = Field(description="符合条件的信息总数；count_exact 为 false 时表示超过此数，只可翻阅前 count 条。")
    count_exact: bool = Field(True, description="count 是否为精确总数；检索命中过多时为 false。")
    offset: int
    limit: int
    results: list[ItemHit]


class ItemRef(Schema):
    id: int
    title: str
    url: str


class ItemDetail(Item):
    body: str = Field(description="正文 HTML（已清理，只含排版标签）。")
    keywords: str
    disclosure_mode: Choice
    channels: list[Choice] = Field(description="发布渠道。")
    interprets: Optional[ItemRef] = Field(description="政策解读所解读的文件（已公开时）。")


class ReportYear(Schema):
    year: int
    format: str = Field(description="报告格式：2019 或 2021。")
    url: str


class ReportList(Schema):
    agency: AgencyRef
    results: list[ReportYear]
