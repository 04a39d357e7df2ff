"""Both halves of supervision for one ``path("", include("gongkai.supervision.urls"))`` at the site's root."""

from django.urls import include, path

urlpatterns = [
    path("staff/<slug:agency>/feedback/", include("gongkai.supervision.urls_staff")),
    path("", include("gongkai.supervision.urls_public")),
]
