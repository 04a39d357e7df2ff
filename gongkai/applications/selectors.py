"""Reads of disclosure applications for the staff pages: who sees which, what is late, what a report cell counts.

Every function returns a queryset built from filters, never a list made by
looping over rows in Python, so lists paginate and counts stay one query.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from gongkai.agencies.models import Agency, Region, Role
from gongkai.agencies.selectors import roles_in, user_can_view_agency
from gongkai.agencies.workdays import WorkingDayCalendar
from gongkai.reports.formats import APPLICANT_TYPES, ApplicationCount, Row, format_for_year

from .deadlines import AT_RISK_WORKING_DAYS
from .models import Application, CorrectionRequest, Status

UNKNOWN_CELL = "表三没有单元格“{code}”。"


def user_can_view_applications(user, agency: Agency) -> bool:
    """Members of the agency (any role), supervisors of a region above it, superusers."""
    return user_can_view_agency(user=user, agency=agency)


def applications_visible_to(user, agency: Agency) -> QuerySet[Application]:
    """The agency's applications if ``user`` may see them, else none.

    Staff with any membership in the agency see them; so do supervisors of a
    region above it (政务公开办) and superusers. Supervisors see lists and
    figures only: personal data masked (``masking``) and no actions
    (``workflow`` checks roles, which they have none of).
    """
    if not user_can_view_applications(user, agency):
        return Application.objects.none()
    return Application.objects.filter(agency=agency)


@dataclass(frozen=True)
class StaffAccess:
    """What one user may do with one agency's applications (the roles themselves live in ``Membership``)."""

    can_view: bool
    roles: frozenset[str]

    @property
    def can_register(self) -> bool:
        return bool(self.roles & {Role.REGISTRAR, Role.AGENCY_ADMIN})

    @property
    def can_upload(self) -> bool:
        return bool(self.roles & {Role.HANDLER, Role.REGISTRAR, Role.AGENCY_ADMIN})

    @property
    def can_assign(self) -> bool:
        return bool(self.roles & {Role.REGISTRAR, Role.AGENCY_ADMIN})

    @property
    def is_observer(self) -> bool:
        """Sees the agency's applications but holds no role in the workflow (e.g. a supervisor)."""
        return self.can_view and not self.roles & {Role.HANDLER, Role.REGISTRAR, Role.APPROVER, Role.AGENCY_ADMIN}


def staff_access(user, agency: Agency) -> StaffAccess:
    if not user_can_view_applications(user, agency):
        return StaffAccess(False, frozenset())
    return StaffAccess(True, frozenset(roles_in(user, agency)))


