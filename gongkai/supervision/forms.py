"""Forms of supervision: the public's message, and the staff's answer, closing and 回应关切."""

from __future__ import annotations

import uuid

from django import forms
from django.core.exceptions import ValidationError

from gongkai.applications.forms import normalise_phone, phone_error, text_field

from .models import FeedbackKind, FeedbackStatus

MIN_MESSAGE = 10


class FeedbackForm(forms.Form):
    """写留言: 投诉/举报、意见建议、咨询 about the agency's disclosure work."""

    submission_key = forms.UUIDField(widget=forms.HiddenInput, error_messages={
        "required": "留言表已失效，请重新打开留言页面。", "invalid": "留言表已失效，请重新打开留言页面。"})
    kind = forms.ChoiceField(label="留言类型", choices=FeedbackKind.choices, widget=forms.RadioSelect,
                             error_messages={"required": "请选择留言类型。", "invalid_choice": "所选的留言类型无效。"})
    subject = text_field("标题", max_length=200)
    message = text_field("内容", rows=6, max_length=5000, help_text=f"请写明事项和您的诉求，至少{MIN_MESSAGE}个字。")
    contact_name = text_field("姓名", max_length=100)
    phone = text_field("联系电话", required=False, max_length=30, help_text="联系电话和电子邮箱至少填写一项。")
    email = forms.EmailField(label="电子邮箱", required=False, max_length=254,
                             error_messages={"invalid": "电子邮箱格式不正确，如 name@example.com。"})
    public = forms.BooleanField(label="同意本机关将我的问题和答复（不含姓名、联系方式等个人信息）在“回应关切”栏目公开",
                                required=False)

    def clean_message(self):
        value = self.cleaned_data["message"].strip()
        if len(value) < MIN_MESSAGE:
            raise ValidationError(f"内容至少{MIN_MESSAGE}个字，当前为{len(value)}个字。")
        return value

    def clean_phone(self):
        value = normalise_phone(self.cleaned_data["phone"])
        if value and (message := phone_error(value)):
            raise ValidationError(message)
        return value

    def clean(self):
        data = super().clean()
        if not data.get("phone") and not data.get("email") and not {"phone", "email"} & set(self.errors):
            self.add_error("phone", "联系电话和电子邮箱请至少填写一项，以便本机关答复您。")
        return data


def new_feedback_form() -> FeedbackForm:
    return FeedbackForm(initial={"submission_key": uuid.uuid4()})


class FeedbackFilterForm(forms.Form):
    status = forms.ChoiceField(label="办理状态", required=False, choices=[("", "全部")] + list(FeedbackStatus.choices))
    kind = forms.ChoiceField(label="类型", required=False, choices=[("", "全部")] + list(FeedbackKind.choices))


class AnswerForm(forms.Form):
    answer = text_field("答复", rows=6, max_length=5000, help_text="答复内容将记入操作记录。")
    close = forms.BooleanField(label="答复后办结", required=False)


class CloseForm(forms.Form):
    note = text_field("办结说明", required=False, rows=2, max_length=2000,
                      help_text="如：重复留言；已电话答复。记入操作记录。")


class ConcernForm(forms.Form):
    question = text_field("公开的问题", rows=4, max_length=5000,
                          help_text="将公开显示：请概括问题，删去姓名、电话、证件号码、地址等个人信息。")
    answer = text_field("本机关的回应", rows=6, max_length=5000)


class WithdrawForm(forms.Form):
    note = text_field("撤下说明", required=False, rows=2, max_length=2000)
