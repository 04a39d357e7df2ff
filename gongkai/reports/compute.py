"""The report engine: the figures of an annual report, straight from the records.

Each source of figures is read with one grouped query whatever the number of
records or agencies (DOMAIN.md §2.5), so a report for one agency, a region's
aggregate, or every agency of a region at once costs the same five queries.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, Q, Sum

from gongkai.agencies.models import Agency, Region
from gongkai.appeals.models import AppealCase
from gongkai.applications.models import Application, FeeNotice
from gongkai.catalogue.models import Item, ItemStatus

from .formats import (
    AMOUNT,
    APPLICANT_TYPES,
    AppealCount,
    FigureField,
    ItemMeasure,
    ReportFormat,
    cell_source,
    format_for_year,
)
from .models import AdministrativeFigures

Value = int | Decimal | None

# Facts from the records that are not cells but that the narrative may quote (rule T1).
FACT_ITEMS_PUBLISHED = "items_published"
# Information-processing fees (信息处理费, 第四十二条) paid in the year: how many, and the sum in 元 (2021 format 六).
FACT_FEES_PAID = "fees_paid"
FACT_FEES_AMOUNT = "fees_amount"


@dataclass
class Figures:
    """The computed cells of one report, and the facts behind them."""

    format: ReportFormat
    year: int
    cells: dict[str, Value]
    facts: dict[str, int | Decimal] = field(default_factory=dict)
    # Whether yearly administrative figures were entered for the year; P2
    # compares two years only when both were.
    figures_entered: bool = False


def year_bounds(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def _scope_filter(*, agency_ids: list[int] | None, region: Region | None, prefix: str = "agency") -> Q:
    q = Q()
    if agency_ids is not None:
        q &= Q(**{f"{prefix}_id__in": agency_ids})
    if region is not None:
        q &= Q(**{f"{prefix}__region__path__startswith": region.path})
    return q


# What a report is computed from; a neighbouring year's figures for the cross-year checks need fewer (selectors).
PARTS = ("items", "figures", "applications", "appeals")


def compute_figures(
    *, year: int, agency_ids: list[int] | None = None, region: Region | None = None, by_agency: bool = False,
    parts: tuple[str, ...] = PARTS,
) -> dict[int | None, Figures]:
    """Compute the report cells for the agencies selected.

    With ``by_agency`` the result maps each agency id to its own figures
    (agencies without any record get all-zero figures only if listed in
    ``agency_ids``); otherwise the one key ``None`` holds the sum over the
    whole selection, computed by the database, not by adding reports.
    The cells of tables whose ``parts`` are left out are None (unknown), never 0.
    """
    fmt = format_for_year(year)
    start, end = year_bounds(year)
    scope = _scope_filter(agency_ids=agency_ids, region=region)
    keys = ["agency_id"] if by_agency else []

    def key_of(row: dict) -> int | None:
        return row["agency_id"] if by_agency else None

    results: dict[int | None, Figures] = {}

    def figures_for(key: int | None) -> Figures:
        if key not in results:
            results[key] = Figures(fmt, year, dict.fromkeys(fmt.cell_codes(), 0),
                                   {FACT_ITEMS_PUBLISHED: 0, FACT_FEES_PAID: 0, FACT_FEES_AMOUNT: Decimal(0)})
        return results[key]

    if by_agency:
        for agency_id in agency_ids or ():
            figures_for(agency_id)
    else:
        figures_for(None)

    if "items" in parts:
        _proactive_items(fmt, start, end, scope, keys, key_of, figures_for)
    if "figures" in parts:
        _proactive_figures(fmt, year, scope, keys, key_of, figures_for)
    if "applications" in parts:
        _applications(fmt, start, end, scope, keys, key_of, figures_for)
        _fees(start, end, agency_ids=agency_ids, region=region, by_agency=by_agency, figures_for=figures_for)
    if "appeals" in parts:
        _appeals(fmt, start, end, scope, keys, key_of, figures_for)
    unknown = tuple(f"{table}." for table, part in (("applications", "applications"), ("appeals", "appeals"))
                    if part not in parts)
    if unknown:
        unknown_cells = dict.fromkeys((code for code in fmt.cell_codes() if code.startswith(unknown)), None)
        for figures in results.values():
            figures.cells.update(unknown_cells)
    return results


def _proactive_items(fmt, start, end, scope, keys, key_of, figures_for) -> None:
    table = fmt.table("proactive")
    not_abolished = Q(abolished_on__isnull=True) | Q(abolished_on__gt=end)
    measures = {
        "formed": Count("id", filter=Q(formed_on__range=(start, end))),
        "published": Count("id", filter=Q(published_on__range=(start, end))),
        "abolished": Count("id", filter=Q(abolished_on__range=(start, end))),
        "in_force": Count("id", filter=Q(formed_on__lte=end) & not_abolished),
        "published_in_force": Count("id", filter=Q(published_on__lte=end) & not_abolished),
    }
    # Only published items are government information disclosed; drafts and withdrawn items do not count.
    rows = (
        Item.objects.filter(scope, published_on__isnull=False).exclude(status=ItemStatus.WITHDRAWN)
        .values(*keys, "document_type")
        .annotate(**measures)
        .order_by()
    )
    # The cells each document type counts in, worked out once rather than for every grouped row.
    plan: dict[str, list[tuple[str, str]]] = {}
    for row, column, code in table.cells():
        source = cell_source(row, column)
        if isinstance(source, ItemMeasure):
            plan.setdefault(source.document_type, []).append((code, source.measure))
    for r in rows:
        figures = figures_for(key_of(r))
        figures.facts[FACT_ITEMS_PUBLISHED] += r["published"]
        for code, measure in plan.get(r["document_type"], ()):
            figures.cells[code] += r[measure]


def _proactive_figures(fmt, year, scope, keys, key_of, figures_for) -> None:
    table = fmt.table("proactive")
    fields = {}
    for row, column, code in table.cells():
        source = cell_source(row, column)
        if isinstance(source, FigureField):
            fields[code] = source.field
    sums = {f"sum_{f}": Sum(f) for f in fields.values()}
    qs = AdministrativeFigures.objects.filter(scope, year=year).order_by()
    # Without a grouping key, values().annotate() would group by row: aggregate instead.
    rows = qs.values(*keys).annotate(n=Count("id"), **sums) if keys else [qs.aggregate(n=Count("id"), **sums)]
    for r in rows:
        if not r["n"]:
            continue
        figures = figures_for(key_of(r))
        figures.figures_entered = True
        for code, f in fields.items():
            value = r[f"sum_{f}"] or 0
            figures.cells[code] = Decimal(value) if fmt.cell_kinds()[code] == AMOUNT else int(value)


def _applications(fmt, start, end, scope, keys, key_of, figures_for) -> None:
    table = fmt.table("applications")
    query = (
        Application.objects.filter(scope, received_on__lte=end)
        .filter(Q(concluded_on__isnull=True) | Q(concluded_on__gte=start))
        .values(*keys, "applicant_type", "outcome")
        .annotate(
            new_received=Count("id", filter=Q(received_on__gte=start)),
            carried_over=Count("id", filter=Q(received_on__lt=start)),
            concluded=Count("id", filter=Q(concluded_on__lte=end)),
            carried_forward=Count("id", filter=Q(concluded_on__isnull=True) | Q(concluded_on__gt=end)),
        )
        .order_by()
    )
    rows = _dict_rows(query)
    # The rows each outcome counts in, worked out once per outcome rather than for every grouped row
    # (a region of 1,000 agencies returns over 100,000 of them).
    plans: dict[str, list[tuple[str, str]]] = {}

    def plan_for(outcome: str) -> list[tuple[str, str]]:
        plan = plans.get(outcome)
        if plan is None:
            plan = plans[outcome] = [
                (row.source.period, f"applications.{row.code}.") for row in table.rows
                if not (row.source.period == "concluded" and row.source.outcomes
                        and outcome not in row.source.outcomes)]
        return plan

    for r in rows:
        applicant_type = r["applicant_type"]
        if applicant_type not in APPLICANT_TYPES:
            continue
        cells = figures_for(key_of(r)).cells
        for period, prefix in plan_for(r["outcome"]):
            n = r[period]
            if n:
                cells[prefix + applicant_type] += n
                cells[prefix + "total"] += n


def _dict_rows(query) -> list[dict]:
    """The rows of a ``values().annotate()`` query as dicts, read straight from the cursor: a region's
    grouped applications are over 100,000 rows, and the ORM's per-row converters cost more than the query."""
    from django.db import connections

    sql, params = query.query.sql_with_params()
    names = [*query.query.values_select, *query.query.annotation_select]
    with connections[query.db].cursor() as cursor:
        cursor.execute(sql, params)
        return [dict(zip(names, row)) for row in cursor.fetchall()]


