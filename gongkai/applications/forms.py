"""Forms of the staff pages: registering an application, uploading files, filtering lists, and one form per action.

Forms only parse and check input, with messages in Chinese that name the
field; the services and the workflow's actions decide. Each action form's
``params()`` are exactly the keyword arguments of its action's ``run()``.
"""

from __future__ import annotations

import re
import uuid
from datetime import date

from django import forms
from django.core.exceptions import ValidationError

from . import deadlines
from .fees import FeeScheme
from .letters.defaults import TEMPLATE_EMPTY
from .models import (
    ApplicantType,
    Channel,
    DeliveryForm,
    DeliveryMethod,
    DocumentKind,
    IdentityType,
    LetterSettings,
    LetterTemplate,
    Opinion,
    Outcome,
    PartyKind,
    Status,
)
from .services import Upload
from .uploads import ACCEPTED_LABEL, MAX_UPLOAD_BYTES, check_upload
from .workflow import PROCEDURAL_OUTCOMES

# --- field helpers ----------------------------------------------------------

DATE_FORMAT_HINT = "如 2026-03-05"


def _blank(choices) -> list[tuple[str, str]]:
    return [("", "请选择")] + list(choices)


def date_field(label: str, *, required: bool = True, help_text: str = "") -> forms.DateField:
    return forms.DateField(
        label=label, required=required, help_text=help_text,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d"],
        error_messages={"required": f"请填写{label}。", "invalid": f"{label}格式不正确，请按“年-月-日”填写，{DATE_FORMAT_HINT}。"},
    )


def choice_field(label: str, choices, *, required: bool = True, help_text: str = "", **kwargs) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label, required=required, help_text=help_text, choices=_blank(choices),
        error_messages={"required": f"请选择{label}。", "invalid_choice": f"所选的{label}无效，请重新选择。"},
        **kwargs,
    )


def text_field(label: str, *, required: bool = True, max_length: int | None = None, rows: int = 0,
               help_text: str = "", **kwargs) -> forms.CharField:
    widget = forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput()
    messages = {"required": f"请填写{label}。"}
    if max_length:
        messages["max_length"] = f"{label}最多{max_length}个字符。"
    return forms.CharField(label=label, required=required, max_length=max_length, widget=widget,
                           help_text=help_text, error_messages=messages, **kwargs)


# --- identity numbers and phones ---------------------------------------------

RESIDENT_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
RESIDENT_ID_CHECK = "10X98765432"
RESIDENT_ID_RE = re.compile(r"^\d{17}[\dX]$")
CREDIT_CODE_RE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")
MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
LANDLINE_RE = re.compile(r"^0\d{2,3}-?\d{7,8}(?:-\d{1,6})?$")


def resident_id_error(value: str) -> str | None:
    """Why ``value`` is not a mainland 居民身份证 number (GB 11643-1999), or None if it is one."""
    if len(value) != 18:
        return f"居民身份证号码应为18位，当前为{len(value)}位。"
    if not RESIDENT_ID_RE.match(value):
        return "居民身份证号码格式不正确：前17位应为数字，最后一位为数字或X。"
    try:
        date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return "居民身份证号码中的出生日期（第7–14位）不是有效日期。"
    check = RESIDENT_ID_CHECK[sum(int(d) * w for d, w in zip(value[:17], RESIDENT_ID_WEIGHTS)) % 11]
    if value[17] != check:
        return "居民身份证号码校验位不正确，请核对号码。"
    return None


def normalise_phone(value: str) -> str:
    value = re.sub(r"[\s()（）]", "", value or "").replace("—", "-").replace("－", "-")
    return value[3:] if value.startswith("+86") else value


def phone_error(value: str) -> str | None:
    if MOBILE_RE.match(value) or LANDLINE_RE.match(value):
        return None
    return "联系电话格式不正确：请填写11位手机号码，或带区号的固定电话（如 0594-1234567）。"


