"""An unfiltered SQLite query with more matches than ``CANDIDATES``: title matches first, then newest first (ADR 011)."""

from datetime import date

import pytest
from django.db import connection

from gongkai.catalogue.search import backends, search

from .test_search import publish

pytestmark = pytest.mark.skipif("connection.vendor != 'sqlite'")


@pytest.fixture
def many(agency, monkeypatch):
    monkeypatch.setattr(backends, "CANDIDATES", 4)
    items = []
    for n in range(8):  # ids grow with n: the newest last
        title = f"第{n}号补贴公示" if n % 2 else f"第{n}号通知"
        items.append(publish(agency, title, body="<p>本次补贴资金按规定发放。</p>", published_on=date(2025, 1, 1 + n)))
    return items


def test_title_matches_come_first_then_the_newest(many):
    results = search("补贴", limit=3)
    # Not counted whole: "more than CANDIDATES", and that many can be paged.
    assert (results.count, results.exact) == (4, False)
    # Title matches (odd n) newest first, then the others newest first.
    assert [h.item.pk for h in results.results] == [many[n].pk for n in (7, 5, 3)]


def test_the_rest_follow_the_title_matches_newest_first(many, monkeypatch):
    monkeypatch.setattr(backends, "CANDIDATES", 6)
    results = search("补贴", limit=6)
    assert (results.count, results.exact) == (6, False)
    assert [h.item.pk for h in results.results] == [many[n].pk for n in (7, 5, 3, 1, 6, 4)]
    assert [h.score for h in results.results] == [1.0] * 4 + [0.0] * 2


def test_pages_are_consistent_up_to_the_bound(many):
    seen = []
    for offset in (0, 2):
        seen += [h.item.pk for h in search("补贴", offset=offset, limit=2).results]
    assert seen == [many[n].pk for n in (7, 5, 3, 1)]  # none twice, in order
    assert search("补贴", offset=4).results == []  # past the bound: nothing, and no pass over every match
    assert search("补贴", offset=3, limit=5).results[0].item.pk == many[1].pk  # a page cut at the bound


def test_at_the_bound_every_match_is_counted_and_ranked(many, monkeypatch):
    monkeypatch.setattr(backends, "CANDIDATES", 8)
    results = search("补贴", limit=8)
    assert (results.count, results.exact) == (8, True)


def test_an_item_withdrawn_behind_the_signals_is_never_shown(many):
    from gongkai.catalogue.models import Item, ItemStatus

    Item.objects.filter(pk=many[7].pk).update(status=ItemStatus.WITHDRAWN)  # no signal: the document stays
    assert [h.item.pk for h in search("补贴", limit=3).results] == [many[n].pk for n in (5, 3)]


def test_below_the_window_every_match_is_ranked_by_relevance(agency, monkeypatch):
    monkeypatch.setattr(backends, "CANDIDATES", 50)
    body_only = publish(agency, "关于开展春季造林绿化工作的通知", body="<p>做好补贴资金发放。</p>")
    in_title = publish(agency, "2024年造林补贴资金公示", published_on=date(2024, 1, 1))
    assert [h.item.pk for h in search("补贴").results] == [in_title.pk, body_only.pk]


def test_filters_rank_every_match(many):
    results = search("补贴", agency=many[0].agency, limit=3)
    assert (results.count, results.exact) == (8, True)
    assert {h.item.pk for h in results.results} <= {i.pk for i in many if i.title.endswith("公示")}


def test_the_api_says_when_the_count_is_a_bound(many, client):
    from gongkai.portal.tests.test_api import API

    body = client.get(f"{API}/items", {"q": "补贴", "limit": 3}).json()
    assert (body["count"], body["count_exact"]) == (4, False)
    assert [row["id"] for row in body["results"]] == [many[n].pk for n in (7, 5, 3)]
    assert client.get(f"{API}/items", {"q": "补贴", "agency": many[0].agency.code}).json()["count_exact"] is True
