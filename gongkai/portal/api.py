"""The public, read-only JSON API at ``/api/v1/`` (docs/decisions/013-public-api.md).

GET only, no authentication, public data only: agencies and regions, the
published items (主动公开) with their attachments, and the published annual
reports as their frozen canonical JSON (DOMAIN.md §2). Nothing here reads
applications, appeals, staff users, drafts or withdrawn items, and the
response schemas in ``api_schemas.py`` are the list of what is public.

Every list costs a fixed number of queries whatever its length: related rows
are selected or prefetched, never read per row.

``gongkai/urls.py`` mounts it with ``path("api/v1/", api.urls)``.
"""

from __future__ import annotations

from functools import wraps

from django.db.models import Prefetch
from django.http import Http404
from django.urls import reverse
from ninja import NinjaAPI, Query
from ninja.errors import HttpError, ValidationError
from ninja.renderers import JSONRenderer

from gongkai.agencies.models import Agency, Region
from gongkai.catalogue.models import (
    Attachment,
    DisclosureMode,
    DocumentType,
    Genre,
    Item,
    PublicationChannel,
    Validity,
)
from gongkai.catalogue.sanitize import clean_body
from gongkai.catalogue.search import search
from gongkai.reports.canonical import nest
from gongkai.reports.formats import FORMATS
from gongkai.reports.models import AnnualReport
from gongkai.reports.schema import load_schema

from . import api_schemas as s
from .selectors import public_items  # the portal's definition of public, shared so the two never disagree

NOT_FOUND_AGENCY = "没有代码为“{code}”的机关。"
NOT_FOUND_REGION = "没有代码为“{code}”的行政区划。"
NOT_FOUND_ITEM = "没有编号为 {id} 的已公开信息。"
NOT_PUBLISHED_REPORT = ("{agency}{year}年度的政府信息公开工作年度报告尚未发布。"
                        "未发布的报告数据由系统按记录实时计算，不对外公开。")
UNKNOWN_FILTER_AGENCY = "没有代码为“{code}”的机关"
UNKNOWN_FILTER_REGION = "没有代码为“{code}”的行政区划"
INVALID_PARAMETERS = "请求参数不正确："
# pydantic's messages for the errors a query string can have, in Chinese; others pass through in English.
PARAMETER_ERRORS = {
    "less_than_equal": "不能大于 {le}",
    "greater_than_equal": "不能小于 {ge}",
    "int_parsing": "应为整数",
    "literal_error": "应为以下之一：{expected}",
    "string_too_long": "不能超过 {max_length} 个字符",
    "missing": "必须填写",
}

# The columns a list of items shows; the body and the internal fields
# (review notes, withdrawal reasons, users) are never read for a list.
ITEM_LIST_FIELDS = (
    "id", "agency_id", "agency__code", "agency__name", "index_number", "title", "document_number",
    "document_type", "topic", "genre", "validity", "formed_on", "published_on", "effective_on", "abolished_on",
    "abstract",
)
# An attachment's extracted text can be megabytes; it is for search only.
ATTACHMENT_FIELDS = ("id", "item_id", "title", "content_type", "size", "sha256")
REPORT_KEYS = ("schema", "agency", "region", "year", "format", "proactive", "applications", "appeals", "checks")
CHECK_KEYS = ("rule", "severity", "cells", "message")
OWNER_KEYS = ("code", "name")

DESCRIPTION = """\
政府信息公开的公开数据接口（只读）。只提供已公开的数据：机关和行政区划、已发布的主动公开信息及其附件、
已发布的政府信息公开工作年度报告（规范 JSON，见 `schemas/annual-report`）。不需要登录，允许任何来源跨域读取。
"""


def _allow_any_origin(view):
    """Public data: any web page may read it (CORS), with no credentials."""
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["Access-Control-Allow-Origin"] = "*"
        return response
    return wrapped


class PublicAPI(NinjaAPI):
    """A NinjaAPI whose every URL (operations and the OpenAPI document) answers CORS reads from anywhere."""

    @property
    def urls(self):
        patterns, app_name, namespace = super().urls
        for pattern in patterns:
            if hasattr(pattern, "callback"):
                pattern.callback = _allow_any_origin(pattern.callback)
        return patterns, app_name, namespace


class ReadableJSONRenderer(JSONRenderer):
    """Chinese as UTF-8 characters rather than \\u escapes: the same JSON, a third of the bytes, readable with curl."""

    json_dumps_params = {"ensure_ascii": False}


