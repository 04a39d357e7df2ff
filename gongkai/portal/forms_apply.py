"""The public forms of the online channel: the application (第二十九条) and the status lookup.

The checks of identity numbers, phones and uploads are the staff form's
(``gongkai.applications.forms``); only the rules of the public channel are
added here: the identity proof is required and must be an image or a PDF,
at most five attachments, at least a phone or an e-mail, a description of
at least ten characters, and the applicant's consent.
"""

from __future__ import annotations

import re
import uuid

from django import forms
from django.core.exceptions import ValidationError

from gongkai.applications.forms import (
    CREDIT_CODE_RE,
    MultipleFileField,
    UploadsMixin,
    choice_field,
    normalise_phone,
    phone_error,
    resident_id_error,
    text_field,
)
from gongkai.applications.models import ApplicantType, DeliveryForm, DeliveryMethod, DocumentKind, IdentityType
from gongkai.applications.public import (
    IDENTITY_PROOF_LABEL,
    IDENTITY_PROOF_REQUIRED,
    IDENTITY_PROOF_TYPES,
    IDENTITY_PROOF_WRONG_TYPE,
    MAX_ATTACHMENTS,
    MAX_IDENTITY_PROOFS,
    TOO_MANY_ATTACHMENTS,
    TOO_MANY_IDENTITY_PROOFS,
)
from gongkai.applications.uploads import ACCEPTED_LABEL, MAX_UPLOAD_BYTES, check_upload

MIN_DESCRIPTION = 10
OTHER_ID_RE = re.compile(r"^[A-Z0-9\-]{5,30}$")

APPLICANT_TYPES = [(v, "其他组织" if v == ApplicantType.OTHER_ORGANIZATION else label)
                   for v, label in ApplicantType.choices]
# How the reply can reach someone who applied online.
DELIVERY_METHODS = [(v, label) for v, label in DeliveryMethod.choices
                    if v in (DeliveryMethod.MAIL, DeliveryMethod.EMAIL, DeliveryMethod.PICK_UP, DeliveryMethod.FAX)]
ORGANISATION_TYPES = [v for v, _ in ApplicantType.choices if v != ApplicantType.NATURAL_PERSON]
MB = MAX_UPLOAD_BYTES // 1024 // 1024

CONSENT_TEXT = ("本人承诺所填信息真实有效，并同意本机关为办理本申请使用上述个人信息"
                "（仅用于办理、答复和送达，不对外公开）。")


def radio_field(label: str, choices) -> forms.ChoiceField:
    return forms.ChoiceField(label=label, choices=choices, widget=forms.RadioSelect, error_messages={
        "required": f"请选择{label}。", "invalid_choice": f"所选的{label}无效，请重新选择。"})


