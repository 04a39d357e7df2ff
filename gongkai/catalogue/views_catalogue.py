"""Staff pages for an agency's 政府信息公开目录 and 政府信息公开指南 (条例 第十二条).

Included under ``staff/<slug:agency>/catalogue/`` (``urls_catalogue``).
Permissions, in order: login; the agency visible to the user (its staff,
supervisors of its region, superusers) or 403; an entry within that agency
or 404; changes for agency administrators and publishers only (403). The
views parse input and call one service each (``tree``, ``standard``,
``guide``); the services check the role again.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from gongkai.agencies.models import Agency
from gongkai.agencies.selectors import user_can_view_agency
from gongkai.audit.transitions import ActionRefused
from gongkai.reports.formats import FIRST_YEAR

from .guide import FIELDS as GUIDE_FIELDS
from .guide import REQUIRED as GUIDE_REQUIRED
from .guide import guide_completeness, guide_get, guide_save
from .models import CatalogueEntry, Guide, Item, StandardCatalogue
from .standard import AUDIENCES, TIERS, standard_apply, user_may_change_catalogue
from .tree import (
    catalogue_tree,
    entries_without_items,
    entry_create,
    entry_delete,
    entry_move,
    entry_path,
    entry_shift,
    entry_update,
    subtree_ids,
    tree_flatten,
)

NOT_VISIBLE = "您无权查看该机关的信息公开目录。"
NOT_CHANGER = "只有机关管理员和发布人可以维护信息公开目录和指南。"
TOP_LEVEL = "（作为一级目录）"
INDENT = "\u3000"  # an ideographic space per level in the select lists

ENTRY_FIELDS = ("name", "content", "basis", "time_limit", "subject", "channels", "audience", "mode", "tier",
                "level1", "level2")


# --- access -------------------------------------------------------------------


def _agency_for(request, code: str, *, change: bool = False) -> tuple[Agency, bool]:
    agency = get_object_or_404(Agency.objects.select_related("region"), code=code)
    if not user_can_view_agency(user=request.user, agency=agency):
        raise PermissionDenied(NOT_VISIBLE)
    can_change = user_may_change_catalogue(request.user, agency)
    if change and not can_change:
        raise PermissionDenied(NOT_CHANGER)
    return agency, can_change


def _entry_in(agency: Agency, pk: int) -> CatalogueEntry:
    return get_object_or_404(CatalogueEntry.objects.select_related("agency", "parent", "standard_entry__catalogue"),
                             agency=agency, pk=pk)


def _years() -> list[int]:
    return list(range(timezone.localdate().year, FIRST_YEAR - 1, -1))


def _year(request) -> int:
    raw = request.GET.get("year", "")
    years = _years()
    return int(raw) if raw.isdigit() and int(raw) in years else years[0]


def _tree_url(agency: Agency, entry: CatalogueEntry | None = None) -> str:
    url = reverse("catalogue_tree:tree", args=[agency.code])
    return f"{url}#entry-{entry.pk}" if entry else url


# --- forms --------------------------------------------------------------------


def _parent_choices(agency: Agency, *, exclude: set[int] = frozenset()) -> list[tuple[str, str]]:
    choices = [("", TOP_LEVEL)]
    for node in tree_flatten(catalogue_tree(agency)):
        if node.entry.pk not in exclude:
            choices.append((str(node.entry.pk), INDENT * node.depth + node.entry.name))
    return choices


def _model_field(name: str, **kwargs) -> forms.Field:
    return CatalogueEntry._meta.get_field(name).formfield(**kwargs)


class EntryForm(forms.Form):
    """An entry's name and place, and the fields of a 标准目录 entry."""

    name = _model_field("name", label="目录名称", required=True, error_messages={"required": "请填写目录名称。"},
                        help_text="同一上级目录下名称不能重复。")
    parent = forms.ChoiceField(label="上级目录", required=False)
    content = _model_field("content", widget=forms.Textarea(attrs={"rows": 3}))
    basis = _model_field("basis", widget=forms.Textarea(attrs={"rows": 2}))
    time_limit = _model_field("time_limit", help_text="如：信息形成或者变更之日起20个工作日内。")
    subject = _model_field("subject", help_text="如：县工业和信息化局。")
    channels = _model_field("channels", help_text="如：政府网站、政务新媒体、公开查阅点。")
    audience = forms.ChoiceField(label="公开对象", required=False, widget=forms.RadioSelect,
                                 choices=[("", "未指定"), *((a, a) for a in AUDIENCES)])
    mode = forms.ChoiceField(label="公开方式", required=False, widget=forms.RadioSelect,
                             choices=[("", "未指定"), ("主动", "主动公开"), ("依申请", "依申请公开")])
    tier = forms.ChoiceField(label="公开层级", required=False, choices=[("", "未指定"), *((t, t) for t in TIERS)])
    level1 = _model_field("level1")
    level2 = _model_field("level2")

    def __init__(self, *args, parent_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].choices = parent_choices

    def clean_parent(self):
        return int(self.cleaned_data["parent"]) if self.cleaned_data["parent"] else None


