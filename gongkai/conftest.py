"""Fixtures shared by every app's tests."""

import os
from pathlib import Path

import pytest


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
