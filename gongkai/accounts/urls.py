from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("login/verify/", views.login_verify, name="verify"),
    path("otp/", views.otp_settings, name="otp"),
    path("otp/disable/", views.otp_disable, name="otp_disable"),
]

# Outside the namespace: LOGIN_URL and the templates use the plain names.
login_urls = [
    path("accounts/login/", views.staff_login, name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/login/", views.admin_login, name="admin_login"),
]
