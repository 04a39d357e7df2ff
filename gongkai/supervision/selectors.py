from django.db.models import QuerySet

from gongkai.agencies.models import Agency

from .models import Concern, Feedback


def feedback_of(*, agency: Agency, status: str = "", kind: str = "") -> QuerySet[Feedback]:
    queryset = Feedback.objects.filter(agency=agency).select_related("answered_by")
    if status:
        queryset = queryset.filter(status=status)
    if kind:
        queryset = queryset.filter(kind=kind)
    return queryset.order_by("-created_at", "-id")


def concerns_published(*, agency: Agency) -> QuerySet[Concern]:
    return Concern.objects.filter(agency=agency, published=True).order_by("-published_on", "-id")


def concerns_of(*, agency: Agency) -> QuerySet[Concern]:
    return Concern.objects.filter(agency=agency).select_related("created_by", "source").order_by("-published_on", "-id")