# docs_url=None: ninja's Swagger page would load its scripts from a CDN unless
# "ninja" is an installed app; the OpenAPI document is enough (decision 013).
api = PublicAPI(
    title="gongkai 政府信息公开 API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api_v1",
    docs_url=None,
    renderer=ReadableJSONRenderer(),
)


@api.exception_handler(ValidationError)
def _invalid_parameters(request, exc: ValidationError):
    parts = []
    for error in exc.errors:
        loc = [str(p) for p in error.get("loc", ()) if p not in ("query", "path", "body")]
        template = PARAMETER_ERRORS.get(error.get("type", ""))
        try:
            text = template.format(**error.get("ctx", {})) if template else error.get("msg", "")
        except (KeyError, IndexError):
            text = error.get("msg", "")
        parts.append(f"参数 {'.'.join(loc) or '?'} {text}")
    return api.create_response(request, {"message": INVALID_PARAMETERS + "；".join(parts) + "。",
                                         "detail": exc.errors},
                               status=422)


@api.exception_handler(Http404)
def _not_found(request, exc: Http404):
    return api.create_response(request, {"message": str(exc) or "未找到。"}, status=404)


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    return api.create_response(request, {"message": exc.message}, status=exc.status_code)


# --- helpers ---------------------------------------------------------------------------


def _api_root() -> str:
    return reverse(f"{api.urls_namespace}:api-root")


def _choice(choices, value: str) -> dict | None:
    if not value:
        return None
    return {"code": value, "label": str(choices(value).label) if value in choices.values else value}


def _attachments_prefetch() -> Prefetch:
    return Prefetch("attachments", queryset=Attachment.objects.only(*ATTACHMENT_FIELDS).order_by("id"))


def _items_for_list(items):
    """The columns a list shows, the agency in the same query, the attachments in one more."""
    return items.select_related("agency").only(*ITEM_LIST_FIELDS).prefetch_related(_attachments_prefetch())


def item_page_url(item: Item) -> str:
    """The item's page on the public portal."""
    return f"/{item.agency.code}/items/{item.pk}/"


def _item(item: Item) -> dict:
    page = item_page_url(item)
    return {
        "id": item.pk,
        "index_number": item.index_number,
        "title": item.title,
        "agency": {"code": item.agency.code, "name": item.agency.name},
        "document_number": item.document_number,
        "document_type": _choice(DocumentType, item.document_type),
        "topic": item.topic,
        "genre": _choice(Genre, item.genre),
        "validity": _choice(Validity, item.validity),
        "formed_on": item.formed_on,
        "published_on": item.published_on,
        "effective_on": item.effective_on,
        "abolished_on": item.abolished_on,
        "abstract": item.abstract,
        "url": page,
        "attachments": [
            {"id": a.pk, "title": a.title, "content_type": a.content_type, "size": a.size, "sha256": a.sha256,
             "url": f"{page}attachments/{a.pk}/"}
            for a in item.attachments.all()
        ],
    }


def _agency(agency: Agency, root: str) -> dict:
    return {
        "code": agency.code,
        "name": agency.name,
        "short_name": agency.short_name,
        "region": {"code": agency.region.code, "name": agency.region.name},
        "links": {
            "self": f"{root}agencies/{agency.code}",
            "items": f"{root}items?agency={agency.code}",
            "reports": f"{root}reports/{agency.code}",
            "page": f"/{agency.code}/",
        },
    }


def _region_links(region: Region, root: str) -> dict:
    return {"self": f"{root}regions/{region.code}", "items": f"{root}items?region={region.code}",
            "page": f"/{region.code}/"}


def _in_printed_order(doc: dict) -> dict:
    """The snapshot with its keys in the canonical order.

    PostgreSQL's jsonb keeps objects with their keys sorted its own way; the
    canonical document lists tables, rows and columns in printed order. The
    order is rebuilt from the report format, the content left as it is.
    """
    fmt = FORMATS.get(str(doc.get("format")))
    template = nest(fmt, {}) if fmt else {}

    def ordered(node, shape):
        if not isinstance(node, dict) or not isinstance(shape, dict):
            return node
        keys = [k for k in shape if k in node] + [k for k in node if k not in shape]
        return {k: ordered(node[k], shape.get(k)) for k in keys}

    out = {}
    for key in [k for k in REPORT_KEYS if k in doc] + [k for k in doc if k not in REPORT_KEYS]:
        value = doc[key]
        if key in template:
            value = ordered(value, template[key])
        elif key in ("agency", "region"):
            value = ordered(value, dict.fromkeys(OWNER_KEYS))
        elif key == "checks" and isinstance(value, list):
            value = [ordered(c, dict.fromkeys(CHECK_KEYS)) for c in value]
        out[key] = value
    return out


