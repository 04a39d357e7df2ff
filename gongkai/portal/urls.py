"""The public portal, included last at the site's root: ``/``, ``/search/`` and ``/<code>/…`` where the code
is a region's or an agency's (``selectors.place_get``; reserved words such as ``admin`` or ``api`` are never one)."""

from django.urls import path

from . import feeds, views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("<slug:code>/", views.place, name="place"),
    path("<slug:code>/search/", views.search, name="place_search"),
    path("<slug:code>/feed/rss/", feeds.ItemsRssFeed(), name="feed_rss"),
    path("<slug:code>/feed/atom/", feeds.ItemsAtomFeed(), name="feed_atom"),
    path("<slug:code>/items/", views.item_list, name="items"),
    path("<slug:code>/items/<int:pk>/", views.item_detail, name="item"),
    path("<slug:code>/items/<int:pk>/attachments/<int:attachment_pk>/", views.attachment_download,
         name="attachment"),
    path("<slug:code>/catalogue/", views.catalogue, name="catalogue"),
    path("<slug:code>/guide/", views.guide, name="guide"),
    path("<slug:code>/reports/", views.report_list, name="reports"),
    path("<slug:code>/reports/<int:year>/", views.report_detail, name="report"),
    path("<slug:code>/reports/<int:year>/report.<str:fmt>", views.report_download, name="report_download"),
    path("<slug:code>/reports/<int:year>/versions/<int:version>/", views.report_detail, name="report_version"),
    path("<slug:code>/reports/<int:year>/versions/<int:version>/report.<str:fmt>", views.report_download,
         name="report_version_download"),
]
