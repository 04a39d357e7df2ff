"""The publication chain as a state machine: 谁提供，谁审核，谁负责; the office publishes.

A provider of a unit drafts and submits; a reviewer of the same unit
approves with a recorded confidentiality review (保密审查, 第十七条) or returns
it with comments; the office (publisher) publishes now or at a set time,
which gives the item its 索引号 and checks the 20 working days of 第二十六条.
Published items are amended or withdrawn with a reason, and the earlier
state is kept as a version. Each step is a ``Transition``: role check, row
lock, audit entry.
"""

from __future__ import annotations

from datetime import date, datetime

from django.db.models import Q, QuerySet
from django.forms.models import model_to_dict
from django.utils import timezone

from gongkai.agencies.models import Membership, Role
from gongkai.agencies.selectors import roles_in
from gongkai.agencies.sequences import sequence_next
from gongkai.agencies.workdays import WorkingDayCalendar
from gongkai.audit.transitions import ActionForbidden, ActionRefused, Transition

from .models import IndexSequence, Item, ItemStatus, ItemVersion, PublicationChannel
from .sanitize import clean_body

TIMELINESS_WORKING_DAYS = 20  # 第二十六条

# Fields a provider fills in and an amendment may change.
CONTENT_FIELDS = (
    "title", "document_type", "topic", "genre", "document_number", "keywords", "abstract", "body",
    "disclosure_mode", "formed_on", "changed_on", "validity", "effective_on", "abolished_on", "interprets", "entry",
    "unit",
)

__all__ = ["ActionForbidden", "ActionRefused"]


def unit_roles(user, item: Item) -> set[str]:
    """Roles that count for this item: agency-wide ones, and unit ones only in the item's own unit."""
    if not getattr(user, "is_authenticated", False):
        return set()
    if user.is_superuser:
        return set(Role.values)
    rows = Membership.objects.filter(user=user, agency=item.agency).filter(
        Q(unit__isnull=True) | Q(unit_id=item.unit_id)).values_list("role", flat=True)
    return set(rows)


def index_number_assign(item: Item, *, year: int) -> str:
    """The next 索引号 of the agency's year, from its pattern; unique and never reused."""
    agency = item.agency
    code = agency.organisation_code or agency.code
    while True:
        seq = sequence_next(IndexSequence, field="last", agency=agency, year=year)
        number = agency.index_pattern.format(code=code, year=year, seq=seq)
        # An imported item may already hold a number of the pattern: skip it rather than fail.
        if not Item.objects.filter(index_number=number).exists():
            return number


def lateness(item: Item, published_on: date, calendar: WorkingDayCalendar) -> tuple[bool, bool]:
    """Whether publication came more than 20 working days after the information was formed or changed."""
    limit = calendar.add_working_days(item.formed_or_changed_on, TIMELINESS_WORKING_DAYS)
    return published_on > limit.day, limit.confirmed


def snapshot(item: Item) -> dict:
    data = model_to_dict(item, fields=CONTENT_FIELDS + ("published_on", "index_number", "channels", "status"))
    return {k: (v.isoformat() if isinstance(v, (date, datetime)) else v) for k, v in data.items()}


class ItemAction(Transition):
    subject = "信息"
    unit_scoped = True  # provider and reviewer act only within their unit

    @property
    def item(self) -> Item:
        return self.obj

    def user_may(self) -> bool:
        if self.user is None:
            return False
        roles = unit_roles(self.user, self.item) if self.unit_scoped else roles_in(self.user, self.item.agency)
        return bool(roles & set(self.roles))

    def _channels(self, channels) -> list[str]:
        channels = list(dict.fromkeys(channels or []))
        if not channels:
            raise ActionRefused("请至少选择一个发布渠道。", "channels")
        unknown = [c for c in channels if c not in PublicationChannel.values]
        if unknown:
            raise ActionRefused("未知的发布渠道：" + "、".join(unknown), "channels")
        return channels

    def _publish(self, published_on: date, channels: list[str]) -> dict:
        item = self.item
        item.published_on = published_on
        item.channels = channels
        item.published_by = self.user
        if not item.index_number:
            item.index_number = index_number_assign(item, year=published_on.year)
        item.late, item.late_confirmed = lateness(item, published_on, self.calendar)
        return {"index_number": item.index_number, "published_on": published_on, "late": item.late,
                "channels": channels}


