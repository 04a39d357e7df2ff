import pytest
from django.db import transaction

from gongkai.demo.services import demo_load


@pytest.fixture(scope="package")
def demo(django_db_setup, django_db_blocker):
    """The demo, loaded once for this package's tests.

    It is loaded inside a transaction that is rolled back after the last of
    them, so the rest of the suite still starts from an empty database; each
    test runs in a savepoint within it, as pytest-django's ``django_db`` does.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        summary = demo_load()
        yield summary
        transaction.set_rollback(True)
