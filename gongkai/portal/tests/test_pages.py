"""The public portal's pages: what they show, what they refuse (404), their filters, pages and query counts,
and the accessibility rules that can be checked without a browser (labels, titles, contrast, no outside resource)."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.urls import reverse

from gongkai.agencies.models import Agency, Region
from gongkai.catalogue.models import DocumentType, Genre, ItemStatus, Validity
from gongkai.portal import selectors
from gongkai.portal.selectors import RESERVED_CODES

from .portal_data import FROZEN_PENALTY_DECISIONS, crawl, links_in, make_item, published_items, site  # noqa: F401

pytestmark = pytest.mark.django_db

SUFFIX = " - 政府信息公开"


def html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def title(page: str) -> str:
    return re.search(r"<title>(.*?)</title>", page, re.S).group(1).strip()


def figure(page: str, cell: str) -> str:
    """The printed figure of a report cell (``data-cell`` in reports/_tables.html)."""
    return re.search(rf'data-cell="{re.escape(cell)}"[^>]*>([^<]*)<', page).group(1)


# --- every page ------------------------------------------------------------------------------


def test_home_lists_regions_and_their_agencies(client, site):
    page = html(client.get("/"))
    assert title(page) == "首页" + SUFFIX
    assert site.agency.name in page and site.other_agency.name in page
    assert "测试省" in page and 'href="/testcounty/"' in page
    assert f'href="/{site.agency.code}/"' in page


def test_region_page_lists_its_agencies_and_latest_items(client, site):
    page = html(client.get("/testcounty/"))
    assert title(page) == f"首页 - 测试县{SUFFIX}"
    assert site.agency.name in page and site.other_agency.name not in page
    assert site.normative.title in page
    assert site.draft.title not in page and site.withdrawn.title not in page
    assert 'action="/testcounty/search/"' in page
    # The province covers the neighbouring county too.
    province = html(client.get("/testprov/"))
    assert site.other_agency.name in province and site.other_item.title in province


def test_agency_home_has_the_disclosure_column(client, site):
    page = html(client.get(f"/{site.agency.code}/"))
    assert title(page) == f"政府信息公开专栏 - {site.agency.name}{SUFFIX}"
    for section in ("政府信息公开指南", "政府信息公开目录", "法定主动公开内容", "政府信息公开年报", "依申请公开", "监督保障"):
        assert section in page
    assert f'href="/{site.agency.code}/apply/"' in page
    assert f'href="/{site.agency.code}/reports/2023/"' in page
    assert "/reports/2024/" not in page  # not published
    # The latest items by type, and the 政策解读.
    assert site.normative.title in page and site.interpretation.title in page
    assert f"/{site.agency.code}/items/?type=normative_document" in page
    assert site.draft.title not in page and site.not_disclosed.title not in page


def test_catalogue_shows_entries_with_their_published_items(client, site):
    page = html(client.get(f"/{site.agency.code}/catalogue/"))
    assert title(page) == f"政府信息公开目录 - {site.agency.name}{SUFFIX}"
    for entry in ("政策文件", "行政规范性文件", "财政信息"):
        assert entry in page
    assert site.normative.index_number in page and site.budget.title in page
    assert site.draft.title not in page
    # Items filed under no entry are pointed to.
    assert "尚未归入目录" in page


def test_catalogue_links_to_all_items_of_a_large_entry(client, site):
    published_items(site.agency, 12, entry=site.finance)
    page = html(client.get(f"/{site.agency.code}/catalogue/"))
    assert f"?entry={site.finance.pk}" in page and "全部 13 条信息" in page
    listed = html(client.get(f"/{site.agency.code}/items/", {"entry": site.finance.pk}))
    assert "共 13 条" in listed and "财政信息" in listed


def test_item_page_shows_the_metadata_box_body_and_attachments(client, site):
    item = site.normative
    page = html(client.get(f"/{site.agency.code}/items/{item.pk}/"))
    assert title(page) == f"{item.title} - {site.agency.name}{SUFFIX}"
    for label, value in (("索引号", item.index_number), ("发布机构", site.agency.name), ("文号", "测工信〔2024〕7号"),
                         ("成文日期", "2024年5月8日"), ("发布日期", "2024年5月10日"), ("有效性", "有效"),
                         ("实施日期", "2024年6月1日"), ("主题分类", "工业、交通"), ("体裁", "通知"),
                         ("关键词", "标准化厂房 管理办法")):
        assert re.search(rf"<dt>{label}</dt><dd>[^<]*{re.escape(value)}", page), label
    assert "<p>第一条 为规范标准化厂房管理，制定本办法。</p>" in page  # the sanitized body, as HTML
    assert f'href="/{site.agency.code}/items/{item.pk}/attachments/{site.attachment.pk}/"' in page
    assert site.interpretation.title in page  # its 政策解读


def test_interpretation_links_to_the_document_it_interprets(client, site):
    page = html(client.get(f"/{site.agency.code}/items/{site.interpretation.pk}/"))
    assert "本文为以下文件的政策解读" in page
    assert f'href="/{site.agency.code}/items/{site.normative.pk}/"' in page


def test_abolished_item_shows_its_dates(client, site):
    page = html(client.get(f"/{site.agency.code}/items/{site.abolished.pk}/"))
    assert re.search(r"<dt>有效性</dt><dd>废止</dd>", page)
    assert re.search(r"<dt>废止日期</dt><dd>2024年1月1日</dd>", page)


def test_attachment_download(client, site):
    response = client.get(f"/{site.agency.code}/items/{site.normative.pk}/attachments/{site.attachment.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''" in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_guide_page(client, site):
    page = html(client.get(f"/{site.agency.code}/guide/"))
    assert title(page) == f"政府信息公开指南 - {site.agency.name}{SUFFIX}"
    for text in ("信息分类和编排体系", site.guide.office_name, "0594-8290001", "0594-8290002", "gkb@example.gov.cn",
                 "依申请公开的办理程序", "监督和救济"):
        assert text in page
    # The guide's website is printed, not linked: the portal links to nothing outside the site.
    assert "gxj.example.gov.cn" in page and 'href="http' not in page


def test_guide_page_without_a_guide(client, other_agency):
    assert "尚未发布" in html(client.get(f"/{other_agency.code}/guide/"))


# --- annual reports ---------------------------------------------------------------------------


def test_reports_list_only_published_reports(client, site):
    page = html(client.get(f"/{site.agency.code}/reports/"))
    assert title(page) == f"政府信息公开工作年度报告 - {site.agency.name}{SUFFIX}"
    assert f"/{site.agency.code}/reports/2023/" in page
    assert f"/{site.agency.code}/reports/2024/" not in page


def test_report_page_shows_the_frozen_figures_and_the_narrative(client, site):
    page = html(client.get(f"/{site.agency.code}/reports/2023/"))
    assert title(page) == f"2023年政府信息公开工作年度报告 - {site.agency.name}{SUFFIX}"
    # The record changed to 99 after the report was published; the public page keeps what was published.
    assert figure(page, "proactive.penalty.decisions") == str(FROZEN_PENALTY_DECISIONS)
    assert figure(page, "proactive.licensing.decisions") == "5"
    assert page.count("<table") == 3 and 'scope="col"' in page and "<caption" in page
    for heading in ("一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
                    "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"):
        assert re.search(rf"<h2[^>]*>{heading}</h2>", page), heading
    assert "全年主动公开政府信息1条" in page and "本年度未收取信息处理费" in page
    for fmt in ("pdf", "docx", "html", "xlsx", "md", "json"):
        assert f"/{site.agency.code}/reports/2023/report.{fmt}" in page


@pytest.mark.parametrize("fmt, content_type", [
    ("json", "application/json"), ("md", "text/markdown"), ("html", "text/html"),
    ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"), ("pdf", "application/pdf"),
])
def test_report_downloads_carry_the_frozen_figures(client, site, fmt, content_type):
    response = client.get(f"/{site.agency.code}/reports/2023/report.{fmt}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith(content_type)
    assert response["Content-Disposition"] == f'attachment; filename="{site.agency.code}-2023.{fmt}"'
    if fmt == "json":
        assert response.json()["proactive"]["penalty"]["decisions"] == FROZEN_PENALTY_DECISIONS


def test_report_pages_of_unpublished_years_and_unknown_formats_are_404(client, site):
    code = site.agency.code
    for url in (f"/{code}/reports/2024/", f"/{code}/reports/2022/", f"/{code}/reports/2024/report.json",
                f"/{code}/reports/2023/report.odt", f"/{code}/reports/2023/report.exe",
                f"/{code}/reports/2023/versions/9/"):
        assert client.get(url).status_code == 404, url


# --- what the public never sees: 404 -----------------------------------------------------------


def test_unknown_codes_are_404(client, site):
    for url in ("/nowhere/", "/nowhere/items/", "/nowhere/feed/rss/", "/nowhere/search/"):
        assert client.get(url).status_code == 404, url


@pytest.mark.parametrize("word", sorted(RESERVED_CODES - {"admin"}))
def test_reserved_words_are_never_a_place(client, region, word):
    """Even an agency or region whose code is a reserved word gets no portal page."""
    Agency.objects.create(code=word, name=f"机关{word}", region=region)
    assert selectors.place_get(word) is None
    for url in (f"/{word}/items/", f"/{word}/catalogue/", f"/{word}/feed/rss/", f"/{word}/reports/"):
        assert client.get(url).status_code == 404, url


def test_admin_is_never_a_place(client, region):
    Region.objects.create(code="admin", name="管理", parent=region)
    assert selectors.place_get("admin") is None
    assert client.get("/admin/catalogue/").status_code in (302, 404)  # the admin site's, not the portal's


def test_regions_have_no_agency_pages(client, site):
    for url in ("/testcounty/catalogue/", "/testcounty/guide/", "/testcounty/reports/",
                f"/testcounty/items/{site.normative.pk}/"):
        assert client.get(url).status_code == 404, url


@pytest.mark.parametrize("name", ["draft", "withdrawn", "not_disclosed"])
def test_unpublished_items_are_404(client, site, name):
    item = getattr(site, name)
    assert client.get(f"/{site.agency.code}/items/{item.pk}/").status_code == 404


def test_items_of_another_agency_are_404_under_this_code(client, site):
    assert client.get(f"/{site.agency.code}/items/{site.other_item.pk}/").status_code == 404
    assert client.get(f"/{site.other_agency.code}/items/{site.other_item.pk}/").status_code == 200


def test_attachments_of_unpublished_items_are_404(client, site):
    code = site.agency.code
    for item, attachment in ((site.draft, site.draft_attachment), (site.withdrawn, site.withdrawn_attachment),
                             (site.budget, site.attachment)):  # another item's attachment
        assert client.get(f"/{code}/items/{item.pk}/attachments/{attachment.pk}/").status_code == 404
    assert client.get(f"/{site.other_agency.code}/items/{site.normative.pk}/attachments/"
                      f"{site.attachment.pk}/").status_code == 404


def test_an_item_withdrawn_after_publication_disappears(client, site):
    url = f"/{site.agency.code}/items/{site.budget.pk}/"
    assert client.get(url).status_code == 200
    site.budget.status = ItemStatus.WITHDRAWN
    site.budget.save()
    assert client.get(url).status_code == 404
    assert site.budget.title not in html(client.get(f"/{site.agency.code}/items/"))


def test_the_404_page_is_the_portals(client, site):
    response = client.get("/nowhere/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "页面不存在" in page and "portal/portal.css" in page


def test_the_staff_home_moved_to_staff(client):
    assert reverse("reports:home") == "/staff/"
    response = client.get("/staff/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# --- the item list: filters, sorting, pagination ----------------------------------------------


def listed(page: str) -> list[str]:
    return re.findall(r'<span class="item-title"><a href="/[^"]+/items/\d+/">([^<]+)</a>', page)


@pytest.mark.parametrize("params, expected", [
    ({"type": DocumentType.NORMATIVE_DOCUMENT}, {"normative", "abolished"}),
    ({"topic": "财政预决算"}, {"budget"}),
    ({"year": "2021"}, {"abolished"}),
    ({"validity": Validity.ABOLISHED}, {"abolished"}),
    ({"genre": Genre.INTERPRETATION}, {"interpretation"}),
    ({"type": DocumentType.NORMATIVE_DOCUMENT, "validity": Validity.VALID}, {"normative"}),
    ({"year": "1999", "type": "nonsense"}, {"normative", "abolished", "interpretation", "budget", "news"}),
])
def test_item_list_filters(client, site, params, expected):
    page = html(client.get(f"/{site.agency.code}/items/", params))
    assert set(listed(page)) == {getattr(site, name).title for name in expected}


def test_item_list_sorts_by_publication_date(client, site):
    newest = listed(html(client.get(f"/{site.agency.code}/items/")))
    oldest = listed(html(client.get(f"/{site.agency.code}/items/", {"sort": "oldest"})))
    assert newest[0] == site.interpretation.title and newest[-1] == site.abolished.title
    assert oldest == list(reversed(newest))


def test_item_list_pagination(client, agency):
    published_items(agency, 45)
    first = html(client.get(f"/{agency.code}/items/"))
    assert "共 45 条，第 1–20 条" in first and len(listed(first)) == 20
    assert listed(first)[0] == "批量信息第45号"
    assert 'href="?page=2"' in first and 'rel="next"' in first
    third = html(client.get(f"/{agency.code}/items/", {"page": 3}))
    assert len(listed(third)) == 5 and listed(third)[-1] == "批量信息第1号"
    # Filters are kept in the page links; a page past the end shows the last one.
    filtered = html(client.get(f"/{agency.code}/items/", {"year": 2022, "page": 1}))
    assert 'href="?year=2022&amp;page=2"' in filtered
    assert listed(html(client.get(f"/{agency.code}/items/", {"page": 99}))) == listed(third)
    assert len(listed(html(client.get(f"/{agency.code}/items/", {"page": "x"})))) == 20


def test_region_item_list_names_each_items_agency(client, site):
    page = html(client.get("/testprov/items/"))
    assert site.other_item.title in page and site.normative.title in page
    assert site.other_agency.name in page


# --- a bounded number of queries ----------------------------------------------------------------

QUERY_BUDGETS = {
    "/": 3, "/testcounty/": 8, "/testcounty/items/": 8, "/{code}/": 7, "/{code}/catalogue/": 7,
    "/{code}/items/": 7, "/{code}/items/?page=2&sort=oldest": 7, "/{code}/items/{pk}/": 6, "/{code}/guide/": 4,
    "/{code}/reports/": 4, "/{code}/reports/2023/": 6, "/{code}/reports/2023/report.xlsx": 3,
    "/{code}/feed/rss/": 3, "/{code}/feed/atom/": 3, "/testcounty/feed/rss/": 3,
    # The search module's own (at most four) and the page's.
    "/search/?q=信息": 7, "/{code}/search/?q=信息&page=2": 9, "/testcounty/search/?q=信息": 9,
}


@pytest.mark.parametrize("size", [3, 40])
def test_every_page_costs_a_bounded_number_of_queries(client, site, size, django_assert_max_num_queries):
    for n, item in enumerate(published_items(site.agency, size, entry=site.finance)):
        if n % 3 == 0:
            make_item(site.agency, f"解读{n}", genre=Genre.INTERPRETATION, interprets=item, entry=site.rules)
    for n in range(size // 4 + 1):
        Agency.objects.create(code=f"extra-{n}", name=f"测试县第{n}机关", region=site.region)
    for url, budget in QUERY_BUDGETS.items():
        url = url.format(code=site.agency.code, pk=site.normative.pk)
        with django_assert_max_num_queries(budget):
            assert client.get(url).status_code == 200, url


# --- accessibility that needs no browser ---------------------------------------------------------


class _Structure(HTMLParser):
    """Headings, form controls with their labels, tables with captions."""

    def __init__(self):
        super().__init__()
        self.headings: list[int] = []
        self.controls: list[dict] = []
        self.labels: set[str] = set()
        self.tables = 0
        self.captions = 0
        self.landmarks: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        elif tag in ("input", "select", "textarea") and attrs.get("type") not in ("hidden", "submit"):
            self.controls.append(attrs)
        elif tag == "label" and attrs.get("for"):
            self.labels.add(attrs["for"])
        elif tag == "table":
            self.tables += 1
        elif tag == "caption":
            self.captions += 1
        if tag in ("header", "nav", "main", "footer"):
            self.landmarks.append(tag)


def structure(page: str) -> _Structure:
    parser = _Structure()
    parser.feed(page)
    return parser


def test_pages_are_accessible_in_structure_and_link_nothing_outside(client, site):
    """Crawl the test site: every page has its landmarks and skip link, one h1 and no skipped heading level
    (the item body is the agency's own text and not checked), a label for every control, a caption for every
    table, and no src or href outside the site."""
    # The online application and supervision's pages (/<agency>/apply/, feedback/, concerns/) are other parts',
    # checked by their own tests.
    pages = crawl(client, ["/"], within=("/",), skip=("/apply/", "/feedback/", "/concerns/", "/track/"))
    html_pages = pages.html_pages()
    assert len(html_pages) > 20
    for url, page in html_pages.items():
        assert pages.statuses[url] == 200, url
        assert title(page).endswith(SUFFIX), url
        assert '<a class="skip-link" href="#main">' in page and '<main id="main"' in page, url
        if "/items/" in url and url.rstrip("/").split("/")[-1].isdigit():
            page = re.sub(r'<div class="item-body">.*?</div>', "", page, flags=re.S)
        s = structure(page)
        assert {"header", "nav", "main", "footer"} <= set(s.landmarks), url
        assert s.headings.count(1) == 1 and s.headings[0] == 1, (url, s.headings)
        assert all(b - a <= 1 for a, b in zip(s.headings, s.headings[1:])), (url, s.headings)
        for control in s.controls:
            assert control.get("id") in s.labels or control.get("aria-label"), (url, control)
        assert s.tables == s.captions, url
        for tag, attribute, value in links_in(page):
            assert not re.match(r"^(https?:)?//", value.strip(), re.I), (url, tag, attribute, value)


def test_the_large_font_toggle_and_skip_link_are_on_every_page(client, site):
    page = html(client.get(f"/{site.agency.code}/"))
    assert '<button type="button" class="font-toggle" data-font-toggle aria-pressed="false">大字模式</button>' in page
    assert "gongkai/site.js" in page


# --- colour contrast (WCAG 2.x) ----------------------------------------------------------------

CSS = Path(__file__).resolve().parents[1] / "static" / "portal" / "portal.css"


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4


def luminance(colour: str) -> float:
    colour = colour.lstrip("#")
    if len(colour) == 3:
        colour = "".join(c * 2 for c in colour)
    r, g, b = (int(colour[i:i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_contrast_formula():
    assert contrast("#000", "#fff") == pytest.approx(21)
    assert contrast("#777", "#fff") == pytest.approx(4.48, abs=0.01)


def css_colours() -> dict[str, str]:
    """The custom properties of portal.css, plus the literal colours the pairs below name."""
    text = CSS.read_text()
    colours = dict(re.findall(r"--([a-z-]+):\s*(#[0-9a-fA-F]{3,6})", text))
    colours["white"] = "#fff"
    colours["hover"] = re.search(r"\.column-nav a:hover \{ background: (#[0-9a-f]{6})", text).group(1)
    colours["dt"] = re.search(r"\.meta-box dt \{[^}]*background: (#[0-9a-f]{6})", text).group(1)
    colours["footer"] = re.search(r"\.site-footer \{ background: (#[0-9a-f]{6})", text).group(1)
    colours["input-border"] = re.search(r"border: 1px solid (#[0-9a-f]{6});\s*border-radius: 4px; background: #fff",
                                        text).group(1)
    return colours


# (foreground, background, minimum): text needs 4.5:1; focus rings and control borders 3:1 (WCAG 1.4.11).
COLOUR_PAIRS = [
    ("white", "red", 4.5),         # header text, primary buttons, the current page number
    ("white", "red-dark", 4.5),    # the column bar
    ("white", "hover", 4.5),       # the column bar under the pointer
    ("red", "white", 4.5),         # the font toggle, secondary buttons
    ("ink", "bg", 4.5),            # body text
    ("ink", "soft", 4.5),          # text in panels
    ("ink", "dt", 4.5),            # the metadata box's labels
    ("ink", "mark", 4.5),          # search highlights
    ("muted", "bg", 4.5),          # dates, notes
    ("muted", "soft", 4.5),
    ("link", "bg", 4.5),
    ("link", "soft", 4.5),
    ("white", "footer", 4.5),
    ("focus", "bg", 3.0),
    ("focus", "soft", 3.0),
    ("input-border", "bg", 3.0),
]


@pytest.mark.parametrize("foreground, background, minimum", COLOUR_PAIRS)
def test_colour_contrast(foreground, background, minimum):
    colours = css_colours()
    ratio = contrast(colours[foreground], colours[background])
    assert ratio >= minimum, f"{foreground} {colours[foreground]} on {background} {colours[background]}: {ratio:.2f}"


def test_no_outside_fonts_or_resources_in_the_stylesheet():
    text = CSS.read_text()
    assert "@import" not in text and "url(" not in text and "http" not in text


def test_places_resolve_agency_first(region):
    Region.objects.create(code="same", name="同名区划", parent=region)
    agency = Agency.objects.create(code="same", name="同名机关", region=region)
    assert selectors.place_get("same") == agency
    assert isinstance(selectors.place_get("testcounty"), Region)


# --- search ---------------------------------------------------------------------------------------


def test_search_page_without_a_query_shows_the_form(client, site):
    page = html(client.get("/search/"))
    assert title(page) == "检索" + SUFFIX
    assert '<label for="id_q">关键词</label>' in page and "请输入关键词" in page


def test_search_calls_the_search_interface_with_the_filters(client, site, monkeypatch):
    from gongkai.catalogue import search as catalogue_search

    calls = []

    def fake_search(query, **kwargs):
        calls.append((query, kwargs))
        hit = catalogue_search.Hit(item=site.normative, score=1.5,
                                   snippet="关于<mark>标准化</mark>厂房&lt;b&gt;<script>alert(1)</script>")
        return catalogue_search.SearchResults(count=41, results=[hit])

    monkeypatch.setattr(catalogue_search, "search", fake_search)
    page = html(client.get(f"/{site.agency.code}/search/", {
        "q": " 标准化厂房 ", "type": "normative_document", "topic": "工业、交通", "year": "2024", "validity": "valid",
        "page": "3",
    }))
    assert calls == [("标准化厂房", {"agency": site.agency, "region": None, "document_type": "normative_document",
                                   "topic": "工业、交通", "year": 2024, "validity": "valid", "offset": 40,
                                   "limit": 20})]
    assert title(page) == f"“标准化厂房”的检索结果 - {site.agency.name}{SUFFIX}"
    assert "找到 41 条结果，第 41–41 条" in page
    assert f'href="/{site.agency.code}/items/{site.normative.pk}/"' in page
    # The snippet keeps its <mark> and its escaped text; anything else the search module let through is dropped.
    assert "关于<mark>标准化</mark>厂房&lt;b&gt;" in page and "<script>alert" not in page
    assert 'href="?q=' in page and "page=2" in page  # pagination keeps the query


def test_a_search_with_too_many_matches_to_count_says_more_than(client, site, monkeypatch):
    from gongkai.catalogue import search as catalogue_search

    hit = catalogue_search.Hit(item=site.normative, score=1.0, snippet="")
    monkeypatch.setattr(catalogue_search, "search", lambda query, **kw: catalogue_search.SearchResults(
        count=2000, results=[hit], exact=False))
    page = html(client.get("/search/", {"q": "公示", "page": "100"}))
    assert "找到超过 2000 条结果，第 1981–2000 条" in page
    assert "标题含全部检索词的排在前面，其余按发布时间从新到旧，可翻阅前 2000 条" in page
    assert "按相关度排序" not in page
    assert "page=99" in page and "page=101" not in page  # the pages end at the bound


def test_search_within_a_region_passes_the_region(client, site, monkeypatch):
    from gongkai.catalogue import search as catalogue_search

    calls = []
    monkeypatch.setattr(catalogue_search, "search",
                        lambda query, **kw: calls.append(kw) or catalogue_search.SearchResults(count=0))
    page = html(client.get("/testcounty/search/", {"q": "电力", "year": "1888", "type": "bogus"}))
    assert calls[0]["region"] == site.region and calls[0]["agency"] is None
    assert calls[0]["year"] is None and calls[0]["document_type"] is None  # unknown filter values are ignored
    assert "没有找到与“电力”相关的信息" in page


def test_search_with_the_real_index(client, site):
    """The real search (gongkai.catalogue.search): ranked, highlighted, scoped and never showing unpublished items."""
    page = html(client.get("/search/", {"q": "标准化厂房"}))
    found = re.findall(r'<a href="/[^"]+/items/(\d+)/">', page.split('class="search-results')[1])
    assert set(found[:2]) == {str(site.normative.pk), str(site.interpretation.pk)}  # title matches first
    assert "<mark>" in page
    scoped = html(client.get(f"/{site.agency.code}/search/", {"q": "电力设施"}))
    assert site.other_item.title not in scoped
    assert site.other_item.title in html(client.get("/testprov/search/", {"q": "电力设施"}))
    for hidden in (site.draft, site.withdrawn, site.not_disclosed):
        assert hidden.title not in html(client.get("/search/", {"q": hidden.title[-4:]}))
