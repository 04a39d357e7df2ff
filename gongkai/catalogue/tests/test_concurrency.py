"""索引号 stay unique when twenty publishers publish at the same moment (PostgreSQL: real concurrency)."""

import threading
from datetime import date

import pytest
from django.db import connection, connections

from gongkai.catalogue import workflow as wf
from gongkai.catalogue.models import Item, ItemStatus

from .test_workflow import CALENDAR, chain, person  # noqa: F401  (fixtures)

PUBLISHERS = 20


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent connections (PostgreSQL)")
@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_publishers_get_distinct_numbers(agency, chain):  # noqa: F811
    from gongkai.agencies.models import Role

    publishers = [person(agency, f"publisher{i}", Role.PUBLISHER) for i in range(PUBLISHERS)]
    items = [Item.objects.create(agency=agency, unit=chain["unit"], title=f"信息{i}", formed_on=date(2025, 3, 3),
                                 status=ItemStatus.APPROVED, body="<p>x</p>") for i in range(PUBLISHERS)]
    # One number is taken first, so the twenty race on an existing counter row (the steady state),
    # not on creating it (which the unique constraint serialises by itself).
    first = Item.objects.create(agency=agency, unit=chain["unit"], title="首条", formed_on=date(2025, 3, 3),
                                status=ItemStatus.APPROVED, body="<p>x</p>")
    wf.Publish(first, user=publishers[0], today=date(2025, 3, 10), calendar=CALENDAR).run(channels=["website"])
    barrier = threading.Barrier(PUBLISHERS)
    errors = []

    def publish(item, user):
        try:
            barrier.wait(timeout=30)
            wf.Publish(item, user=user, today=date(2025, 3, 10), calendar=CALENDAR).run(channels=["website"])
        except Exception as e:  # collected and asserted below
            errors.append(e)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=publish, args=pair) for pair in zip(items, publishers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    numbers = sorted(Item.objects.filter(agency=agency).values_list("index_number", flat=True))
    assert numbers == [f"{agency.code}/2025-{n:05d}" for n in range(1, PUBLISHERS + 2)]