class ApplyStandardForm(forms.Form):
    standard = forms.ModelChoiceField(label="标准目录", queryset=StandardCatalogue.objects.none(),
                                      widget=forms.RadioSelect, empty_label=None,
                                      error_messages={"required": "请选择要套用的标准目录。",
                                                      "invalid_choice": "所选标准目录不存在。"})
    under = forms.ChoiceField(label="套用到", required=False,
                              help_text="一级事项将作为所选目录的下级；默认作为一级目录。")

    def __init__(self, *args, agency, **kwargs):
        super().__init__(*args, **kwargs)
        standards = StandardCatalogue.objects.annotate(entry_count=Count("entries"))
        self.fields["standard"].queryset = standards
        self.fields["standard"].label_from_instance = lambda s: f"{s.name}（{s.entry_count}个事项）"
        self.fields["under"].choices = _parent_choices(agency)
        if not self.is_bound and len(ids := list(standards.values_list("pk", flat=True)[:2])) == 1:
            self.initial["standard"] = ids[0]


class GuideForm(forms.Form):
    """Every field optional in the form: ``guide_save`` names each missing item of 第十二条 itself."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in GUIDE_FIELDS:
            model_field = Guide._meta.get_field(name)
            widget = forms.Textarea(attrs={"rows": 4}) if model_field.get_internal_type() == "TextField" else None
            field = forms.CharField(label=model_field.verbose_name, required=False, widget=widget,
                                    max_length=model_field.max_length, help_text=GUIDE_HELP.get(name, ""))
            if name in GUIDE_REQUIRED:
                field.widget.attrs["aria-required"] = "true"
            self.fields[name] = field


GUIDE_HELP = {
    "classification": "说明本机关主动公开信息的分类（如 机构信息、政策文件、规划计划……）和编排方式（如 按主题分类、按发布日期倒序排列，索引号的组成）。",
    "how_to_obtain": "说明主动公开信息的查阅途径（政府网站信息公开专栏、公开查阅点、档案馆、图书馆等）和依申请公开的提出方式。",
    "application_procedure": "依申请公开的受理、补正、答复期限（20个工作日，可延长20个工作日）和费用等。",
    "office_hours": "如：工作日上午8:00—12:00，下午14:30—17:30（法定节假日除外）。",
    "phone": "带区号的固定电话（如 0594-8292450）或手机号码，多个号码用“、”分隔。",
    "fax": "带区号的固定电话号码，如 0594-8292450。",
    "email": "电子邮箱和网址至少填写一项。",
    "website": "如政府网站信息公开专栏或网上申请平台的网址。",
    "supervision": "认为本机关在政府信息公开工作中侵犯其合法权益的，可以向哪个机关投诉、举报，申请行政复议或者提起行政诉讼。",
}


def _form_errors(form: forms.Form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


# --- the tree -------------------------------------------------------------------


@login_required
def tree(request, agency):
    agency, can_change = _agency_for(request, agency)
    year = _year(request)
    nodes = catalogue_tree(agency, year=year)
    flat = list(tree_flatten(nodes))
    return render(request, "catalogue/tree/tree.html", {
        "agency": agency, "can_change": can_change, "nodes": nodes, "year": year, "years": _years(),
        "entry_count": len(flat), "item_total": sum(n.total for n in nodes),
        "has_standards": StandardCatalogue.objects.exists(),
    })


@login_required
def entry_detail(request, agency, pk):
    agency, can_change = _agency_for(request, agency)
    entry = _entry_in(agency, pk)
    items = list(Item.objects.filter(entry=entry).only(
        "pk", "title", "status", "index_number", "published_on", "document_number").order_by("-published_on", "-pk"))
    children = list(entry.children.order_by("position", "pk"))
    return render(request, "catalogue/tree/entry_detail.html", {
        "agency": agency, "can_change": can_change, "entry": entry, "path": entry_path(entry),
        "items": items, "children": children,
    })


@login_required
def entry_create_view(request, agency):
    agency, _ = _agency_for(request, agency, change=True)
    choices = _parent_choices(agency)
    initial = {"parent": request.GET.get("parent", "")}
    form = EntryForm(request.POST or None, initial=initial, parent_choices=choices)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        parent = _entry_in(agency, data["parent"]) if data["parent"] else None
        try:
            entry = entry_create(user=request.user, agency=agency, parent=parent,
                                 data={f: data[f] for f in ENTRY_FIELDS})
        except ValidationError as e:
            _form_errors(form, e)
        else:
            messages.success(request, f"已添加目录「{entry.name}」。")
            return redirect(_tree_url(agency, entry))
    return render(request, "catalogue/tree/entry_form.html", {
        "agency": agency, "form": form, "entry": None, "title": "添加目录",
    })


@login_required
def entry_edit_view(request, agency, pk):
    agency, _ = _agency_for(request, agency, change=True)
    entry = _entry_in(agency, pk)
    choices = _parent_choices(agency, exclude=set(subtree_ids(entry)))
    initial = {f: getattr(entry, f) for f in ENTRY_FIELDS} | {"parent": str(entry.parent_id or "")}
    form = EntryForm(request.POST or None, initial=initial, parent_choices=choices)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        parent = _entry_in(agency, data["parent"]) if data["parent"] else None
        try:
            with transaction.atomic():
                entry_update(user=request.user, entry=entry, data={f: data[f] for f in ENTRY_FIELDS})
                if (parent.pk if parent else None) != entry.parent_id:
                    entry_move(user=request.user, entry=entry, parent=parent)
        except ValidationError as e:
            _form_errors(form, e)
            entry.refresh_from_db()
        except ActionRefused as e:
            form.add_error(e.field if e.field in form.fields else None, e.reason)
            entry.refresh_from_db()
        else:
            messages.success(request, f"已保存目录「{entry.name}」。")
            return redirect(_tree_url(agency, entry))
    return render(request, "catalogue/tree/entry_form.html", {
        "agency": agency, "form": form, "entry": entry, "title": f"修改目录「{entry.name}」",
    })


@login_required
def entry_delete_view(request, agency, pk):
    agency, _ = _agency_for(request, agency, change=True)
    entry = _entry_in(agency, pk)
    ids = subtree_ids(entry)
    filed = Item.objects.filter(entry_id__in=ids).count()
    refusal = ""
    if request.method == "POST":
        name = entry.name
        try:
            deleted = entry_delete(user=request.user, entry=entry)
        except ActionRefused as e:
            refusal = e.reason
        else:
            extra = f"（含{deleted - 1}个下级目录）" if deleted > 1 else ""
            messages.success(request, f"已删除目录「{name}」{extra}。")
            return redirect(_tree_url(agency))
    status = 409 if refusal else 200
    return render(request, "catalogue/tree/entry_delete.html", {
        "agency": agency, "entry": entry, "path": entry_path(entry), "descendants": len(ids) - 1,
        "filed": filed, "refusal": refusal,
    }, status=status)


@login_required
@require_POST
def entry_shift_view(request, agency, pk):
    agency, _ = _agency_for(request, agency, change=True)
    entry = _entry_in(agency, pk)
    offset = -1 if request.POST.get("direction") == "up" else 1
    entry_shift(user=request.user, entry=entry, offset=offset)
    return redirect(_tree_url(agency, entry))


@login_required
def apply_standard_view(request, agency):
    agency, _ = _agency_for(request, agency, change=True)
    form = ApplyStandardForm(request.POST or None, agency=agency)
    if request.method == "POST" and form.is_valid():
        standard = form.cleaned_data["standard"]
        under = _entry_in(agency, int(form.cleaned_data["under"])) if form.cleaned_data["under"] else None
        created = standard_apply(user=request.user, agency=agency, standard=standard, under=under)
        if created:
            messages.success(request, f"已套用「{standard.name}」，新增{len(created)}个目录。")
        else:
            messages.info(request, f"目录中已有「{standard.name}」的全部事项，未新增目录。")
        return redirect(_tree_url(agency))
    standards = list(StandardCatalogue.objects.prefetch_related("entries"))
    return render(request, "catalogue/tree/apply.html", {"agency": agency, "form": form, "standards": standards})


@login_required
def empty_entries(request, agency):
    agency, can_change = _agency_for(request, agency)
    year = _year(request)
    entries = entries_without_items(agency, year)
    return render(request, "catalogue/tree/empty.html", {
        "agency": agency, "can_change": can_change, "entries": entries, "year": year, "years": _years(),
        "has_entries": bool(entries) or CatalogueEntry.objects.filter(agency=agency).exists(),
    })


# --- the guide ------------------------------------------------------------------


@login_required
def guide_preview(request, agency):
    agency, can_change = _agency_for(request, agency)
    guide = guide_get(agency)
    return render(request, "catalogue/guide/preview.html", {
        "agency": agency, "can_change": can_change, "guide": guide, "missing": guide_completeness(guide),
    })


@login_required
def guide_edit(request, agency):
    agency, _ = _agency_for(request, agency, change=True)
    guide = guide_get(agency)
    initial = {f: getattr(guide, f) for f in GUIDE_FIELDS} if guide else {}
    form = GuideForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            guide_save(user=request.user, agency=agency, data=form.cleaned_data)
        except ValidationError as e:
            _form_errors(form, e)
        else:
            messages.success(request, "已保存政府信息公开指南。")
            return redirect("catalogue_tree:guide", agency.code)
    return render(request, "catalogue/guide/edit.html", {
        "agency": agency, "form": form, "guide": guide,
        "missing": guide_completeness(guide) if request.method == "GET" else [],
    })
