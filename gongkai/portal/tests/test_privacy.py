"""No applicant's personal data on the public portal: crawl every page of the demo's agencies after
``demo_load`` — pages, lists with every filter link and page, items, attachments, reports and their
downloads, feeds, searches — and look for every applicant's name, identity number, phone, e-mail and address."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import transaction

from gongkai.applications.models import Application
from gongkai.catalogue.search import search_rebuild
from gongkai.demo.services import demo_load

from .portal_data import crawl

pytestmark = pytest.mark.django_db

BUREAU = "xianyou-gxj"


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo, loaded once for this module, inside a transaction rolled back after its last test."""
    with django_db_blocker.unblock(), transaction.atomic():
        summary = demo_load()
        search_rebuild()  # the demo writes its items in bulk, without the index's signals
        yield summary
        transaction.set_rollback(True)


def personal_data() -> dict[str, set[str]]:
    """What identifies the demo's applicants, by kind."""
    kinds = {"name": set(), "identity": set(), "phone": set(), "email": set(), "address": set(), "tracking": set()}
    for row in Application.objects.values("applicant_name", "legal_representative", "identity_number", "phone",
                                          "email", "address", "tracking_code"):
        kinds["name"].update(v for v in (row["applicant_name"], row["legal_representative"]) if v)
        kinds["identity"].add(row["identity_number"])
        kinds["phone"].add(row["phone"])
        kinds["email"].add(row["email"])
        kinds["address"].add(row["address"])
        kinds["tracking"].add(row["tracking_code"])
    return {kind: {v for v in values if v and len(v) >= 3} for kind, values in kinds.items()}


@pytest.fixture(scope="module")
def demo_pages(demo, django_db_blocker):
    from django.test import Client

    with django_db_blocker.unblock():
        client = Client()
        # Searches for words the demo's application descriptions and items share, and for applicants' data.
        applicant = Application.objects.filter(agency__code=BUREAU).exclude(applicant_name="").first()
        starts = ["/", "/xianyou/", "/putian/", "/fujian/", "/xianyou/items/", "/xianyou/feed/rss/",
                  "/xianyou/feed/atom/", f"/{BUREAU}/", f"/{BUREAU}/search/?q=申请", "/search/?q=通知",
                  f"/search/?q={applicant.applicant_name}", f"/search/?q={applicant.identity_number}",
                  f"/search/?q={applicant.phone}"]
        # The whole of the seed bureau's portal (every link followed: lists with each filter and page, items,
        # attachments, reports and downloads, feeds, searches, and the application and supervision pages it
        # links to, once they are on the site) and the first page of everything shared with the other agencies.
        pages = crawl(client, starts, within=(f"/{BUREAU}/", "/track/"))
        return pages, personal_data()


def test_the_crawl_covers_the_bureaus_portal(demo_pages):
    pages, _ = demo_pages
    urls = set(pages.pages)
    published = sum(1 for u in urls if u.startswith(f"/{BUREAU}/items/") and u.rstrip("/").split("/")[-1].isdigit())
    assert published >= 150  # every published item of the bureau (191 in the demo)
    for url in (f"/{BUREAU}/catalogue/", f"/{BUREAU}/guide/", f"/{BUREAU}/reports/", f"/{BUREAU}/reports/2020/",
                f"/{BUREAU}/reports/2020/report.xlsx", f"/{BUREAU}/reports/2025/report.json"):
        assert url in urls, url
    assert any("/attachments/" in u for u in urls)
    assert all(status < 500 for status in pages.statuses.values())


@pytest.mark.parametrize("kind", ["name", "identity", "phone", "email", "address", "tracking"])
def test_no_applicant_data_on_any_portal_page(demo_pages, kind):
    pages, personal = demo_pages
    if kind in ("name", "identity", "phone", "address"):
        assert personal[kind], f"the demo has no applicant {kind} to look for"
    if not personal[kind]:
        pytest.skip(f"the demo's applications carry no {kind}")
    pattern = re.compile("|".join(map(re.escape, sorted(personal[kind], key=len, reverse=True))))
    leaks = [(url, m.group()) for url, text in pages.pages.items()
             if (m := pattern.search(_without_own_query(url, text)))]
    assert not leaks, leaks[:5]


def _without_own_query(url: str, text: str) -> str:
    """A search page repeats what was typed into it; that is the visitor's own text, not a leak."""
    for query in parse_qs(urlsplit(url).query).get("q", []):
        text = text.replace(query, "")
    return text


def test_searching_for_an_applicant_finds_nothing(demo_pages):
    pages, _ = demo_pages
    applicant_searches = [u for u in pages.pages if u.startswith("/search/?q=") and "通知" not in u]
    assert len(applicant_searches) == 3
    for url in applicant_searches:
        assert "没有找到" in pages.pages[url], url
