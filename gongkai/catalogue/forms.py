"""Forms of the staff pages for proactive disclosure (主动公开): the item's metadata, attachments, filters,
the WeChat export, and one form per workflow action.

Forms only parse and check input, with messages in Chinese that name the
field; ``services`` and the ``workflow`` actions decide. Each action form's
``params()`` are exactly the keyword arguments of its action's ``run()``.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q

from gongkai.applications.uploads import ACCEPTED_LABEL, MAX_UPLOAD_BYTES, check_upload

from .models import (
    ABSTRACT_MAX_LENGTH,
    CatalogueEntry,
    DisclosureMode,
    DocumentType,
    Genre,
    Item,
    ItemStatus,
    PublicationChannel,
    Validity,
)
from .sanitize import clean_body
from .selectors import catalogue_entries
from .workflow import CONTENT_FIELDS

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d"]

# 主题分类: the State Council's subject classification of documents, offered as suggestions.
TOPIC_SUGGESTIONS = (
    "综合政务", "综合政务\\政务公开", "国民经济管理、国有资产监管", "财政、金融、审计", "国土资源、能源",
    "农业、林业、水利", "工业、交通", "商贸、海关、旅游", "市场监管、安全生产监管", "城乡建设、环境保护",
    "科技、教育", "文化、广电、新闻出版", "卫生、体育", "人口与计划生育、妇女儿童工作", "劳动、人事、监察",
    "公安、安全、司法", "民政、扶贫、救灾", "民族、宗教", "对外事务", "港澳台侨工作", "国防", "其他",
)

# 文号 years written with the wrong brackets: [2025] ［2025］ (2025) （2025） 【2025】 〖2025〗 → 〔2025〕.
WRONG_YEAR_BRACKETS = re.compile(r"[\[［(（【〖]\s*(\d{4})\s*[\]］)）】〗]")


def _blank(choices, label: str = "请选择") -> list[tuple[str, str]]:
    return [("", label)] + list(choices)


def date_field(label: str, *, required: bool = False, help_text: str = "") -> forms.DateField:
    return forms.DateField(
        label=label, required=required, help_text=help_text, input_formats=DATE_INPUT_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": f"请填写{label}。",
                        "invalid": f"{label}格式不正确，请按“年-月-日”填写，如 2025-03-05。"},
    )


def choice_field(label: str, choices, *, required: bool = True, help_text: str = "",
                 blank: str | None = "请选择") -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label, required=required, help_text=help_text,
        choices=_blank(choices, blank) if blank is not None else list(choices),
        error_messages={"required": f"请选择{label}。", "invalid_choice": f"所选的{label}无效，请重新选择。"},
    )


def text_field(label: str, *, required: bool = False, max_length: int | None = None, rows: int = 0,
               help_text: str = "", attrs: dict | None = None) -> forms.CharField:
    widget = forms.Textarea(attrs={"rows": rows, **(attrs or {})}) if rows else forms.TextInput(attrs=attrs)
    messages = {"required": f"请填写{label}。"}
    if max_length:
        messages["max_length"] = f"{label}最多{max_length}个字，当前%(show_value)d个字。"
    return forms.CharField(label=label, required=required, max_length=max_length, widget=widget,
                           help_text=help_text, error_messages=messages)


def model_choice(label: str, queryset, *, required: bool = False, help_text: str = "",
                 empty_label: str = "（无）") -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        queryset=queryset, label=label, required=required, help_text=help_text, empty_label=empty_label,
        error_messages={"required": f"请选择{label}。", "invalid_choice": f"所选的{label}无效，请重新选择。"},
    )


# --- several files in one input ----------------------------------------------


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Any number of files; each is judged by its content, with one message per rejected file."""

    widget = MultipleFileInput

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", f"可多选。接受 {ACCEPTED_LABEL}，每个文件不超过 "
                                       f"{MAX_UPLOAD_BYTES // 1024 // 1024}MB，按文件内容检查格式。")
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        return [f for f in (data if isinstance(data, (list, tuple)) else [data]) if f]


@dataclass(frozen=True)
class Upload:
    """An accepted file (the shape ``applications.stash`` keeps between attempts)."""

    name: str
    content: bytes
    kind: str = "attachment"


def read_uploads(files) -> tuple[list[Upload], list[str]]:
    """The acceptable files, and one Chinese message per rejected file (name and reason)."""
    accepted, errors = [], []
    for f in files:
        name = f.name or "未命名文件"
        if f.size > MAX_UPLOAD_BYTES:
            errors.append(f"文件“{name}”超过{MAX_UPLOAD_BYTES // 1024 // 1024}MB的大小限制。")
            continue
        content = f.read()
        try:
            check_upload(name=name, content=content)
        except ValidationError as e:
            errors.extend(e.messages)
            continue
        accepted.append(Upload(name, content))
    return accepted, errors


