"""Load and fault tests under gunicorn on loopback, on the database ``DATABASE_URL`` selects (ADR 021).

Each test makes its own database (a SQLite file in WAL mode, or a PostgreSQL
database ``<name>_load_<pid>``) because the server runs in other processes
and cannot see pytest-django's test database (in memory on SQLite, inside a
transaction otherwise). Small and bounded here; ``make bench`` runs the same
scenarios larger (bench/load.py).
"""

import os
import threading
import time

import pytest

from gongkai.ops import loadtest

pytestmark = pytest.mark.load

BASE_URL = os.environ.get("DATABASE_URL", "sqlite:///var/test.sqlite3")


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    """One database for the module (migrating takes longer than the tests); each test counts from its start."""
    db = loadtest.LoadDatabase(BASE_URL, tmp_path_factory.mktemp("load")).create()
    yield db
    db.drop()


def acknowledged(submissions):
    return {s.key: s.acknowledged for s in submissions if s.acknowledged}


def test_concurrent_applications_and_racing_staff(database):
    """30 applicants at once, every third double-clicking; then two registrars and two handlers race on
    each application: every receipt stored once, no 5xx, each step won once and refused once, no lost update."""
    before = database.command("check")["applications"]
    with loadtest.Server(database, port=loadtest.free_port(8300, 8399)) as server:
        submissions = loadtest.apply_burst(server.port, count=30, concurrency=8, double_every=3, deadline=90)
        seen = loadtest.submission_problems(submissions)
        assert seen["five_xx"] == 0 and seen["unexpected_count"] == 0, seen
        acks = acknowledged(submissions)
        assert len(acks) == 30
        # A retry long after (a resubmitted page) gives the same receipt, not a new application.
        loadtest.send(submissions[0])
        assert submissions[0].statuses[-1] == 302 and acknowledged(submissions) == acks

        ids = database.command("pending", {"tracking_codes": list(acks.values())})["ids"]
        races = loadtest.staff_race(server.port, ids[:12], concurrency=3)
    assert loadtest.race_problems(races) == []
    result = database.command("check", {"acknowledged": acks, "outcomes": loadtest.expected_outcomes(races)})
    assert result["problems"] == [], result
    assert result["applications"] - before == 30


def test_sigkill_mid_burst_loses_no_acknowledged_submission(database):
    """The server (master and workers) is SIGKILLed in the middle of a burst and restarted: every submission
    acknowledged before the kill is there, nothing is half-written, and resubmitting the rest stores each once."""
    before = database.command("check")["applications"]
    port = loadtest.free_port(8300, 8399)
    server = loadtest.Server(database, port=port).start()
    submissions: list = []
    stop = threading.Event()
    burst = threading.Thread(target=loadtest.apply_burst, args=(port,), kwargs={
        "count": 80, "concurrency": 8, "double_every": 4, "deadline": 60, "stop": stop, "submissions": submissions})
    burst.start()
    deadline = time.monotonic() + 60
    while not loadtest.mid_burst(submissions, acknowledged_at_least=10) and time.monotonic() < deadline:
        time.sleep(0.005)
    server.kill()  # mid-burst: forms are being posted to both workers
    before_kill = acknowledged(submissions)
    stop.set()
    burst.join(timeout=60)
    assert 10 <= len(before_kill) < 80, "the kill did not come in the middle of the burst"

    result = database.command("check", {"acknowledged": before_kill})
    assert result["problems"] == [], result

    with loadtest.Server(database, port=port) as server:
        loadtest.resend_unacknowledged(server.port, submissions)
    everything = acknowledged(submissions)
    assert len(everything) == len(submissions)
    assert all(everything[k] == v for k, v in before_kill.items())
    result = database.command("check", {"acknowledged": everything})
    assert result["problems"] == [], result
    assert result["applications"] - before == len(submissions)
