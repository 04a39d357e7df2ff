from django.contrib import admin

from .models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the trail cannot be edited or deleted through the application."""

    list_display = ["at", "actor", "agency", "action", "target_type", "target_id", "from_state", "to_state"]
    list_filter = ["action", "agency"]
    search_fields = ["target_id", "note"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
