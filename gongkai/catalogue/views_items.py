"""Staff pages for proactive disclosure (主动公开): thin views over selectors, services and workflow actions.

Permissions, in order: login; the agency visible to the user (its staff,
the supervisors of its region, superusers) or 403; the item among those the
user may see in that agency (``selectors.items_visible_to``) or 404; then the
role each write needs — drafting for the unit's providers, each action as
``workflow`` checks it (``ActionForbidden`` → 403, ``ActionRefused`` → the
form again with the reason).
"""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import datetime, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import F
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from gongkai.agencies.models import Agency, Unit
from gongkai.agencies.workdays import working_day_calendar
from gongkai.applications import stash
from gongkai.audit.selectors import audit_trail
from gongkai.audit.transitions import ActionRefused

from .forms import ACTION_FORMS, DraftForm, ItemFilterForm, LateYearForm, WechatExportForm, action_form
from .models import (
    CatalogueEntry,
    DisclosureMode,
    DocumentType,
    Genre,
    Item,
    ItemStatus,
    ItemVersion,
    PublicationChannel,
    Validity,
)
from .sanitize import clean_body
from .selectors import (
    ItemAccess,
    catalogue_entries,
    drafting_units,
    item_access,
    item_topics,
    item_years,
    items_awaiting,
    items_filter,
    items_for_list,
    items_late,
    items_visible_to,
    wechat_export,
)
from .services import DRAFTING_ROLES, EDITABLE, attachment_add, item_create, item_update
from .workflow import ACTIONS, TIMELINESS_WORKING_DAYS, available_actions, unit_roles

PAGE_SIZE = 25
STATUS_LABELS = dict(ItemStatus.choices)
CHANNEL_LABELS = dict(PublicationChannel.choices)
AUDIT_LABELS = {
    "item.create": "创建草稿",
    "item.update": "修改草稿",
    "item.attach": "上传附件",
    "item.publish_scheduled": "到时发布",
    **{f"item.{code}": cls.label for code, cls in ACTIONS.items()},
}
# Actions whose form is a page of its own (the whole metadata form); the detail page links to it.
PAGE_ACTIONS = ("amend",)
CJK = re.compile(r"[\u3400-\u9fff]")


def person(user) -> str:
    """A staff member's name as Chinese writes it (family name first), else the username."""
    if user is None:
        return "系统"
    first, last = (user.first_name or "").strip(), (user.last_name or "").strip()
    if not (first or last):
        return user.get_username()
    return f"{last}{first}" if CJK.search(first + last) else f"{first} {last}".strip()


def field_label(name: str) -> str:
    try:
        return str(Item._meta.get_field(name).verbose_name)
    except Exception:
        return name


# --- lookups ---------------------------------------------------------------------


def _agency_for(request, code: str) -> tuple[Agency, ItemAccess]:
    agency = get_object_or_404(Agency.objects.select_related("region"), code=code)
    access = item_access(request.user, agency)
    if not access.can_view:
        raise PermissionDenied("您无权查看该机关的主动公开信息。")
    return agency, access


def _item_in(request, agency: Agency, access: ItemAccess, pk: int) -> Item:
    queryset = items_visible_to(request.user, agency, access=access).select_related(
        "agency", "unit", "entry", "created_by", "reviewed_by", "published_by")
    return get_object_or_404(queryset, pk=pk)


def _detail_url(agency: Agency, item: Item) -> str:
    return reverse("items:detail", args=[agency.code, item.pk])


def _page_context(request, agency: Agency, access: ItemAccess, **context) -> dict:
    """What every item page shows around its content: the tabs with the count waiting for this user."""
    return {
        "agency": agency,
        "access": access,
        "awaiting_count": items_awaiting(request.user, agency, access=access).count(),
        **context,
    }


def _add_service_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, field_messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, field_messages)
    else:
        form.add_error(None, error.messages)


# --- lists -----------------------------------------------------------------------