def agency_handlers(agency: Agency):
    """The agency's staff who may be assigned applications (申请承办人)."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(
        memberships__agency=agency, memberships__role=Role.HANDLER, is_active=True,
    ).distinct().order_by("last_name", "first_name", "username")


def _correction_due(**due) -> Exists:
    """An unanswered 补正 notice whose supplement deadline matches ``due`` (lookups on ``supplement_due_on``)."""
    return Exists(CorrectionRequest.objects.filter(
        application=OuterRef("pk"), supplemented_on__isnull=True, closed_unsupplemented=False,
        **{f"supplement_due_on__{lookup}": day for lookup, day in due.items()},
    ))


def applications_overdue(agency: Agency, today: date) -> QuerySet[Application]:
    """Open applications past their running deadline on ``today``.

    The reply deadline runs only in 办理中 (REGISTERED): consultations and
    fee notices pause it. An application in 补正中 is late once its
    supplement deadline has passed with no supplement: it waits to be
    closed as 逾期未补正.
    """
    return Application.objects.filter(agency=agency).filter(
        Q(status=Status.REGISTERED, due_on__lt=today)
        | (Q(status=Status.CORRECTION) & _correction_due(lt=today))
    )


def due_soon_limit(today: date, calendar: WorkingDayCalendar) -> date:
    """The last day of "due within 3 working days" counted from ``today``."""
    return calendar.add_working_days(today, AT_RISK_WORKING_DAYS).day


def applications_due_soon(agency: Agency, today: date, calendar: WorkingDayCalendar) -> QuerySet[Application]:
    """Open applications whose running deadline falls from ``today`` to 3 working days after it."""
    limit = due_soon_limit(today, calendar)
    return Application.objects.filter(agency=agency).filter(
        Q(status=Status.REGISTERED, due_on__gte=today, due_on__lte=limit)
        | (Q(status=Status.CORRECTION) & _correction_due(gte=today, lte=limit))
    )


# --- the applications behind one cell of table 三 ---------------------------


@dataclass(frozen=True)
class Cell:
    """A cell of table 三 as the drill-down list names it."""

    code: str
    year: int
    row: Row
    column_code: str
    column_label: str

    @property
    def label(self) -> str:
        parts = [g for g in self.row.groups if g] + [self.row.label]
        return " ".join(parts) + f" · {self.column_label}"


def parse_cell(year: int, code: str) -> Cell:
    """The cell ``applications.<row>.<column>`` of the year's format; ``ValueError`` (in Chinese) if unknown."""
    table = format_for_year(year).table("applications")
    parts = code.split(".")
    if len(parts) < 3 or parts[0] != "applications":
        raise ValueError(UNKNOWN_CELL.format(code=code))
    row_code, column_code = ".".join(parts[1:-1]), parts[-1]
    try:
        row = table.row(row_code)
    except KeyError:
        raise ValueError(UNKNOWN_CELL.format(code=code)) from None
    columns = {c.code: c.label for c in table.columns}
    if column_code not in columns:
        raise ValueError(UNKNOWN_CELL.format(code=code))
    return Cell(code, year, row, column_code, columns[column_code])


def cell_filter(cell: Cell) -> Q:
    """The records one cell counts (DOMAIN.md §2.5, docs/decisions/003-counting-rules.md)."""
    start, end = date(cell.year, 1, 1), date(cell.year, 12, 31)
    source: ApplicationCount = cell.row.source
    open_on = lambda day: Q(concluded_on__isnull=True) | Q(concluded_on__gt=day)  # noqa: E731
    if source.period == "new_received":
        q = Q(received_on__range=(start, end))
    elif source.period == "carried_over":
        q = Q(received_on__lt=start) & (Q(concluded_on__isnull=True) | Q(concluded_on__gte=start))
    elif source.period == "concluded":
        q = Q(concluded_on__range=(start, end))
        if source.outcomes:
            q &= Q(outcome__in=source.outcomes)
    elif source.period == "carried_forward":
        q = Q(received_on__lte=end) & open_on(end)
    else:  # pragma: no cover - formats.py declares no other period
        raise ValueError(source.period)
    if cell.column_code == "total":
        return q & Q(applicant_type__in=APPLICANT_TYPES)
    return q & Q(applicant_type=cell.column_code)


def applications_in_cell(agency_or_region: Agency | Region, year: int, cell_code: str) -> QuerySet[Application]:
    """The applications counted in one cell of table 三 for an agency, or every agency under a region."""
    cell = parse_cell(year, cell_code)
    if isinstance(agency_or_region, Region):
        scope = Q(agency__region__path__startswith=agency_or_region.path)
    else:
        scope = Q(agency=agency_or_region)
    return Application.objects.filter(scope).filter(cell_filter(cell))


def applications_overdue_counts(agency_ids: list[int], today: date) -> dict[int, int]:
    """How many applications of each agency are overdue on ``today`` (as ``applications_overdue``); one query."""
    rows = (Application.objects.filter(agency_id__in=agency_ids)
            .filter(Q(status=Status.REGISTERED, due_on__lt=today)
                    | (Q(status=Status.CORRECTION) & _correction_due(lt=today)))
            .values("agency_id").annotate(n=Count("id")).order_by())
    return {r["agency_id"]: r["n"] for r in rows}
