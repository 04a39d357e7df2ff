"""Staff pages for proactive disclosure (主动公开), included under ``staff/<slug:agency>/items/``."""

from django.urls import path

from . import views_items as views

app_name = "items"

urlpatterns = [
    path("", views.item_list, name="list"),
    path("awaiting/", views.item_awaiting, name="awaiting"),
    path("late/", views.item_late, name="late"),
    path("new/", views.item_create_view, name="create"),
    path("export/wechat/", views.wechat_export_view, name="wechat_export"),
    path("<int:pk>/", views.item_detail, name="detail"),
    path("<int:pk>/edit/", views.item_edit_view, name="edit"),
    path("<int:pk>/amend/", views.item_amend, name="amend"),
    path("<int:pk>/actions/<slug:code>/", views.item_action, name="action"),
    path("<int:pk>/versions/<int:version>/", views.item_version, name="version"),
    path("<int:pk>/attachments/<int:attachment_pk>/", views.attachment_download, name="attachment"),
]