class Submit(ItemAction):
    code, label = "submit", "提交审核"
    sources, target = (ItemStatus.DRAFT, ItemStatus.RETURNED), ItemStatus.SUBMITTED
    roles = (Role.PROVIDER, Role.AGENCY_ADMIN)

    def validate(self):
        if not self.item.title.strip():
            raise ActionRefused("请填写标题。", "title")
        if not (self.item.body.strip() or self.item.attachments.exists()):
            raise ActionRefused("请填写正文或上传附件后再提交。", "body")

    def apply(self):
        return {}


class Approve(ItemAction):
    """The unit's reviewer answers for the item: confidentiality and legality reviewed (第十七条)."""

    code, label = "approve", "审核通过"
    sources, target = (ItemStatus.SUBMITTED,), ItemStatus.APPROVED
    roles = (Role.REVIEWER, Role.AGENCY_ADMIN)

    def check(self):
        super().check()
        if self.item.created_by_id and self.item.created_by_id == self.user.pk and not self.user.is_superuser:
            raise ActionRefused("不能审核自己提供的信息。")

    def validate(self, *, no_secrets: bool, review_note: str):
        if not no_secrets:
            raise ActionRefused("保密审查未确认不涉密的信息不得公开，请退回修改。", "no_secrets")
        if not review_note.strip():
            raise ActionRefused("请填写保密审查意见。", "review_note")

    def apply(self, *, no_secrets: bool, review_note: str):
        self.item.reviewed_by, self.item.review_note = self.user, review_note.strip()
        return {"review_note": review_note.strip()}


class Return(ItemAction):
    code, label = "return", "退回修改"
    sources, target = (ItemStatus.SUBMITTED, ItemStatus.APPROVED, ItemStatus.SCHEDULED), ItemStatus.RETURNED
    roles = (Role.REVIEWER, Role.PUBLISHER, Role.AGENCY_ADMIN)

    def validate(self, *, comments: str):
        if not comments.strip():
            raise ActionRefused("请写明退回的理由和修改意见。", "comments")

    def apply(self, *, comments: str):
        self.item.scheduled_for = None
        return {"comments": comments.strip()}


class Publish(ItemAction):
    """The office publishes a reviewed item today."""

    code, label = "publish", "发布"
    sources, target = (ItemStatus.APPROVED,), ItemStatus.PUBLISHED
    roles = (Role.PUBLISHER, Role.AGENCY_ADMIN)
    unit_scoped = False

    def validate(self, *, channels):
        self._channels(channels)

    def apply(self, *, channels):
        return self._publish(self.today, self._channels(channels))


class Schedule(ItemAction):
    code, label = "schedule", "定时发布"
    sources, target = (ItemStatus.APPROVED,), ItemStatus.SCHEDULED
    roles = (Role.PUBLISHER, Role.AGENCY_ADMIN)
    unit_scoped = False

    def validate(self, *, scheduled_for: datetime, channels):
        self._channels(channels)
        if scheduled_for <= timezone.now():
            raise ActionRefused("定时发布时间应晚于现在。", "scheduled_for")

    def apply(self, *, scheduled_for: datetime, channels):
        self.item.scheduled_for, self.item.channels = scheduled_for, self._channels(channels)
        self.item.published_by = self.user  # the office answers for the publication it set
        return {"scheduled_for": scheduled_for.isoformat(), "channels": self.item.channels}


