"""Display helpers for the application pages."""

import re

from django import template

register = template.Library()

CJK = re.compile(r"[\u3400-\u9fff]")


@register.filter
def person(user) -> str:
    """A staff member's name as Chinese writes it (family name first, no space), else the username."""
    if user is None:
        return "系统"
    first, last = (user.first_name or "").strip(), (user.last_name or "").strip()
    if not (first or last):
        return user.get_username()
    if CJK.search(first + last):
        return f"{last}{first}"
    return f"{first} {last}".strip()