# --- the item's metadata -----------------------------------------------------


class ItemForm(forms.Form):
    """Every metadata field of an item (DOMAIN.md §1.1); used to draft, edit and amend."""

    title = text_field("标题", required=True, max_length=300, attrs={"autocomplete": "off"})
    document_type = choice_field("文件类型", DocumentType.choices, blank=None,
                                 help_text="年度报告表二按“规章”“行政规范性文件”统计，其余选“其他政府信息”。")
    genre = choice_field("体裁", Genre.choices, required=False, blank="（未选择）")
    topic = text_field("主题分类", max_length=100, help_text="如 综合政务\\政务公开；可从建议中选择。",
                       attrs={"list": "topic-suggestions", "autocomplete": "off"})
    document_number = text_field("文号", max_length=100,
                                 help_text="如 仙工信〔2025〕12号。年份用六角括号〔〕；"
                                           "输入的 [2025]、（2025）、【2025】 会自动改为〔2025〕。")
    keywords = text_field("关键词", max_length=200, help_text="多个关键词用空格或顿号分隔。")
    abstract = text_field("内容概述", max_length=ABSTRACT_MAX_LENGTH, rows=3,
                          help_text=f"不超过{ABSTRACT_MAX_LENGTH}个字，列入政府信息公开目录。")
    body = forms.CharField(label="正文", required=False, widget=forms.Textarea(attrs={"rows": 14,
                                                                                     "data-rich-text": ""}),
                           help_text="保存时自动清理不安全的内容（脚本、外部事件等）。无正文的可只上传附件。")
    disclosure_mode = choice_field("公开方式", DisclosureMode.choices, blank=None)
    formed_on = date_field("成文日期", required=True, help_text="公开时限（20个工作日）自成文或变更之日起算。")
    changed_on = date_field("变更日期", help_text="信息变更时填写。")
    validity = choice_field("有效性", Validity.choices, blank=None)
    effective_on = date_field("实施日期", help_text="行政规范性文件填写。")
    abolished_on = date_field("废止日期", help_text="已废止或失效的填写。")
    entry = model_choice("所属目录", queryset=None, help_text="本机关政府信息公开目录中的位置。")
    interprets = model_choice("解读的文件", queryset=None,
                              help_text="体裁为“政策解读”的，选择所解读的本机关已发布文件。")
    unit = model_choice("提供股室", queryset=None, required=True, empty_label="请选择",
                        help_text="谁提供，谁审核，谁负责：由该股室的审核人审核。")

    # Groups of the page, in order (the template lays them out).
    GROUPS = (
        ("基本信息", ("title", "document_type", "genre", "topic", "document_number", "keywords", "abstract", "body")),
        ("日期和效力", ("formed_on", "changed_on", "validity", "effective_on", "abolished_on")),
        ("公开和归类", ("disclosure_mode", "entry", "unit", "interprets")),
    )
    WIDE = {"title", "keywords", "abstract", "body", "entry", "interprets"}

    def __init__(self, *args, agency, units, item: Item | None = None, **kwargs):
        if item is not None and "initial" not in kwargs:
            kwargs["initial"] = item_initial(item)
        super().__init__(*args, **kwargs)
        self.agency, self.item = agency, item
        # The catalogue in tree order, each entry named by its path (一级 › 二级).
        entries = catalogue_entries(agency)
        self.fields["entry"].queryset = CatalogueEntry.objects.filter(agency=agency)
        self.fields["entry"].widget.choices = [("", self.fields["entry"].empty_label)] + [
            (e.pk, path) for e, path in entries]
        # The agency's published documents, and the one already linked even if it was withdrawn since.
        linked = Q(pk=item.interprets_id) if item is not None and item.interprets_id else Q(pk__in=[])
        published = Item.objects.filter(agency=agency).filter(Q(status=ItemStatus.PUBLISHED) | linked).only(
            "pk", "title", "document_number", "published_on").order_by("-published_on", "-id")
        if item is not None and item.pk:
            published = published.exclude(pk=item.pk)
        self.fields["interprets"].queryset = published
        self.fields["interprets"].label_from_instance = _document_label
        self.fields["unit"].queryset = units
        self.fields["unit"].label_from_instance = lambda unit: unit.name
        unit_list = list(units)
        if not unit_list:
            # An agency without units: items belong to the agency as a whole.
            self.fields["unit"].required = False
            self.fields["unit"].empty_label = "（本机关）"
        elif len(unit_list) == 1 and not self.initial.get("unit"):
            self.initial["unit"] = unit_list[0].pk
        if item is None:
            self.initial.setdefault("document_type", DocumentType.OTHER)
            self.initial.setdefault("disclosure_mode", DisclosureMode.PROACTIVE)
            self.initial.setdefault("validity", Validity.VALID)

    def clean_title(self):
        return self.cleaned_data["title"].strip()

    def clean_document_number(self):
        return WRONG_YEAR_BRACKETS.sub(r"〔\1〕", self.cleaned_data["document_number"].strip())

    def clean_abstract(self):
        return re.sub(r"\s+", " ", self.cleaned_data["abstract"]).strip()

    def clean_body(self):
        return clean_body(self.cleaned_data["body"])

    def clean(self):
        data = super().clean()
        interprets, genre = data.get("interprets"), data.get("genre")
        if interprets is not None and genre != Genre.INTERPRETATION:
            self.add_error("genre", "填写了“解读的文件”的，体裁应为“政策解读”。")
        return data

    def item_data(self) -> dict:
        """What ``item_create`` / ``item_update`` / ``Amend`` take."""
        data = {f: self.cleaned_data.get(f) for f in CONTENT_FIELDS if f in self.fields}
        data["genre"] = data["genre"] or ""
        return data

    def groups(self):
        for legend, names in self.GROUPS:
            yield legend, [(self[name], name in self.WIDE) for name in names]

    @property
    def topic_suggestions(self):
        return TOPIC_SUGGESTIONS


