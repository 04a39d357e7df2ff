"""The report engine over a region of 1,000 agencies holding 1,000,000 applications.

``python -m bench.reports build`` loads the region with bulk SQL: 1,000
agencies in 20 counties, applications received 2019–2026 (applicant types
and outcomes in realistic proportions, a tenth still open), appeal cases,
yearly administrative figures and published items. ``measure`` times
``region_agency_reports`` (every agency's report of the year, with the
checks and both neighbouring years the cross-year rules need) against the
floor — one bare ``GROUP BY`` over the applications table giving table 三's
counts for every agency — and checks that both give the same counts.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import time
from datetime import date, datetime, timedelta, timezone

from bench.common import BulkWriter, database_reuse_or_reset, django_setup, emit, meta_set

YEAR = 2025
APPLICANT_WEIGHTS = {"natural_person": 80, "commercial_enterprise": 10, "research_institution": 1,
                     "social_welfare_organization": 1, "legal_service_agency": 3, "other_organization": 5}
OUTCOME_WEIGHTS = {
    "disclosed": 40, "partially_disclosed": 10, "withheld.state_secret": 1, "withheld.prohibited_by_law": 1,
    "withheld.security_stability": 1, "withheld.third_party_rights": 3, "withheld.internal_affairs": 2,
    "withheld.process_information": 3, "withheld.enforcement_files": 1, "withheld.administrative_query": 2,
    "unavailable.not_held": 15, "unavailable.needs_creation": 4, "unavailable.still_unclear": 2,
    "not_processed.petition": 4, "not_processed.repeated": 3, "not_processed.publication": 1,
    "not_processed.excessive": 1, "not_processed.confirmation": 1, "other.no_correction": 2,
    "other.unpaid_fee": 1, "other.other": 2,
}
CHANNELS = ("in_person", "signed_mail", "online", "email", "fax", "ordinary_mail")
APP_COLUMNS = ["id", "agency_id", "status", "applicant_type", "applicant_name", "channel", "submitted_on",
               "received_on", "clock_started_on", "due_on", "due_confirmed", "outcome", "concluded_on",
               "description", "extension_days", "serial", "serial_year", "created_at", "updated_at"]


def build(applications: int, agencies: int, *, force: bool) -> dict:
    url = os.environ["DATABASE_URL"]
    params = {"applications": applications, "agencies": agencies, "generator": "bench.reports/1"}
    connection = django_setup()
    if (reused := database_reuse_or_reset(connection, url, params, force=force)) is not None:
        return reused
    from django.db import transaction

    from gongkai.agencies.models import Agency, Region
    from gongkai.appeals.models import AppealCase
    from gongkai.applications.models import Application
    from gongkai.catalogue.models import Item
    from gongkai.reports.models import AdministrativeFigures

    started = time.perf_counter()
    rng = random.Random(8)
    now = datetime.now(timezone.utc)
    province = Region.objects.create(code="bench-province", name="基准省")
    counties = [Region.objects.create(code=f"bench-county-{i:02d}", name=f"基准县{i + 1}", parent=province)
                for i in range(20)]
    Agency.objects.bulk_create([Agency(code=f"bench-{i:04d}", name=f"基准县{i // 50 + 1}第{i % 50 + 1}局",
                                       region=counties[i * 20 // agencies]) for i in range(agencies)])
    ids = list(Agency.objects.order_by("id").values_list("id", flat=True))
    types, type_w = zip(*APPLICANT_WEIGHTS.items())
    outcomes, outcome_w = zip(*OUTCOME_WEIGHTS.items())
    first, last = date(2019, 1, 1), date(2026, 11, 30)
    span = (last - first).days
    writer = BulkWriter(connection, Application._meta.db_table, APP_COLUMNS)
    serials: dict[tuple[int, int], int] = {}
    rows = []
    for n in range(1, applications + 1):
        agency_id = ids[rng.randrange(len(ids))]
        received = first + timedelta(days=rng.randrange(span))
        serials[(agency_id, received.year)] = serial = serials.get((agency_id, received.year), 0) + 1
        still_open = received > date(2026, 6, 1) and rng.random() < 0.5 or rng.random() < 0.01
        outcome = "" if still_open else rng.choices(outcomes, outcome_w)[0]
        concluded = None if still_open else received + timedelta(days=rng.randint(1, 45))
        status = "registered" if still_open else rng.choice(("decided", "delivered", "archived"))
        rows.append((n, agency_id, status, rng.choices(types, type_w)[0], "申请人", rng.choice(CHANNELS), received,
                     received, received, received + timedelta(days=28) if still_open else None, True, outcome,
                     concluded, "申请公开有关政府信息", 0, serial, received.year, now, now))
        if len(rows) >= 20000:
            with transaction.atomic():
                writer.write(rows)
            rows.clear()
    if rows:
        with transaction.atomic():
            writer.write(rows)
    appeals = []
    for n in range(applications // 50):
        filed = first + timedelta(days=rng.randrange(span))
        decided = filed + timedelta(days=rng.randint(30, 400)) if rng.random() < 0.8 else None
        appeals.append(AppealCase(agency_id=rng.choice(ids), kind=rng.choice(("reconsideration", "litigation_direct",
                                                                               "litigation_after_reconsideration")),
                                  case_number=f"案{n}", filed_on=filed, decided_on=decided,
                                  result=rng.choice(("upheld", "corrected", "other")) if decided else ""))
    AppealCase.objects.bulk_create(appeals, batch_size=5000)
    AdministrativeFigures.objects.bulk_create(
        [AdministrativeFigures(agency_id=a, year=y, licensing_decisions=rng.randint(0, 500),
                               penalty_decisions=rng.randint(0, 80), coercion_decisions=rng.randint(0, 5))
         for a in ids for y in range(2019, 2027)], batch_size=5000)
    items = []
    for n in range(agencies * 50):
        published = first + timedelta(days=rng.randrange(span))
        kind = rng.choices(("regulation", "normative_document", "other"), (1, 10, 89))[0]
        items.append(Item(agency_id=rng.choice(ids), title=f"基准信息{n}", document_type=kind, formed_on=published,
                          published_on=published, status="published", index_number=f"bench/{n}"))
    # bulk_create sends no signals: the report engine does not read the search index.
    Item.objects.bulk_create(items, batch_size=5000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    result = {"applications": applications, "agencies": agencies, "appeal_cases": len(appeals), "items": len(items),
              "build_seconds": round(time.perf_counter() - started, 1), "built_at": now.isoformat(timespec="seconds")}
    meta_set(connection, params=params, build=result)
    return {**result, "reused": False}


def floor_sql(vendor: str) -> str:
    """One GROUP BY over the applications table: table 三's counts of YEAR for every agency at once."""
    return (
        "SELECT agency_id, applicant_type, outcome,"
        " COUNT(*) FILTER (WHERE received_on >= %(start)s) AS new_received,"
        " COUNT(*) FILTER (WHERE received_on < %(start)s) AS carried_over,"
        " COUNT(*) FILTER (WHERE concluded_on <= %(end)s) AS concluded,"
        " COUNT(*) FILTER (WHERE concluded_on IS NULL OR concluded_on > %(end)s) AS carried_forward"
        " FROM applications_application"
        " WHERE received_on <= %(end)s AND (concluded_on IS NULL OR concluded_on >= %(start)s)"
        " GROUP BY agency_id, applicant_type, outcome"
    )


