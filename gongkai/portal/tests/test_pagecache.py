"""The rendered item page cache (portal/pagecache.py): served again unchanged, never stale after a change."""

import pytest
from django.core.cache import caches

from gongkai.catalogue.models import ItemStatus

from .portal_data import site  # noqa: F401


@pytest.fixture(autouse=True)
def empty_page_cache():
    caches["pages"].clear()
    yield
    caches["pages"].clear()


def url(site, item):
    return f"/{site.agency.code}/items/{item.pk}/"


def test_the_second_visit_is_served_from_the_cache_in_one_query(client, site, django_assert_num_queries):
    first = client.get(url(site, site.normative))
    with django_assert_num_queries(1):  # the stamp; no ORM query, no template
        again = client.get(url(site, site.normative))
    assert again.status_code == 200 and again.content == first.content
    assert again["Content-Type"] == first["Content-Type"]
    assert "Content-Security-Policy" in again  # the middleware still runs


@pytest.mark.parametrize("change", ["title", "withdraw", "not_disclosed", "attachment", "interpretation"])
def test_a_change_shows_at_once(client, site, change):
    item = site.normative
    attachment_link = f"/items/{item.pk}/attachments/{site.attachment.pk}/"
    before = client.get(url(site, item)).content.decode()
    assert attachment_link in before
    if change == "title":
        item.title = "修改后的标题：标准化厂房管理办法"
        item.save()
    elif change == "withdraw":
        item.status = ItemStatus.WITHDRAWN
        item.save()
    elif change == "not_disclosed":
        item.disclosure_mode = "not_disclosed"
        item.save()
    elif change == "attachment":
        site.attachment.delete()
    elif change == "interpretation":
        site.interpretation.title = "新的政策解读标题"
        site.interpretation.save()
    response = client.get(url(site, item))
    page = response.content.decode()
    if change in ("withdraw", "not_disclosed"):
        assert response.status_code == 404
    elif change == "title":
        assert "修改后的标题" in page
    elif change == "attachment":
        assert attachment_link not in page
    else:
        assert "新的政策解读标题" in page


def test_items_of_another_agency_are_still_404(client, site):
    assert client.get(f"/{site.other_agency.code}/items/{site.normative.pk}/").status_code == 404
