"""Supervision's staff pages, included under ``staff/<slug:agency>/feedback/``."""

from django.urls import path

from . import views

app_name = "supervision_staff"

urlpatterns = [
    path("", views.staff_feedback_list, name="list"),
    path("<int:pk>/", views.staff_feedback_detail, name="detail"),
    path("<int:pk>/answer/", views.staff_feedback_answer, name="answer"),
    path("<int:pk>/close/", views.staff_feedback_close, name="close"),
    path("<int:pk>/publish/", views.staff_feedback_publish, name="publish"),
    path("concerns/new/", views.staff_concern_new, name="concern_new"),
    path("concerns/<int:pk>/withdraw/", views.staff_concern_withdraw, name="concern_withdraw"),
]