def run_floor(connection):
    with connection.cursor() as cursor:
        cursor.execute(floor_sql(connection.vendor), {"start": date(YEAR, 1, 1), "end": date(YEAR, 12, 31)})
        return cursor.fetchall()


def check_same_counts(reports, floor_rows) -> int:
    """Every table 三 cell the floor can give equals the engine's; returns how many cells were compared."""
    expected: dict[str, dict[str, int]] = {}
    for agency_id, applicant_type, outcome, new, carried_over, concluded, carried_forward in floor_rows:
        cells = expected.setdefault(agency_id, {})
        for row, n in (("new_received", new), ("carried_over", carried_over), ("total_handled", concluded),
                       ("carried_forward", carried_forward)):
            for column in (applicant_type, "total"):
                key = f"applications.{row}.{column}"
                cells[key] = cells.get(key, 0) + n
        if outcome and concluded:
            for column in (applicant_type, "total"):
                key = f"applications.{outcome}.{column}"
                cells[key] = cells.get(key, 0) + concluded
    compared = 0
    for report in reports:
        cells = expected.get(report.agency.pk, {})
        for code, value in report.cells.items():
            if not code.startswith("applications."):
                continue
            want = cells.get(code, 0)
            if value != want:
                raise AssertionError(f"{report.agency.code} {code}: engine {value} ≠ floor {want}")
            compared += 1
    return compared


def measure(*, runs: int) -> dict:
    connection = django_setup()
    from gongkai.agencies.models import Region
    from gongkai.reports.selectors import region_agency_reports

    region = Region.objects.get(code="bench-province")
    engine_times, floor_times = [], []
    reports = floor_rows = None
    from django.db import connection as conn
    from django.test.utils import CaptureQueriesContext

    for i in range(runs + 1):  # the first run warms the cache and is not counted
        t0 = time.perf_counter()
        floor_rows = run_floor(connection)
        t1 = time.perf_counter()
        with CaptureQueriesContext(conn) as captured:
            reports = region_agency_reports(region=region, year=YEAR)
        t2 = time.perf_counter()
        if i:
            floor_times.append(t1 - t0)
            engine_times.append(t2 - t1)
    compared = check_same_counts(reports, floor_rows)
    with conn.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM applications_application")
        total = cursor.fetchone()[0]
    seconds, floor = statistics.median(engine_times), statistics.median(floor_times)
    return {"agencies": len(reports), "year": YEAR, "runs": runs, "seconds": round(seconds, 3),
            "floor_seconds": round(floor, 3), "ratio_to_floor": round(seconds / floor, 2),
            "queries": len(captured.captured_queries), "cells_compared_with_floor": compared,
            "applications": total, "backend": conn.vendor}


def main():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="action", required=True)
    b = sub.add_parser("build")
    b.add_argument("--applications", type=int, default=1_000_000)
    b.add_argument("--agencies", type=int, default=1000)
    b.add_argument("--force", action="store_true")
    m = sub.add_parser("measure")
    m.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    emit(build(args.applications, args.agencies, force=args.force) if args.action == "build"
         else measure(runs=args.runs))


if __name__ == "__main__":
    main()
