"""The public portal (公众门户): thin views over ``selectors``; no login, nothing but what is published.

Every page costs a fixed number of queries whatever the number of items,
agencies or entries (tests/test_pages.py checks it with lists of two sizes).
"""

from __future__ import annotations

import math
from pathlib import PurePosixPath
from types import SimpleNamespace

from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe
from django.views import defaults

from gongkai.agencies.models import Agency, Region
from gongkai.catalogue.models import DisclosureMode, DocumentType
from gongkai.reports.render import CONTENT_TYPES, FORMAT_LABELS, RENDERERS, download_name
from gongkai.reports.render import render as render_report
from gongkai.reports.render.html import table_layout

from . import selectors
from .pagecache import cached_item_page, filter_choices
from .forms import ItemFilterForm, SearchForm

PAGE_SIZE = 20
NOT_FOUND = "页面不存在。"
# The downloads offered for a published report, in this order, with their short labels.
REPORT_FORMATS = {"pdf": "PDF", "docx": "Word", "html": "网页", "xlsx": "Excel", "md": "Markdown", "json": "JSON 数据"}


# --- helpers -------------------------------------------------------------------


def _place(code: str) -> Agency | Region:
    place = selectors.place_get(code)
    if place is None:
        raise Http404(NOT_FOUND)
    return place


def _agency(code: str) -> Agency:
    place = _place(code)
    if not isinstance(place, Agency):
        raise Http404(NOT_FOUND)
    return place


def _frame(place: Agency | Region | None) -> dict:
    """What every page around a place shows: the owner (title, header) and the breadcrumbs. One query."""
    if place is None:
        return {"owner": None, "agency": None, "region": None, "crumbs": []}
    agency = place if isinstance(place, Agency) else None
    region = place.region if agency else place
    return {"owner": place, "agency": agency, "region": region, "crumbs": selectors.region_ancestors(region)}


def _pager(number: int, count: int, page_size: int = PAGE_SIZE) -> dict:
    """Page links for ``count`` results: first, last and a window around the current page, gaps as None."""
    last = max(1, math.ceil(count / page_size))
    shown = sorted({1, last, *range(max(1, number - 2), min(last, number + 2) + 1)})
    pages: list[int | None] = []
    for n in shown:
        if pages and n - pages[-1] > 1:
            pages.append(None)
        pages.append(n)
    return {"number": number, "last": last, "count": count, "pages": pages,
            "previous": number - 1 if number > 1 else None, "next": number + 1 if number < last else None,
            "start": (number - 1) * page_size + 1 if count else 0, "end": min(count, number * page_size)}


def _page_number(request) -> int:
    try:
        return max(1, int(request.GET.get("page", 1)))
    except (TypeError, ValueError):
        return 1


# --- regions and agencies ---------------------------------------------------------


@require_safe
def home(request):
    return render(request, "portal/home.html", {**_frame(None), "tree": selectors.region_tree(),
                                                "search_form": SearchForm()})


@require_safe
def place(request, code):
    place = _place(code)
    if isinstance(place, Agency):
        return _agency_home(request, place)
    return _region_home(request, place)


def _region_home(request, region: Region):
    return render(request, "portal/region.html", {
        **_frame(region),
        "tree": selectors.region_tree(root=region),
        "agencies": selectors.region_agencies(region),
        "latest": selectors.latest_items(region, limit=15),
        "search_form": SearchForm(),
    })


def _agency_home(request, agency: Agency):
    return render(request, "portal/agency.html", {
        **_frame(agency),
        "kinds": selectors.latest_by_kind(agency),
        "guide": selectors.guide_get(agency),
        "reports": selectors.reports_published(agency)[:5],
        "search_form": SearchForm(),
    })


# --- items -----------------------------------------------------------------------------


@require_safe
def item_list(request, code):
    place = _place(code)
    items = selectors.items_of(place)
    topics, years = filter_choices(code, items, selectors.item_topics, selectors.item_years)
    form = ItemFilterForm(request.GET, topics=topics, years=years)
    filters = form.values()
    entry = None
    if filters["entry"] and isinstance(place, Agency):
        entry = place.catalogue.filter(pk=filters["entry"]).first()
    if entry is None:
        filters["entry"] = None
    shown = selectors.items_sorted(selectors.items_for_list(selectors.items_filter(items, **filters)),
                                   oldest_first=form.oldest_first)
    count = shown.count()
    # A page beyond the last (an old bookmark, a narrower filter) shows the last one.
    number = min(_page_number(request), max(1, math.ceil(count / PAGE_SIZE)))
    pager = _pager(number, count)
    offset = (number - 1) * PAGE_SIZE
    return render(request, "portal/items.html", {
        **_frame(place), "form": form, "items": list(shown[offset:offset + PAGE_SIZE]), "pager": pager,
        "entry": entry, "filtered": any(v for k, v in filters.items()),
        "show_agency": not isinstance(place, Agency),
    })


@require_safe
@cached_item_page
def item_detail(request, code, pk):
    agency = _agency(code)
    item = selectors.item_get(agency, pk)
    if item is None:
        raise Http404(NOT_FOUND)
    item.agency = agency  # the same row, with its region already fetched
    return render(request, "portal/item.html", {
        **_frame(agency), "item": item,
        "attachments": selectors.item_attachments(item),
        "interpretations": selectors.item_interpretations(item),
        "show_dates": bool(item.effective_on or item.abolished_on or item.document_type != DocumentType.OTHER),
    })


