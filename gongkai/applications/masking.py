"""Masking of applicants' personal data (个人信息去标识化显示).

Who sees what
-------------
An application carries the applicant's name, identity number, phone,
e-mail and address (第二十九条). Staff see them only as far as their work on
the application needs:

* **In full, on the detail page**, to the staff handling the application:
  its assigned handler (承办人), the agency's registrars (申请登记人) and
  agency administrators (机关管理员), and superusers (who hold every role,
  as in ``agencies.selectors.roles_in``). They also may download its documents,
  whose scans carry the same data.
* **Masked**, everywhere else: other handlers of the agency who are not
  assigned to it, approvers (审批人, who decide extensions from the record
  and need no contact data), the agency's other roles, and supervisors of
  its region (政务公开办), who see lists and figures but take no actions.
* **Lists always mask** identity numbers and phone numbers, whoever looks;
  the applicant's name appears in full in a list row only to a user who may
  see that application's data in full.

Names of legal persons and other organisations are not personal data and are
never masked; the name of their contact person (经办人) is.
"""

from __future__ import annotations

from gongkai.agencies.models import Role

MASK = "*"

# Roles that see every application of their agency in full.
FULL_DATA_ROLES = frozenset({Role.REGISTRAR, Role.AGENCY_ADMIN})


def mask_identity_number(value: str) -> str:
    """``350322199001011234`` → ``350322********1234``: keep the first 6 and the last 4.

    Values of 10 characters or fewer (passports, permits) keep only their last 2.
    """
    value = (value or "").strip()
    if not value:
        return ""
    if len(value) > 10:
        return value[:6] + MASK * (len(value) - 10) + value[-4:]
    return _keep_last(value, 2)


def mask_phone(value: str) -> str:
    """``13812345678`` → ``138****5678``; a landline keeps its area code and last 4 digits."""
    value = (value or "").strip()
    if not value:
        return ""
    if "-" in value:
        area, _, number = value.partition("-")
        return f"{area}-{_keep_last(number, 4 if len(number) > 4 else 2)}"
    if len(value) >= 8:
        return value[:3] + MASK * (len(value) - 7) + value[-4:]
    return _keep_last(value, 2)


def mask_email(value: str) -> str:
    """``zhangsan@example.com`` → ``z***@example.com``: the first character of the local part and the domain."""
    value = (value or "").strip()
    if not value:
        return ""
    local, at, domain = value.partition("@")
    if not at:
        return _keep_last(value, 0)
    return f"{local[:1]}{MASK * 3}@{domain}"


def mask_name(value: str) -> str:
    """``张三丰`` → ``张**``: the first character (the surname, usually) and one star per hidden character."""
    value = (value or "").strip()
    if not value:
        return ""
    return value[0] + MASK * (len(value) - 1)


def mask_address(value: str) -> str:
    """An address keeps its first 6 characters (province, city or county), the rest is hidden."""
    value = (value or "").strip()
    if len(value) <= 6:
        return MASK * len(value)
    return value[:6] + MASK * 4


def _keep_last(value: str, n: int) -> str:
    if n <= 0 or len(value) <= n:
        return MASK * len(value)
    return MASK * (len(value) - n) + value[-n:]


def may_see_personal_data(*, user, roles: set[str], application) -> bool:
    """Whether ``user`` (holding ``roles`` in the application's agency) sees its personal data in full."""
    if not getattr(user, "is_authenticated", False):
        return False
    if roles & FULL_DATA_ROLES:
        return True
    return application.handler_id is not None and application.handler_id == user.pk


class MaskedApplicant:
    """The applicant's data as one viewer may see it; templates read these attributes, never the model's."""

    def __init__(self, application, *, full: bool):
        a = application
        self.full = full
        self.applicant_type = a.get_applicant_type_display()
        self.is_organisation = bool(a.organisation_name) and a.applicant_type != "natural_person"
        self.organisation_name = a.organisation_name
        self.legal_representative = a.legal_representative if full else mask_name(a.legal_representative)
        self.name = a.applicant_name if full else mask_name(a.applicant_name)
        self.identity_type = a.get_identity_type_display() if a.identity_type else ""
        self.identity_number = a.identity_number if full else mask_identity_number(a.identity_number)
        self.phone = a.phone if full else mask_phone(a.phone)
        self.email = a.email if full else mask_email(a.email)
        self.address = a.address if full else mask_address(a.address)
        self.postal_code = a.postal_code if full else (MASK * len(a.postal_code))

    @property
    def display(self) -> str:
        """What a list shows in its 申请人 column: the organisation, else the (possibly masked) name."""
        if self.is_organisation:
            return self.organisation_name
        return self.name
