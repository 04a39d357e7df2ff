"""Helpers shared by the test suites of every app (imported by tests only)."""

import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")

# Marks for a browser test module: `pytestmark = [*BROWSER, …]`. Without Debian's Chromium the tests are
# skipped on a developer's machine, never in CI (`make test` installs it there).
BROWSER = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists() and not os.environ.get("CI"), reason="Debian chromium not installed"),
]



def run_console(argv: list[str], capsys) -> tuple[int, str, str]:
    """Run the ``gongkai`` console script in-process (on the test database); return exit code, stdout, stderr."""
    import sys

    from gongkai.__main__ import main

    from unittest import mock

    from django.db import connections

    old = sys.argv
    sys.argv = ["gongkai", *argv]
    # A command closes every connection when it ends (BaseCommand.run_from_argv). In-process that would end
    # the test's own transaction — on PostgreSQL the test's next query finds its connection closed — so the
    # closing is left to the test's teardown.
    try:
        with mock.patch.object(connections, "close_all"):
            main()
        code = 0
    except SystemExit as e:
        code = e.code if isinstance(e.code, int) else 1
    finally:
        sys.argv = old
    out, err = capsys.readouterr()
    return code, out, err


def matrix_request(client, case, people: dict, who: str, path: str, data: dict | None) -> tuple:
    """One cell of a permission matrix: ``case`` (with ``method``, ``right`` and ``wrong`` roles) requested by
    ``who`` — anonymous, outsider, wrong_role or right_role, found in ``people``: the response, its body as
    bytes and as text."""
    user = {"anonymous": None, "outsider": people["outsider"], "wrong_role": people.get(case.wrong),
            "right_role": people[case.right]}[who]
    if user is not None:
        client.force_login(user)
    response = client.post(path, data or {}) if case.method == "post" else client.get(path)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response, body, body.decode("utf-8", "replace")


def staff_member(username: str, agency=None, *roles: str, password: str = "a-long-password-1", **fields):
    """A user holding ``roles`` in ``agency`` (none: a user of no agency, e.g. a supervisor to be)."""
    from django.contrib.auth.models import User

    from gongkai.agencies.models import Membership

    user = User.objects.create_user(username, password=password, **fields)
    Membership.objects.bulk_create([Membership(user=user, agency=agency, role=role) for role in roles])
    return user
