"""Search over 1,000,000 catalogue items: build the bench database, then time the fixed queries.

``python -m bench.search build --items N`` (DATABASE_URL = the bench database)
loads the items with bulk SQL and indexes them with the project's own
tokenizer (``search_document_build``) into its own backends (the FTS5 table
through its triggers, then FTS5 ``optimize``; the tsvector column with its GIN
index built once after the load, then ``ANALYZE``), timing each step.
``python -m bench.search measure`` runs every query of ``queries.txt``
through ``gongkai.catalogue.search.search()`` — the first page of 10, with
snippets, as the portal shows it — and, with ``--like``, through the
``LikeBackend`` (``LIKE '%…%'``, what disclosure sites usually do).
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from datetime import datetime, timezone
from pathlib import Path

from bench.common import BulkWriter, database_reuse_or_reset, django_setup, emit, meta_set, percentile

QUERIES = Path(__file__).with_name("queries.txt")
CHUNK = 5000
ITEM_COLUMNS = ["id", "title", "document_type", "topic", "document_number", "formed_on", "published_on", "validity",
                "agency_id", "abstract", "body", "channels", "disclosure_mode", "genre", "index_number", "keywords",
                "status", "version", "late", "late_confirmed", "created_at", "updated_at"]


def queries() -> list[str]:
    return [line.strip() for line in QUERIES.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]


def build(items: int, agencies: int, *, force: bool, words_from: str = "") -> dict:
    url = os.environ["DATABASE_URL"]
    params = {"items": items, "agencies": agencies, "corpus": "bench.corpus/1"}
    connection = django_setup()
    if (reused := database_reuse_or_reset(connection, url, params, force=force)) is not None:
        return reused
    from django.db import transaction

    from bench.corpus import Agencies, item_rows
    from gongkai.agencies.models import Agency, Region
    from gongkai.catalogue.models import Item, SearchDocument
    from gongkai.catalogue.search.backends import backend_for
    from gongkai.catalogue.search.index import search_document_build

    started = time.perf_counter()
    corpus = Agencies(agencies)
    province = Region.objects.create(code="bench-province", name="福建省")
    city = Region.objects.create(code="bench-city", name="莆田市", parent=province)
    counties = {}
    for row in corpus.rows:
        if row["county"] not in counties:
            counties[row["county"]] = Region.objects.create(code=f"bench-county-{len(counties)}", name=row["county"],
                                                            parent=city)
    agency_ids = [Agency.objects.create(code=r["code"], name=r["name"], organisation_code=r["organisation_code"],
                                        region=counties[r["county"]]).pk for r in corpus.rows]
    items_writer = BulkWriter(connection, Item._meta.db_table, ITEM_COLUMNS)
    docs_writer = BulkWriter(connection, SearchDocument._meta.db_table,
                             ["item_id", "agency_id", "title_tokens", "body_tokens", "indexed_at"])
    pg = connection.vendor == "postgresql"
    if pg:
        with connection.cursor() as cursor:
            # A bulk load builds the GIN index once at the end instead of updating it row by row.
            cursor.execute("DROP INDEX IF EXISTS catalogue_search_vector_gin")
    now = datetime.now(timezone.utc)
    load_seconds = index_seconds = 0.0
    chunk_items, chunk_docs = [], []

    def flush():
        nonlocal load_seconds, index_seconds
        t0 = time.perf_counter()
        with transaction.atomic():
            items_writer.write(chunk_items)
        t1 = time.perf_counter()
        docs = []
        for row in chunk_docs:
            doc = search_document_build(row, [])  # the project's tokenizer, as search_rebuild() uses it
            docs.append((row.pk, row.agency_id, doc.title_tokens, doc.body_tokens, now))
        with transaction.atomic():
            docs_writer.write(docs)
        t2 = time.perf_counter()
        load_seconds += t1 - t0
        index_seconds += t2 - t1
        chunk_items.clear()
        chunk_docs.clear()

    if words_from:
        # The same items and the same words (the project's tokenizer ran once, in the SQLite build):
        # copied in id order, so this build times loading, the tsvector column and the GIN index.
        import sqlite3

        source = sqlite3.connect(f"file:{words_from}?mode=ro", uri=True)
        cols = ", ".join(f"i.{c}" for c in ITEM_COLUMNS)
        cursor = source.execute(f"SELECT {cols}, d.title_tokens, d.body_tokens FROM catalogue_item i"
                                " JOIN catalogue_searchdocument d ON d.item_id = i.id ORDER BY i.id")
        bools = {ITEM_COLUMNS.index("late"), ITEM_COLUMNS.index("late_confirmed")}
        while batch := cursor.fetchmany(CHUNK):
            t0 = time.perf_counter()
            with transaction.atomic():
                items_writer.write([tuple(bool(v) if k in bools else v for k, v in enumerate(r[:-2]))
                                    for r in batch])
            t1 = time.perf_counter()
            with transaction.atomic():
                docs_writer.write([(r[0], r[ITEM_COLUMNS.index("agency_id")], r[-2], r[-1], now) for r in batch])
            load_seconds += t1 - t0
            index_seconds += time.perf_counter() - t1
        source.close()
    for n, row in enumerate(() if words_from else item_rows(count=items, agencies=corpus), start=1):
        agency_id = agency_ids[row.pop("agency_index")]
        values = {**row, "id": n, "agency_id": agency_id, "late": False, "late_confirmed": False,
                  "created_at": now, "updated_at": now}
        chunk_items.append(tuple(values[c] for c in ITEM_COLUMNS))
        chunk_docs.append(Item(pk=n, agency_id=agency_id, title=row["title"], abstract=row["abstract"],
                               body=row["body"], document_number=row["document_number"],
                               index_number=row["index_number"], keywords=row["keywords"]))
        if len(chunk_items) >= CHUNK:
            flush()
    if chunk_items:
        flush()
    t0 = time.perf_counter()
    with connection.cursor() as cursor:
        if pg:
            cursor.execute("SET maintenance_work_mem = '1GB'")
            cursor.execute("CREATE INDEX catalogue_search_vector_gin ON catalogue_searchdocument USING gin (search_vector)")
            cursor.execute("ANALYZE catalogue_item")
        else:
            cursor.execute("INSERT INTO catalogue_search_fts(catalogue_search_fts) VALUES ('optimize')")
            cursor.execute("ANALYZE")
    backend = backend_for()
    if pg:
        backend.after_rebuild()  # ANALYZE of the documents
    index_seconds += time.perf_counter() - t0
    if pg:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_database_size(current_database())")
            size = cursor.fetchone()[0]
    else:
        connection.close()
        size = sum(p.stat().st_size for p in Path(url.removeprefix("sqlite:///")).parent.glob(
            Path(url).name + "*"))
        connection.ensure_connection()
    result = {"items": items, "agencies": agencies, "load_seconds": round(load_seconds, 1),
              "words": "copied from the SQLite bench database (same tokenizer output)" if words_from
              else "tokenized by gongkai.catalogue.search.index.search_document_build",
              "index_build_seconds": round(index_seconds, 1),
              "total_build_seconds": round(time.perf_counter() - started, 1),
              "database_bytes": size, "built_at": now.isoformat(timespec="seconds")}
    meta_set(connection, params=params, build=result)
    return {**result, "reused": False}


def measure(*, rounds: int, like: bool) -> dict:
    connection = django_setup()
    from gongkai.catalogue.search import search
    from gongkai.catalogue.search.backends import LikeBackend

    qs = queries()
    counts = {}
    for q in qs:  # warm the cache once, as a running server would be
        counts[q] = search(q, limit=10).count
    latencies, per_query = [], {q: [] for q in qs}
    for _ in range(rounds):
        for q in qs:
            t0 = time.perf_counter()
            search(q, limit=10)
            ms = (time.perf_counter() - t0) * 1000
            latencies.append(ms)
            per_query[q].append(ms)
    result = {
        "backend": connection.vendor, "queries": len(qs), "rounds": rounds,
        "p50_ms": round(percentile(latencies, 50), 2), "p95_ms": round(percentile(latencies, 95), 2),
        "max_ms": round(max(latencies), 2),
        "slowest": sorted(({"query": q, "median_ms": round(statistics.median(v), 1), "matches": counts[q]}
                           for q, v in per_query.items()), key=lambda r: -r["median_ms"])[:5],
        "zero_match_queries": [q for q, c in counts.items() if c == 0],
    }
    if like:
        like_latencies, like_counts = [], {}
        backend = LikeBackend()
        for q in qs:
            t0 = time.perf_counter()
            like_counts[q] = search(q, limit=10, backend=backend).count
            like_latencies.append((time.perf_counter() - t0) * 1000)
        result["like"] = {"p50_ms": round(percentile(like_latencies, 50), 1),
                          "p95_ms": round(percentile(like_latencies, 95), 1),
                          "queries_found_by_index_not_like": sum(1 for q in qs if counts[q] and not like_counts[q])}
    return result


def main():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="action", required=True)
    b = sub.add_parser("build")
    b.add_argument("--items", type=int, default=1_000_000)
    b.add_argument("--agencies", type=int, default=100)
    b.add_argument("--force", action="store_true")
    b.add_argument("--words-from", default="", help="an SQLite search bench database built with the same parameters")
    m = sub.add_parser("measure")
    m.add_argument("--rounds", type=int, default=3)
    m.add_argument("--like", action="store_true")
    args = parser.parse_args()
    if args.action == "build":
        emit(build(args.items, args.agencies, force=args.force, words_from=args.words_from))
    else:
        emit(measure(rounds=args.rounds, like=args.like))


if __name__ == "__main__":
    main()
