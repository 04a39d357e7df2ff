"""Supervision's public pages, included at the site's root (before the portal's catch-all ``<code>/`` routes)."""

from django.urls import path

from . import views

app_name = "supervision"

urlpatterns = [
    path("<slug:agency>/feedback/", views.feedback_form, name="feedback"),
    path("<slug:agency>/concerns/", views.concern_list, name="concerns"),
]
