from django.contrib import admin

from .models import Item


@admin.register(Item)
class ItemAdmin(admin.ModelAdmin):
    list_display = ["title", "agency", "document_type", "document_number", "formed_on", "published_on", "validity"]
    list_filter = ["document_type", "validity", "agency"]
    search_fields = ["title", "document_number"]
    date_hierarchy = "published_on"
    autocomplete_fields = ["agency"]