def _appeals(fmt, start, end, scope, keys, key_of, figures_for) -> None:
    table = fmt.table("appeals")
    decided = Q(decided_on__lte=end)
    rows = (
        AppealCase.objects.filter(scope, filed_on__range=(start, end))
        .values(*keys, "kind")
        .annotate(
            upheld=Count("id", filter=decided & Q(result="upheld")),
            corrected=Count("id", filter=decided & Q(result="corrected")),
            other=Count("id", filter=decided & Q(result="other")),
            pending=Count("id", filter=Q(decided_on__isnull=True) | Q(decided_on__gt=end)),
            total=Count("id"),
        )
        .order_by()
    )
    for r in rows:
        figures = figures_for(key_of(r))
        for row in table.rows:
            source: AppealCount = row.source
            if source.kind == r["kind"]:
                for column in table.columns:
                    figures.cells[f"appeals.{row.code}.{column.code}"] += r[column.code]


def _fees(start, end, *, agency_ids, region, by_agency, figures_for) -> None:
    """Fees paid in the year, from the applications' fee notices (one grouped query)."""
    scope = _scope_filter(agency_ids=agency_ids, region=region, prefix="application__agency")
    qs = FeeNotice.objects.filter(scope, paid_on__range=(start, end)).order_by()
    if by_agency:
        rows = qs.values("application__agency_id").annotate(n=Count("id"), total=Sum("amount"))
    else:
        rows = [qs.aggregate(n=Count("id"), total=Sum("amount"))]
    for r in rows:
        if not r["n"]:
            continue
        figures = figures_for(r["application__agency_id"] if by_agency else None)
        figures.facts[FACT_FEES_PAID] = r["n"]
        figures.facts[FACT_FEES_AMOUNT] = Decimal(r["total"] or 0)


def agency_ids_in_region(region: Region) -> list[int]:
    return list(Agency.objects.filter(region__path__startswith=region.path).order_by("code").values_list("id", flat=True))
