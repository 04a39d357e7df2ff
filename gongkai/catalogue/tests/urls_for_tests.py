"""The site's URLs plus the item pages, until ``gongkai/urls.py`` includes them (then this adds nothing)."""

from django.urls import include, path

from gongkai.urls import urlpatterns as site_urlpatterns

included = any(getattr(p, "namespace", None) == "items" for p in site_urlpatterns)

urlpatterns = list(site_urlpatterns) if included else [
    path("staff/<slug:agency>/items/", include("gongkai.catalogue.urls_items")),
    *site_urlpatterns,
]
