"""The online channel of the portal: apply, the receipt, the status lookup; included at the site's root.

Include it before the portal's catch-all ``<code>/`` routes: ``track/`` is a path of its own.
"""

from django.urls import path

from . import views_apply

app_name = "apply"

urlpatterns = [
    path("track/", views_apply.track, name="track"),
    path("<slug:agency>/apply/", views_apply.apply, name="form"),
    path("<slug:agency>/apply/receipt/<str:tracking_code>/", views_apply.receipt, name="receipt"),
]
