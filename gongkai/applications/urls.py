"""Staff pages for disclosure applications, included under ``staff/<slug:agency>/applications/``."""

from django.urls import path

from . import views

app_name = "applications"

urlpatterns = [
    path("", views.application_list, name="list"),
    path("overdue/", views.application_list, {"preset": "overdue"}, name="overdue"),
    path("due-soon/", views.application_list, {"preset": "due_soon"}, name="due_soon"),
    path("new/", views.application_register_view, name="register"),
    path("<int:pk>/", views.application_detail, name="detail"),
    path("<int:pk>/actions/<slug:code>/", views.application_action, name="action"),
    path("<int:pk>/assign/", views.application_assign, name="assign"),
    path("<int:pk>/documents/", views.document_upload, name="upload"),
    path("<int:pk>/documents/<int:document_pk>/", views.document_download, name="document"),
    path("<int:pk>/letters/<slug:kind>/", views.letter_create, name="letter_create"),
    path("letters/settings/", views.letter_settings_view, name="letter_settings"),
    path("letters/templates/", views.letter_template_list, name="letter_templates"),
    path("letters/templates/<slug:kind>/", views.letter_template_edit, name="letter_template"),
    path("letters/templates/<slug:kind>/reset/", views.letter_template_reset, name="letter_template_reset"),
]
