from django.contrib import admin
from django.urls import include, path

from gongkai.accounts.urls import login_urls
from gongkai.portal.api import api

admin.site.site_header = "gongkai 政府信息公开管理"
admin.site.site_title = "gongkai"
admin.site.index_title = "系统管理"

urlpatterns = [
    # Staff sign-in with the second factor; the admin's own login page redirects to it (before "admin/").
    *login_urls,
    path("accounts/", include("gongkai.accounts.urls")),
    path("admin/", admin.site.urls),
    path("staff/<slug:agency>/applications/", include("gongkai.applications.urls")),
    path("staff/<slug:agency>/items/", include("gongkai.catalogue.urls_items")),
    path("staff/<slug:agency>/catalogue/", include("gongkai.catalogue.urls_catalogue")),
    # The staff home is "/staff/" (reports:home); the public portal takes the root.
    path("", include("gongkai.reports.urls")),
    path("api/v1/", api.urls),
    # Online application and tracking (依申请公开) and supervision (监督保障, 回应关切), before the portal's
    # catch-all "<code>/…" patterns:
    path("", include("gongkai.portal.urls_apply")),
    path("", include("gongkai.supervision.urls")),
    # The public portal, last: "/", "/search/" and "/<region or agency code>/…".
    path("", include("gongkai.portal.urls")),
]
handler404 = "gongkai.portal.views.page_not_found"

from django.conf import settings  # noqa: E402

if settings.GONGKAI_BENCH:
    # The portal benchmark's baseline (bench/portal.py); absent unless GONGKAI_BENCH=1.
    from gongkai.ops.views import minimal  # noqa: E402

    urlpatterns.insert(0, path("_bench/minimal/", minimal))
