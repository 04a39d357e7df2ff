"""State transitions with a permission check and an audit entry (STYLE.md example 3).

A workflow (applications, publications) subclasses ``Transition`` once per
step: ``check()`` refuses with ``ActionForbidden`` (a PermissionDenied) when
the user lacks the role, or ``ActionRefused`` with a reason in Chinese when
the state or the law does not allow the step; ``run(**params)`` re-checks
under a row lock, applies the change, saves and writes the audit entry in
one transaction.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import models, transaction

from gongkai.agencies.selectors import roles_in
from gongkai.agencies.workdays import WorkingDayCalendar, working_day_calendar

from .services import audit_record


class ActionForbidden(PermissionDenied):
    """The user lacks the role the action needs in the record's agency."""


class ActionRefused(Exception):
    """The action is not possible now; ``reason`` says why, in Chinese, for the user."""

    def __init__(self, reason: str, field: str | None = None):
        super().__init__(reason)
        self.reason = reason
        self.field = field


class Transition:
    code: str = ""
    label: str = ""
    subject: str = "记录"  # how refusals name the record: 申请, 信息
    sources: tuple[str, ...] = ()
    target: str | None = None  # None: the status does not change
    roles: tuple[str, ...] = ()

    def __init__(self, obj: models.Model, *, user, today: date, calendar: WorkingDayCalendar | None = None):
        self.obj = obj
        self.user = user
        self.today = today
        self._calendar = calendar

    @property
    def calendar(self) -> WorkingDayCalendar:
        if self._calendar is None:
            self._calendar = working_day_calendar()
        return self._calendar

    # --- checks ---------------------------------------------------------
    def user_may(self) -> bool:
        return bool(roles_in(self.user, self.obj.agency) & set(self.roles))

    def check(self) -> None:
        if not self.user_may():
            raise ActionForbidden(f"您没有“{self.label}”的权限。")
        if self.obj.status not in self.sources:
            raise ActionRefused(f"{self.subject}当前为“{self.obj.get_status_display()}”，不能{self.label}。")

    def allowed(self) -> bool:
        try:
            self.check()
        except (ActionForbidden, ActionRefused):
            return False
        return True

    def validate(self, **params) -> None:
        """Preconditions that depend on the parameters; raise ActionRefused."""

    def apply(self, **params) -> dict:
        """Change the record (and its step records); return details for the audit entry."""
        raise NotImplementedError

    def before_save(self) -> None:
        """Keep derived fields (a due date, a flag) current after the change."""

    # --- running --------------------------------------------------------
    def run(self, *, note: str = "", **params):
        """Take the action; the caller's instance is refreshed too, so it never goes stale."""
        original = self.obj
        with transaction.atomic():
            # of=("self",): lock the record only, not the agency row the join brings along.
            self.obj = type(original).objects.select_for_update(of=("self",)).select_related("agency").get(
                pk=original.pk)
            self.check()
            self.validate(**params)
            before = self.obj.status
            details = self.apply(**params) or {}
            if self.target:
                self.obj.status = self.target
            self.before_save()
            self.obj.full_clean(exclude=self.clean_exclude())
            self.obj.save()
            audit_record(actor=self.user, agency=self.obj.agency, target=self.obj,
                         action=f"{self.obj._meta.model_name}.{self.code}", from_state=before,
                         to_state=self.obj.status, note=note, data=_jsonable(details))
        if original is not self.obj:
            original.refresh_from_db()
        return self.obj

    def clean_exclude(self) -> list[str]:
        return []

    def not_before(self, day: date, earliest: date | None, what: str, field: str) -> None:
        if day > self.today:
            raise ActionRefused(f"{what}不能晚于今天。", field)
        if earliest and day < earliest:
            raise ActionRefused(f"{what}不能早于{earliest:%Y年%m月%d日}。", field)


def _jsonable(details: dict) -> dict:
    return {k: (v.isoformat() if isinstance(v, date) else str(v) if isinstance(v, Decimal) else v)
            for k, v in details.items()}