# --- agencies and regions ---------------------------------------------------------------


@api.get("/agencies", response=s.AgencyList, url_name="agency_list", tags=["机关和区划"],
         summary="全部机关")
def agency_list(request):
    root = _api_root()
    agencies = [_agency(a, root) for a in Agency.objects.select_related("region").order_by("region__path", "code")]
    return {"count": len(agencies), "results": agencies}


@api.get("/agencies/{code}", response={200: s.AgencyDetail, 404: s.Message}, url_name="agency_detail",
         tags=["机关和区划"], summary="一个机关及其政府信息公开指南中的联系方式")
def agency_detail(request, code: str):
    agency = Agency.objects.select_related("region", "guide").filter(code=code).first()
    if agency is None:
        raise Http404(NOT_FOUND_AGENCY.format(code=code))
    out = _agency(agency, _api_root())
    guide = getattr(agency, "guide", None)  # reverse one-to-one: absent until the agency writes its guide
    out["guide"] = None if guide is None else {
        field: getattr(guide, field) for field in s.Guide.model_fields
    }
    return out


@api.get("/regions", response=s.RegionList, url_name="region_list", tags=["机关和区划"], summary="全部行政区划")
def region_list(request):
    root = _api_root()
    regions = [
        {"code": r.code, "name": r.name, "parent": r.parent.code if r.parent else None,
         "links": _region_links(r, root)}
        for r in Region.objects.select_related("parent").order_by("path")
    ]
    return {"count": len(regions), "results": regions}


@api.get("/regions/{code}", response={200: s.RegionDetail, 404: s.Message}, url_name="region_detail",
         tags=["机关和区划"], summary="一个行政区划、其下级区划和其下全部机关")
def region_detail(request, code: str):
    region = Region.objects.select_related("parent").filter(code=code).first()
    if region is None:
        raise Http404(NOT_FOUND_REGION.format(code=code))
    root = _api_root()
    agencies = Agency.objects.filter(region__path__startswith=region.path).select_related("region")
    return {
        "code": region.code,
        "name": region.name,
        "parent": {"code": region.parent.code, "name": region.parent.name} if region.parent else None,
        "children": [{"code": c.code, "name": c.name} for c in region.children.order_by("path")],
        "agencies": [_agency(a, root) for a in agencies.order_by("region__path", "code")],
        "links": _region_links(region, root),
    }


# --- items ------------------------------------------------------------------------------


def _filter_target(model, code: str | None, message: str):
    """The agency or region a filter names; an unknown code is the caller's mistake (422), not an empty list."""
    if code is None:
        return None
    found = model.objects.filter(code=code).first()
    if found is None:
        raise ValidationError([{"loc": ("query", "agency" if model is Agency else "region"),
                                "msg": message.format(code=code), "type": "unknown_code"}])
    return found


@api.get("/items", response={200: s.ItemList, 422: s.InvalidParameters}, url_name="item_list",
         tags=["主动公开信息"], summary="检索或浏览已公开信息",
         description="给出 q 时全文检索，按相关度排序，每条带 score 和 snippet；"
                     "不给 q 时按发布日期从新到旧列出。其余参数在两种情况下都可组合使用。limit 最大 100。")
def item_list(request, filters: Query[s.ItemQuery]):
    agency = _filter_target(Agency, filters.agency, UNKNOWN_FILTER_AGENCY)
    region = _filter_target(Region, filters.region, UNKNOWN_FILTER_REGION)
    if filters.q:
        return _item_search(filters, agency=agency, region=region)

    items = public_items()
    if agency is not None:
        items = items.filter(agency=agency)
    if region is not None:
        items = items.filter(agency__region__path__startswith=region.path)
    if filters.type:
        items = items.filter(document_type=filters.type)
    if filters.topic:
        items = items.filter(topic=filters.topic)
    if filters.year:
        items = items.filter(published_on__year=filters.year)
    if filters.validity:
        items = items.filter(validity=filters.validity)
    count = items.count()
    page = _items_for_list(items).order_by("-published_on", "-id")[filters.offset:filters.offset + filters.limit]
    return {"count": count, "offset": filters.offset, "limit": filters.limit,
                 "results": [_item(item) for item in page]}


