from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

admin.site.site_header = "gongkai 政府信息公开管理"
admin.site.site_title = "gongkai"
admin.site.index_title = "系统管理"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("staff/<slug:agency>/applications/", include("gongkai.applications.urls")),
    path("", include("gongkai.reports.urls")),
]
