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
    results = search("补贴", limit=5)
    assert results.count == 8
    # Title matches (odd n) newest first, then the others newest first.
    assert [h.item.pk for h in results.results] == [many[n].pk for n in (7, 5, 3, 1, 6)]


def test_pages_are_consistent_at_any_depth(many):
    seen = []
    for offset in (0, 3, 6):
        seen += [h.item.pk for h in search("补贴", offset=offset, limit=3).results]
    assert sorted(seen) == sorted(i.pk for i in many)  # every match reachable, none twice
    assert search("补贴", offset=8).results == []


def test_below_the_window_every_match_is_ranked_by_relevance(agency, monkeypatch):
    monkeypatch.setattr(backends, "CANDIDATES", 50)
    body_only = publish(agency, "关于开展春季造林绿化工作的通知", body="<p>做好补贴资金发放。</p>")
    in_title = publish(agency, "2024年造林补贴资金公示", published_on=date(2024, 1, 1))
    assert [h.item.pk for h in search("补贴").results] == [in_title.pk, body_only.pk]


def test_filters_rank_every_match(many):
    results = search("补贴", agency=many[0].agency, limit=3)
    assert results.count == 8
    assert {h.item.pk for h in results.results} <= {i.pk for i in many if i.title.endswith("公示")}