def _document_label(item: Item) -> str:
    parts = [item.title]
    if item.document_number:
        parts.append(f"（{item.document_number}）")
    if item.published_on:
        parts.append(f" {item.published_on:%Y-%m-%d}")
    return "".join(parts)


def item_initial(item: Item) -> dict:
    return {f: getattr(item, f"{f}_id") if f in ("interprets", "entry", "unit") else getattr(item, f)
            for f in CONTENT_FIELDS}


class DraftForm(ItemForm):
    """Drafting or editing: the metadata, and attachments checked by their content."""

    submission_key = forms.UUIDField(widget=forms.HiddenInput, required=False)
    attachments = MultipleFileField(label="上传附件")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.accepted_uploads: list[Upload] = []
        if not self.is_bound:
            self.initial["submission_key"] = uuid.uuid4()

    def clean(self):
        data = super().clean()
        accepted, errors = read_uploads(data.get("attachments") or [])
        self.accepted_uploads = accepted
        for message in errors:
            self.add_error("attachments", message)
        return data

    @property
    def key(self) -> uuid.UUID | None:
        value = self.data.get(self.add_prefix("submission_key")) if self.is_bound else self.initial.get(
            "submission_key")
        try:
            return uuid.UUID(str(value))
        except (TypeError, ValueError):
            return None


# --- lists and exports ---------------------------------------------------------

LATE_CHOICES = [("", "全部"), ("1", "超期发布"), ("0", "按时发布")]


class ItemFilterForm(forms.Form):
    q = forms.CharField(label="关键词", required=False, max_length=100, help_text="标题、文号或索引号。")
    status = forms.ChoiceField(label="状态", required=False, choices=_blank(ItemStatus.choices, "全部"))
    document_type = forms.ChoiceField(label="文件类型", required=False, choices=_blank(DocumentType.choices, "全部"))
    topic = forms.ChoiceField(label="主题分类", required=False, choices=[])
    year = forms.TypedChoiceField(label="发布年度", required=False, coerce=int, empty_value=None, choices=[])
    late = forms.ChoiceField(label="时效", required=False, choices=LATE_CHOICES)

    def __init__(self, *args, topics: list[str], years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].choices = [("", "全部")] + [(t, t) for t in topics]
        self.fields["year"].choices = [("", "全部")] + [(y, f"{y}年") for y in years]

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        late = {"1": True, "0": False}.get(data.get("late") or "")
        return {"status": data.get("status") or "", "document_type": data.get("document_type") or "",
                "topic": data.get("topic") or "", "year": data.get("year"), "late": late,
                "text": data.get("q") or ""}


class LateYearForm(forms.Form):
    year = forms.TypedChoiceField(label="发布年度", required=False, coerce=int, empty_value=None, choices=[])

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, f"{y}年") for y in years]


EXPORT_FORMATS = [("csv", "CSV（Excel 可打开）"), ("json", "JSON")]


