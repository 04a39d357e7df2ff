"""Fixtures shared by every app's tests."""

import os
from pathlib import Path

import pytest

from gongkai.testing import CHROMIUM


@pytest.fixture
def region(db):
    from gongkai.agencies.models import Region

    province = Region.objects.create(code="testprov", name="测试省")
    return Region.objects.create(code="testcounty", name="测试县", parent=province)


@pytest.fixture
def agency(region):
    from gongkai.agencies.models import Agency

    return Agency.objects.create(code="testcounty-gxj", name="测试县工业和信息化局", region=region)


@pytest.fixture
def other_agency(region):
    from gongkai.agencies.models import Agency, Region

    elsewhere = Region.objects.create(code="othercounty", name="邻县", parent=region.parent)
    return Agency.objects.create(code="othercounty-gxj", name="邻县工业和信息化局", region=elsewhere)


@pytest.fixture
def artifacts_dir() -> Path:
    """Where tests leave screenshots and files to look at (git-ignored)."""
    path = Path(os.environ.get("GONGKAI_TEST_ARTIFACTS", "test-artifacts/local")).resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture(scope="session")
def live_server(django_db_setup, request):
    """pytest-django's live server, set up after the test database so that it
    stops (and closes its connection) before PostgreSQL drops the database."""
    from pytest_django.live_server_helper import LiveServer

    server = LiveServer(request.config.getvalue("liveserver") or "localhost")
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Argon2 is slow on purpose; tests that create users do not need it."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher",
                                 "django.contrib.auth.hashers.Argon2PasswordHasher"]


@pytest.fixture(scope="session", autouse=True)
def _media_root(tmp_path_factory):
    """Uploaded and generated files of the whole run go to a temporary directory, never var/media."""
    from django.conf import settings

    settings.MEDIA_ROOT = str(tmp_path_factory.mktemp("media"))


@pytest.fixture
def page(artifacts_dir):
    """A headless page in Debian's Chromium (never a downloaded browser), at desktop size, in Chinese.

    Requests to anything but the live server are collected in ``page.external_requests``, and what the
    Content-Security-Policy refused in ``page.csp_violations``.
    """
    # Playwright's sync API runs an event loop in this thread; Django's ORM
    # calls from the test body are still synchronous and safe here.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from django.db import connections
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run", "--disable-quic"],
        )
        page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
        external = []
        page.on("request", lambda r: external.append(r.url) if not r.url.startswith(
            ("http://localhost", "http://127.0.0.1", "data:")) else None)
        page.external_requests = external
        # Anything the Content-Security-Policy refuses shows up as a console error.
        page.csp_violations = []
        page.on("console", lambda m: m.type == "error" and "Content Security Policy" in m.text
                and page.csp_violations.append(m.text))
        yield page
        # While Playwright's loop runs, asgiref sees an event loop in this thread and gives the ORM calls of the
        # test body connections of their own: close them now, and the ordinary ones once the loop has stopped,
        # so that PostgreSQL can drop the test database at the end.
        connections.close_all()
        browser.close()
    connections.close_all()


@pytest.fixture(autouse=True)
def _empty_page_cache():
    """Rendered pages and filter choices (portal/pagecache.py) live in process memory: no test sees another's."""
    from django.core.cache import caches

    caches["pages"].clear()