# --- several files in one input ----------------------------------------------


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Any number of files; each is judged by its content (``uploads.check_upload``), one message per bad file."""

    widget = MultipleFileInput

    def __init__(self, *args, kind: str, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", f"可多选。接受 {ACCEPTED_LABEL}，每个文件不超过 {MAX_UPLOAD_BYTES // 1024 // 1024}MB，"
                                       "按文件内容检查格式。")
        super().__init__(*args, **kwargs)
        self.kind = kind

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, (list, tuple)) else [data]) if f]
        return files


def read_uploads(field: MultipleFileField, files) -> tuple[list[Upload], list[str]]:
    """The acceptable files as ``Upload``s, and one Chinese message per rejected file."""
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
        accepted.append(Upload(field.kind, name, content))
    return accepted, errors


class UploadsMixin:
    """Collects the acceptable files of every ``MultipleFileField`` even when the form is invalid,
    so the view can keep them for the next attempt (nothing the registrar chose is lost)."""

    def _clean_uploads(self) -> None:
        self.accepted_uploads: list[Upload] = []
        for name, field in self.fields.items():
            if isinstance(field, MultipleFileField) and name in self.cleaned_data:
                accepted, errors = read_uploads(field, self.cleaned_data[name])
                self.accepted_uploads.extend(accepted)
                for message in errors:
                    self.add_error(name, message)


# --- registering an application ----------------------------------------------

CHANNEL_DATE_FIELDS = {
    "submitted_on": (Channel.IN_PERSON, Channel.ORAL),
    "signed_for_on": (Channel.SIGNED_MAIL,),
    "confirmed_on": deadlines.CONFIRMED_CHANNELS,
}


class RegisterForm(UploadsMixin, forms.Form):
    """登记申请: every channel, with the date the channel's rule of receipt needs (第三十一条)."""

    submission_key = forms.UUIDField(label="提交标识", widget=forms.HiddenInput, error_messages={
        "required": "登记表已失效，请重新打开登记页面。", "invalid": "登记表已失效，请重新打开登记页面。"})

    channel = choice_field("申请方式", Channel.choices)
    submitted_on = date_field("提交日期", required=False,
                              help_text="当面提交或口头申请的，提交之日即收到申请之日。")
    signed_for_on = date_field("签收日期", required=False, help_text="邮寄（需签收）的，本机关签收之日即收到申请之日。")
    confirmed_on = date_field("确认收到日期", required=False,
                              help_text="互联网、传真、电子邮件、平常信函提交的，与申请人双方确认之日即收到申请之日；"
                                        "尚未确认的可留空，申请将列为“待确认收到”。")

    applicant_type = choice_field("申请人类型", ApplicantType.choices)
    applicant_name = text_field("申请人姓名", required=False, max_length=100,
                                help_text="自然人填写本人姓名；法人或其他组织填写经办人姓名。")
    organisation_name = text_field("法人或其他组织名称", required=False, max_length=200)
    legal_representative = text_field("法定代表人或负责人", required=False, max_length=100)
    identity_type = choice_field("证件类型", IdentityType.choices, required=False)
    identity_number = text_field("证件号码", required=False, max_length=40)
    phone = text_field("联系电话", required=False, max_length=30, help_text="手机号码或带区号的固定电话。")
    email = forms.EmailField(label="电子邮箱", required=False, max_length=254,
                             error_messages={"invalid": "电子邮箱格式不正确，如 name@example.com。"})
    address = text_field("通信地址", required=False, max_length=300)
    postal_code = forms.RegexField(label="邮政编码", required=False, regex=r"^\d{6}$",
                                   error_messages={"invalid": "邮政编码应为6位数字。"})

    description = text_field("所需信息描述", rows=4, help_text="申请人对所需政府信息的描述（第二十九条）。")
    document_hint = text_field("文件名称、文号或其他特征描述", required=False, max_length=300,
                               help_text="如 仙工信〔2020〕12号。")
    delivery_form = choice_field("信息提供形式", DeliveryForm.choices, required=False)
    delivery_method = choice_field("获取信息方式", DeliveryMethod.choices, required=False)

    application_scan = MultipleFileField(label="申请表或申请信件扫描件", kind=DocumentKind.APPLICATION_FORM)
    identity_proof = MultipleFileField(label="身份证明", kind=DocumentKind.IDENTITY_PROOF)
    attachments = MultipleFileField(label="其他附件", kind=DocumentKind.ATTACHMENT)

    def __init__(self, *args, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.accepted_uploads = []

    def clean_identity_number(self):
        return self.cleaned_data["identity_number"].strip().upper().replace(" ", "")

    def clean_phone(self):
        value = normalise_phone(self.cleaned_data["phone"])
        if value and (message := phone_error(value)):
            raise ValidationError(message)
        return value

    def clean(self):
        data = super().clean()
        self._clean_uploads()
        self._clean_receipt_date(data)
        self._clean_applicant(data)
        self._clean_contact(data)
        return data

    def _clean_receipt_date(self, data) -> None:
        channel = data.get("channel")
        if not channel:
            return
        try:
            deadlines.receipt_date(channel=channel, today=self.today, submitted_on=data.get("submitted_on"),
                                   signed_for_on=data.get("signed_for_on"), confirmed_on=data.get("confirmed_on"))
        except deadlines.ReceiptDateError as e:
            if e.field not in self.errors:
                self.add_error(e.field, str(e))

    def _clean_applicant(self, data) -> None:
        kind = data.get("applicant_type")
        if kind == ApplicantType.NATURAL_PERSON and not data.get("applicant_name"):
            self.add_error("applicant_name", "自然人申请的，请填写申请人姓名。")
        if kind and kind != ApplicantType.NATURAL_PERSON and not data.get("organisation_name"):
            self.add_error("organisation_name", "法人或其他组织申请的，请填写组织名称。")
        number, id_type = data.get("identity_number"), data.get("identity_type")
        if number and not id_type:
            self.add_error("identity_type", "填写了证件号码的，请选择证件类型。")
        elif number and id_type == IdentityType.RESIDENT_ID and (message := resident_id_error(number)):
            self.add_error("identity_number", message)
        elif number and id_type == IdentityType.CREDIT_CODE and not CREDIT_CODE_RE.match(number):
            self.add_error("identity_number", "统一社会信用代码应为18位数字或大写字母。")

    def _clean_contact(self, data) -> None:
        if not any(data.get(f) for f in ("phone", "email", "address")) and not any(
                f in self.errors for f in ("phone", "email", "address")):
            self.add_error("phone", "请至少填写一种联系方式（联系电话、电子邮箱或通信地址）。")
        if data.get("delivery_method") == DeliveryMethod.MAIL and not data.get("address") \
                and "address" not in self.errors:
            self.add_error("address", "选择邮寄方式获取信息的，请填写通信地址。")
        wants_email = DeliveryMethod.EMAIL in (data.get("delivery_method"), data.get("delivery_form"))
        if wants_email and not data.get("email") and "email" not in self.errors:
            self.add_error("email", "选择以电子邮件获取信息的，请填写电子邮箱。")

    # What the service takes.
    def application_data(self) -> dict:
        fields = ("applicant_type", "applicant_name", "organisation_name", "legal_representative", "identity_type",
                  "identity_number", "phone", "email", "address", "postal_code", "channel", "description",
                  "document_hint", "delivery_form", "delivery_method")
        return {f: (self.cleaned_data.get(f) or "").strip() for f in fields}

    def receipt_dates(self) -> dict:
        return {f: self.cleaned_data.get(f) for f in CHANNEL_DATE_FIELDS}

    def date_fields(self):
        return [(self[name], " ".join(channels)) for name, channels in CHANNEL_DATE_FIELDS.items()]


def new_register_form(*, today: date) -> RegisterForm:
    """An empty form carrying a fresh submission key, so a double submission registers once."""
    return RegisterForm(today=today, initial={"submission_key": uuid.uuid4()})


# --- more documents ---------------------------------------------------------

UPLOAD_KINDS = [(k, label) for k, label in DocumentKind.choices if k != DocumentKind.LETTER]


class DocumentUploadForm(UploadsMixin, forms.Form):
    kind = choice_field("材料类型", UPLOAD_KINDS)
    files = MultipleFileField(label="选择文件", kind=DocumentKind.ATTACHMENT)

    def clean(self):
        data = super().clean()
        self.fields["files"].kind = data.get("kind") or DocumentKind.ATTACHMENT
        self._clean_uploads()
        if "files" not in self.errors and not data.get("files"):
            self.add_error("files", "请选择要上传的文件。")
        return data


# --- lists ------------------------------------------------------------------

DEADLINE_FILTERS = [("overdue", "逾期未办结"), ("due_soon", "三日内到期")]


class ApplicationFilterForm(forms.Form):
    q = forms.CharField(label="关键词", required=False, max_length=100,
                        help_text="所需信息描述，或申请编号（如 依申请〔2026〕12号、2026-12）。")
    status = forms.ChoiceField(label="办理状态", required=False, choices=[("", "全部")] + list(Status.choices))
    applicant_type = forms.ChoiceField(label="申请人类型", required=False,
                                       choices=[("", "全部")] + list(ApplicantType.choices))
    year = forms.TypedChoiceField(label="收到年度", required=False, coerce=int, empty_value=None, choices=[])
    deadline = forms.ChoiceField(label="期限", required=False, choices=[("", "全部")] + DEADLINE_FILTERS)
    # The drill-down from a cell of table 三 (with ``year``).
    cell = forms.CharField(required=False, widget=forms.HiddenInput, max_length=100)

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", "全部")] + [(y, f"{y}年") for y in years]


REFERENCE_RE = re.compile(r"(\d{4})\D{1,3}(\d{1,6})")


def parse_reference(text: str) -> tuple[int, int] | None:
    """``依申请〔2026〕12号`` or ``2026-12`` → (2026, 12)."""
    m = REFERENCE_RE.search(text)
    return (int(m.group(1)), int(m.group(2))) if m else None


# --- one form per action ----------------------------------------------------


class ActionForm(forms.Form):
    """Base of the action forms: the action's parameters, then an optional note for the audit trail."""

    params_fields: tuple[str, ...] = ()

    note = text_field("操作说明", required=False, rows=2, max_length=2000, help_text="可选，记入操作记录。")

    def __init__(self, *args, application, agency, today: date, **kwargs):
        self.application, self.agency, self.today = application, agency, today
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if isinstance(field, forms.DateField) and field.required and name not in self.initial:
                self.initial[name] = today
        self.order_fields([f for f in self.fields if f != "note"] + ["note"])

    def params(self) -> dict:
        return {f: self.cleaned_data[f] for f in self.params_fields}

    @property
    def note_value(self) -> str:
        return (self.cleaned_data.get("note") or "").strip()


class ConfirmReceiptForm(ActionForm):
    params_fields = ("confirmed_on",)
    confirmed_on = date_field("确认收到日期", help_text="与申请人双方确认之日，即收到申请之日（第三十一条）。")


class AssignHandlerForm(ActionForm):
    params_fields = ("handler",)
    handler = forms.ModelChoiceField(label="承办人", queryset=None, empty_label="请选择",
                                     error_messages={"required": "请选择承办人。",
                                                     "invalid_choice": "所选人员不是本机关的申请承办人。"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from .selectors import agency_handlers
        from .templatetags.applications_tags import person

        self.fields["handler"].queryset = agency_handlers(self.agency)
        self.fields["handler"].label_from_instance = person
        if self.application.handler_id and "handler" not in self.initial:
            self.initial["handler"] = self.application.handler_id


class RequestCorrectionForm(ActionForm):
    params_fields = ("notified_on", "items", "supplement_due_on")
    notified_on = date_field("补正告知日期", help_text="应在收到申请之日起7个工作日内一次性告知（第三十条）。")
    items = text_field("需补正的事项", rows=3, help_text="一次性写明需要补正的全部事项。")
    supplement_due_on = date_field("补正期限", required=False, help_text="留空则为告知之日起15个工作日。")


class RecordSupplementForm(ActionForm):
    params_fields = ("supplemented_on",)
    supplemented_on = date_field("收到补正日期", help_text="答复期限自收到补正之日起重新计算。")


class CloseUnsupplementedForm(ActionForm):
    params_fields = ("closed_on",)
    closed_on = date_field("办结日期", help_text="补正期限届满后，申请人无正当理由逾期不补正的，视为放弃申请。")


class StartConsultationForm(ActionForm):
    params_fields = ("party_kind", "party_name", "sent_on")
    party_kind = choice_field("征求对象类型", PartyKind.choices)
    party_name = text_field("征求对象", max_length=200)
    sent_on = date_field("征求意见函发出日期", help_text="征求意见期间（15个工作日）不计入答复期限。")


class RecordOpinionForm(ActionForm):
    params_fields = ("replied_on", "opinion", "consequence")
    replied_on = date_field("收到意见日期")
    opinion = choice_field("意见", Opinion.choices)
    consequence = text_field("意见的处理", rows=3)


class RequestExtensionForm(ActionForm):
    params_fields = ("days", "reason")
    days = forms.IntegerField(label="延长工作日数", min_value=1, max_value=deadlines.MAX_EXTENSION_WORKING_DAYS,
                              initial=deadlines.MAX_EXTENSION_WORKING_DAYS,
                              error_messages={"required": "请填写延长工作日数。", "invalid": "延长工作日数应为整数。",
                                              "min_value": "延长工作日数至少为1个工作日。",
                                              "max_value": "延长的期限最长不超过20个工作日。"})
    reason = text_field("延期理由", rows=3, help_text="需经政府信息公开工作机构负责人同意（第三十三条）。")


class DecideExtensionForm(ActionForm):
    params_fields = ("approve", "notified_on")
    approve = forms.TypedChoiceField(label="审批意见", choices=[("1", "批准延期"), ("0", "不予批准")],
                                     coerce=lambda v: v == "1", widget=forms.RadioSelect,
                                     error_messages={"required": "请选择审批意见。",
                                                     "invalid_choice": "请选择批准或不予批准。"})
    notified_on = date_field("告知申请人日期", required=False, help_text="批准延期的必填。")


class IssueFeeNoticeForm(ActionForm):
    params_fields = ("scheme", "quantity", "notified_on")
    scheme = choice_field("计收方式", FeeScheme.choices, help_text="按件或按量，二者只能选其一。")
    quantity = forms.IntegerField(label="件次或页数", min_value=1,
                                  help_text="按件计收：申请人本月第几件申请；按量计收：页数。",
                                  error_messages={"required": "请填写件次或页数。", "invalid": "件次或页数应为整数。",
                                                  "min_value": "件次或页数至少为1。"})
    notified_on = date_field("通知日期")


class RecordPaymentForm(ActionForm):
    params_fields = ("paid_on", "reference")
    paid_on = date_field("缴费日期")
    reference = text_field("缴费凭证号", required=False, max_length=100)


class CloseUnpaidForm(ActionForm):
    params_fields = ("closed_on",)
    closed_on = date_field("办结日期", help_text="缴费期限届满后，申请人逾期未缴费的，视为放弃申请。")


class DecideForm(ActionForm):
    params_fields = ("outcome", "legal_basis", "decided_on", "reply_summary")
    outcome = choice_field("办理结果", [(v, label) for v, label in Outcome.choices if v not in PROCEDURAL_OUTCOMES])
    legal_basis = text_field("法律依据和理由", rows=3)
    decided_on = date_field("答复日期")
    reply_summary = text_field("答复内容摘要", required=False, rows=3)


class WithdrawForm(ActionForm):
    params_fields = ("withdrawn_on",)
    withdrawn_on = date_field("撤回日期")


class DeliverForm(ActionForm):
    params_fields = ("delivered_on", "method", "proof")
    delivered_on = date_field("送达日期")
    method = choice_field("送达方式", DeliveryMethod.choices)
    proof = text_field("送达凭证", max_length=200, help_text="如挂号信单号、签收人、电子邮件发送记录。")


class ArchiveForm(ActionForm):
    params_fields = ("archived_on",)
    archived_on = date_field("归档日期")


ACTION_FORMS: dict[str, type[ActionForm]] = {
    "confirm_receipt": ConfirmReceiptForm,
    "assign_handler": AssignHandlerForm,
    "request_correction": RequestCorrectionForm,
    "record_supplement": RecordSupplementForm,
    "close_unsupplemented": CloseUnsupplementedForm,
    "start_consultation": StartConsultationForm,
    "record_opinion": RecordOpinionForm,
    "request_extension": RequestExtensionForm,
    "decide_extension": DecideExtensionForm,
    "issue_fee_notice": IssueFeeNoticeForm,
    "record_payment": RecordPaymentForm,
    "close_unpaid": CloseUnpaidForm,
    "decide": DecideForm,
    "withdraw": WithdrawForm,
    "deliver": DeliverForm,
    "archive": ArchiveForm,
}


# --- letters (告知书): the agency's settings and template texts ----------------

POSTAL_CODE_RE = re.compile(r"^\d{6}$")
LETTER_SETTINGS_FIELDS = ("letterhead", "office", "number_prefix", "address", "postal_code", "phone",
                          "contact_person", "reconsideration_body", "court", "fee_payment_method", "footer")


class LetterSettingsForm(forms.ModelForm):
    """函头、落款、联系方式和救济机关; a blank field falls back to the agency's name or region (shown as placeholder)."""

    class Meta:
        model = LetterSettings
        fields = LETTER_SETTINGS_FIELDS
        widgets = {"fee_payment_method": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, fallback: LetterSettings, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("letterhead", "office", "reconsideration_body", "court"):
            self.fields[name].widget.attrs["placeholder"] = getattr(fallback, name)
        for name, field in self.fields.items():
            if getattr(field, "max_length", None):
                field.error_messages["max_length"] = f"{field.label}最多{field.max_length}个字符。"

    def clean_postal_code(self) -> str:
        value = self.cleaned_data["postal_code"].strip()
        if value and not POSTAL_CODE_RE.match(value):
            raise ValidationError("邮政编码应为6位数字。")
        return value

    def clean_phone(self) -> str:
        value = normalise_phone(self.cleaned_data["phone"])
        if value and (error := phone_error(value)):
            raise ValidationError(error)
        return value


class LetterTemplateForm(forms.ModelForm):
    """One kind's title and body; the model's ``clean`` compiles both and names the line of each error."""

    class Meta:
        model = LetterTemplate
        fields = ("title", "body")
        widgets = {"body": forms.Textarea(attrs={"rows": 26, "spellcheck": "false", "class": "template-text"})}
        error_messages = {"body": {"required": TEMPLATE_EMPTY},
                          "title": {"max_length": "标题最多200个字符。"}}

    def _clean_text(self, name: str) -> str:
        # Browsers send CRLF; stored texts keep LF so line numbers and comparisons are the same everywhere.
        return self.cleaned_data[name].replace("\r\n", "\n").replace("\r", "\n")

    def clean_title(self) -> str:
        return self._clean_text("title")

    def clean_body(self) -> str:
        return self._clean_text("body")
