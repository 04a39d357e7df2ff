from django.db.models import Q, QuerySet

from .models import Agency, Region


def agencies_in_region(*, region: Region) -> QuerySet[Agency]:
    """Every agency of the region and of the regions below it."""
    return Agency.objects.filter(region__path__startswith=region.path)


def agency_get(*, code: str) -> Agency | None:
    return Agency.objects.select_related("region").filter(code=code).first()


def region_get(*, code: str) -> Region | None:
    return Region.objects.filter(code=code).first()


def agencies_visible_to(*, user) -> QuerySet[Agency]:
    """Agencies whose staff pages ``user`` may open: their own, and all under a region they supervise."""
    if not user.is_authenticated:
        return Agency.objects.none()
    if user.is_superuser:
        return Agency.objects.all()
    condition = Q(memberships__user=user)
    for path in user.supervisions.values_list("region__path", flat=True):
        condition |= Q(region__path__startswith=path)
    return Agency.objects.filter(condition).distinct()


def user_can_view_agency(*, user, agency: Agency) -> bool:
    return agencies_visible_to(user=user).filter(pk=agency.pk).exists()


def roles_in(user, agency: Agency) -> set[str]:
    """The roles ``user`` holds in ``agency``; a superuser holds them all."""
    from .models import Membership, Role

    if not getattr(user, "is_authenticated", False):
        return set()
    roles = set(Membership.objects.filter(user=user, agency=agency).values_list("role", flat=True))
    if user.is_superuser:
        roles |= set(Role.values)
    return roles