class OnlineApplicationForm(UploadsMixin, forms.Form):
    """在线申请: everything 第二十九条 asks of a written application, with messages in Chinese tied to each field."""

    submission_key = forms.UUIDField(widget=forms.HiddenInput, error_messages={
        "required": "申请表已失效，请重新打开申请页面。", "invalid": "申请表已失效，请重新打开申请页面。"})

    applicant_type = radio_field("申请人类型", APPLICANT_TYPES)
    organisation_name = text_field("法人或其他组织名称", required=False, max_length=200,
                                   help_text="以法人或其他组织名义申请的填写，与营业执照或登记证书一致。")
    legal_representative = text_field("法定代表人或负责人", required=False, max_length=100)
    applicant_name = text_field("申请人姓名", max_length=100,
                                help_text="自然人填写本人姓名；法人或其他组织填写经办人姓名。")
    identity_type = choice_field("证件类型", IdentityType.choices)
    identity_number = text_field("证件号码", max_length=40, help_text="居民身份证号码为18位，末位可为X。")
    identity_proof = MultipleFileField(
        label="身份证明", kind=DocumentKind.IDENTITY_PROOF, required=True,  # or kept from the last attempt
        help_text=f"必须上传。身份证件的照片或扫描件（可分正反面，最多{MAX_IDENTITY_PROOFS}个文件）；"
                  f"法人或其他组织另附营业执照等证明。接受 {IDENTITY_PROOF_LABEL}，每个文件不超过 {MB}MB，按文件内容检查格式。")

    phone = text_field("联系电话", required=False, max_length=30,
                       help_text="手机号码或带区号的固定电话；联系电话和电子邮箱至少填写一项。")
    email = forms.EmailField(label="电子邮箱", required=False, max_length=254,
                             error_messages={"invalid": "电子邮箱格式不正确，如 name@example.com。",
                                             "max_length": "电子邮箱最多254个字符。"})
    address = text_field("通信地址", required=False, max_length=300, help_text="选择邮寄获取信息的必填。")
    postal_code = forms.RegexField(label="邮政编码", required=False, regex=r"^\d{6}$",
                                   error_messages={"invalid": "邮政编码应为6位数字。"})

    description = text_field("所需政府信息的描述", rows=5, max_length=2000,
                             help_text=f"请尽量写明信息的内容、涉及的时间和事项，至少{MIN_DESCRIPTION}个字。")
    document_hint = text_field("文件名称、文号或其他特征描述", required=False, max_length=300,
                               help_text="知道的请填写，如 仙工信〔2020〕12号。")
    delivery_form = radio_field("信息的提供形式", DeliveryForm.choices)
    delivery_method = radio_field("获取信息的方式", DELIVERY_METHODS)
    attachments = MultipleFileField(
        label="其他附件", kind=DocumentKind.ATTACHMENT,
        help_text=f"可选，最多{MAX_ATTACHMENTS}个。接受 {ACCEPTED_LABEL}，每个文件不超过 {MB}MB，按文件内容检查格式。")

    consent = forms.BooleanField(label="承诺和同意", help_text=CONSENT_TEXT,
                                 error_messages={"required": "请阅读并勾选承诺和同意事项。"})

    def __init__(self, *args, kept: list[dict] = (), **kwargs):
        super().__init__(*args, **kwargs)
        # Files kept from an earlier attempt (entries of ``PublicStash.list``) that the applicant left ticked.
        self.kept = list(kept)
        self.accepted_uploads = []

    def clean_identity_number(self):
        return re.sub(r"\s", "", self.cleaned_data["identity_number"]).upper()

    def clean_phone(self):
        value = normalise_phone(self.cleaned_data["phone"])
        if value and (message := phone_error(value)):
            raise ValidationError(message)
        return value

    def clean_email(self):
        return self.cleaned_data["email"].strip()

    def clean_description(self):
        value = self.cleaned_data["description"].strip()
        if len(value) < MIN_DESCRIPTION:
            raise ValidationError(f"所需政府信息的描述至少{MIN_DESCRIPTION}个字，请写明所需信息的内容，"
                                  f"当前为{len(value)}个字。")
        return value

    def clean(self):
        data = super().clean()
        self._clean_uploads()
        self._clean_files()
        self._clean_applicant(data)
        self._clean_contact(data)
        return data

    def _clean_files(self) -> None:
        proofs = []
        for upload in list(self.accepted_uploads):
            if upload.kind == DocumentKind.IDENTITY_PROOF:
                if check_upload(name=upload.name, content=upload.content) not in IDENTITY_PROOF_TYPES:
                    self.add_error("identity_proof", IDENTITY_PROOF_WRONG_TYPE.format(name=upload.name))
                    self.accepted_uploads.remove(upload)
                else:
                    proofs.append(upload)
        kept_proofs = sum(1 for e in self.kept if e["kind"] == DocumentKind.IDENTITY_PROOF)
        if "identity_proof" not in self.errors and not proofs and not kept_proofs:
            self.add_error("identity_proof", IDENTITY_PROOF_REQUIRED)
        if len(proofs) + kept_proofs > MAX_IDENTITY_PROOFS:
            self.add_error("identity_proof", TOO_MANY_IDENTITY_PROOFS)
        attachments = sum(1 for u in self.accepted_uploads if u.kind == DocumentKind.ATTACHMENT)
        attachments += sum(1 for e in self.kept if e["kind"] == DocumentKind.ATTACHMENT)
        if attachments > MAX_ATTACHMENTS:
            self.add_error("attachments", TOO_MANY_ATTACHMENTS + "请减少后再提交。")

    def _clean_applicant(self, data) -> None:
        kind = data.get("applicant_type")
        if kind in ORGANISATION_TYPES:
            if not data.get("organisation_name"):
                self.add_error("organisation_name", "以法人或其他组织名义申请的，请填写组织名称。")
            if not data.get("legal_representative"):
                self.add_error("legal_representative", "以法人或其他组织名义申请的，请填写法定代表人或负责人。")
        number, id_type = data.get("identity_number"), data.get("identity_type")
        if not number or not id_type:
            return
        if id_type == IdentityType.RESIDENT_ID:
            if message := resident_id_error(number):
                self.add_error("identity_number", message)
        elif id_type == IdentityType.CREDIT_CODE:
            if kind == ApplicantType.NATURAL_PERSON:
                self.add_error("identity_type", "自然人申请的，请选择本人的身份证件，不能选择统一社会信用代码。")
            elif not CREDIT_CODE_RE.match(number):
                self.add_error("identity_number", "统一社会信用代码应为18位数字或大写字母（不含I、O、Z、S、V）。")
        elif not OTHER_ID_RE.match(number):
            self.add_error("identity_number", "证件号码格式不正确：应为5至30位字母、数字或连字符。")

    def _clean_contact(self, data) -> None:
        if not data.get("phone") and not data.get("email") and not {"phone", "email"} & set(self.errors):
            self.add_error("phone", "联系电话和电子邮箱请至少填写一项，以便联系您和查询办理进度。")
        method, form = data.get("delivery_method"), data.get("delivery_form")
        if method == DeliveryMethod.MAIL and not data.get("address") and "address" not in self.errors:
            self.add_error("address", "选择邮寄获取信息的，请填写通信地址。")
        if DeliveryMethod.EMAIL in (method, form) and not data.get("email") and "email" not in self.errors:
            self.add_error("email", "选择以电子邮件获取信息的，请填写电子邮箱。")
        if form == DeliveryForm.ON_SITE and method and method != DeliveryMethod.PICK_UP:
            self.add_error("delivery_method", "选择当场阅读、抄录的，获取信息的方式请选择“自行领取”。")

    def application_data(self) -> dict:
        fields = ("applicant_type", "applicant_name", "organisation_name", "legal_representative", "identity_type",
                  "identity_number", "phone", "email", "address", "postal_code", "description", "document_hint",
                  "delivery_form", "delivery_method")
        data = {f: (self.cleaned_data.get(f) or "").strip() for f in fields}
        if data["applicant_type"] == ApplicantType.NATURAL_PERSON:
            data["organisation_name"] = data["legal_representative"] = ""
        return data


def new_online_application_form() -> OnlineApplicationForm:
    """An empty form with a fresh submission key, so a double submission creates one application."""
    return OnlineApplicationForm(initial={"submission_key": uuid.uuid4()})


class TrackForm(forms.Form):
    """查询办理进度: the tracking code and the phone or e-mail given on the application."""

    tracking_code = text_field("查询码", max_length=20, help_text="提交申请后回执上的12位查询码，如 7KQ4-M2XD-93HT。")
    contact = text_field("联系电话或电子邮箱", max_length=254, help_text="填写申请时留下的联系电话或电子邮箱。")
