"""Reads about the demo."""

from django.contrib.auth import get_user_model

from gongkai.agencies.models import Agency

from .seed import BUREAU
from .services import SUPERUSER


def demo_loaded() -> bool:
    """Whether ``gongkai demo load`` has run on this database (its bureau and superuser exist)."""
    return (Agency.objects.filter(code=BUREAU.code).exists()
            and get_user_model().objects.filter(username=SUPERUSER).exists())
