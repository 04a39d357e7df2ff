"""The site navigation's links to each agency's applications, for staff with a role there."""

from django import template

from gongkai.agencies.models import Agency

register = template.Library()


@register.simple_tag
def staff_agencies(user):
    """The agencies where ``user`` holds a membership (supervisors reach others through the reports)."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(Agency.objects.filter(memberships__user=user).distinct().order_by("code"))