class PublishScheduled(ItemAction):
    """Run by ``gongkai catalogue publish-due`` (cron) once the set time has come; no user acts."""

    code, label = "publish_scheduled", "到时发布"
    sources, target = (ItemStatus.SCHEDULED,), ItemStatus.PUBLISHED
    roles = ()

    def user_may(self) -> bool:
        return self.user is None

    def validate(self, *, now: datetime):
        if self.item.scheduled_for is None or self.item.scheduled_for > now:
            raise ActionRefused("尚未到定时发布时间。")

    def apply(self, *, now: datetime):
        published_on = timezone.localdate(self.item.scheduled_for)
        published_by = self.item.published_by
        details = self._publish(published_on, list(self.item.channels))
        self.item.published_by = published_by
        return details


class Withdraw(ItemAction):
    code, label = "withdraw", "撤回"
    sources, target = (ItemStatus.PUBLISHED,), ItemStatus.WITHDRAWN
    roles = (Role.PUBLISHER, Role.AGENCY_ADMIN)
    unit_scoped = False

    def validate(self, *, reason: str):
        if not reason.strip():
            raise ActionRefused("请写明撤回理由。", "reason")

    def apply(self, *, reason: str):
        ItemVersion.objects.create(item=self.item, version=self.item.version, data=snapshot(self.item),
                                   reason=reason.strip(), created_by=self.user)
        self.item.withdrawal_reason = reason.strip()
        return {"reason": reason.strip(), "version": self.item.version}


class Amend(ItemAction):
    """Change a published item; the earlier version is kept with the reason."""

    code, label = "amend", "修改已发布信息"
    sources = (ItemStatus.PUBLISHED,)
    roles = (Role.PUBLISHER, Role.AGENCY_ADMIN)
    unit_scoped = False

    def validate(self, *, changes: dict, reason: str):
        if not reason.strip():
            raise ActionRefused("请写明修改理由。", "reason")
        unknown = set(changes) - set(CONTENT_FIELDS)
        if unknown:
            raise ActionRefused("不能修改这些字段：" + "、".join(sorted(unknown)))
        if not any(getattr(self.item, f) != v for f, v in changes.items()):
            raise ActionRefused("没有需要修改的内容。")

    def apply(self, *, changes: dict, reason: str):
        item = self.item
        ItemVersion.objects.create(item=item, version=item.version, data=snapshot(item), reason=reason.strip(),
                                   created_by=self.user)
        changed = sorted(f for f, v in changes.items() if getattr(item, f) != v)
        for field, value in changes.items():
            setattr(item, field, value)
        item.body = clean_body(item.body)
        item.version += 1
        # A change of the information itself restarts the 20 working days from the day of change.
        if item.changed_on and item.changed_on > (item.published_on or item.formed_on):
            item.late, item.late_confirmed = lateness(item, self.today, self.calendar)
        return {"reason": reason.strip(), "fields": changed, "version": item.version}


ACTIONS: dict[str, type[ItemAction]] = {cls.code: cls for cls in (
    Submit, Approve, Return, Publish, Schedule, Withdraw, Amend,
)}


def available_actions(item: Item, *, user, today: date, calendar: WorkingDayCalendar | None = None
                      ) -> list[ItemAction]:
    actions = [cls(item, user=user, today=today, calendar=calendar) for cls in ACTIONS.values()]
    return [a for a in actions if a.allowed()]


def items_due_for_publication(now: datetime) -> QuerySet[Item]:
    return Item.objects.filter(status=ItemStatus.SCHEDULED, scheduled_for__lte=now)


def publish_due(*, now: datetime, calendar: WorkingDayCalendar | None = None) -> list[Item]:
    """Publish every scheduled item whose time has come (idempotent: run it from cron every few minutes)."""
    published = []
    for item in items_due_for_publication(now).select_related("agency"):
        try:
            published.append(PublishScheduled(item, user=None, today=timezone.localdate(now),
                                              calendar=calendar).run(now=now))
        except ActionRefused:
            continue  # published or returned meanwhile
    return published
