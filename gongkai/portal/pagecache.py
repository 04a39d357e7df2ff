"""Rendered public item pages, kept while the item and what the page shows of its neighbours are unchanged.

An item page costs five ORM queries and a template render (about 8 ms);
the portal benchmark (bench/portal.py, docs/decisions/021) wants it near
the cost of Django's own request cycle. The page depends on no user,
session or CSRF token, so its HTML is cached under a *stamp* read by one
raw query: the item's ``updated_at``, status and disclosure mode, its
attachments (count and last id), the document it interprets and the
interpretations of it (their last change). Any save of the item or of those
changes the key — a withdrawn or unpublished item misses and gets its 404
from the view at once. What the stamp does not see (a renamed agency,
region or catalogue entry) shows after at most ``TIMEOUT`` seconds.
"""

from __future__ import annotations

import hashlib
from functools import wraps

from django.core.cache import caches
from django.db import connection
from django.http import HttpResponse

ALIAS = "pages"
TIMEOUT = 300

STAMP_SQL = (
    "SELECT i.updated_at, i.status, i.disclosure_mode, i.interprets_id,"
    " (SELECT COUNT(*) FROM catalogue_attachment a WHERE a.item_id = i.id),"
    " (SELECT MAX(a.id) FROM catalogue_attachment a WHERE a.item_id = i.id),"
    " (SELECT j.updated_at FROM catalogue_item j WHERE j.id = i.interprets_id),"
    " (SELECT COUNT(*) FROM catalogue_item k WHERE k.interprets_id = i.id),"
    # Through the ids, so the index on interprets_id serves (with MAX over the column itself SQLite's
    # planner scans the table: almost every item interprets nothing).
    " (SELECT MAX(k.updated_at) FROM catalogue_item k"
    "  WHERE k.id IN (SELECT k2.id FROM catalogue_item k2 WHERE k2.interprets_id = i.id))"
    " FROM catalogue_item i JOIN agencies_agency g ON g.id = i.agency_id WHERE i.id = %s AND g.code = %s"
)


def item_page_key(code: str, pk: int) -> str | None:
    """The cache key of the item page as it would render now; None when there is no such item of the agency."""
    with connection.cursor() as cursor:
        cursor.execute(STAMP_SQL, [pk, code])
        row = cursor.fetchone()
    if row is None:
        return None
    digest = hashlib.blake2b(repr(row).encode(), digest_size=16).hexdigest()
    return f"portal:item:{code}:{pk}:{digest}"


def cached_item_page(view):
    """Serve the item page from the cache when its stamp is unchanged; cache it after a 200."""
    @wraps(view)
    def wrapper(request, code, pk):
        key = item_page_key(code, pk)
        if key is None:
            return view(request, code, pk)  # its 404
        cache = caches[ALIAS]
        content = cache.get(key)
        if content is not None:
            return HttpResponse(content)
        response = view(request, code, pk)
        if response.status_code == 200 and not response.streaming and not response.cookies:
            cache.set(key, response.content, TIMEOUT)
        return response
    return wrapper


# The search and list pages' filter choices (主题分类 and years in use) take a pass over every public item
# (7 s at 1,000,000 items, bench/portal.py). They change rarely: kept per place, renewed when an item is
# added (the highest item id changes) or after CHOICES_TIMEOUT seconds (a publication of an older draft
# that brings a new topic or year shows in the choices within that time).
CHOICES_TIMEOUT = 600


def filter_choices(place_code: str, items, topics_of, years_of) -> tuple[list[str], list[int]]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT MAX(id) FROM catalogue_item")
        newest = cursor.fetchone()[0]
    key = f"portal:choices:{place_code}:{newest}"
    cache = caches[ALIAS]
    choices = cache.get(key)
    if choices is None:
        choices = (topics_of(items), years_of(items))
        cache.set(key, choices, CHOICES_TIMEOUT)
    return choices
