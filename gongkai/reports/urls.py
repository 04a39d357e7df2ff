from django.urls import path

from . import views, views_dashboard

app_name = "reports"

urlpatterns = [
    path("staff/", views.home, name="home"),
    path("staff/<slug:agency>/reports/<int:year>/", views.agency_report_page, name="agency_report"),
    path("staff/<slug:agency>/reports/<int:year>/report.<str:fmt>", views.agency_report_download,
         name="agency_report_download"),
    path("staff/<slug:agency>/reports/<int:year>/draft/", views.agency_report_draft, name="agency_report_draft"),
    path("staff/<slug:agency>/reports/<int:year>/narrative/", views.agency_report_narrative,
         name="agency_report_narrative"),
    path("staff/<slug:agency>/reports/<int:year>/actions/<slug:code>/", views.agency_report_action,
         name="agency_report_action"),
    path("staff/<slug:agency>/reports/<int:year>/versions/<int:number>/report.<str:fmt>",
         views.agency_report_version_download, name="agency_report_version_download"),
    path("staff/dashboard/", views_dashboard.dashboard_home, name="dashboard_home"),
    path("staff/dashboard/<slug:region>/<int:year>/", views_dashboard.dashboard, name="dashboard"),
    path("staff/dashboard/<slug:region>/<int:year>/overview.xlsx", views_dashboard.dashboard_export,
         name="dashboard_export"),
    path("staff/dashboard/<slug:region>/<int:year>/report.<str:fmt>", views_dashboard.region_report_download,
         name="region_report_download"),
]
