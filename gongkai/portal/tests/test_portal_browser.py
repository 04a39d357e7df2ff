"""A visitor walks the public portal in headless Chromium (Debian's, never a downloaded one): home → agency →
item → search → annual report, by keyboard where it matters, in the larger-font mode and on a phone-sized screen."""

import re

import pytest
from gongkai.testing import BROWSER


pytestmark = [
    *BROWSER,
]

BUREAU = "仙游县工业和信息化局"




@pytest.fixture
def demo(transactional_db):
    """The demo, committed so that the live server's thread sees it (the flush after the test removes it)."""
    from gongkai.catalogue.search import search_rebuild
    from gongkai.demo.services import demo_load

    demo_load()
    search_rebuild()


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.mark.django_db(transaction=True)
def test_visitor_walks_the_portal(live_server, demo, page, artifacts_dir):
    outside = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(live_server.url) else None)

    # Home: the first Tab reaches the skip link, which is shown, and Enter moves to the main content.
    page.goto(f"{live_server.url}/")
    assert page.title() == "首页 - 政府信息公开"
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    box = skip.bounding_box()
    assert box and box["y"] >= 0 and box["x"] >= 0  # on screen when focused
    page.screenshot(path=str(artifacts_dir / "portal-home-skip-link.png"))
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.screenshot(path=str(artifacts_dir / "portal-home.png"), full_page=True)

    # The agency's disclosure column.
    with page.expect_navigation():
        page.get_by_role("link", name=BUREAU).first.click()
    assert page.title() == f"政府信息公开专栏 - {BUREAU} - 政府信息公开"
    for section in ("政府信息公开指南", "政府信息公开目录", "法定主动公开内容", "政府信息公开年报", "依申请公开", "监督保障"):
        assert page.get_by_role("link", name=re.compile(section)).count() > 0, section
    page.screenshot(path=str(artifacts_dir / "portal-agency.png"), full_page=True)

    # An item, reached by keyboard: focus its link and press Enter; the focus ring is visible.
    link = page.locator("#kind-3 ~ .item-list a").first
    title = link.inner_text()
    link.focus()
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.title().startswith(title)
    assert page.locator(".meta-box dt", has_text="索引号").is_visible()
    page.screenshot(path=str(artifacts_dir / "portal-item.png"), full_page=True)

    # Search within the agency: results ranked, with the words highlighted.
    with page.expect_navigation():
        page.get_by_role("navigation", name="政府信息公开专栏").get_by_role("link", name="检索").click()
    page.get_by_label("关键词").fill("电力设施")
    with page.expect_navigation():
        page.get_by_label("关键词").press("Enter")
    assert "检索结果" in page.title()
    assert page.locator(".search-results li").count() > 0
    assert page.locator(".search-results mark").count() > 0
    page.screenshot(path=str(artifacts_dir / "portal-search.png"), full_page=True)

    # The 2020 annual report, as published: table 二 prints the real bureau's 62 行政处罚 items.
    with page.expect_navigation():
        page.get_by_role("link", name="公开年报").click()
    with page.expect_navigation():
        page.get_by_role("link", name=f"{BUREAU}2020年政府信息公开工作年度报告").click()
    assert page.title() == f"2020年政府信息公开工作年度报告 - {BUREAU} - 政府信息公开"
    assert page.locator('[data-cell="proactive.penalty.previous_year_items"]').inner_text() == "62"
    assert page.locator("table").count() == 3
    page.screenshot(path=str(artifacts_dir / "portal-report-2020.png"), full_page=True)

    # The larger-font mode for older readers: a keyboard-operable toggle, remembered across pages.
    size = page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")
    toggle = page.get_by_role("button", name="大字模式")
    toggle.focus()
    page.keyboard.press("Enter")
    assert page.evaluate("document.documentElement.classList.contains('large-font')")
    assert page.get_by_role("button", name="标准字号").get_attribute("aria-pressed") == "true"
    assert page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)") > size
    page.goto(f"{live_server.url}/xianyou-gxj/")
    assert page.evaluate("document.documentElement.classList.contains('large-font')")
    assert no_horizontal_scroll(page)
    page.screenshot(path=str(artifacts_dir / "portal-agency-large-font.png"))

    # A phone-sized screen: no horizontal page scroll; the wide report tables scroll inside their frame.
    page.set_viewport_size({"width": 390, "height": 844})
    for path in ("/", "/xianyou-gxj/", "/xianyou-gxj/items/", "/xianyou-gxj/catalogue/", "/xianyou-gxj/guide/",
                 "/xianyou-gxj/reports/2023/", "/xianyou-gxj/search/?q=通知"):
        page.goto(f"{live_server.url}{path}")
        assert no_horizontal_scroll(page), path
    page.screenshot(path=str(artifacts_dir / "portal-phone-large-font-search.png"), full_page=True)
    page.goto(f"{live_server.url}/xianyou-gxj/reports/2023/")
    frame = page.locator(".gk-table-applications").locator("xpath=..")
    assert frame.evaluate("e => e.scrollWidth > e.clientWidth")  # table 三 scrolls inside its frame
    page.screenshot(path=str(artifacts_dir / "portal-phone-large-font-report.png"))
    page.get_by_role("button", name="标准字号").click()
    page.goto(f"{live_server.url}/xianyou-gxj/")
    page.screenshot(path=str(artifacts_dir / "portal-phone-agency.png"), full_page=True)
    page.goto(live_server.url + page.locator(".item-list a").first.get_attribute("href"))
    assert no_horizontal_scroll(page)
    page.screenshot(path=str(artifacts_dir / "portal-phone-item.png"), full_page=True)

    assert not outside, outside  # nothing was fetched from outside the site
