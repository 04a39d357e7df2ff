"""RSS and Atom feeds of newly published items, for an agency and for a region."""

import xml.etree.ElementTree as ET
from datetime import date

import pytest

from .portal_data import published_items, site  # noqa: F401

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def rss_items(response) -> list[dict]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = ET.fromstring(response.content).find("channel")
    return [{child.tag: child.text for child in item} for item in channel.findall("item")]


def test_agency_rss_lists_the_newest_published_items(client, site):
    response = client.get(f"/{site.agency.code}/feed/rss/")
    root = ET.fromstring(response.content)
    assert root.tag == "rss" and root.get("version") == "2.0"
    channel = root.find("channel")
    assert channel.findtext("title") == f"{site.agency.name} - 政府信息公开 - 最新发布"
    assert channel.findtext("link") == f"http://testserver/{site.agency.code}/"
    assert channel.findtext("language") == "zh-CN"
    items = rss_items(response)
    titles = [i["title"] for i in items]
    assert titles == [site.interpretation.title, site.normative.title, site.budget.title, site.news.title,
                      site.abolished.title]  # newest first; no draft, withdrawn or 不予公开 item
    first = items[0]
    assert first["link"] == f"http://testserver/{site.agency.code}/items/{site.interpretation.pk}/"
    assert first["pubDate"].startswith("Sun, 12 May 2024 00:00:00 +0800")
    assert site.interpretation.index_number in first["description"]


def test_feed_keeps_to_the_newest_thirty(client, agency):
    published_items(agency, 35, start=date(2025, 1, 1))
    titles = [i["title"] for i in rss_items(client.get(f"/{agency.code}/feed/rss/"))]
    assert len(titles) == 30 and titles[0] == "批量信息第35号" and titles[-1] == "批量信息第6号"


def test_agency_atom_feed(client, site):
    response = client.get(f"/{site.agency.code}/feed/atom/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    assert root.findtext(f"{ATOM}subtitle") == f"{site.agency.name}最新主动公开的政府信息。"
    assert root.findtext(f"{ATOM}updated").startswith("2024-05-12T00:00:00+08:00")
    entries = root.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries][:2] == [site.interpretation.title, site.normative.title]
    link = entries[0].find(f"{ATOM}link").get("href")
    assert link == f"http://testserver/{site.agency.code}/items/{site.interpretation.pk}/"
    assert entries[0].find(f"{ATOM}author").findtext(f"{ATOM}name") == site.agency.name


def test_region_feeds_cover_every_agency_under_the_region(client, site):
    titles = [i["title"] for i in rss_items(client.get("/testprov/feed/rss/"))]
    assert titles[0] == site.other_item.title and site.normative.title in titles
    county = [i["title"] for i in rss_items(client.get("/testcounty/feed/rss/"))]
    assert site.other_item.title not in county and site.normative.title in county
    root = ET.fromstring(client.get("/testprov/feed/atom/").content)
    assert root.findtext(f"{ATOM}title") == "测试省 - 政府信息公开 - 最新发布"


def test_feeds_of_unknown_or_reserved_codes_are_404(client, site):
    for url in ("/nowhere/feed/rss/", "/api/feed/atom/", "/search/feed/rss/"):
        assert client.get(url).status_code == 404


def test_pages_announce_their_feeds(client, site):
    page = client.get(f"/{site.agency.code}/").content.decode()
    rss = f'title="{site.agency.name} 最新发布（RSS）" href="/{site.agency.code}/feed/rss/"'
    assert f'type="application/rss+xml" {rss}' in page
    assert f'href="/{site.agency.code}/feed/atom/"' in page
