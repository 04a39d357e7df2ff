"""The minimal view of the portal benchmark (bench/portal.py), routed only when ``GONGKAI_BENCH=1``.

It goes through the same middleware as every page (sessions, CSRF, CSP,
rate limits) and renders nothing, so ``item_rps / minimal_rps`` is what an
item page costs beyond Django itself on the same server.
"""

from django.http import HttpResponse


def minimal(request):
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")
