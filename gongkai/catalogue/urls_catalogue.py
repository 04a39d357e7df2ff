"""Staff pages for the catalogue tree and the guide, included under ``staff/<slug:agency>/catalogue/``."""

from django.urls import path

from . import views_catalogue as views

app_name = "catalogue_tree"

urlpatterns = [
    path("", views.tree, name="tree"),
    path("empty/", views.empty_entries, name="empty"),
    path("apply/", views.apply_standard_view, name="apply_standard"),
    path("entries/new/", views.entry_create_view, name="entry_create"),
    path("entries/<int:pk>/", views.entry_detail, name="entry_detail"),
    path("entries/<int:pk>/edit/", views.entry_edit_view, name="entry_edit"),
    path("entries/<int:pk>/delete/", views.entry_delete_view, name="entry_delete"),
    path("entries/<int:pk>/move/", views.entry_shift_view, name="entry_move"),
    path("guide/", views.guide_preview, name="guide"),
    path("guide/edit/", views.guide_edit, name="guide_edit"),
]