def _item_search(filters: s.ItemQuery, *, agency: Agency | None, region: Region | None):
    found = search(filters.q, agency=agency, region=region, document_type=filters.type, topic=filters.topic,
                   year=filters.year, validity=filters.validity, offset=filters.offset, limit=filters.limit)
    # The page's items are read again through ``public_items`` (two queries for
    # the page, whatever its length): the API then shows exactly what the
    # portal shows, and never relies on which columns the index loaded.
    items = _items_for_list(public_items()).in_bulk([hit.item.pk for hit in found.results])
    results = []
    for hit in found.results:
        item = items.get(hit.item.pk)
        if item is None:  # withdrawn since it was indexed, or marked 不予公开
            continue
        row = _item(item)
        row["score"], row["snippet"] = hit.score, hit.snippet
        results.append(row)
    return {"count": found.count, "count_exact": found.exact, "offset": filters.offset, "limit": filters.limit,
            "results": results}


@api.get("/items/{item_id}", response={200: s.ItemDetail, 404: s.Message, 422: s.InvalidParameters},
         url_name="item_detail",
         tags=["主动公开信息"], summary="一条已公开信息及其正文")
def item_detail(request, item_id: int):
    item = public_items().select_related("agency").prefetch_related(_attachments_prefetch()).filter(pk=item_id).first()
    if item is None:
        raise Http404(NOT_FOUND_ITEM.format(id=item_id))
    out = _item(item)
    # The document a 政策解读 interprets is shown only while it is public itself.
    interprets = public_items().select_related("agency").filter(pk=item.interprets_id).first() \
        if item.interprets_id else None
    out.update({
        # Bodies are cleaned on every save; cleaned again here, as the archive
        # export does, so rows written around the services never reach a reader unclean.
        "body": clean_body(item.body),
        "keywords": item.keywords,
        "disclosure_mode": _choice(DisclosureMode, item.disclosure_mode),
        "channels": [_choice(PublicationChannel, c) for c in item.channels or [] if c in PublicationChannel.values],
        "interprets": {"id": interprets.pk, "title": interprets.title, "url": item_page_url(interprets)}
        if interprets is not None else None,
    })
    return out


# --- annual reports -----------------------------------------------------------------------


@api.get("/reports/{agency_code}", response={200: s.ReportList, 404: s.Message}, url_name="report_list",
         tags=["年度报告"], summary="机关已发布年度报告的年度")
def report_list(request, agency_code: str):
    agency = Agency.objects.filter(code=agency_code).first()
    if agency is None:
        raise Http404(NOT_FOUND_AGENCY.format(code=agency_code))
    root = _api_root()
    published = (AnnualReport.objects.filter(agency=agency, snapshot__isnull=False).order_by("-year")
                 .values_list("year", "snapshot"))
    return {
        "agency": {"code": agency.code, "name": agency.name},
        "results": [{"year": year, "format": str(snapshot.get("format", "")),
                     "url": f"{root}reports/{agency.code}/{year}"} for year, snapshot in published],
    }


@api.get("/reports/{agency_code}/{year}", response={200: dict, 404: s.Message, 422: s.InvalidParameters},
         url_name="report_detail",
         tags=["年度报告"], summary="一份已发布的年度报告（规范 JSON）",
         description="发布时冻结的报告数据，格式见 DOMAIN.md §2，符合 `schemas/annual-report` 的 JSON Schema。"
                     "尚未发布的年度返回 404：未发布的数据由系统实时计算，不对外公开。")
def report_detail(request, agency_code: str, year: int):
    agency = Agency.objects.filter(code=agency_code).first()
    if agency is None:
        raise Http404(NOT_FOUND_AGENCY.format(code=agency_code))
    snapshot = (AnnualReport.objects.filter(agency=agency, year=year, snapshot__isnull=False)
                .values_list("snapshot", flat=True).first())
    if snapshot is None:
        raise Http404(NOT_PUBLISHED_REPORT.format(agency=agency.name, year=year))
    return _in_printed_order(snapshot)


@api.get("/schemas/annual-report", response=dict, url_name="report_schema", tags=["年度报告"],
         summary="年度报告规范 JSON 的 JSON Schema")
def report_schema(request):
    return load_schema()