def _paginate(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


@login_required
def item_list(request, agency):
    """The agency's items the user may see, filtered, newest first (unpublished ones on top)."""
    agency, access = _agency_for(request, agency)
    visible = items_visible_to(request.user, agency, access=access)
    form = ItemFilterForm(request.GET or None, topics=item_topics(visible), years=item_years(visible))
    filters = form.filters()
    items = items_for_list(items_filter(visible, **filters)).order_by(
        F("published_on").desc(nulls_first=True), "-id")
    return render(request, "catalogue/items/list.html", _page_context(
        request, agency, access, tab="list", title="主动公开信息", form=form, page=_paginate(request, items),
        filtered=any(v not in ("", None) for v in filters.values()),
    ))


@login_required
def item_awaiting(request, agency):
    """待我处理: what waits for this user's role in the chain."""
    agency, access = _agency_for(request, agency)
    items = items_awaiting(request.user, agency, access=access)
    return render(request, "catalogue/items/list.html", _page_context(
        request, agency, access, tab="awaiting", title="待我处理", page=_paginate(request, items),
    ))


@login_required
def item_late(request, agency):
    """超期发布: items of a year published more than 20 working days after formed or changed (第二十六条)."""
    agency, access = _agency_for(request, agency)
    today = timezone.localdate()
    visible = items_visible_to(request.user, agency, access=access)
    years = sorted(set(item_years(visible)) | {today.year}, reverse=True)
    form = LateYearForm(request.GET or {"year": today.year}, years=years)
    year = (form.cleaned_data["year"] if form.is_valid() else None) or today.year
    calendar = working_day_calendar()
    rows = []
    for item in items_late(agency, year):
        limit = calendar.add_working_days(item.formed_or_changed_on, TIMELINESS_WORKING_DAYS)
        over = calendar.working_days_between(limit.day, item.published_on)
        rows.append({"item": item, "limit": limit.day, "over": over.days,
                     "confirmed": limit.confirmed and over.confirmed and item.late_confirmed})
    return render(request, "catalogue/items/late.html", _page_context(
        request, agency, access, tab="late", title=f"{year}年超期发布的信息", form=form, year=year, rows=rows,
        limit_days=TIMELINESS_WORKING_DAYS,
    ))


# --- drafting --------------------------------------------------------------------


def _save_draft(request, agency: Agency, form: DraftForm, item: Item | None) -> Item | None:
    """Create or update the draft and attach its files in one transaction; None when it was refused."""
    key = form.key
    kept = set(request.POST.getlist("kept_files"))
    try:
        with transaction.atomic():
            if item is None:
                item = item_create(user=request.user, agency=agency, data=form.item_data())
            else:
                item = item_update(user=request.user, item=item, data=form.item_data())
            uploads = stash.stash_take(request.user, key, kept) + form.accepted_uploads
            for upload in uploads:
                attachment_add(user=request.user, item=item, name=upload.name, content=upload.content)
    except ValidationError as e:
        _add_service_errors(form, e)
        return None
    except ActionRefused as e:
        form.add_error(e.field if e.field in form.fields else None, e.reason)
        return None
    stash.stash_drop(request.user, key)
    return item


def _keep_files(request, form: DraftForm) -> list[dict]:
    """After a failed attempt keep the files that passed (a browser cannot refill a file input)."""
    key = form.key
    if key is None:
        return []
    kept = set(request.POST.getlist("kept_files"))
    listed = {e["id"] for e in stash.stash_list(request.user, key)}
    stash.stash_drop(request.user, key, listed - kept)
    stash.stash_add(request.user, key, form.accepted_uploads)
    return stash.stash_list(request.user, key)


def _draft_page(request, agency, access, form, item, kept_files, status=200):
    return render(request, "catalogue/items/form.html", _page_context(
        request, agency, access, tab="new" if item is None else "", form=form, item=item, kept_files=kept_files,
        attachments=list(item.attachments.all()) if item else [],
        title="新建主动公开信息" if item is None else f"修改草稿：{item.title}",
    ), status=status)


@login_required
def item_create_view(request, agency):
    agency, access = _agency_for(request, agency)
    if not access.can_draft:
        raise PermissionDenied("您没有提供主动公开信息的权限。")
    units = drafting_units(request.user, agency, access=access)
    if request.method != "POST":
        return _draft_page(request, agency, access, DraftForm(agency=agency, units=units), None, [])
    form = DraftForm(request.POST, request.FILES, agency=agency, units=units)
    if form.is_valid():
        item = _save_draft(request, agency, form, None)
        if item is not None:
            messages.success(request, "草稿已保存。核对无误后请“提交审核”。")
            return redirect(_detail_url(agency, item))
    return _draft_page(request, agency, access, form, None, _keep_files(request, form), status=400)


@login_required
def item_edit_view(request, agency, pk):
    agency, access = _agency_for(request, agency)
    item = _item_in(request, agency, access, pk)
    if not unit_roles(request.user, item) & DRAFTING_ROLES:
        raise PermissionDenied("您没有修改该信息的权限。")
    if item.status not in EDITABLE:
        messages.error(request, f"信息当前为“{item.get_status_display()}”，不能直接修改。"
                                + ("已发布的信息请由办公室“修改已发布信息”。" if item.status == ItemStatus.PUBLISHED else ""))
        return redirect(_detail_url(agency, item))
    units = drafting_units(request.user, agency, access=access)
    if item.unit_id and not units.filter(pk=item.unit_id).exists():
        units = Unit.objects.filter(pk=item.unit_id)  # an agency-wide drafter keeps the item's own unit
    if request.method != "POST":
        return _draft_page(request, agency, access, DraftForm(agency=agency, units=units, item=item), item, [])
    form = DraftForm(request.POST, request.FILES, agency=agency, units=units, item=item)
    if form.is_valid():
        saved = _save_draft(request, agency, form, item)
        if saved is not None:
            messages.success(request, "修改已保存。")
            return redirect(_detail_url(agency, saved))
    item.refresh_from_db()
    return _draft_page(request, agency, access, form, item, _keep_files(request, form), status=400)


# --- one item ----------------------------------------------------------------------


def _audit_detail(action: str, data: dict) -> str:
    """The parts of an audit entry's details a reader needs, in Chinese."""
    parts = []
    if action == "item.update" and data.get("fields"):
        parts.append("修改了：" + "、".join(field_label(f) for f in data["fields"]))
    if action == "item.attach" and data.get("title"):
        parts.append(f"附件：{data['title']}")
    if data.get("review_note"):
        parts.append(f"保密审查意见：{data['review_note']}")
    if data.get("comments"):
        parts.append(f"退回意见：{data['comments']}")
    if action in ("item.publish", "item.publish_scheduled") and data.get("index_number"):
        parts.append(f"索引号：{data['index_number']}")
        if data.get("late"):
            parts.append("超过公开时限")
    if data.get("scheduled_for"):
        when = timezone.localtime(datetime.fromisoformat(data["scheduled_for"]))
        parts.append(f"定时：{when:%Y-%m-%d %H:%M}")
    if data.get("channels") and action in ("item.publish", "item.schedule"):
        parts.append("渠道：" + "、".join(CHANNEL_LABELS.get(c, c) for c in data["channels"]))
    if data.get("reason"):
        parts.append(f"理由：{data['reason']}")
    if action == "item.amend" and data.get("fields"):
        parts.append("修改了：" + "、".join(field_label(f) for f in data["fields"]))
    return "；".join(parts)


def _audit_rows(item: Item) -> list[dict]:
    return [{
        "code": entry.action,
        "data": entry.data or {},
        "at": timezone.localtime(entry.at),
        "actor": person(entry.actor),
        "action": AUDIT_LABELS.get(entry.action, entry.action),
        "from_state": STATUS_LABELS.get(entry.from_state, entry.from_state),
        "to_state": STATUS_LABELS.get(entry.to_state, entry.to_state),
        "detail": _audit_detail(entry.action, entry.data or {}),
        "note": entry.note,
    } for entry in audit_trail(target=item)]


def _return_comments(item: Item, audit: list[dict]) -> str:
    """What the reviewer or the office asked to change, while the item waits for its provider."""
    if item.status != ItemStatus.RETURNED:
        return ""
    return next((e["data"].get("comments", "") for e in reversed(audit) if e["code"] == "item.return"), "")


def _safe_body(html: str) -> str:
    """The body as HTML. Services and ``Amend`` sanitize it on every save; it is cleaned once more here
    because other writers (the admin, imports) may not have, and cleaning costs microseconds."""
    return mark_safe(clean_body(html))  # noqa: S308 — the output of the nh3 whitelist


def _entry_path(item: Item) -> str:
    if not item.entry_id:
        return ""
    return dict((e.pk, path) for e, path in catalogue_entries(item.agency)).get(item.entry_id, str(item.entry))


def _detail_context(request, agency: Agency, access: ItemAccess, item: Item, *,
                    bound: tuple[str, object] | None = None) -> dict:
    today, calendar = timezone.localdate(), working_day_calendar()
    user = request.user
    visible = items_visible_to(user, agency, access=access)
    actions = available_actions(item, user=user, today=today, calendar=calendar)
    bound_code, bound_form = bound or (None, None)
    forms, page_actions = [], []
    for action in actions:
        if action.code in PAGE_ACTIONS:
            page_actions.append({"code": action.code, "label": action.label,
                                 "url": reverse(f"items:{action.code}", args=[agency.code, item.pk])})
            continue
        form = bound_form if action.code == bound_code else action_form(action.code, item=item, agency=agency,
                                                                         user=user)
        forms.append({"code": action.code, "label": action.label, "form": form})
    if bound_code and bound_code not in {a.code for a in actions}:
        # A refused action (the state changed meanwhile) keeps its form, with the reason, on top.
        forms.insert(0, {"code": bound_code, "label": ACTIONS[bound_code].label, "form": bound_form})
    audit = _audit_rows(item)
    return _page_context(
        request, agency, access, item=item, body=_safe_body(item.body),
        title=item.title,
        attachments=list(item.attachments.all()),
        interprets=visible.filter(pk=item.interprets_id).first() if item.interprets_id else None,
        interpretations=list(visible.filter(interprets=item).order_by("-published_on", "-id")),
        versions=[{"version": v, "by": person(v.created_by)}
                  for v in item.versions.select_related("created_by").order_by("-version")],
        audit=audit,
        return_comments=_return_comments(item, audit),
        action_forms=forms,
        page_actions=page_actions,
        can_edit=item.status in EDITABLE and bool(unit_roles(user, item) & DRAFTING_ROLES),
        entry_path=_entry_path(item),
        channels=[CHANNEL_LABELS.get(c, c) for c in item.channels or []],
        provider=person(item.created_by) if item.created_by_id else "",
        reviewer=person(item.reviewed_by) if item.reviewed_by_id else "",
        publisher=person(item.published_by) if item.published_by_id else "",
    )


@login_required
def item_detail(request, agency, pk):
    agency, access = _agency_for(request, agency)
    item = _item_in(request, agency, access, pk)
    return render(request, "catalogue/items/detail.html", _detail_context(request, agency, access, item))


def _amend_page(request, agency, access, item, form, status=200):
    return render(request, "catalogue/items/amend.html", _page_context(
        request, agency, access, item=item, form=form, title=f"修改已发布信息：{item.title}",
    ), status=status)


@login_required
def item_amend(request, agency, pk):
    """The form of 修改已发布信息 (posted to ``item_action`` with code ``amend``)."""
    agency, access = _agency_for(request, agency)
    item = _item_in(request, agency, access, pk)
    action = ACTIONS["amend"](item, user=request.user, today=timezone.localdate())
    try:
        action.check()  # ActionForbidden → 403
    except ActionRefused as e:
        messages.error(request, e.reason)
        return redirect(_detail_url(agency, item))
    form = action_form("amend", item=item, agency=agency, user=request.user)
    return _amend_page(request, agency, access, item, form)


@login_required
@require_POST
def item_action(request, agency, pk, code):
    """Take one workflow action: ``ActionForbidden`` → 403, ``ActionRefused`` → the form again with its reason."""
    agency, access = _agency_for(request, agency)
    item = _item_in(request, agency, access, pk)
    if code not in ACTIONS or code not in ACTION_FORMS:
        raise Http404("没有这项操作。")
    action = ACTIONS[code](item, user=request.user, today=timezone.localdate(), calendar=working_day_calendar())
    form = action_form(code, request.POST, item=item, agency=agency, user=request.user)
    try:
        action.check()  # ActionForbidden propagates: a 403 before the input is even read
        if form.is_valid():
            action.run(note=form.note_value, **form.params())
            item.refresh_from_db()
            done = f"操作已完成：{action.label}。"
            if item.status == ItemStatus.PUBLISHED and code == "publish":
                done += f"索引号 {item.index_number}。"
                if item.late:
                    done += "该信息超过公开时限（形成或变更之日起20个工作日）发布，已列入“超期发布”。"
            messages.success(request, done)
            return redirect(_detail_url(agency, item))
    except ActionRefused as e:
        form.add_error(e.field if e.field in form.fields else None, e.reason)
    except ValidationError as e:
        _add_service_errors(form, e)
    item.refresh_from_db()
    if code in PAGE_ACTIONS:
        return _amend_page(request, agency, access, item, form, status=400)
    context = _detail_context(request, agency, access, item, bound=(code, form))
    return render(request, "catalogue/items/detail.html", context, status=400)


# --- versions and files -------------------------------------------------------------

CHOICE_LABELS = {
    "document_type": dict(DocumentType.choices), "genre": dict(Genre.choices), "validity": dict(Validity.choices),
    "disclosure_mode": dict(DisclosureMode.choices), "status": STATUS_LABELS,
}
VERSION_FIELDS = ("title", "index_number", "status", "document_type", "genre", "topic", "document_number",
                  "keywords", "abstract", "disclosure_mode", "formed_on", "changed_on", "published_on", "validity",
                  "effective_on", "abolished_on", "entry", "unit", "interprets", "channels")


def _version_rows(agency: Agency, data: dict, visible) -> list[tuple[str, str]]:
    """The snapshot's fields as (label, text); references are resolved to names (within the agency)."""
    refs = {
        "unit": dict(Unit.objects.filter(agency=agency, pk=data.get("unit") or 0).values_list("pk", "name")),
        "entry": dict(CatalogueEntry.objects.filter(agency=agency, pk=data.get("entry") or 0)
                      .values_list("pk", "name")),
        "interprets": dict(visible.filter(pk=data.get("interprets") or 0).values_list("pk", "title")),
    }
    rows = []
    for name in VERSION_FIELDS:
        if name not in data:
            continue
        value = data[name]
        if name in CHOICE_LABELS:
            text = CHOICE_LABELS[name].get(value, value or "")
        elif name in refs:
            text = refs[name].get(value, f"#{value}") if value else ""
        elif name == "channels":
            text = "、".join(CHANNEL_LABELS.get(c, c) for c in value or [])
        else:
            text = "" if value is None else str(value)
        rows.append((field_label(name), text or "—"))
    return rows


@login_required
def item_version(request, agency, pk, version):
    """An earlier version kept when the item was amended or withdrawn."""
    agency, access = _agency_for(request, agency)
    item = _item_in(request, agency, access, pk)
    old = get_object_or_404(ItemVersion.objects.select_related("created_by"), item=item, version=version)
    visible = items_visible_to(request.user, agency, access=access)
    return render(request, "catalogue/items/version.html", _page_context(
        request, agency, access, item=item, old=old, by=person(old.created_by),
        rows=_version_rows(agency, old.data, visible),
        body=_safe_body(old.data.get("body") or ""),
        title=f"历史版本 {old.version}：{item.title}",
    ))


@login_required
def attachment_download(request, agency, pk, attachment_pk):
    """An attachment, to whoever may see the item; never a public media URL."""
    agency, access = _agency_for(request, agency)
    item = _item_in(request, agency, access, pk)
    attachment = get_object_or_404(item.attachments, pk=attachment_pk)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as e:
        raise Http404("文件不存在。") from e
    response = FileResponse(handle, as_attachment=True, filename=attachment.title,
                            content_type=attachment.content_type)
    response["Cache-Control"] = "private, no-store"
    return response


# --- the WeChat editors' export ------------------------------------------------------

CSV_HEADER = ["标题", "摘要", "链接", "发布日期", "索引号", "文号", "发布渠道"]


def _wechat_csv(rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    for r in rows:
        writer.writerow([r.title, r.summary, r.link, r.published_on.isoformat(), r.index_number,
                         r.document_number, "、".join(CHANNEL_LABELS.get(c, c) for c in r.channels)])
    # The BOM lets Excel (and WPS) open the file as UTF-8.
    return "\ufeff".encode() + out.getvalue().encode("utf-8")


@login_required
def wechat_export_view(request, agency):
    """微信编辑导出: the items published since a date, as a page, a CSV (UTF-8 with BOM) or JSON."""
    agency, access = _agency_for(request, agency)
    today = timezone.localdate()
    form = WechatExportForm(request.GET if "since" in request.GET else None,
                            initial={"since": today - timedelta(days=7)})
    rows = None
    if form.is_valid():
        since, wechat_only = form.cleaned_data["since"], form.cleaned_data["wechat_only"]
        rows = wechat_export(agency, since, wechat_only=wechat_only)
        fmt = request.GET.get("format")
        name = f"wechat-{agency.code}-{since:%Y%m%d}"
        if fmt == "csv":
            response = HttpResponse(_wechat_csv(rows), content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
            return response
        if fmt == "json":
            payload = {"agency": {"code": agency.code, "name": agency.name}, "since": since.isoformat(),
                       "items": [r.as_dict() for r in rows]}
            response = HttpResponse(json.dumps(payload, ensure_ascii=False, indent=2),
                                    content_type="application/json; charset=utf-8")
            response["Content-Disposition"] = f'attachment; filename="{name}.json"'
            return response
        if fmt:
            raise Http404("不支持的导出格式。")
    return render(request, "catalogue/items/export.html", _page_context(
        request, agency, access, tab="export", title="微信编辑导出", form=form, rows=rows,
    ), status=400 if form.is_bound and not form.is_valid() else 200)

