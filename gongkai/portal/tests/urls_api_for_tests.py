"""The site's URLs plus the public API, until ``gongkai/urls.py`` mounts it (then this adds nothing)."""

from django.urls import path

from gongkai.portal.api import api
from gongkai.urls import urlpatterns as site_urlpatterns

mounted = any(getattr(p, "namespace", None) == api.urls_namespace for p in site_urlpatterns)

urlpatterns = list(site_urlpatterns) if mounted else [path("api/v1/", api.urls), *site_urlpatterns]
