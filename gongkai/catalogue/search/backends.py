"""Where the words are looked up: FTS5 on SQLite, a tsvector on PostgreSQL, or a ``LIKE`` scan.

Every backend answers ``page(tokens, filters, offset, limit)`` with the
matching public items' ids and scores, best first, and the number of
matches. A score is 1 when the title alone holds every query word, plus the
database's relevance squashed into [0, 1) — so title matches come first on
both databases and scores are comparable between them.

Raw SQL lives here only; user input goes in as parameters, never into the text.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import connection
from django.db.models import Case, IntegerField, Q, Value, When

from gongkai.agencies.models import Agency, Region

from ..models import DisclosureMode, Item, ItemStatus, SearchDocument

ITEM = Item._meta.db_table
DOCUMENT = SearchDocument._meta.db_table
AGENCY = Agency._meta.db_table
REGION = Region._meta.db_table
SQLITE_FTS = "catalogue_search_fts"  # created by migration 0003, SQLite only
TITLE_WEIGHT = 10.0  # FTS5 bm25 column weight of the title against the rest
# An unfiltered SQLite query with more matches than this is listed title matches first, then newest first,
# instead of ranked by bm25: bm25 costs about 1 µs per query word per match, and a word in 40% of
# 1,000,000 items took 2 s ranked whole (bench/search.py; docs/decisions/011).
CANDIDATES = 2_000
# What the public may read (as portal.selectors.public_items): published, and not marked 不予公开.
# Only these are indexed, and every query checks it again against the item itself.
PUBLIC = Q(status=ItemStatus.PUBLISHED) & ~Q(disclosure_mode=DisclosureMode.NOT_DISCLOSED)


@dataclass(frozen=True)
class Filters:
    agency: Agency | None = None
    region: Region | None = None
    document_type: str | None = None
    topic: str | None = None
    year: int | None = None
    validity: str | None = None

    def sql(self, item: str = "i") -> tuple[str, list]:
        """A WHERE fragment over the item (aliased ``item``): public (``PUBLIC``), and every filter given."""
        clauses = [f"{item}.status = %s", f"{item}.disclosure_mode <> %s"]
        params = [ItemStatus.PUBLISHED.value, DisclosureMode.NOT_DISCLOSED.value]
        if self.agency is not None:
            clauses.append(f"{item}.agency_id = %s")
            params.append(self.agency.pk)
        if self.region is not None:
            clauses.append(f"{item}.agency_id IN (SELECT a.id FROM {AGENCY} a JOIN {REGION} r ON r.id = a.region_id"
                           f" WHERE r.path LIKE %s ESCAPE '!')")
            params.append(_like_prefix(self.region.path))
        for field in ("document_type", "topic", "validity"):
            if getattr(self, field) is not None:
                clauses.append(f"{item}.{field} = %s")
                params.append(getattr(self, field))
        if self.year is not None:
            clauses.append(f"{item}.published_on >= %s AND {item}.published_on < %s")
            params += [date(self.year, 1, 1), date(self.year + 1, 1, 1)]
        return " AND ".join(clauses), params

    def q(self) -> Q:
        """The same filters for the ORM."""
        q = PUBLIC
        if self.agency is not None:
            q &= Q(agency=self.agency)
        if self.region is not None:
            q &= Q(agency__region__path__startswith=self.region.path)
        for field in ("document_type", "topic", "validity"):
            if getattr(self, field) is not None:
                q &= Q(**{field: getattr(self, field)})
        if self.year is not None:
            q &= Q(published_on__gte=date(self.year, 1, 1), published_on__lt=date(self.year + 1, 1, 1))
        return q


def _like_prefix(text: str) -> str:
    return text.replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%"


@dataclass(frozen=True)
class Page:
    count: int  # every match; a lower bound when not ``exact``: more than ``count`` match, ``count`` are paged
    rows: list[tuple[int, float]]  # (item id, score), best first
    exact: bool = True


class Backend:
    name = ""

    def page(self, query: str, tokens: list[str], filters: Filters, *, offset: int, limit: int) -> Page:
        raise NotImplementedError

    def after_rebuild(self) -> None:
        """Database housekeeping once the documents have been rewritten."""

    def _fetch(self, sql: str, params: list, count_sql: str, count_params: list, *, offset: int,
               limit: int) -> Page:
        """Run a page query whose third column is ``COUNT(*) OVER ()``; count apart only when it is empty."""
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
            if rows:
                return Page(count=rows[0][2], rows=[(pk, float(score)) for pk, score, _ in rows])
            if offset == 0 and limit > 0:
                return Page(count=0, rows=[])
            cursor.execute(count_sql, count_params)  # past the last page, or asked for the count only
            return Page(count=cursor.fetchone()[0], rows=[])


class SQLiteBackend(Backend):
    """FTS5 over the pre-cut words, ranked by bm25 with the title weighted ``TITLE_WEIGHT``."""

    name = "sqlite-fts5"

    @staticmethod
    def _phrase(token: str) -> str:
        # Each word quoted, so FTS5 operators (AND, NOT, *, ^, :) in a query are plain text.
        return '"' + token.replace('"', '""') + '"'

    def page(self, query, tokens, filters, *, offset, limit):
        match = " ".join(self._phrase(t) for t in tokens)
        in_title = " AND ".join(f"title_tokens : {self._phrase(t)}" for t in tokens)
        where, params = filters.sql("i")
        if filters == Filters():
            return self._recent_page(match, in_title, where, params, offset=offset, limit=limit)
        return self._ranked_page(match, in_title, where, params, offset=offset, limit=limit)

    def _recent_page(self, match, in_title, where, params, *, offset, limit):
        """An unfiltered query with at most ``CANDIDATES`` matches is ranked by bm25 as with filters. One with
        more lists the title matches, newest first, then the others, newest first, each read newest first
        and stopped after offset + limit, so pages are consistent and cost the same at any depth; bm25 is
        never called (its first call counts every match of every word: 20–60 ms for a word in 40% of the
        items) and the matches are never counted whole (35 ms for eleven common bigrams in 3% of a million
        items): the total is "more than ``CANDIDATES``" (``Page.exact`` false), and only that many are paged.

        Separate statements, not one: SQLite evaluated every branch of the single statement this replaced,
        a pass over all the matches that no page needed (160 ms where the parts take 5 ms)."""
        n, f = CANDIDATES, SQLITE_FTS
        with connection.cursor() as cursor:
            # More than n? A pass that stops at n + 1 (FTS5 reads its posting lists in rowid order).
            cursor.execute(f"SELECT COUNT(*) FROM (SELECT rowid FROM {f} WHERE {f} MATCH %s LIMIT {n + 1})", [match])
            if cursor.fetchone()[0] <= n:
                return self._ranked_page(match, in_title, where, params, offset=offset, limit=limit)
            end = min(int(offset + limit), n)
            ids: list[tuple[int, float]] = []
            if offset < end:
                cursor.execute(f"SELECT rowid FROM {f} WHERE {f} MATCH %s ORDER BY rowid DESC LIMIT {end}",
                               [in_title])
                ids = [(pk, 1.0) for pk, in cursor.fetchall()]
                if len(ids) < end:  # the rest only when the title matches do not fill the page
                    cursor.execute(f"SELECT rowid FROM {f} WHERE {f} MATCH %s ORDER BY rowid DESC LIMIT"
                                   f" {end - len(ids)}", [f"({match}) NOT ({in_title})"])
                    ids += [(pk, 0.0) for pk, in cursor.fetchall()]
                ids = ids[offset:end]
            rows = []
            if ids:
                # The public check and filters, read from the items themselves (documents exist only for
                # public items, but a bulk update() may have withdrawn one since it was indexed).
                marks = ", ".join(["%s"] * len(ids))
                cursor.execute(f"SELECT i.id FROM {ITEM} i WHERE i.id IN ({marks}) AND {where}",
                               [pk for pk, _ in ids] + params)
                shown = {pk for pk, in cursor.fetchall()}
                rows = [(pk, score) for pk, score in ids if pk in shown]
        return Page(count=n, rows=rows, exact=False)

    def _ranked_page(self, match, in_title, where, params, *, offset, limit):
        matches = (
            f"SELECT rowid AS item_id, -bm25({SQLITE_FTS}, {TITLE_WEIGHT}, 1.0) AS relevance,"
            f" rowid IN (SELECT rowid FROM {SQLITE_FTS} WHERE {SQLITE_FTS} MATCH %s) AS in_title"
            f" FROM {SQLITE_FTS} WHERE {SQLITE_FTS} MATCH %s"
        )
        # CROSS JOIN makes SQLite read the FTS matches first and look the items up by key; left to
        # itself it walks the published items and runs the MATCH once per item (30x slower, measured).
        sql = (
            f"SELECT m.item_id, m.in_title + m.relevance / (m.relevance + 1.0) AS score, COUNT(*) OVER ()"
            f" FROM ({matches}) m CROSS JOIN {ITEM} i WHERE i.id = m.item_id AND {where}"
            f" ORDER BY score DESC, i.published_on DESC, i.id DESC LIMIT %s OFFSET %s"
        )
        count_sql = (f"SELECT COUNT(*) FROM {SQLITE_FTS} CROSS JOIN {ITEM} i"
                     f" WHERE {SQLITE_FTS} MATCH %s AND i.id = {SQLITE_FTS}.rowid AND {where}")
        return self._fetch(sql, [in_title, match, *params, limit, offset], count_sql, [match, *params],
                           offset=offset, limit=limit)

    def after_rebuild(self):
        # Re-derive the FTS table from the documents (repairs it if it ever drifted) and merge its segments.
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {SQLITE_FTS}({SQLITE_FTS}) VALUES ('rebuild')")
            cursor.execute(f"INSERT INTO {SQLITE_FTS}({SQLITE_FTS}) VALUES ('optimize')")


class PostgreSQLBackend(Backend):
    """The stored ``search_vector`` (title A, rest B) with its GIN index, ranked by ts_rank_cd."""

    name = "postgresql-tsvector"

    def page(self, query, tokens, filters, *, offset, limit):
        where, params = filters.sql("i")
        # The words are already cut; plainto_tsquery ANDs them and has no syntax to escape.
        sql = (
            "SELECT d.item_id, (ts_filter(d.search_vector, '{a}') @@ q.query)::int"
            " + ts_rank_cd(d.search_vector, q.query, 32) AS score, COUNT(*) OVER ()"
            f" FROM {DOCUMENT} d CROSS JOIN plainto_tsquery('simple', %s) AS q(query)"
            f" JOIN {ITEM} i ON i.id = d.item_id"
            f" WHERE d.search_vector @@ q.query AND {where}"
            " ORDER BY score DESC, i.published_on DESC, i.id DESC LIMIT %s OFFSET %s"
        )
        count_sql = (f"SELECT COUNT(*) FROM {DOCUMENT} d JOIN {ITEM} i ON i.id = d.item_id"
                     f" WHERE d.search_vector @@ plainto_tsquery('simple', %s) AND {where}")
        words = " ".join(tokens)
        return self._fetch(sql, [words, *params, limit, offset], count_sql, [words, *params],
                           offset=offset, limit=limit)

    def after_rebuild(self):
        # Fresh statistics, so the planner uses the GIN index after a bulk load (measured: 100 ms → 16 ms).
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {DOCUMENT}")


class LikeBackend(Backend):
    """What disclosure sites usually do: ``LIKE '%q%'`` over title, abstract and body HTML (for comparison).

    No index, no attachments, no normalisation: the query must appear as typed.
    """

    name = "like"

    def page(self, query, tokens, filters, *, offset, limit):
        needle = (query or "").strip()
        matches = Item.objects.filter(filters.q()).filter(
            Q(title__icontains=needle) | Q(abstract__icontains=needle) | Q(body__icontains=needle))
        ranked = matches.annotate(
            in_title=Case(When(title__icontains=needle, then=Value(1)), default=Value(0),
                          output_field=IntegerField()),
        ).order_by("-in_title", "-published_on", "-id").values_list("id", "in_title")[offset:offset + limit]
        rows = [(pk, float(in_title)) for pk, in_title in ranked]
        count = len(rows) if offset == 0 and len(rows) < limit else matches.count()
        return Page(count=count, rows=rows)


def backend_for(vendor: str | None = None) -> Backend:
    vendor = vendor or connection.vendor
    if vendor == "sqlite":
        return SQLiteBackend()
    if vendor == "postgresql":
        return PostgreSQLBackend()
    raise NotImplementedError(f"no full-text search backend for {vendor}")
