from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("staff/", views.home, name="home"),
    path("staff/<slug:agency>/reports/<int:year>/", views.agency_report_page, name="agency_report"),
    path("staff/<slug:agency>/reports/<int:year>/report.<str:fmt>", views.agency_report_download,
         name="agency_report_download"),
]
