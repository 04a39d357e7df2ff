"""The benchmark's minimal view exists only when GONGKAI_BENCH is on."""

import importlib

import pytest
from django.urls import clear_url_caches


@pytest.fixture
def reload_urls(settings):
    def reload(bench: bool):
        settings.GONGKAI_BENCH = bench
        import gongkai.urls

        clear_url_caches()
        importlib.reload(gongkai.urls)
        clear_url_caches()
    yield reload
    settings.GONGKAI_BENCH = False
    reload(False)


def test_the_minimal_view_is_routed_only_for_benchmarks(client, db, reload_urls):
    reload_urls(False)
    assert client.get("/_bench/minimal/").status_code == 404
    reload_urls(True)
    response = client.get("/_bench/minimal/")
    assert response.status_code == 200 and response.content == b"ok"