@require_safe
def attachment_download(request, code, pk, attachment_pk):
    """An attachment of a published item, with the content type it was checked as; never a public media URL."""
    agency = _agency(code)
    attachment = selectors.attachment_get(agency, pk, attachment_pk)
    if attachment is None:
        raise Http404(NOT_FOUND)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as e:
        raise Http404("文件不存在。") from e
    name = attachment.title
    suffix = PurePosixPath(attachment.file.name).suffix
    if suffix and not name.lower().endswith(suffix.lower()):
        name += suffix
    response = FileResponse(handle, as_attachment=True, filename=name, content_type=attachment.content_type)
    # Published files are public, but a withdrawn item's files must stop being served at once.
    response["Cache-Control"] = "no-cache"
    return response


# --- the catalogue and the guide ---------------------------------------------------


@require_safe
def catalogue(request, code):
    agency = _agency(code)
    sections, unfiled = selectors.catalogue_sections(agency)
    return render(request, "portal/catalogue.html", {**_frame(agency), "sections": sections, "unfiled": unfiled})


@require_safe
def guide(request, code):
    agency = _agency(code)
    return render(request, "portal/guide.html", {**_frame(agency), "guide": selectors.guide_get(agency)})


# --- annual reports ---------------------------------------------------------------------


@require_safe
def report_list(request, code):
    agency = _agency(code)
    return render(request, "portal/reports.html", {**_frame(agency), "reports": selectors.reports_published(agency)})


def _report(agency: Agency, year: int, version: int | None = None):
    report = selectors.report_get(agency, year, version)
    if report is None:
        raise Http404("该年度的报告尚未公开。" if version is None else "没有该版本的报告。")
    return report


@require_safe
def report_detail(request, code, year, version=None):
    agency = _agency(code)
    report = _report(agency, year, version)
    layout = table_layout(report)
    years = [r.year for r in selectors.reports_published(agency)]
    versions = selectors.report_versions_published(agency, year)
    shown = getattr(report.narrative, "number", None)
    return render(request, "portal/report.html", {
        **_frame(agency), "report": report, "layout": layout, "narrative": report.narrative,
        # One table at a time, so that each gets its own heading (二、三、四) between the narrative's.
        "tables": [(table, {"tables": (table,)}) for table in layout.tables],
        "downloads": [(fmt, label, FORMAT_LABELS[fmt]) for fmt, label in REPORT_FORMATS.items() if fmt in RENDERERS],
        "years": years,
        "versions": versions, "shown": shown, "current": versions[0].number if versions else None,
    })


@require_safe
def report_download(request, code, year, fmt, version=None):
    if fmt not in REPORT_FORMATS or fmt not in RENDERERS:
        raise Http404("不支持的格式。")
    agency = _agency(code)
    report = _report(agency, year, version)
    response = HttpResponse(render_report(report, fmt), content_type=CONTENT_TYPES[fmt])
    name = download_name(report, fmt)
    if version is not None:
        name = name.replace(f".{fmt}", f"-v{version}.{fmt}")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# --- search ---------------------------------------------------------------------------


@require_safe
def search(request, code=None):
    """Full-text search over published items (gongkai.catalogue.search), site-wide or within a place."""
    from gongkai.catalogue import search as catalogue_search  # looked up per call: tests replace ``search``

    place = _place(code) if code is not None else None
    items = selectors.items_of(place) if place is not None else selectors.public_items()
    topics, years = filter_choices(code or "*", items, selectors.item_topics, selectors.item_years)
    form = SearchForm(request.GET, topics=topics, years=years)
    query = form.query()
    filters = form.values()
    number = _page_number(request)
    results, pager = None, None
    if query:
        results = catalogue_search.search(
            query,
            agency=place if isinstance(place, Agency) else None,
            region=place if isinstance(place, Region) else None,
            document_type=filters["document_type"] or None, topic=filters["topic"] or None,
            year=filters["year"], validity=filters["validity"] or None,
            offset=(number - 1) * PAGE_SIZE, limit=PAGE_SIZE,
        )
        pager = _pager(number, results.count)
        # The index holds every published item; one marked 不予公开 is never shown (selectors.public_items).
        hits = [hit for hit in results.results if hit.item.disclosure_mode != DisclosureMode.NOT_DISCLOSED]
        _agencies_attach([hit.item for hit in hits])
        results = SimpleNamespace(count=results.count, results=hits, exact=results.exact)
    return render(request, "portal/search.html", {
        **_frame(place), "form": form, "query": query, "results": results, "pager": pager,
        "search_place": place,
    })


def _agencies_attach(items) -> None:
    """Give each hit's item its agency from one query, whatever the search module fetched."""
    missing = {i.agency_id for i in items if "agency" not in i._state.fields_cache}
    if not missing:
        return
    agencies = Agency.objects.in_bulk(missing)
    for item in items:
        if item.agency_id in agencies:
            item.agency = agencies[item.agency_id]


# --- errors ---------------------------------------------------------------------------------

STAFF_PREFIXES = ("/staff/", "/admin/", "/accounts/", "/api/")


def page_not_found(request, exception):
    """The portal's 404 page for public paths; staff paths keep the staff one (templates/404.html)."""
    if request.path.startswith(STAFF_PREFIXES):
        return defaults.page_not_found(request, exception)
    return render(request, "portal/404.html", _frame(None), status=404)