class WechatExportForm(forms.Form):
    since = date_field("发布日期自", required=True, help_text="导出此日期（含）以来发布的信息。")
    wechat_only = forms.BooleanField(label="只导出发布渠道含“政务微信公众号”的信息", required=False)


# --- one form per action ----------------------------------------------------------


def note_field() -> forms.CharField:
    return text_field("操作说明", rows=2, max_length=2000, help_text="可选，记入操作记录。")


class ActionForm(forms.Form):
    """The parameters of one action, then an optional note for the audit trail."""

    params_fields: tuple[str, ...] = ()

    def __init__(self, *args, item: Item, agency, user, **kwargs):
        self.item, self.agency, self.user = item, agency, user
        super().__init__(*args, **kwargs)
        self.fields["note"] = note_field()

    def params(self) -> dict:
        return {f: self.cleaned_data[f] for f in self.params_fields}

    @property
    def note_value(self) -> str:
        return (self.cleaned_data.get("note") or "").strip()


class SubmitForm(ActionForm):
    pass


class ApproveForm(ActionForm):
    params_fields = ("no_secrets", "review_note")
    no_secrets = forms.BooleanField(
        label="经保密审查，不涉及国家秘密、工作秘密、商业秘密和个人隐私，可以公开", required=False,
        help_text="《中华人民共和国政府信息公开条例》第十七条：公开前依法进行保密审查。")
    review_note = text_field("保密审查意见", rows=3, max_length=2000,
                             help_text="如：经审查，该信息不涉及国家秘密，内容合法，同意公开。")

    def params(self) -> dict:
        return {"no_secrets": bool(self.cleaned_data["no_secrets"]),
                "review_note": self.cleaned_data["review_note"] or ""}


class ReturnForm(ActionForm):
    params_fields = ("comments",)
    comments = text_field("退回理由和修改意见", rows=3, max_length=2000)


class ChannelsMixin:
    def _channels_field(self):
        return forms.MultipleChoiceField(
            label="发布渠道", required=False, choices=PublicationChannel.choices,
            widget=forms.CheckboxSelectMultiple, initial=[PublicationChannel.WEBSITE],
            help_text="政府网站信息公开专栏为第一平台（第二十三条）。",
            error_messages={"invalid_choice": "所选的发布渠道无效。"})


class PublishForm(ChannelsMixin, ActionForm):
    params_fields = ("channels",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["channels"] = self._channels_field()
        self.order_fields(["channels", "note"])


class ScheduleForm(ChannelsMixin, ActionForm):
    params_fields = ("scheduled_for", "channels")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scheduled_for"] = forms.DateTimeField(
            label="发布时间", input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
            widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            help_text="到时自动发布，并生成索引号。",
            error_messages={"required": "请填写发布时间。",
                            "invalid": "发布时间格式不正确，如 2025-03-05 09:00。"})
        self.fields["channels"] = self._channels_field()
        self.order_fields(["scheduled_for", "channels", "note"])


class WithdrawForm(ActionForm):
    params_fields = ("reason",)
    reason = text_field("撤回理由", rows=3, max_length=2000, help_text="撤回前的内容作为历史版本保存。")


class AmendForm(ItemForm):
    """修改已发布信息: the metadata (any unit of the agency), a reason, and a note."""

    reason = text_field("修改理由", rows=3, max_length=2000,
                        help_text="修改前的内容作为历史版本保存。信息本身变更的，请填写变更日期。")

    GROUPS = ItemForm.GROUPS + (("修改说明", ("reason", "note")),)
    WIDE = ItemForm.WIDE | {"reason", "note"}

    def __init__(self, *args, item: Item, agency, user, **kwargs):
        from gongkai.agencies.models import Unit

        super().__init__(*args, agency=agency, units=Unit.objects.filter(agency=agency).order_by("name"),
                         item=item, **kwargs)
        self.user = user
        self.fields["note"] = note_field()

    def params(self) -> dict:
        return {"changes": self.item_data(), "reason": self.cleaned_data["reason"] or ""}

    @property
    def note_value(self) -> str:
        return (self.cleaned_data.get("note") or "").strip()


ACTION_FORMS: dict[str, type[forms.Form]] = {
    "submit": SubmitForm,
    "approve": ApproveForm,
    "return": ReturnForm,
    "publish": PublishForm,
    "schedule": ScheduleForm,
    "withdraw": WithdrawForm,
    "amend": AmendForm,
}


def action_form(code: str, *args, item: Item, agency, user, **kwargs) -> forms.Form:
    return ACTION_FORMS[code](*args, prefix=code, item=item, agency=agency, user=user, **kwargs)

