"""The 政府信息公开指南 (条例 第十二条): what it must contain, and saving it.

第十二条: the guide states how the agency's information is classified and
arranged (信息的分类、编排体系) and how to obtain it (获取方式), and the
disclosure office's name, address, office hours, phone, fax and internet
contact. ``guide_problems`` names each missing or malformed item in
Chinese; ``guide_save`` refuses a guide with any, and
``guide_completeness`` lists them for a guide already stored (older guides
were saved before these checks).
"""

from __future__ import annotations

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.db import transaction

from gongkai.agencies.models import Agency
from gongkai.audit.services import audit_record

from .models import Guide
from .standard import _require_change

# What 第十二条 requires, in the order the article names it.
REQUIRED: dict[str, str] = {
    "classification": "信息分类和编排体系",
    "how_to_obtain": "获取信息的方式",
    "office_name": "政府信息公开工作机构名称",
    "office_address": "办公地址",
    "office_hours": "办公时间",
    "phone": "联系电话",
    "fax": "传真号码",
}
FIELDS = (
    "classification", "how_to_obtain", "application_procedure", "office_name", "office_address", "postal_code",
    "office_hours", "phone", "fax", "email", "website", "supervision",
)

MISSING = "缺少{label}（第十二条规定指南应当写明）。"
MISSING_INTERNET = "缺少互联网联系方式：请至少填写电子邮箱或网址之一（第十二条）。"
BAD_PHONE = "联系电话格式不正确：应为带区号的固定电话（如 0594-8292450）或11位手机号码，多个号码用“、”分隔。"
BAD_FAX = "传真号码格式不正确：应为带区号的固定电话，如 0594-8292450。"
BAD_POSTAL_CODE = "邮政编码应为6位数字。"

# A landline with its area code: 0594-8292450, (0594)8292450, 059482924500, with an extension 转123 or -123.
LANDLINE = re.compile(r"^(?:\(0\d{2,3}\)|0\d{2,3}-?)[2-9]\d{6,7}(?:(?:-|转|ext\.?)\d{1,6})?$")
MOBILE = re.compile(r"^(?:\+?86-?)?1[3-9]\d{9}$")
AREA_CODE = re.compile(r"^\(?0\d{2,3}\)?-?$")


def normalize_phone(value: str) -> str:
    """Full-width digits and brackets to ASCII, every kind of dash to "-"."""
    return re.sub(r"[‐‑‒–—―－]", "-", unicodedata.normalize("NFKC", value)).strip()


def _numbers(value: str) -> list[str]:
    """The numbers in a field: split on 、，;/ and spaces, an area code or 转 joined to what follows."""
    numbers: list[str] = []
    for token in (t for t in re.split(r"[、,;/]+|\s+|或", value) if t):
        if numbers and (AREA_CODE.match(numbers[-1]) or numbers[-1].endswith(("-", "转"))
                        or token.startswith(("-", "转"))):
            numbers[-1] += token
        else:
            numbers.append(token)
    return numbers


def phone_valid(value: str, *, mobile: bool = True) -> bool:
    numbers = _numbers(normalize_phone(value))
    return bool(numbers) and all(LANDLINE.match(n) or (mobile and MOBILE.match(n)) for n in numbers)


def guide_problems(values: dict) -> dict[str, str]:
    """Field → what is missing or wrong, in Chinese; empty when the guide has everything 第十二条 requires."""
    values = {f: str(values.get(f) or "").strip() for f in FIELDS}
    problems = {f: MISSING.format(label=label) for f, label in REQUIRED.items() if not values[f]}
    if not values["email"] and not values["website"]:
        problems["email"] = MISSING_INTERNET
    if values["phone"] and not phone_valid(values["phone"]):
        problems["phone"] = BAD_PHONE
    if values["fax"] and not phone_valid(values["fax"], mobile=False):
        problems["fax"] = BAD_FAX
    if values["postal_code"] and not re.fullmatch(r"\d{6}", values["postal_code"]):
        problems["postal_code"] = BAD_POSTAL_CODE
    return problems


def guide_completeness(guide: Guide | None) -> list[str]:
    """What a stored guide still lacks, one message per item (all of 第十二条's contents when there is none)."""
    values = {f: getattr(guide, f) for f in FIELDS} if guide is not None else {}
    problems = guide_problems(values)
    return [problems[f] for f in FIELDS if f in problems]


def guide_get(agency: Agency) -> Guide | None:
    return Guide.objects.filter(agency=agency).select_related("updated_by").first()


def guide_save(*, user, agency: Agency, data: dict) -> Guide:
    """Create or replace the agency's guide; agency administrators and publishers only.

    Raises ``ValidationError`` keyed by field, with every problem at once.
    """
    _require_change(user, agency)
    values = {f: str(data.get(f) or "").strip() for f in FIELDS}
    for f in ("phone", "fax"):
        values[f] = normalize_phone(values[f])
    problems = guide_problems(values)
    with transaction.atomic():
        guide = Guide.objects.select_for_update().filter(agency=agency).first() or Guide(agency=agency)
        changed = sorted(f for f in FIELDS if getattr(guide, f) != values[f])
        for f in FIELDS:
            setattr(guide, f, values[f])
        guide.updated_by = user
        try:
            guide.full_clean(exclude=[*problems, "agency", "updated_by"])
        except ValidationError as e:
            problems.update({f: msgs[0] for f, msgs in e.message_dict.items() if f not in problems})
        if problems:
            raise ValidationError({f: problems[f] for f in FIELDS if f in problems}
                                  | {f: m for f, m in problems.items() if f not in FIELDS})
        created = guide.pk is None
        guide.save()
        audit_record(actor=user, agency=agency, target=guide, action="guide.save",
                     data={"created": created, "fields": changed})
    return guide
